// Follow-up calls on either engine: where each booked follow-up stands, its
// attempts and the messages sent to its customer. Portable SQL only. A day's
// list is small (the follow-ups due across the centre, some hundreds), so it
// reads the bookings with one query and their attempts and messages with one each.
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';
import type {
  FollowUpAttempt,
  FollowUpMessage,
  FollowUpStatus,
} from '../../shared/wire/follow-ups';
import { changedRows, type Executor, type StoreContext } from './database';
import type { FollowUpCallStore, HeldFollowUp, NewFollowUpAttempt } from './types';

function bookings(db: Executor) {
  return db
    .selectFrom('follow_ups as f')
    .innerJoin('accounts as a', 'a.id', 'f.adviser_id')
    .leftJoin('interactions as i', 'i.id', 'f.interaction_id')
    .select([
      'f.id',
      'f.slot_start',
      'f.booking_json',
      'f.status',
      'f.withdrawn_reason',
      'f.completed_by',
      'f.closed_at',
      'f.rebooked_at',
      'a.display_name as booked_by_name',
      'i.record_json',
    ]);
}

type BookingRow = Awaited<ReturnType<ReturnType<typeof bookings>['execute']>>[number];

export class KyselyFollowUpCalls implements FollowUpCallStore {
  constructor(private readonly context: StoreContext) {}

  private get db(): Executor {
    return this.context.db;
  }

  private async held(rows: BookingRow[]): Promise<HeldFollowUp[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const attempts = await this.db
      .selectFrom('follow_up_attempts')
      .selectAll()
      .where('follow_up_id', 'in', ids)
      .orderBy('attempted_at')
      .orderBy('id')
      .execute();
    const messages = await this.db
      .selectFrom('follow_up_messages')
      .selectAll()
      .where('follow_up_id', 'in', ids)
      .orderBy('sent_at')
      .execute();
    return rows.map((row) => {
      // Both stored whole by the ingest writer after their payloads were parsed.
      const booked = JSON.parse(row.booking_json) as FollowUpBooking;
      return {
        // A rebooking moves the slot column; the delivered booking stays as it was.
        booking: { ...booked, slotStart: row.slot_start },
        bookedByName: row.booked_by_name,
        status: row.status,
        withdrawnReason: row.withdrawn_reason,
        completedBy: row.completed_by,
        closedAt: row.closed_at,
        rebookedAt: row.rebooked_at,
        record: row.record_json ? (JSON.parse(row.record_json) as InteractionRecord) : null,
        attempts: attempts
          .filter((attempt) => attempt.follow_up_id === row.id)
          .map((attempt): FollowUpAttempt => ({
            id: attempt.id,
            at: attempt.attempted_at,
            dayPart: attempt.day_part,
            adviserId: attempt.adviser_id,
            callId: attempt.call_id,
            answered: attempt.answered === 1,
          })),
        messages: messages
          .filter((message) => message.follow_up_id === row.id)
          .map((message): FollowUpMessage => ({
            kind: message.kind,
            via: message.via,
            sentAt: message.sent_at,
          })),
      };
    });
  }

  async find(id: string): Promise<HeldFollowUp | null> {
    const row = await bookings(this.db).where('f.id', '=', id).executeTakeFirst();
    return row ? ((await this.held([row]))[0] ?? null) : null;
  }

  async openBefore(before: string): Promise<HeldFollowUp[]> {
    const rows = await bookings(this.db)
      .where('f.status', '=', 'open')
      .where('f.slot_start', '<', before)
      .orderBy('f.slot_start')
      .orderBy('f.id')
      .execute();
    return this.held(rows);
  }

  async openBetween(from: string, to: string): Promise<HeldFollowUp[]> {
    const rows = await bookings(this.db)
      .where('f.status', '=', 'open')
      .where('f.slot_start', '>=', from)
      .where('f.slot_start', '<', to)
      .orderBy('f.slot_start')
      .execute();
    return this.held(rows);
  }

  async slotsBetween(from: string, to: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('follow_ups')
      .select('slot_start')
      // A withdrawn follow-up frees its place on that day.
      .where('status', '!=', 'withdrawn')
      .where('slot_start', '>=', from)
      .where('slot_start', '<', to)
      .execute();
    return rows.map((row) => row.slot_start);
  }

  async addAttempt(attempt: NewFollowUpAttempt): Promise<void> {
    await this.db
      .insertInto('follow_up_attempts')
      .values({
        id: attempt.id,
        follow_up_id: attempt.followUpId,
        adviser_id: attempt.adviserId,
        call_id: attempt.callId,
        attempted_at: attempt.at,
        day_part: attempt.dayPart,
        answered: attempt.answered ? 1 : 0,
      })
      .execute();
  }

  async close(
    id: string,
    status: Exclude<FollowUpStatus, 'open'>,
    at: string,
    detail: { withdrawnReason?: string; completedBy?: string } = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('follow_ups')
      .set({
        status,
        closed_at: at,
        withdrawn_reason: detail.withdrawnReason ?? null,
        completed_by: detail.completedBy ?? null,
      })
      .where('id', '=', id)
      // Only an open follow-up closes: a second close (or a race) changes nothing.
      .where('status', '=', 'open')
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  async rebook(id: string, slotStart: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('follow_ups')
      .set({ slot_start: slotStart, rebooked_at: at })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return changedRows(result) === 1;
  }

  async claimMessage(id: string, message: FollowUpMessage): Promise<boolean> {
    const result = await this.db
      .insertInto('follow_up_messages')
      .values({ follow_up_id: id, kind: message.kind, via: message.via, sent_at: message.sentAt })
      .onConflict((conflict) => conflict.columns(['follow_up_id', 'kind']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async releaseMessage(id: string, kind: FollowUpMessage['kind']): Promise<void> {
    await this.db
      .deleteFrom('follow_up_messages')
      .where('follow_up_id', '=', id)
      .where('kind', '=', kind)
      .execute();
  }
}
