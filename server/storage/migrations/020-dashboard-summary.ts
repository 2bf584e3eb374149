// The dashboard's summary: the sums of its contact-centre and guidance figures
// per London hour and per London day, by adviser and channel and for every
// adviser and channel ('*'), which the ingest keeps from now on
// (server/storage/dashboard-summary.ts, decision 0027). A year of figures
// then reads a few hundred day rows instead of every interaction of the year.
//
// Interactions held before this migration are summed here, a London month at
// a time (one aggregate per month over the dashboard's covering index), so an
// upgraded server's figures include its past at once and no statement holds
// a year of rows. The day rows are the sums of the hour rows: distinct
// adviser-hours add up across the hours of a day.
import { sql, type Kysely } from 'kysely';
import type { MigrationContext, ServerMigration } from './types';

const sums = `
  answered integer NOT NULL,
  answered_in_target integer NOT NULL,
  answer_seconds integer NOT NULL,
  answer_timed integer NOT NULL,
  connected_seconds integer NOT NULL,
  hold_seconds integer NOT NULL,
  wrap_seconds integer NOT NULL,
  active_adviser_hours integer NOT NULL,
  status_captured integer NOT NULL,
  follow_up_offered integer NOT NULL,
  follow_up_taken integer NOT NULL,
  transcript_offered integer NOT NULL,
  transcript_sent integer NOT NULL,
  not_covered integer NOT NULL,
  service_questions_skipped integer NOT NULL`;

/**
 * Keyed channel first: a team's figures are one range of periods on one
 * channel ('*' for every channel), and an adviser's or the per-adviser table
 * the same range with the adviser rows beside the team's.
 */
const table = (name: string, engine: MigrationContext['engine']) =>
  engine === 'sqlite'
    ? `CREATE TABLE ${name} (
        channel TEXT NOT NULL,
        period TEXT NOT NULL,
        adviser_id TEXT NOT NULL,${sums.replaceAll('integer', 'INTEGER')},
        PRIMARY KEY (channel, period, adviser_id)
      ) STRICT, WITHOUT ROWID;`
    : `CREATE TABLE ${name} (
        channel text NOT NULL,
        period text NOT NULL,
        adviser_id text NOT NULL,${sums},
        PRIMARY KEY (channel, period, adviser_id)
      );`;

/** The service's standard target answer time, which the summary counts against (20 s). */
const targetSeconds = 20;

/** The sums over a group of interactions, as the figures read them (server/storage/dashboard.ts). */
const interactionSums = (active: string) =>
  sql.raw(`
  count(*),
  sum(case when answer_seconds <= ${targetSeconds} then 1 else 0 end),
  coalesce(sum(answer_seconds), 0),
  count(answer_seconds),
  coalesce(sum(talk_seconds), 0),
  coalesce(sum(hold_seconds), 0),
  coalesce(sum(wrap_seconds), 0),
  ${active},
  sum(case when starting_status is not null and starting_status <> 'not_disclosed' then 1 else 0 end),
  coalesce(sum(follow_up_offered), 0),
  sum(follow_up_booked),
  coalesce(sum(transcript_offered), 0),
  sum(transcript_sent),
  sum(case when not_covered_stages <> '[]' then 1 else 0 end),
  coalesce(sum(service_questions_skipped), 0)`);

const columns = sql.raw(`channel, period, adviser_id, answered, answered_in_target,
  answer_seconds, answer_timed, connected_seconds, hold_seconds, wrap_seconds,
  active_adviser_hours, status_captured, follow_up_offered, follow_up_taken,
  transcript_offered, transcript_sent, not_covered, service_questions_skipped`);

const summed = sql.raw(`sum(answered), sum(answered_in_target), sum(answer_seconds),
  sum(answer_timed), sum(connected_seconds), sum(hold_seconds), sum(wrap_seconds),
  sum(active_adviser_hours), sum(status_captured), sum(follow_up_offered),
  sum(follow_up_taken), sum(transcript_offered), sum(transcript_sent), sum(not_covered),
  sum(service_questions_skipped)`);

/** Every (adviser or '*', channel or '*') grouping of an hour, with its count of adviser-hours. */
const groupings = [
  { adviser: 'adviser_id', channel: 'channel', active: '1' },
  { adviser: 'adviser_id', channel: "'*'", active: '1' },
  { adviser: "'*'", channel: 'channel', active: 'count(distinct adviser_id)' },
  { adviser: "'*'", channel: "'*'", active: 'count(distinct adviser_id)' },
] as const;

const nextMonth = (month: string) => {
  const [year = 1970, number = 1] = month.split('-').map(Number);
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
};

/**
 * Sums the held guidance interactions into the summary, a London month at a
 * time. Also used by the benchmark, which writes its rows without the ingest.
 */
export async function summariseHeldInteractions(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema as it stands at this migration
  db: Kysely<any>,
): Promise<void> {
  const range = await sql<{ first: string | null; last: string | null }>`
    select min(completed_hour) as first, max(completed_hour) as last from interactions
    where completed_hour is not null and follow_up_booking_id is null`.execute(db);
  const { first, last } = range.rows[0] ?? { first: null, last: null };
  if (first === null || last === null) return;
  for (let month = first.slice(0, 7); month <= last.slice(0, 7); month = nextMonth(month)) {
    const from = `${month}-01T00`;
    const to = `${nextMonth(month)}-01T00`;
    for (const grouping of groupings) {
      const groupBy = [grouping.adviser, grouping.channel]
        .filter((column) => !column.startsWith("'"))
        .map((column) => `, ${column}`)
        .join('');
      await sql`insert into dashboard_hours (${columns})
        select ${sql.raw(grouping.channel)}, completed_hour, ${sql.raw(grouping.adviser)},
          ${interactionSums(grouping.active)}
        from interactions
        where completed_hour >= ${from} and completed_hour < ${to}
          and follow_up_booking_id is null
        group by completed_hour${sql.raw(groupBy)}`.execute(db);
    }
    await sql`insert into dashboard_days (${columns})
      select channel, substr(period, 1, 10), adviser_id, ${summed}
      from dashboard_hours
      where period >= ${from} and period < ${to}
      group by channel, substr(period, 1, 10), adviser_id`.execute(db);
  }
}

async function up(context: MigrationContext): Promise<void> {
  await context.exec(
    `${table('dashboard_hours', context.engine)}\n${table('dashboard_days', context.engine)}`,
  );
  await summariseHeldInteractions(context.db);
}

export const dashboardSummaryMigration: ServerMigration = {
  version: 20,
  name: 'dashboard-summary',
  up,
};
