// TranscriptDeliveryStore on the server's SQLite database (the transcripts
// table of migrations 004, 006 and 009). Each claim is one UPDATE … RETURNING,
// so two server processes sharing the file never claim the same transcript.
import type { Database } from 'better-sqlite3';
import type { QueuedTranscript } from '../storage/types';
import type { ClaimedTranscript, FailingTranscript, TranscriptDeliveryStore } from './types';

interface ClaimedRow {
  interaction_id: string;
  via: ClaimedTranscript['via'];
  address: string;
  attempts: number;
}

/** A `transcripts` row as listings read it: `queuedTranscriptColumns`. */
export interface TranscriptRow {
  interaction_id: string;
  adviser_id: string;
  via: QueuedTranscript['via'];
  address: string;
  subject: string;
  requested_at: string;
  status: QueuedTranscript['status'];
  attempts: number;
  sent_at: string | null;
  last_error: string | null;
}

export const queuedTranscriptColumns =
  'interaction_id, adviser_id, via, address, subject, requested_at, status, attempts, sent_at, last_error';

export function queuedTranscriptOf(row: TranscriptRow): QueuedTranscript {
  return {
    interactionId: row.interaction_id,
    adviserId: row.adviser_id,
    via: row.via,
    address: row.address,
    subject: row.subject,
    requestedAt: row.requested_at,
    status: row.status,
    attempts: row.attempts,
    sentAt: row.sent_at,
    lastError: row.last_error,
  };
}

interface FailingRow extends TranscriptRow {
  next_attempt_at: string | null;
}

/** Longest error text kept: enough for a relay's answer, not a whole stack. */
const maxErrorLength = 1000;

export class SqliteTranscriptDelivery implements TranscriptDeliveryStore {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: Database) {}

  claimNext(now: string, leaseUntil: string, claimToken: string): ClaimedTranscript | null {
    // A null next_attempt_at is a transcript never tried: due at once. A lapsed
    // lease is a claim whose sender died; the attempt it counted stays counted.
    const row = this.db
      .prepare(
        `UPDATE transcripts
            SET attempts = attempts + 1, claimed_until = @leaseUntil, claim_token = @claimToken
          WHERE interaction_id = (
                SELECT interaction_id FROM transcripts
                 WHERE status = 'queued'
                   AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
                   AND (claimed_until IS NULL OR claimed_until <= @now)
                 ORDER BY coalesce(next_attempt_at, requested_at), rowid
                 LIMIT 1)
        RETURNING interaction_id, via, address, attempts`,
      )
      .get({ now, leaseUntil, claimToken }) as ClaimedRow | undefined;
    if (!row) return null;
    // Read after the claim, outside it: a held record never changes once stored.
    const held = this.db
      .prepare('SELECT record_json FROM interactions WHERE id = ?')
      .pluck()
      .get(row.interaction_id) as string | undefined;
    return {
      interactionId: row.interaction_id,
      via: row.via,
      address: row.address,
      heldRecord: held ?? null,
      attempts: row.attempts,
      claimToken,
    };
  }

  markSent(interactionId: string, claimToken: string, sentAt: string): boolean {
    // Guarded by status and claim: the move to 'sent' happens once, whoever sent.
    return (
      this.db
        .prepare(
          `UPDATE transcripts
              SET status = 'sent', sent_at = ?, next_attempt_at = NULL, claimed_until = NULL, claim_token = NULL
            WHERE interaction_id = ? AND claim_token = ? AND status = 'queued'`,
        )
        .run(sentAt, interactionId, claimToken).changes === 1
    );
  }

  markRetry(
    interactionId: string,
    claimToken: string,
    error: string,
    nextAttemptAt: string,
  ): boolean {
    return (
      this.db
        .prepare(
          `UPDATE transcripts
              SET last_error = ?, next_attempt_at = ?, claimed_until = NULL, claim_token = NULL
            WHERE interaction_id = ? AND claim_token = ? AND status = 'queued'`,
        )
        .run(error.slice(0, maxErrorLength), nextAttemptAt, interactionId, claimToken).changes === 1
    );
  }

  markFailed(interactionId: string, claimToken: string, error: string): boolean {
    return (
      this.db
        .prepare(
          `UPDATE transcripts
              SET status = 'failed', last_error = ?, next_attempt_at = NULL, claimed_until = NULL, claim_token = NULL
            WHERE interaction_id = ? AND claim_token = ? AND status = 'queued'`,
        )
        .run(error.slice(0, maxErrorLength), interactionId, claimToken).changes === 1
    );
  }

  nextDueAt(): string | null {
    // A row is claimable once both its retry time and any claim have passed;
    // '' (before every timestamp) stands for "now" when neither is set.
    const row = this.db
      .prepare(
        `SELECT min(max(coalesce(next_attempt_at, ''), coalesce(claimed_until, ''))) AS due
           FROM transcripts WHERE status = 'queued'`,
      )
      .get() as { due: string | null };
    return row.due;
  }

  listFailing(limit: number): FailingTranscript[] {
    const rows = this.db
      .prepare(
        `SELECT ${queuedTranscriptColumns}, next_attempt_at
           FROM transcripts
          WHERE status = 'failed' OR (status = 'queued' AND last_error IS NOT NULL)
          ORDER BY requested_at DESC, rowid DESC
          LIMIT ?`,
      )
      .all(limit) as FailingRow[];
    return rows.map((row) => ({ ...queuedTranscriptOf(row), nextAttemptAt: row.next_attempt_at }));
  }

  onQueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called by the ingest writer when it queues a transcript (see server/storage/sqlite.ts). */
  queued(): void {
    for (const listener of this.listeners) listener();
  }
}
