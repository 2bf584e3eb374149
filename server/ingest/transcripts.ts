// Ingest of transcript requests (outbox kind `transcript.requested`). The
// request travels on the interaction's stream, after its record, and is queued
// here for sending; the adviser who delivers it is the one who took the contact.
// Queuing hints the sender (server/transcripts/sender.ts), which sends it once committed.
import { ok } from '../../shared/result';
import type { IngestRegistry } from './registry';

export function registerTranscriptIngest(registry: IngestRegistry): void {
  registry.register({
    kind: 'transcript.requested',
    authorise: () => ok(null),
    apply: (writer, request, context) =>
      writer.queueTranscript(request, context.user.id, context.receivedAt),
  });
}
