// The dashboard's summary (migration 020): the sums its contact-centre and
// guidance figures read, kept per London hour and per London day, by adviser
// and channel and for every adviser and every channel ('*'), so a year of
// figures reads a few hundred day rows rather than every interaction of the
// year. The ingest adds each guidance interaction here in the transaction that
// stores it; follow-up calls are left out, as the figures leave them out
// (decision 0019).
//
// "Active adviser-hours" (occupancy's denominator) is a count of distinct
// (adviser, hour) pairs, which is not a sum: an interaction adds one to it
// only where it is the first of its adviser in its hour (and channel). The
// adviser's own hour rows tell which: their upsert returns the row's new
// count, and a count equal to what the upsert added means the row is new. On
// PostgreSQL that upsert waits for any other transaction on the same row and
// sees its commit, so two desks delivering at once cannot both count the same
// hour.
//
// The upserts are the same SQL on both engines (INSERT ... ON CONFLICT DO
// UPDATE), so nothing here is engine-specific.
import { sql, type InsertQueryBuilder, type Insertable, type Kysely } from 'kysely';
import { defaultTargetSeconds } from '../../shared/wire/dashboard';
import type { DashboardSummaryTable, ServerSchema } from './schema';

/** The adviser or channel of a row that sums every adviser or every channel. */
export const everyone = '*';

/**
 * The one target answer time the summary counts "answered within" for: the
 * service's standard. A question asking about another target reads the
 * interactions instead (server/storage/dashboard.ts).
 */
export const summaryTargetSeconds = defaultTargetSeconds;

export type SummaryTable = 'dashboard_hours' | 'dashboard_days';
export type SummarySums = Omit<DashboardSummaryTable, 'channel' | 'period' | 'adviser_id'>;

/** Every summed column, in the order the migration creates them. */
export const summarySumColumns = [
  'answered',
  'answered_in_target',
  'answer_seconds',
  'answer_timed',
  'connected_seconds',
  'hold_seconds',
  'wrap_seconds',
  'active_adviser_hours',
  'status_captured',
  'follow_up_offered',
  'follow_up_taken',
  'transcript_offered',
  'transcript_sent',
  'not_covered',
  'service_questions_skipped',
] as const satisfies readonly (keyof SummarySums)[];

type InteractionRow = Insertable<ServerSchema['interactions']>;

const flag = (value: boolean) => (value ? 1 : 0);

/**
 * What one interaction adds to each row it counts in, by the same rules as
 * the sums over interactions in server/storage/dashboard.ts (a null adds
 * nothing; "not disclosed" is a status asked about and not given).
 */
export function summaryContribution(
  row: InteractionRow,
): Omit<SummarySums, 'active_adviser_hours'> {
  const answer = row.answer_seconds ?? null;
  return {
    answered: 1,
    answered_in_target: flag(answer !== null && answer <= summaryTargetSeconds),
    answer_seconds: answer ?? 0,
    answer_timed: flag(answer !== null),
    connected_seconds: row.talk_seconds ?? 0,
    hold_seconds: row.hold_seconds ?? 0,
    wrap_seconds: row.wrap_seconds ?? 0,
    status_captured: flag(
      row.starting_status !== null &&
        row.starting_status !== undefined &&
        row.starting_status !== 'not_disclosed',
    ),
    follow_up_offered: row.follow_up_offered ?? 0,
    follow_up_taken: row.follow_up_booked,
    transcript_offered: row.transcript_offered ?? 0,
    transcript_sent: row.transcript_sent,
    not_covered: flag(row.not_covered_stages !== '[]'),
    service_questions_skipped: row.service_questions_skipped ?? 0,
  };
}

/**
 * On a key already held, adds the new row's sums to it. An adviser's own hour
 * row keeps its active adviser-hours as held: the row is one adviser-hour
 * however many contacts it sums (`ownHour`).
 */
function addingOnConflict<
  Q extends { onConflict: InsertQueryBuilder<ServerSchema, SummaryTable, unknown>['onConflict'] },
>(insert: Q, table: SummaryTable, ownHour = false): Q {
  const added = summarySumColumns.filter(
    (column) => !(ownHour && column === 'active_adviser_hours'),
  );
  return insert.onConflict((conflict) =>
    conflict
      .columns(['channel', 'period', 'adviser_id'])
      .doUpdateSet(
        Object.fromEntries(
          added.map((column) => [
            column,
            sql<number>`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`,
          ]),
        ) as Partial<Record<(typeof summarySumColumns)[number], never>>,
      ),
  ) as unknown as Q;
}

/** Adds each row's sums to the row already held for its key, or holds it. */
function upsert(db: Kysely<ServerSchema>, table: SummaryTable, rows: DashboardSummaryTable[]) {
  return addingOnConflict(db.insertInto(table).values(rows), table);
}

/** The same for advisers' own hour rows, each one active adviser-hour (see addingOnConflict). */
function upsertOwnHours(db: Kysely<ServerSchema>, rows: DashboardSummaryTable[]) {
  return addingOnConflict(
    db
      .insertInto('dashboard_hours')
      .values(rows.map((row) => ({ ...row, active_adviser_hours: 1 }))),
    'dashboard_hours',
    true,
  );
}

/** Where an interaction counts, or null when the summary leaves it out (a follow-up call, no completion hour). */
function countedAt(row: InteractionRow): { hour: string; day: string } | null {
  if (row.follow_up_booking_id !== null && row.follow_up_booking_id !== undefined) return null;
  const hour = row.completed_hour;
  if (hour === null || hour === undefined) return null;
  return { hour, day: hour.slice(0, 10) };
}

/** A named adviser or channel before every adviser or channel ('*'), else in text order. */
function keyOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === everyone) return 1;
  if (b === everyone) return -1;
  return a < b ? -1 : 1;
}

/** Summary rows by key, each the sum of what was added under it. */
class SummedRows {
  private readonly byKey = new Map<string, DashboardSummaryTable>();

  add(
    period: string,
    adviserId: string,
    channel: string,
    sums: Omit<SummarySums, 'active_adviser_hours'>,
    active: number,
  ): void {
    const key = summaryKey(period, adviserId, channel);
    const held = this.byKey.get(key);
    if (!held) {
      this.byKey.set(key, {
        channel,
        period,
        adviser_id: adviserId,
        ...sums,
        active_adviser_hours: active,
      });
      return;
    }
    for (const column of summarySumColumns)
      held[column] += column === 'active_adviser_hours' ? active : sums[column];
  }

  answered(key: string): number {
    return this.byKey.get(key)?.answered ?? 0;
  }

  /**
   * In the one order every transaction takes summary rows in (by period, then
   * adviser, then channel, '*' after any named one), so that two transactions
   * waiting on each other's rows cannot deadlock.
   */
  rows(): DashboardSummaryTable[] {
    return [...this.byKey.values()].sort(
      (a, b) =>
        (a.period < b.period ? -1 : a.period > b.period ? 1 : 0) ||
        keyOrder(a.adviser_id, b.adviser_id) ||
        keyOrder(a.channel, b.channel),
    );
  }
}

const summaryKey = (period: string, adviserId: string, channel: string) =>
  `${period}\u0000${adviserId}\u0000${channel}`;

/**
 * Adds stored interactions to the summary, on the transaction that stored
 * them, in three statements however many there are (a desk's batch delivers
 * up to 64): the adviser's hour rows, then the team's hour rows, then the day
 * rows, each with one row per key summing every interaction under it. Those
 * are the sums the interactions would make one at a time, "active
 * adviser-hours" included: an adviser's hour row is new when its count after
 * the upsert is what this call added, and each new one counts once, for the
 * first interaction in it.
 */
export async function addToDashboardSummary(
  db: Kysely<ServerSchema>,
  rows: readonly InteractionRow[],
): Promise<void> {
  const counted = rows.flatMap((row) => {
    const at = countedAt(row);
    return at ? [{ row, ...at, sums: summaryContribution(row) }] : [];
  });
  if (counted.length === 0) return;
  const own = new SummedRows();
  for (const { row, hour, sums } of counted) {
    own.add(hour, row.adviser_id, row.channel, sums, 0);
    own.add(hour, row.adviser_id, everyone, sums, 0);
  }
  const held = await upsertOwnHours(db, own.rows())
    .returning(['period', 'adviser_id', 'channel', 'answered'])
    .execute();
  const made = new Set(
    held
      .map((after) => summaryKey(after.period, after.adviser_id, after.channel))
      .filter((key, index) => held[index]?.answered === own.answered(key)),
  );
  /** 1 for the first interaction in an adviser's hour row this call made, else 0. */
  const firstIn = (hour: string, adviserId: string, channel: string) =>
    flag(made.delete(summaryKey(hour, adviserId, channel)));
  const team = new SummedRows();
  const days = new SummedRows();
  for (const { row, hour, day, sums } of counted) {
    const newOnChannel = firstIn(hour, row.adviser_id, row.channel);
    const newAtAll = firstIn(hour, row.adviser_id, everyone);
    team.add(hour, everyone, row.channel, sums, newOnChannel);
    team.add(hour, everyone, everyone, sums, newAtAll);
    days.add(day, row.adviser_id, row.channel, sums, newOnChannel);
    days.add(day, row.adviser_id, everyone, sums, newAtAll);
    days.add(day, everyone, row.channel, sums, newOnChannel);
    days.add(day, everyone, everyone, sums, newAtAll);
  }
  await upsert(db, 'dashboard_hours', team.rows()).execute();
  await upsert(db, 'dashboard_days', days.rows()).execute();
}

/**
 * PostgreSQL's one-statement ingest of a guidance interaction
 * (server/storage/ingest.ts) with the summary rows it adds, as data-modifying
 * CTEs of that statement: the adviser's hour rows are upserted first, and the
 * team's hour rows and the day rows are made from what that upsert returned,
 * by the same rules as addToDashboardSummary. One statement is atomic, so the
 * summary moves only if the interaction is stored. SQLite answers each
 * statement inside the process and takes the portable path.
 */
export function withDashboardSummary(db: Kysely<ServerSchema>, row: InteractionRow) {
  const hour = row.completed_hour ?? '';
  const day = hour.slice(0, 10);
  const sums = summaryContribution(row);
  const own = (channel: string) => ({
    channel,
    period: hour,
    adviser_id: row.adviser_id,
    ...sums,
    active_adviser_hours: 1,
  });
  // The sums as parameters cast to the columns' type (PostgreSQL types an
  // INSERT ... SELECT's parameters as text), in the table's column order, so
  // the statement's text is the same for every interaction and is prepared
  // once (decision 0044); the adviser-hours from whether the adviser's own
  // hour row is new.
  const sumsSelected = summarySumColumns.map((column) =>
    column === 'active_adviser_hours'
      ? sql<number>`case when own.answered = 1 then 1 else 0 end`.as(column)
      : sql<number>`cast(${sums[column]} as integer)`.as(column),
  );
  const keyColumns = ['channel', 'period', 'adviser_id'] as const;
  const columns = [...keyColumns, ...summarySumColumns];
  return db
    .with('own', (qc) =>
      upsertOwnHours(qc as Kysely<ServerSchema>, [own(row.channel), own(everyone)]).returning([
        'channel',
        'answered',
      ]),
    )
    .with('team_hours', (qc) =>
      addingOnConflict(
        qc
          .insertInto('dashboard_hours')
          .columns(columns)
          .expression(
            qc
              .selectFrom('own')
              .select([
                'own.channel',
                sql<string>`cast(${hour} as text)`.as('period'),
                sql<string>`${everyone}`.as('adviser_id'),
                ...sumsSelected,
              ]),
          ),
        'dashboard_hours',
      ).returning('channel'),
    )
    .with('days', (qc) =>
      addingOnConflict(
        qc
          .insertInto('dashboard_days')
          .columns(columns)
          .expression(
            qc
              .selectFrom('own')
              .crossJoin(
                sql<{
                  adviser_id: string;
                }>`(values (cast(${row.adviser_id} as text)), (cast(${everyone} as text)))`.as<'whose'>(
                  sql`whose (adviser_id)`,
                ),
              )
              .select([
                'own.channel',
                sql<string>`cast(${day} as text)`.as('period'),
                'whose.adviser_id',
                ...sumsSelected,
              ]),
          ),
        'dashboard_days',
      ).returning('channel'),
    );
}
