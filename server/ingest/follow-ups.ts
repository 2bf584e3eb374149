// Ingest of follow-up bookings (outbox kind `followup.booked`).
import type { IngestRegistry } from './registry';
import { ownedByDeliverer } from './registry';

export function registerFollowUpIngest(registry: IngestRegistry): void {
  registry.register({
    kind: 'followup.booked',
    authorise: (booking, context) =>
      ownedByDeliverer(booking.adviserId, context, 'follow-up booking'),
    apply: (writer, booking, context) => writer.saveFollowUpBooking(booking, context.receivedAt),
  });
}
