// Every domain's ingest appliers, registered once at start-up. A new outbox
// kind adds its register call here.
import { registerFollowUpIngest } from './follow-ups';
import { registerInteractionIngest } from './interactions';
import { registerKnowledgeIngest } from './knowledge';
import { registerQualityIngest } from './quality';
import { IngestRegistry } from './registry';
import { registerSafeguardingIngest } from './safeguarding';
import { registerTranscriptIngest } from './transcripts';

export function createIngestRegistry(): IngestRegistry {
  const registry = new IngestRegistry();
  registerInteractionIngest(registry);
  registerFollowUpIngest(registry);
  registerTranscriptIngest(registry);
  registerKnowledgeIngest(registry);
  registerSafeguardingIngest(registry);
  registerQualityIngest(registry);
  registry.assertComplete();
  return registry;
}
