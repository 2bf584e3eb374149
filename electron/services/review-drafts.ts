// Quality reviews written on the desk: each save of a review's answers (the
// draft, or the publish) is an outbox item, committed to the local database
// and delivered to the central server in order with the review's other saves,
// so a team leader can write and publish with the network down. Until the
// server has it, the outbox row is the review's copy on this desk: opening the
// review shows it over the server's answers.
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/result';
import {
  pendingReviewSaveSchema,
  type PendingReviewSave,
  type ReviewSaveRequest,
} from '../../shared/ipc/contract';
import { qualityReviewSaveSchema } from '../../shared/wire/quality';
import type { LocalDb } from './local-db';
import type { Outbox } from './outbox';

/** One stream per review: its saves reach the server in the order they were made. */
export const reviewStream = (reviewId: string) => `quality-review:${reviewId}`;

const storedItemSchema = z.object({ payload: qualityReviewSaveSchema });

export class ReviewDrafts {
  constructor(
    private readonly db: LocalDb,
    private readonly outbox: Outbox,
    private readonly now: () => Date = () => new Date(),
  ) {}

  save(request: ReviewSaveRequest): Result<{ queued: true; savedAt: string }> {
    const parsed = qualityReviewSaveSchema.safeParse({
      ...request,
      savedAt: this.now().toISOString(),
    });
    if (!parsed.success) return fail('invalid_input', 'The answers are not valid');
    this.outbox.transaction(() => {
      this.outbox.enqueue({
        stream: reviewStream(parsed.data.reviewId),
        kind: 'quality.review.saved',
        payload: parsed.data,
      });
    });
    return ok({ queued: true, savedAt: parsed.data.savedAt });
  }

  /** The newest save of this review the server has not acknowledged; null when there is none. */
  pending(reviewId: string): PendingReviewSave | null {
    // The outbox holds the undelivered items of every stream in memory; the
    // table keeps no index of them (desk migration 0006).
    const seq = this.outbox.newestUndelivered(reviewStream(reviewId));
    if (seq === undefined) return null;
    const row = this.db
      .prepare(
        `SELECT payload, state, last_error FROM outbox
          WHERE seq = ? AND kind = 'quality.review.saved' AND state != 'delivered'`,
      )
      .get(seq) as
      { payload: string; state: 'waiting' | 'failed'; last_error: string | null } | undefined;
    if (!row) return null;
    let stored: z.infer<typeof storedItemSchema>;
    try {
      stored = storedItemSchema.parse(JSON.parse(row.payload));
    } catch {
      return null;
    }
    const pending = pendingReviewSaveSchema.safeParse({
      answers: stored.payload.answers,
      publish: stored.payload.publish,
      savedAt: stored.payload.savedAt,
      state: row.state,
      error: row.last_error,
    });
    return pending.success ? pending.data : null;
  }
}
