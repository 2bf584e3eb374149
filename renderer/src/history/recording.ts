// The call recording for a replay, fetched through the desk services piece by
// piece (they hold the access token; the renderer never sees it) and played
// from an object URL, so no address with a token in it exists anywhere.
import { useEffect, useState } from 'react';
import type { DeskBridge } from '../../../shared/ipc/contract';
import type { HistoryRecording } from '../../../shared/wire/history';

export type RecordingState =
  | { state: 'none' }
  | { state: 'loading'; received: number; total: number | null }
  | { state: 'ready'; url: string }
  | { state: 'failed'; message: string };

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) bytes[index] = text.charCodeAt(index);
  return bytes;
}

/** Loads the recording of interaction `id` once per (id, recording); null recording: none. */
export function useRecording(
  desk: DeskBridge,
  id: string,
  recording: HistoryRecording | null,
): RecordingState {
  const path = recording?.path ?? null;
  const key = `${id} ${path ?? ''}`;
  // Each state is kept with the recording it belongs to; another recording starts as loading.
  const [held, setHeld] = useState<{ key: string; state: RecordingState } | null>(null);

  useEffect(() => {
    if (path === null) return;
    let current = true;
    let url: string | null = null;
    const show = (state: RecordingState) => {
      if (current) setHeld({ key, state });
    };
    void (async () => {
      const pieces: Uint8Array<ArrayBuffer>[] = [];
      let offset = 0;
      for (;;) {
        const answer = await desk.historyRecording({ id, offset });
        if (!current) return;
        if (!answer.ok) return show({ state: 'failed', message: answer.error.message });
        const piece = bytesOf(answer.value.base64);
        // A piece that does not continue where the last one ended would play as noise.
        if (
          answer.value.offset !== offset ||
          (piece.length === 0 && offset < answer.value.totalBytes)
        ) {
          return show({ state: 'failed', message: 'The recording arrived incomplete' });
        }
        pieces.push(piece);
        offset += piece.length;
        if (offset >= answer.value.totalBytes) {
          url = URL.createObjectURL(new Blob(pieces, { type: answer.value.contentType }));
          return show({ state: 'ready', url });
        }
        show({ state: 'loading', received: offset, total: answer.value.totalBytes });
      }
    })();
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [desk, id, path, key]);

  if (path === null) return { state: 'none' };
  return held?.key === key ? held.state : { state: 'loading', received: 0, total: null };
}
