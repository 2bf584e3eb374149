// Outcomes by who the customer was at first contact: the young person's age
// group and region, as columns of each interaction (decision 0032). A guidance
// interaction takes them from its own caller stage; a follow-up interaction
// from the first contact its booking was made in, so the dashboard's outcome
// figures group a partial index of follow-up calls by them, and the history's
// drill-down filters the same columns.
//
// Records held before this migration are filled in here: the guidance records
// a batch at a time (their age and region read from the record, which only
// Node parses alike on both engines), then every follow-up interaction from
// its first contact in one UPDATE, the same SQL on each engine.
import { sql } from 'kysely';
import { z } from 'zod';
import { youngPersonAgeSchema, customerRegionSchema } from '../../../shared/interaction/record';
import { ageGroupOf, regionGroupOf } from '../../../shared/wire/dashboard';
import type { MigrationContext, ServerMigration } from './types';

const backfillBatch = 500;

const notGiven = 'not_given';

const indexes = `
  DROP INDEX interactions_follow_up_outcomes;
  CREATE INDEX interactions_follow_up_outcomes ON interactions (
    completed_hour, channel, adviser_id, follow_up_change, follow_up_status_first,
    follow_up_status_now, customer_age_group, customer_region, follow_up_booking_id
  ) WHERE follow_up_booking_id IS NOT NULL;
  CREATE INDEX interactions_follow_up_by_age_group
    ON interactions (customer_age_group, completed_at, id)
    WHERE follow_up_booking_id IS NOT NULL;
  CREATE INDEX interactions_follow_up_by_region
    ON interactions (customer_region, completed_at, id)
    WHERE follow_up_booking_id IS NOT NULL;
`;

/** Only the caller stage of a held record is read: the rest may be of any age. */
const heldCallerSchema = z.object({
  summary: z.object({
    caller: z.object({ age: z.unknown().optional(), region: z.unknown().optional() }),
  }),
});

function callerIn(recordJson: string): { age?: unknown; region?: unknown } | null {
  try {
    const parsed = heldCallerSchema.safeParse(JSON.parse(recordJson));
    return parsed.success ? parsed.data.summary.caller : null;
  } catch {
    return null;
  }
}

/** The age group and region a held record's caller stage gave; not given where it does not parse. */
function customerOf(recordJson: string): { ageGroup: string; region: string } {
  const caller = callerIn(recordJson);
  const age = youngPersonAgeSchema.safeParse(caller?.age ?? null);
  const region = customerRegionSchema.safeParse(caller?.region);
  return {
    ageGroup: ageGroupOf(age.success ? age.data : null),
    region: regionGroupOf(region.success ? region.data : undefined),
  };
}

/** Each held guidance record, by id a batch at a time; a row is written only where it differs. */
async function backfillGuidance(db: MigrationContext['db']): Promise<void> {
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('interactions')
      .select(['id', 'record_json'])
      .where('follow_up_booking_id', 'is', null)
      .orderBy('id')
      .limit(backfillBatch);
    if (after !== null) query = query.where('id', '>', after);
    const rows: { id: string; record_json: string }[] = await query.execute();
    for (const row of rows) {
      const { ageGroup, region } = customerOf(row.record_json);
      if (ageGroup === notGiven && region === notGiven) continue;
      await db
        .updateTable('interactions')
        .set({ customer_age_group: ageGroup, customer_region: region })
        .where('id', '=', row.id)
        .execute();
    }
    const last = rows.at(-1);
    if (!last || rows.length < backfillBatch) return;
    after = last.id;
  }
}

/** Every held follow-up interaction, from the first contact its booking was made in. */
async function backfillFollowUps(db: MigrationContext['db']): Promise<void> {
  const firstContact = (column: 'customer_age_group' | 'customer_region') =>
    sql`coalesce((
      select first.${sql.ref(column)} from follow_ups booking
      join interactions first on first.id = booking.interaction_id
      where booking.id = interactions.follow_up_booking_id
    ), ${notGiven})`;
  await sql`update interactions
    set customer_age_group = ${firstContact('customer_age_group')},
      customer_region = ${firstContact('customer_region')}
    where follow_up_booking_id is not null`.execute(db);
}

async function up(context: MigrationContext): Promise<void> {
  const type = context.engine === 'sqlite' ? 'TEXT' : 'text';
  for (const name of ['customer_age_group', 'customer_region']) {
    await context.exec(
      `ALTER TABLE interactions ADD COLUMN ${name} ${type} NOT NULL DEFAULT '${notGiven}';`,
    );
  }
  await backfillGuidance(context.db);
  await backfillFollowUps(context.db);
  await context.exec(indexes);
}

export const outcomesByCustomerMigration: ServerMigration = {
  version: 23,
  name: 'outcomes-by-customer',
  up,
};
