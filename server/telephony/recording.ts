// Call recordings as the simulated telephony side makes them: a short WAV
// (8 kHz, 16-bit mono, the narrowband of a phone line) of DTMF tone pairs,
// synthesised here in plain Node, kept in the server's data folder, and served
// to the staff allowed to hear it.
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Response } from 'express';
import { fail } from '../../shared/result';
import { history } from '../../shared/wire/routes';
import { sendResult } from '../http/envelope';
import type { SafeRoutes } from '../http/safe-routes';
import { authorize } from '../permissions/policy';
import type { CallStore } from '../storage/types';

export const recordingSampleRate = 8_000;
/** The simulator's recordings are short: as long as the call was connected, within these bounds. */
export const recordingBounds = { minMs: 1_000, maxMs: 10_000 } as const;
export const recordingContentType = 'audio/wav';

export interface CallRecording {
  contentType: typeof recordingContentType;
  bytes: Buffer;
}

/** The DTMF keypad: each key is one low-group and one high-group frequency, 16 keys in all. */
const dtmfLow = [697, 770, 852, 941] as const;
const dtmfHigh = [1209, 1336, 1477, 1633] as const;
const toneMs = 200;
const gapMs = 100;
/** Ramped in and out so a tone starts and stops without a click. */
const rampMs = 5;

/** How long the simulator's recording of a call connected for `connectedMs` lasts. */
export function recordingDurationMs(connectedMs: number): number {
  return Math.min(recordingBounds.maxMs, Math.max(recordingBounds.minMs, Math.round(connectedMs)));
}

/**
 * Synthesises the recording: tone pairs keyed by the hex digits of `seed` (the
 * call id), so each call sounds different and the same call always the same.
 */
export function synthesiseRecording(seed: string, durationMs: number): CallRecording {
  const sampleCount = Math.round((durationMs * recordingSampleRate) / 1_000);
  const samples = new Int16Array(sampleCount);
  const keys = [...seed.toLowerCase()]
    .map((char) => Number.parseInt(char, 16))
    .filter((key) => Number.isInteger(key));
  const keyAt = (slot: number) => (keys.length === 0 ? slot % 16 : (keys[slot % keys.length] ?? 0));
  const slotSamples = ((toneMs + gapMs) * recordingSampleRate) / 1_000;
  const toneSamples = (toneMs * recordingSampleRate) / 1_000;
  const rampSamples = (rampMs * recordingSampleRate) / 1_000;
  for (let index = 0; index < sampleCount; index += 1) {
    const slot = Math.floor(index / slotSamples);
    const within = index - slot * slotSamples;
    if (within >= toneSamples) continue;
    const key = keyAt(slot);
    const low = dtmfLow[key >> 2] ?? dtmfLow[0];
    const high = dtmfHigh[key & 3] ?? dtmfHigh[0];
    const t = index / recordingSampleRate;
    const envelope = Math.min(1, within / rampSamples, (toneSamples - within) / rampSamples);
    const value =
      0.35 * envelope * (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t));
    samples[index] = Math.round(value * 32_767);
  }
  return { contentType: recordingContentType, bytes: encodeWav(samples, recordingSampleRate) };
}

/** A canonical 44-byte RIFF/WAVE header followed by 16-bit little-endian PCM. */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const dataBytes = samples.length * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // size of the fmt chunk
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let index = 0; index < samples.length; index += 1) {
    wav.writeInt16LE(samples[index] ?? 0, 44 + index * 2);
  }
  return wav;
}

/**
 * Seconds of audio in a RIFF/WAVE file: its data chunk's size over the byte
 * rate its fmt chunk declares. Null for anything that is not such a file.
 * `bytes` may be only the file's head, with `fileBytes` its whole length, so an
 * hour's recording is measured without being read.
 */
export function wavDurationSeconds(bytes: Buffer, fileBytes = bytes.length): number | null {
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
      const held = Math.min(size, fileBytes - body);
      return held / byteRate;
    }
    offset = body + size + (size % 2);
  }
  return null;
}

/**
 * Recordings as files in `<data folder>/recordings`. A reference is the file's
 * name there, made by the server (never from a call id a platform chose), so
 * reading one back cannot reach outside the folder.
 */
/** A reference the server made: a UUID file name, so nothing reaches outside the folder. */
const validRef = /^[0-9a-f-]{36}\.wav$/;
/** Enough of a WAV file for its fmt and data chunk headers. */
const wavHeadBytes = 4_096;

export class RecordingFolder {
  private readonly folder: string;

  constructor(dataDir: string) {
    this.folder = join(dataDir, 'recordings');
  }

  /** Writes the file in full before it gets a name the server will use; returns its reference. */
  save(recording: CallRecording): string {
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    const ref = `${randomUUID()}.wav`;
    const path = join(this.folder, ref);
    writeFileSync(`${path}.partial`, recording.bytes, { mode: 0o600 });
    renameSync(`${path}.partial`, path);
    return ref;
  }

  /**
   * How long a kept recording lasts, from its header alone (the replay's
   * timeline matches the audio whatever length the telephony side kept).
   * Null when there is no such file or it is not a WAV file.
   */
  durationSeconds(ref: string): number | null {
    if (!validRef.test(ref)) return null;
    let file: number;
    try {
      file = openSync(join(this.folder, ref), 'r');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const head = Buffer.alloc(wavHeadBytes);
      const read = readSync(file, head, 0, head.length, 0);
      return wavDurationSeconds(head.subarray(0, read), fstatSync(file).size);
    } finally {
      closeSync(file);
    }
  }

  read(ref: string): CallRecording | null {
    if (!validRef.test(ref)) return null;
    try {
      return { contentType: recordingContentType, bytes: readFileSync(join(this.folder, ref)) };
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return null;
      throw error;
    }
  }
}

/** A call's recording: the adviser who took the call, and team leaders. */
export function registerCallRecordingRoute(routes: SafeRoutes, calls: CallStore): void {
  routes.staffRaw(
    history.callRecording,
    'recording.listen',
    async (staff, { params }, response) => {
      const call = await calls.find(params.callId);
      if (!call) return sendResult(response, fail('not_found', 'There is no such call'));
      const allowed = authorize(staff, 'recording.listen', call.adviserId);
      if (!allowed.ok) return sendResult(response, allowed);
      await sendRecording(response, calls, call.id);
    },
  );
}

/** Answers with a call's recording, or `not_found` when it has none. */
export async function sendRecording(
  response: Response,
  calls: CallStore,
  callId: string,
): Promise<void> {
  const recording = await calls.readRecording(callId);
  if (!recording) return sendResult(response, fail('not_found', 'This call has no recording'));
  response
    .status(200)
    .set({
      'content-type': recording.contentType,
      'content-length': String(recording.bytes.length),
      // A customer's voice is personal data: nothing on the way may keep a copy.
      'cache-control': 'no-store',
    })
    .end(recording.bytes);
}
