// Applying outbox items at most once per desk, on either engine: one unit of
// work checks whether the desk's item was applied before, runs the applier's
// writes through the stores bound to that transaction, and records the item.
import type { TranscriptRequest } from '../../shared/documents/transcript';
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';
import type { KnowledgeEdit } from '../../shared/wire/knowledge';
import type { QualityReviewSave } from '../../shared/wire/quality';
import type { SafeguardingRaise } from '../../shared/wire/safeguarding';
import type { Insertable } from 'kysely';
import {
  inTransactionContext,
  isUniqueViolation,
  violatedConstraint,
  type ServerDatabase,
  type StoreContext,
} from './database';
import { historyColumns } from './history';
import { dashboardColumns, firstContactColumns } from './dashboard-columns';
import { addToDashboardSummary, withDashboardSummary } from './dashboard-summary';
import type { ServerSchema } from './schema';
import {
  StorageConflictError,
  StorageRefusedError,
  type AppliedEntry,
  type AppliedOutboxItem,
  type AppliedOutcome,
  type IngestStore,
  type IngestWriter,
  type Stores,
} from './types';

/** Rows an INSERT wrote, as both engines report it (0 when ON CONFLICT DO NOTHING skipped it). */
function insertedRows(result: { numInsertedOrUpdatedRows?: bigint }): number {
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/**
 * An interaction record as its row holds it: the record whole, and the columns
 * history filters and searches on copied out of it (server/storage/history.ts),
 * so a delivered interaction is still written in one INSERT.
 */
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
    received_at: receivedAt,
    ...historyColumns(record),
    ...dashboardColumns(record),
    record_json: JSON.stringify(record),
  };
}

/** PostgreSQL's name for the primary key of applied_outbox_items (desk_id, item_id), migration 002. */
const appliedItemsKey = 'applied_outbox_items_pkey';

/**
 * Claims `(desk, item)` and, if it was not claimed before, runs the applier's
 * writes on the stores of the same transaction. The claim goes first, in one
 * statement: a second delivery (a desk's retry racing its first try, or two
 * server processes) waits on PostgreSQL for the first's transaction and then
 * inserts nothing, and on SQLite the IMMEDIATE transaction already holds the
 * write lock. Anything the applier throws rolls the claim back with its writes.
 */
async function claimAndApply(
  context: StoreContext,
  stores: Stores,
  item: AppliedOutboxItem,
  apply: (writer: IngestWriter) => Promise<void>,
): Promise<'applied' | 'duplicate'> {
  const recorded = await context.db
    .insertInto('applied_outbox_items')
    .values(appliedRow(item))
    .onConflict((conflict) => conflict.columns(['desk_id', 'item_id']).doNothing())
    .executeTakeFirst();
  if (insertedRows(recorded) === 0) return 'duplicate';
  await apply(new KyselyIngestWriter(context, stores));
  return 'applied';
}

/**
 * The item's claim and its one write in one statement, which is atomic; for
 * an interaction record, the dashboard summary's rows too. Either row
 * already held is a unique violation that writes nothing. When it is the
 * claim's own key, the item was applied before: a committed claim is the
 * only kind PostgreSQL reports (it waits for one still in flight), and with
 * synchronous commit on it was flushed before anyone could see it, so the
 * repeat is answered as a duplicate at once. Any other violation (a record
 * id some other item holds) goes to the general path, which tells a
 * duplicate from a conflict.
 */
async function claimAndSave(
  executor: StoreContext['db'],
  item: AppliedOutboxItem,
  write: SingleWrite,
): Promise<'applied' | 'duplicate' | 'violated'> {
  const claim = appliedRow(item);
  try {
    if (write.kind === 'interaction') {
      const row = interactionRow(write.record, write.receivedAt);
      await withDashboardSummary(executor, row)
        .with('saved', (db) => db.insertInto('interactions').values(row).returning('id'))
        .insertInto('applied_outbox_items')
        .values(claim)
        .execute();
    } else {
      const row = followUpRow(write.booking, write.receivedAt);
      await executor
        .with('saved', (db) => db.insertInto('follow_ups').values(row).returning('id'))
        .insertInto('applied_outbox_items')
        .values(claim)
        .execute();
    }
    return 'applied';
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return violatedConstraint(error) === appliedItemsKey ? 'duplicate' : 'violated';
  }
}

/** An item of a batch whose whole plan is one simple write (see `isSimple`). */
interface SimpleSave {
  item: AppliedOutboxItem;
  write: SingleWrite;
}

/** A write claimed and made with others of its kind: not a follow-up interaction, which also closes its booking. */
const isSimple = (write: SingleWrite | null): write is SingleWrite =>
  write !== null && !(write.kind === 'interaction' && write.record.followUpOf);

/** An item of a batch met a row already held: the batch is applied again one item at a time. */
class HeldRowMet extends Error {
  override name = 'HeldRowMet';
}

/**
 * Claims and writes a run of simple items together, on the batch's
 * transaction: one INSERT for every claim, one for every interaction record
 * (with three for the dashboard summary, however many there are) and one for
 * every follow-up booking, where one at a time would take up to five
 * statements an item. Any row already held (a repeat, or a record id another
 * item holds) throws, and the batch is applied again one item at a time,
 * which tells a duplicate from a conflict.
 */
async function claimAndSaveAll(executor: StoreContext['db'], run: readonly SimpleSave[]) {
  const claimed = await executor
    .insertInto('applied_outbox_items')
    .values(run.map(({ item }) => appliedRow(item)))
    .onConflict((conflict) => conflict.columns(['desk_id', 'item_id']).doNothing())
    .returning('item_id')
    .execute();
  if (claimed.length !== run.length) throw new HeldRowMet('An item was applied before');
  const records = run.flatMap(({ write }) =>
    write.kind === 'interaction' ? [interactionRow(write.record, write.receivedAt)] : [],
  );
  if (records.length > 0) {
    await insertAllNew(executor, 'interactions', records, 'An interaction id is held');
    await addToDashboardSummary(executor, records);
  }
  const bookings = run.flatMap(({ write }) =>
    write.kind === 'followUpBooking' ? [followUpRow(write.booking, write.receivedAt)] : [],
  );
  if (bookings.length > 0)
    await insertAllNew(executor, 'follow_ups', bookings, 'A follow-up booking id is held');
}

/** Inserts rows keyed by id, and throws HeldRowMet (saying `held`) if any id was held already. */
async function insertAllNew<Table extends 'interactions' | 'follow_ups'>(
  executor: StoreContext['db'],
  table: Table,
  rows: Insertable<ServerSchema[Table]>[],
  held: string,
): Promise<void> {
  const saved = await executor
    .insertInto(table)
    .values(rows)
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .execute();
  if (saved.length !== rows.length) throw new HeldRowMet(held);
}

function appliedRow(item: AppliedOutboxItem): Insertable<ServerSchema['applied_outbox_items']> {
  return {
    desk_id: item.deskId,
    item_id: item.itemId,
    kind: item.kind,
    stream: item.stream,
    delivered_by: item.deliveredBy,
    applied_at: item.appliedAt,
  };
}

function followUpRow(
  booking: FollowUpBooking,
  receivedAt: string,
): Insertable<ServerSchema['follow_ups']> {
  return {
    id: booking.id,
    interaction_id: booking.interactionId,
    adviser_id: booking.adviserId,
    slot_start: booking.slotStart,
    contact_method: booking.contactMethod,
    created_at: booking.createdAt,
    received_at: receivedAt,
    booking_json: JSON.stringify(booking),
  };
}

/** A plan whose one write PostgreSQL can claim and make in a single statement. */
type SingleWrite =
  | { kind: 'interaction'; record: InteractionRecord; receivedAt: string }
  | { kind: 'followUpBooking'; booking: FollowUpBooking; receivedAt: string };

/**
 * An applier's writes, noted rather than made, to be replayed in order on a
 * real writer. Noting cannot fail, so an applier runs to its end here; on
 * replay a write that fails stops the rest, as it would have the first time.
 */
class PlannedWrites implements IngestWriter {
  private readonly writes: ((writer: IngestWriter) => Promise<void>)[] = [];
  private single: SingleWrite | null = null;

  /** The write, when one interaction record or one follow-up booking is the whole plan. */
  onlyWrite(): SingleWrite | null {
    return this.writes.length === 1 ? this.single : null;
  }

  async replay(writer: IngestWriter): Promise<void> {
    for (const write of this.writes) await write(writer);
  }

  saveInteraction(record: InteractionRecord, receivedAt: string): Promise<void> {
    this.single = { kind: 'interaction', record, receivedAt };
    return this.note((writer) => writer.saveInteraction(record, receivedAt));
  }

  saveFollowUpBooking(booking: FollowUpBooking, receivedAt: string): Promise<void> {
    this.single = { kind: 'followUpBooking', booking, receivedAt };
    return this.note((writer) => writer.saveFollowUpBooking(booking, receivedAt));
  }

  queueTranscript(request: TranscriptRequest, adviserId: string, receivedAt: string) {
    return this.note((writer) => writer.queueTranscript(request, adviserId, receivedAt));
  }

  submitKnowledgeDraft(edit: KnowledgeEdit, authorId: string, receivedAt: string) {
    return this.note((writer) => writer.submitKnowledgeDraft(edit, authorId, receivedAt));
  }

  raiseSafeguardingConcern(raise: SafeguardingRaise, adviserId: string, receivedAt: string) {
    return this.note((writer) => writer.raiseSafeguardingConcern(raise, adviserId, receivedAt));
  }

  saveQualityReview(save: QualityReviewSave, reviewerId: string, receivedAt: string) {
    return this.note((writer) => writer.saveQualityReview(save, reviewerId, receivedAt));
  }

  private note(write: (writer: IngestWriter) => Promise<void>): Promise<void> {
    this.writes.push(write);
    return Promise.resolve();
  }
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
    // A follow-up's outcomes count by who the customer was at first contact.
    const row = record.followUpOf
      ? {
          ...interactionRow(record, receivedAt),
          ...(await firstContactColumns(this.context.db, record.followUpOf.bookingId)),
        }
      : interactionRow(record, receivedAt);
    const result = await this.context.db
      .insertInto('interactions')
      .values(row)
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    if (insertedRows(result) === 0)
      throw new StorageConflictError(`An interaction record with id ${record.id} is already held`);
    // The dashboard's summary moves with the record, in the same transaction.
    await addToDashboardSummary(this.context.db, [row]);
    // A follow-up interaction closes the booking it made, in the same transaction.
    if (record.followUpOf) {
      await this.stores.followUpCalls.close(
        record.followUpOf.bookingId,
        'completed',
        record.completedAt,
        {
          completedBy: record.id,
        },
      );
    }
  }

  async saveFollowUpBooking(booking: FollowUpBooking, receivedAt: string): Promise<void> {
    const result = await this.context.db
      .insertInto('follow_ups')
      .values(followUpRow(booking, receivedAt))
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

  async saveQualityReview(
    save: QualityReviewSave,
    reviewerId: string,
    receivedAt: string,
  ): Promise<void> {
    // The same rules as a save over HTTP; a refusal rolls back the item's record too.
    const saved = await this.stores.quality.saveAnswers(
      save.reviewId,
      reviewerId,
      { answers: save.answers, publish: save.publish },
      receivedAt,
    );
    if (saved.ok) return;
    // A draft written on a desk that reaches the server after the review was
    // published (from another desk) is out of date, not wrong: the published
    // version stands, and the desk need not try again. Over HTTP it is a conflict.
    if (!save.publish && saved.error.code === 'conflict') return;
    throw new StorageRefusedError(saved.error);
  }
}

export class KyselyIngest implements IngestStore {
  constructor(
    private readonly context: StoreContext,
    /** Every store, built on the context given: the applying transaction's. */
    private readonly storesOn: (context: StoreContext) => Stores,
    private readonly durably: ServerDatabase['durably'],
  ) {}

  /**
   * Applied and on disk before it resolves: the desk deletes its copy once it
   * is answered, so a power cut must not take the item back.
   */
  applyOnce(
    item: AppliedOutboxItem,
    apply: (writer: IngestWriter) => Promise<void>,
  ): Promise<'applied' | 'duplicate'> {
    // Inside a caller's transaction, its commit is the caller's to make.
    if (this.context.db.isTransaction) return this.applyInUnitOfWork(item, apply);
    return this.durably(() => this.applyWithFewestTrips(item, apply));
  }

  private async applyWithFewestTrips(
    item: AppliedOutboxItem,
    apply: (writer: IngestWriter) => Promise<void>,
  ): Promise<'applied' | 'duplicate'> {
    if (this.context.engine !== 'postgres') return this.applyInUnitOfWork(item, apply);
    // On PostgreSQL each statement is a network round trip, and the general
    // path takes four (begin, claim, write, commit). The writer is write-only,
    // so what the applier would write can be planned first: a completed
    // interaction or a follow-up booking (most of what a desk delivers) is
    // then claimed and written in one statement. Anything else is replayed on
    // the general path.
    const plan = new PlannedWrites();
    await apply(plan);
    const only = plan.onlyWrite();
    if (isSimple(only)) {
      const claimed = await claimAndSave(this.context.db, item, only);
      if (claimed !== 'violated') return claimed;
    }
    return this.applyInUnitOfWork(item, (writer) => plan.replay(writer));
  }

  private applyInUnitOfWork(
    item: AppliedOutboxItem,
    apply: (writer: IngestWriter) => Promise<void>,
  ): Promise<'applied' | 'duplicate'> {
    return inTransactionContext(this.context, (trx) =>
      claimAndApply(trx, this.storesOn(trx), item, apply),
    );
  }

  applyBatch(entries: readonly AppliedEntry[]): Promise<AppliedOutcome[]> {
    const [only] = entries;
    // One item keeps the path with the fewest round trips.
    if (entries.length === 1 && only)
      return this.applyOnce(only.item, only.apply).then(
        (status): AppliedOutcome[] => [{ status }],
        (error: unknown): AppliedOutcome[] => [{ error }],
      );
    if (entries.length === 0) return Promise.resolve([]);
    if (this.context.db.isTransaction)
      throw new Error('applyBatch commits on its own; call it outside a transaction');
    return this.durably(async () => {
      try {
        return await this.applyTogether(entries);
      } catch {
        // An item did not simply apply (a conflict, a refusal, an error, or a
        // repeat of a record or booking): the batch rolled back whole, with every effect
        // it asked for, and each item is applied again on its own, so what
        // befalls one item befalls it alone. A batch sent again after a lost
        // answer takes this path; the usual drain does not.
        const outcomes: AppliedOutcome[] = [];
        for (const { item, apply } of entries)
          outcomes.push(
            await this.applyOnce(item, apply).then(
              (status): AppliedOutcome => ({ status }),
              (error: unknown): AppliedOutcome => ({ error }),
            ),
          );
        return outcomes;
      }
    });
  }

  /**
   * Every item in one transaction, which commits only if none of them threw.
   * Each applier's writes are planned first. Consecutive items whose plan is
   * one simple write (most of a drain: completed interactions, bookings) are
   * claimed and written together; any other item is applied alone between
   * them, so the batch's order is kept.
   */
  private applyTogether(entries: readonly AppliedEntry[]): Promise<AppliedOutcome[]> {
    return inTransactionContext(this.context, async (trx) => {
      const stores = this.storesOn(trx);
      const outcomes: AppliedOutcome[] = [];
      let run: SimpleSave[] = [];
      const saveRun = async () => {
        if (run.length === 0) return;
        await claimAndSaveAll(trx.db, run);
        outcomes.push(...run.map((): AppliedOutcome => ({ status: 'applied' })));
        run = [];
      };
      for (const { item, apply } of entries) {
        const plan = new PlannedWrites();
        await apply(plan);
        const single = plan.onlyWrite();
        if (isSimple(single)) {
          run.push({ item, write: single });
          continue;
        }
        await saveRun();
        outcomes.push({
          status: await claimAndApply(trx, stores, item, (writer) => plan.replay(writer)),
        });
      }
      await saveRun();
      return outcomes;
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
