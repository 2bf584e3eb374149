// The service dashboard: the columns its figures read, copied out of each held
// record (server/storage/dashboard-columns.ts), the London hour each queue
// abandonment fell in, one covering index that answers a year of figures
// without reading the table, and the improvement plan's actions.
//
// Records held before this migration are filled in here by the same code that
// fills a new one, a batch at a time, so an upgraded server's figures include
// its past at once. Both engines add the columns in place (nullable: SQLite
// cannot add a NOT NULL column without a default, and a default would be a
// wrong figure rather than a missing one).
import {
  interactionRecordSchema,
  type InteractionRecord,
} from '../../../shared/interaction/record';
import { londonHour } from '../../../shared/time/london';
import { dashboardColumns } from '../dashboard-columns';
import type { MigrationContext, ServerMigration } from './types';

const backfillBatch = 500;

const columns = [
  ['completed_hour', 'text'],
  ['answer_seconds', 'integer'],
  ['hold_seconds', 'integer'],
  ['wrap_seconds', 'integer'],
  ['follow_up_offered', 'integer'],
  ['transcript_offered', 'integer'],
  ['service_questions_skipped', 'integer'],
] as const;

/**
 * Every figure groups by a prefix of completed_hour and sums the columns after
 * it, so a range of hours is read from this index alone (SQLite always; on
 * PostgreSQL once the visibility map is current, which autovacuum keeps).
 */
const indexes = `
  CREATE INDEX interactions_dashboard ON interactions (
    completed_hour, channel, adviser_id, answer_seconds, talk_seconds, hold_seconds,
    wrap_seconds, starting_status, follow_up_offered, follow_up_booked, transcript_offered,
    transcript_sent, service_questions_skipped, not_covered_stages
  );
  CREATE INDEX queue_abandonments_left_hour ON queue_abandonments (left_hour, kind, waited_ms);
`;

const plan = {
  sqlite: `
    CREATE TABLE improvement_actions (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      owner_id TEXT NOT NULL REFERENCES accounts(id),
      figure TEXT NOT NULL,
      started_on TEXT NOT NULL,
      target_date TEXT NOT NULL,
      created_by TEXT NOT NULL REFERENCES accounts(id),
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX improvement_actions_started ON improvement_actions (started_on, id);
  `,
  postgres: `
    CREATE TABLE improvement_actions (
      id text PRIMARY KEY,
      title text NOT NULL,
      owner_id text NOT NULL REFERENCES accounts(id),
      figure text NOT NULL,
      started_on text NOT NULL,
      target_date text NOT NULL,
      created_by text NOT NULL REFERENCES accounts(id),
      created_at text NOT NULL
    );
    CREATE INDEX improvement_actions_started ON improvement_actions (started_on, id);
  `,
};

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The columns this migration added, from a record: only these, as
 * dashboardColumns grows with later migrations (018) whose columns are not
 * there yet when this one runs.
 */
function ownColumns(record: InteractionRecord): Record<string, unknown> {
  const all = dashboardColumns(record);
  return Object.fromEntries(columns.map(([name]) => [name, all[name]]));
}

/** Each held record, by id a batch at a time, given its dashboard columns. */
async function backfillInteractions(db: MigrationContext['db']): Promise<void> {
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('interactions')
      .select(['id', 'completed_at', 'record_json'])
      .orderBy('id')
      .limit(backfillBatch);
    if (after !== null) query = query.where('id', '>', after);
    const rows: { id: string; completed_at: string; record_json: string }[] = await query.execute();
    for (const row of rows) {
      const parsed = interactionRecordSchema.safeParse(safeJson(row.record_json));
      // A record that does not parse still counts in its hour; its timings stay unknown.
      const values = parsed.success
        ? ownColumns(parsed.data)
        : {
            completed_hour: londonHour(row.completed_at),
            follow_up_offered: 0,
            transcript_offered: 0,
            service_questions_skipped: 0,
          };
      await db.updateTable('interactions').set(values).where('id', '=', row.id).execute();
    }
    const last = rows.at(-1);
    if (!last || rows.length < backfillBatch) return;
    after = last.id;
  }
}

async function backfillAbandonments(db: MigrationContext['db']): Promise<void> {
  const rows: { kind: string; contact_id: string; left_at: string }[] = await db
    .selectFrom('queue_abandonments')
    .select(['kind', 'contact_id', 'left_at'])
    .execute();
  for (const row of rows) {
    await db
      .updateTable('queue_abandonments')
      .set({ left_hour: londonHour(row.left_at) })
      .where('kind', '=', row.kind)
      .where('contact_id', '=', row.contact_id)
      .execute();
  }
}

async function up(context: MigrationContext): Promise<void> {
  const sqlite = context.engine === 'sqlite';
  for (const [name, type] of columns) {
    await context.exec(
      `ALTER TABLE interactions ADD COLUMN ${name} ${sqlite ? type.toUpperCase() : type};`,
    );
  }
  await context.exec(
    `ALTER TABLE queue_abandonments ADD COLUMN left_hour ${sqlite ? 'TEXT' : 'text'};`,
  );
  await backfillInteractions(context.db);
  await backfillAbandonments(context.db);
  await context.exec(`${indexes}\n${plan[context.engine]}`);
}

export const serviceDashboardMigration: ServerMigration = {
  version: 16,
  name: 'service-dashboard',
  up,
};
