// Ingest of completed interaction records (outbox kind `interaction.completed`).
import type { IngestRegistry } from './registry';
import { ownedByDeliverer } from './registry';

export function registerInteractionIngest(registry: IngestRegistry): void {
  registry.register({
    kind: 'interaction.completed',
    authorise: (record, context) =>
      ownedByDeliverer(record.adviserId, context, 'interaction record'),
    apply: (writer, record, context) => writer.saveInteraction(record, context.receivedAt),
  });
}
