// How long a kept call recording lasts, read from its WAV header, so the
// replay's timeline matches the audio whatever length the telephony side kept
// (the simulator's are bounded; a real platform's last as long as the call).

/**
 * Seconds of audio in a RIFF/WAVE file: its data chunk's size over the byte
 * rate its fmt chunk declares. Null for anything that is not such a file.
 */
export function wavDurationSeconds(bytes: Buffer): number | null {
  if (bytes.length < 12) return null;
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE')
    return null;
  let byteRate: number | null = null;
  // Chunks follow the 12-byte header, each an id, a size and its (even-padded) body.
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && size >= 16 && body + 16 <= bytes.length) {
      byteRate = bytes.readUInt32LE(body + 8);
    } else if (id === 'data') {
      if (byteRate === null || byteRate === 0) return null;
      // A file cut short holds less than its header says: count what is there.
      const held = Math.min(size, bytes.length - body);
      return held / byteRate;
    }
    offset = body + size + (size % 2);
  }
  return null;
}
