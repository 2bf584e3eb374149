// Ingest of knowledge edits made on a desk (outbox kind `knowledge.edit`): the
// same draft as POST /api/knowledge/drafts, awaiting review, never a publish.
import { ok } from '../../shared/result';
import type { IngestRegistry } from './registry';

export function registerKnowledgeIngest(registry: IngestRegistry): void {
  registry.register({
    kind: 'knowledge.edit',
    // Any staff member may propose an edit: the deliverer becomes its author, and
    // publishing waits for someone else's review.
    authorise: () => ok(null),
    apply: (writer, edit, context) =>
      writer.submitKnowledgeDraft(edit, context.user.id, context.receivedAt),
  });
}
