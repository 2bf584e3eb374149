// Ingest of safeguarding concerns (outbox kind `safeguarding.raised`): the
// durable copy of a concern the desk also sends live. Whichever arrives first
// keeps it and alerts team leaders; the other finds it held and changes nothing.
import { fail, ok } from '../../shared/result';
import type { IngestRegistry } from './registry';

export function registerSafeguardingIngest(registry: IngestRegistry): void {
  registry.register({
    kind: 'safeguarding.raised',
    // Concerns are raised from a live interaction, which only an adviser takes.
    authorise: (_raise, context) =>
      context.user.roles.includes('adviser')
        ? ok(null)
        : fail('forbidden', 'Only advisers raise safeguarding concerns from an interaction'),
    apply: (writer, raise, context) =>
      writer.raiseSafeguardingConcern(raise, context.user.id, context.receivedAt),
  });
}
