// Ingest of quality reviews written on a desk (outbox kind
// `quality.review.saved`): the reviewer's answers saved as the draft or
// published, by the same rules and code as `POST /api/quality/reviews/:id/draft`
// and `/publish`. A desk delivers only its own team leader's reviews: the
// store refuses a review assigned to someone else, and a publish with
// problems, with every problem in words; either way nothing is kept.
import { ok } from '../../shared/result';
import type { IngestRegistry } from './registry';

export function registerQualityIngest(registry: IngestRegistry): void {
  registry.register({
    kind: 'quality.review.saved',
    // Whose review it is can only be read with the review, in the applying
    // transaction: saveAnswers checks it there (decideSave).
    authorise: () => ok(null),
    apply: (writer, save, context) =>
      writer.saveQualityReview(save, context.user.id, context.receivedAt),
  });
}
