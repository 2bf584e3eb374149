// Ingest of transcript requests (outbox kind `transcript.requested`). The
// request travels on the interaction's stream, after its record, and is queued
// here for sending; the adviser who delivers it is the one who took the contact.
// It names only the interaction and an address its schema has already parsed
// (one mailbox or one UK mobile, else invalid_input); the document is composed
// from the held record when sent (server/transcripts/compose.ts). A request
// whose record is not held yet is refused as a conflict, so the desk tries again.
// Once the item's transaction commits, the sender (server/transcripts/sender.ts)
// of this process is woken to send it; another process's finds it as it polls.
import { ok } from '../../shared/result';
import type { IngestRegistry } from './registry';

export function registerTranscriptIngest(registry: IngestRegistry): void {
  registry.register({
    kind: 'transcript.requested',
    // The record's owner is checked as it is queued: the write finds only this adviser's record.
    authorise: () => ok(null),
    apply: async (writer, request, context) => {
      await writer.queueTranscript(request, context.user.id, context.receivedAt);
    },
  });
}
