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
// count, and a count of one means the row is new. On PostgreSQL that upsert
// waits for any other transaction on the same row and sees its commit, so two
// desks delivering at once cannot both count the same hour.
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

/** On a key already held, adds the new row's sums to it. */
function addingOnConflict<
  Q extends { onConflict: InsertQueryBuilder<ServerSchema, SummaryTable, unknown>['onConflict'] },
>(insert: Q, table: SummaryTable): Q {
  return insert.onConflict((conflict) =>
    conflict
      .columns(['channel', 'period', 'adviser_id'])
      .doUpdateSet(
        Object.fromEntries(
          summarySumColumns.map((column) => [
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

/**
 * Adds a stored interaction to the summary, on the transaction that stored
 * it. Rows are always taken in one order (the adviser's hour rows, the team's
 * hour rows, then the day rows; a channel before every channel), so two
 * transactions waiting on each other's rows cannot deadlock.
 */
export async function addToDashboardSummary(
  db: Kysely<ServerSchema>,
  row: InteractionRow,
): Promise<void> {
  if (row.follow_up_booking_id !== null && row.follow_up_booking_id !== undefined) return;
  const hour = row.completed_hour;
  if (hour === null || hour === undefined) return;
  const day = hour.slice(0, 10);
  const sums = summaryContribution(row);
  const at = (period: string, adviserId: string, channel: string, active: number) => ({
    channel,
    period,
    adviser_id: adviserId,
    ...sums,
    active_adviser_hours: active,
  });
  const own = await upsert(db, 'dashboard_hours', [
    at(hour, row.adviser_id, row.channel, 1),
    at(hour, row.adviser_id, everyone, 1),
  ])
    .returning(['channel', 'answered'])
    .execute();
  const firstIn = (channel: string) =>
    flag(own.find((held) => held.channel === channel)?.answered === 1);
  const newOnChannel = firstIn(row.channel);
  const newAtAll = firstIn(everyone);
  await upsert(db, 'dashboard_hours', [
    at(hour, everyone, row.channel, newOnChannel),
    at(hour, everyone, everyone, newAtAll),
  ]).execute();
  await upsert(db, 'dashboard_days', [
    at(day, row.adviser_id, row.channel, newOnChannel),
    at(day, row.adviser_id, everyone, newAtAll),
    at(day, everyone, row.channel, newOnChannel),
    at(day, everyone, everyone, newAtAll),
  ]).execute();
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
      upsert(qc as Kysely<ServerSchema>, 'dashboard_hours', [
        own(row.channel),
        own(everyone),
      ]).returning(['channel', 'answered']),
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
