// Applying outbox items at most once per desk, on either engine: one unit of
// work checks whether the desk's item was applied before, runs the applier's
// writes through the stores bound to that transaction, and records the item.
import type { TranscriptRequest } from '../../shared/documents/transcript';
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';
import type { KnowledgeEdit } from '../../shared/wire/knowledge';
import type { SafeguardingRaise } from '../../shared/wire/safeguarding';
import type { Insertable } from 'kysely';
import { inTransaction, type StoreContext } from './database';
import type { ServerSchema } from './schema';
import type { UnitOfWork } from './storage';
import {
  StorageConflictError,
  type AppliedOutboxItem,
  type IngestStore,
  type IngestWriter,
  type Stores,
} from './types';

/** Rows an INSERT wrote, as both engines report it (0 when ON CONFLICT DO NOTHING skipped it). */
function insertedRows(result: { numInsertedOrUpdatedRows?: bigint }): number {
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** An interaction record as its row holds it. */
export function interactionRow(
  record: InteractionRecord,
  receivedAt: string,
): Insertable<ServerSchema['interactions']> {
  return {
    id: record.id,
    adviser_id: record.adviserId,
    desk_id: record.deskId,
    channel: record.channel,
    contact_ref: record.contactRef,
    completed_at: record.completedAt,
    received_at: receivedAt,
    record_json: JSON.stringify(record),
  };
}

/**
 * The writes an applier may make, on the stores of the applying transaction.
 * Inserts that may meet a held row say ON CONFLICT DO NOTHING and then refuse:
 * on PostgreSQL a unique violation would abort the whole transaction, and on
 * both engines the desk is answered with a conflict rather than an error.
 */
class KyselyIngestWriter implements IngestWriter {
  constructor(
    private readonly context: StoreContext,
    private readonly stores: Stores,
  ) {}

  async saveInteraction(record: InteractionRecord, receivedAt: string): Promise<void> {
    const result = await this.context.db
      .insertInto('interactions')
      .values(interactionRow(record, receivedAt))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    if (insertedRows(result) === 0)
      throw new StorageConflictError(`An interaction record with id ${record.id} is already held`);
  }

  async saveFollowUpBooking(booking: FollowUpBooking, receivedAt: string): Promise<void> {
    const result = await this.context.db
      .insertInto('follow_ups')
      .values({
        id: booking.id,
        interaction_id: booking.interactionId,
        adviser_id: booking.adviserId,
        slot_start: booking.slotStart,
        contact_method: booking.contactMethod,
        created_at: booking.createdAt,
        received_at: receivedAt,
        booking_json: JSON.stringify(booking),
      })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    if (insertedRows(result) === 0)
      throw new StorageConflictError(`A follow-up booking with id ${booking.id} is already held`);
  }

  queueTranscript(
    request: TranscriptRequest,
    adviserId: string,
    receivedAt: string,
  ): Promise<void> {
    // The delivery store queues it (insert … select from this adviser's held
    // interactions) on this transaction, and wakes the sender once it commits.
    return this.stores.transcriptDelivery.queue(request, adviserId, receivedAt);
  }

  async submitKnowledgeDraft(
    edit: KnowledgeEdit,
    authorId: string,
    receivedAt: string,
  ): Promise<void> {
    await this.stores.knowledge.submitDraft(edit, authorId, receivedAt);
  }

  async raiseSafeguardingConcern(
    raise: SafeguardingRaise,
    adviserId: string,
    receivedAt: string,
  ): Promise<void> {
    // Team leaders are alerted once the unit of work commits (the store's afterCommit).
    await this.stores.safeguarding.raise(raise, adviserId, receivedAt, 'outbox');
  }
}

export class KyselyIngest implements IngestStore {
  constructor(
    private readonly context: StoreContext,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  applyOnce(
    item: AppliedOutboxItem,
    apply: (writer: IngestWriter) => Promise<void>,
  ): Promise<'applied' | 'duplicate'> {
    return this.unitOfWork(async (stores) => {
      // The ingest store of the unit of work is this class on its transaction.
      const bound = stores.ingest;
      if (!(bound instanceof KyselyIngest))
        throw new Error('The unit of work has no Kysely ingest');
      return bound.applyInTransaction(item, apply, stores);
    });
  }

  private async applyInTransaction(
    item: AppliedOutboxItem,
    apply: (writer: IngestWriter) => Promise<void>,
    stores: Stores,
  ): Promise<'applied' | 'duplicate'> {
    return inTransaction(this.context.db, async (trx) => {
      // The record of the item goes first, claiming (desk, item) in one
      // statement: a second delivery (a desk's retry racing its first try, or
      // two server processes) waits on PostgreSQL for the first's transaction
      // and then inserts nothing, and on SQLite the IMMEDIATE transaction
      // already holds the write lock. Anything the applier throws rolls the
      // record back with its writes.
      const recorded = await trx
        .insertInto('applied_outbox_items')
        .values({
          desk_id: item.deskId,
          item_id: item.itemId,
          kind: item.kind,
          stream: item.stream,
          delivered_by: item.deliveredBy,
          applied_at: item.appliedAt,
        })
        .onConflict((conflict) => conflict.columns(['desk_id', 'item_id']).doNothing())
        .executeTakeFirst();
      if (insertedRows(recorded) === 0) return 'duplicate';
      await apply(new KyselyIngestWriter({ ...this.context, db: trx }, stores));
      return 'applied';
    });
  }

  async countApplied(deskId: string): Promise<number> {
    const { count } = await this.context.db
      .selectFrom('applied_outbox_items')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('desk_id', '=', deskId)
      .executeTakeFirstOrThrow();
    return count;
  }
}
