// TranscriptDeliveryStore on the server's database, on either engine (the
// transcripts table of migrations 004, 006 and 009). A claim is exclusive
// however many server processes share the database: on SQLite it is one
// UPDATE under the database's write lock, on PostgreSQL the candidate row is
// locked with FOR UPDATE SKIP LOCKED inside the claiming transaction.
import { actionPlanSubject } from '../../shared/documents/action-plan';
import type { TranscriptRequest } from '../../shared/documents/transcript';
import { changedRows, inTransaction, type Executor, type StoreContext } from '../storage/database';
import type { Listeners } from '../storage/listeners';
import type { Updateable } from 'kysely';
import type { Row, ServerSchema } from '../storage/schema';
import { StorageConflictError, type QueuedTranscript } from '../storage/types';
import type { ClaimedTranscript, FailingTranscript, TranscriptDeliveryStore } from './types';

/** The columns a listing reads: what `queuedTranscriptOf` needs. */
export const queuedTranscriptColumns = [
  'interaction_id',
  'adviser_id',
  'via',
  'address',
  'subject',
  'requested_at',
  'status',
  'attempts',
  'sent_at',
  'last_error',
] as const;

export type QueuedTranscriptRow = Pick<
  Row<'transcripts'>,
  (typeof queuedTranscriptColumns)[number]
>;

/** A `transcripts` row (all of it, or `queuedTranscriptColumns`) as listings show it. */
export function queuedTranscriptOf(row: QueuedTranscriptRow): QueuedTranscript {
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

type ClaimedRow = Pick<Row<'transcripts'>, 'interaction_id' | 'via' | 'address' | 'attempts'>;

/** Longest error text kept: enough for a relay's answer, not a whole stack. */
const maxErrorLength = 1000;

/**
 * Queued transcripts claimable at `now`, most overdue first. A null
 * next_attempt_at is a transcript never tried: due at once. A lapsed lease is
 * a claim whose sender died; the attempt it counted stays counted.
 */
function claimable(db: Executor, now: string) {
  return (
    db
      .selectFrom('transcripts')
      .select('interaction_id')
      .where('status', '=', 'queued')
      .where((eb) =>
        eb.and([
          eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]),
          eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]),
        ]),
      )
      .orderBy((eb) => eb.fn.coalesce('next_attempt_at', 'requested_at'))
      // The key only breaks ties between transcripts due at the same instant.
      .orderBy('interaction_id')
      .limit(1)
  );
}

export class KyselyTranscriptDelivery implements TranscriptDeliveryStore {
  constructor(
    private readonly context: StoreContext,
    /** The sender's wake-up, shared by every store of one storage. */
    private readonly queued: Listeners<void>,
  ) {}

  async queue(request: TranscriptRequest, adviserId: string, receivedAt: string): Promise<void> {
    await inTransaction(this.context.db, async (trx) => {
      // Only for an interaction this adviser's record already holds: the
      // request follows its record on the same stream, and nobody queues mail
      // for another's contact. No document is stored: the sender composes it
      // from that record when it sends (compose.ts), so the subject kept for
      // listings is the one every action plan has.
      const held = await trx
        .selectFrom('interactions')
        .select('id')
        .where('id', '=', request.interactionId)
        .where('adviser_id', '=', adviserId)
        .executeTakeFirst();
      if (!held) {
        // A conflict, so the desk tries again later: its record may still be on the way.
        throw new StorageConflictError(
          `No interaction ${request.interactionId} of this adviser is held, so its transcript cannot be queued`,
        );
      }
      // DO NOTHING rather than catching the unique violation: on PostgreSQL a
      // failed statement would abort the unit of work this is part of.
      const inserted = await trx
        .insertInto('transcripts')
        .values({
          interaction_id: request.interactionId,
          adviser_id: adviserId,
          via: request.via,
          address: request.address,
          subject: actionPlanSubject,
          requested_at: receivedAt,
        })
        .onConflict((conflict) => conflict.column('interaction_id').doNothing())
        .returning('interaction_id')
        .executeTakeFirst();
      if (!inserted) {
        throw new StorageConflictError(
          `A transcript for interaction ${request.interactionId} is already queued`,
        );
      }
    });
    this.context.afterCommit(() => this.queued.emit());
  }

  async claimNext(
    now: string,
    leaseUntil: string,
    claimToken: string,
  ): Promise<ClaimedTranscript | null> {
    return inTransaction(this.context.db, async (trx) => {
      const claim = trx
        .updateTable('transcripts')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          claimed_until: leaseUntil,
          claim_token: claimToken,
        }))
        .returning(['interaction_id', 'via', 'address', 'attempts']);
      let claimed: ClaimedRow | undefined;
      if (this.context.engine === 'postgres') {
        // The single UPDATE below is not enough here: under READ COMMITTED two
        // transactions may choose the same candidate and both claim it. Locking
        // the candidate FOR UPDATE SKIP LOCKED gives it to one of them and sends
        // the other on to the next due row, rather than waiting behind it.
        const candidate = await claimable(trx, now).forUpdate().skipLocked().executeTakeFirst();
        if (!candidate) return null;
        claimed = await claim
          .where('interaction_id', '=', candidate.interaction_id)
          .executeTakeFirst();
      } else {
        // SQLite has no row locks (nor FOR UPDATE): this transaction holds the
        // database's write lock, so one UPDATE choosing and claiming its row
        // cannot be raced by another connection.
        claimed = await claim.where('interaction_id', '=', claimable(trx, now)).executeTakeFirst();
      }
      if (!claimed) return null;
      const held = await trx
        .selectFrom('interactions')
        .select('record_json')
        .where('id', '=', claimed.interaction_id)
        .executeTakeFirst();
      return {
        interactionId: claimed.interaction_id,
        via: claimed.via,
        address: claimed.address,
        heldRecord: held?.record_json ?? null,
        attempts: claimed.attempts,
        claimToken,
      };
    });
  }

  markSent(interactionId: string, claimToken: string, sentAt: string): Promise<boolean> {
    return this.settle(interactionId, claimToken, {
      status: 'sent',
      sent_at: sentAt,
      next_attempt_at: null,
    });
  }

  markRetry(
    interactionId: string,
    claimToken: string,
    error: string,
    nextAttemptAt: string,
  ): Promise<boolean> {
    return this.settle(interactionId, claimToken, {
      last_error: error.slice(0, maxErrorLength),
      next_attempt_at: nextAttemptAt,
    });
  }

  markFailed(interactionId: string, claimToken: string, error: string): Promise<boolean> {
    return this.settle(interactionId, claimToken, {
      status: 'failed',
      last_error: error.slice(0, maxErrorLength),
      next_attempt_at: null,
    });
  }

  /**
   * Ends a claim with `changes`. Guarded by status and claim token: a lapsed
   * claim changes nothing, and the move out of 'queued' happens once, whoever sent.
   */
  private async settle(
    interactionId: string,
    claimToken: string,
    changes: Updateable<ServerSchema['transcripts']>,
  ): Promise<boolean> {
    const result = await this.context.db
      .updateTable('transcripts')
      .set({ ...changes, claimed_until: null, claim_token: null })
      .where('interaction_id', '=', interactionId)
      .where('claim_token', '=', claimToken)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  async nextDueAt(): Promise<string | null> {
    // A row is claimable once both its retry time and any claim have passed;
    // '' (before every timestamp) stands for "now" when neither is set. The
    // later of the two is a CASE because the engines name it differently
    // (SQLite's two-argument max, PostgreSQL's greatest).
    const row = await this.context.db
      .selectFrom('transcripts')
      .select((eb) => {
        const retryAt = eb.fn.coalesce('next_attempt_at', eb.val(''));
        const leaseEnds = eb.fn.coalesce('claimed_until', eb.val(''));
        const dueAt = eb
          .case()
          .when(eb(retryAt, '>=', leaseEnds))
          .then(retryAt)
          .else(leaseEnds)
          .end();
        return eb.fn.min<string | null>(dueAt).as('due');
      })
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return row?.due ?? null;
  }

  async listFailing(limit: number): Promise<FailingTranscript[]> {
    const rows = await this.context.db
      .selectFrom('transcripts')
      .select([...queuedTranscriptColumns, 'next_attempt_at'])
      .where((eb) =>
        eb.or([
          eb('status', '=', 'failed'),
          eb.and([eb('status', '=', 'queued'), eb('last_error', 'is not', null)]),
        ]),
      )
      .orderBy('requested_at', 'desc')
      .orderBy('interaction_id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ ...queuedTranscriptOf(row), nextAttemptAt: row.next_attempt_at }));
  }

  onQueued(listener: () => void): () => void {
    return this.queued.add(listener);
  }
}
