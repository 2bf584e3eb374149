// Ingest of safeguarding concerns (outbox kind `safeguarding.raised`): the
// durable copy of a concern the desk also sends live. Whichever arrives first
// keeps it and alerts team leaders; the other finds it held and changes nothing.
import { fail, ok } from '../../shared/result';
import { unknownContact } from '../safeguarding/socket';
import type { IngestRegistry } from './registry';

export function registerSafeguardingIngest(registry: IngestRegistry): void {
  registry.register({
    kind: 'safeguarding.raised',
    // Which roles raise concerns is the policy's (outbox.safeguarding.raised);
    // the concern must arise in a call or chat this adviser took.
    authorise: async (raise, context) =>
      (await context.adviserOfContact(raise.contactRef)) === context.user.id
        ? ok(null)
        : fail(unknownContact.code, unknownContact.message),
    apply: async (writer, raise, context) => {
      await writer.raiseSafeguardingConcern(raise, context.user.id, context.receivedAt);
    },
  });
}
