// Outcomes at follow-up: what each follow-up interaction found, copied out of
// its record into columns (server/storage/dashboard-columns.ts) so the
// dashboard's outcome figures are one aggregate over an index, as its other
// figures are (decision 0019): the booking it made (null on every other
// interaction), the change the customer reported, and their status at first
// contact and now.
//
// The contact-centre and guidance figures leave follow-up calls out, so their
// covering index gains the column that tells them apart; the outcome figures
// read a small index of follow-up interactions alone. Records held before
// this migration that carry a follow-up review are filled in here.
import { followUpReviewSchema } from '../../../shared/interaction/record';
import type { MigrationContext, ServerMigration } from './types';

const backfillBatch = 500;

const columns = [
  'follow_up_booking_id',
  'follow_up_change',
  'follow_up_status_first',
  'follow_up_status_now',
] as const;

const indexes = `
  DROP INDEX interactions_dashboard;
  CREATE INDEX interactions_dashboard ON interactions (
    completed_hour, channel, adviser_id, answer_seconds, talk_seconds, hold_seconds,
    wrap_seconds, starting_status, follow_up_offered, follow_up_booked, transcript_offered,
    transcript_sent, service_questions_skipped, not_covered_stages, follow_up_booking_id
  );
  CREATE INDEX interactions_follow_up_outcomes ON interactions (
    completed_hour, channel, adviser_id, follow_up_change, follow_up_status_first,
    follow_up_status_now, follow_up_booking_id
  ) WHERE follow_up_booking_id IS NOT NULL;
`;

function reviewIn(recordJson: string) {
  try {
    const record = JSON.parse(recordJson) as { followUpOf?: unknown } | null;
    const parsed = followUpReviewSchema.safeParse(record?.followUpOf);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Each held record that mentions a follow-up review, by id a batch at a time. */
async function backfill(db: MigrationContext['db']): Promise<void> {
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('interactions')
      .select(['id', 'record_json'])
      .where('record_json', 'like', '%"followUpOf"%')
      .orderBy('id')
      .limit(backfillBatch);
    if (after !== null) query = query.where('id', '>', after);
    const rows: { id: string; record_json: string }[] = await query.execute();
    for (const row of rows) {
      const review = reviewIn(row.record_json);
      if (!review) continue;
      await db
        .updateTable('interactions')
        .set({
          follow_up_booking_id: review.bookingId,
          follow_up_change: review.change,
          follow_up_status_first: review.statusAtFirstContact,
          follow_up_status_now: review.statusNow,
        })
        .where('id', '=', row.id)
        .execute();
    }
    const last = rows.at(-1);
    if (!last || rows.length < backfillBatch) return;
    after = last.id;
  }
}

async function up(context: MigrationContext): Promise<void> {
  const type = context.engine === 'sqlite' ? 'TEXT' : 'text';
  for (const name of columns) {
    await context.exec(`ALTER TABLE interactions ADD COLUMN ${name} ${type};`);
  }
  await backfill(context.db);
  await context.exec(indexes);
}

export const followUpOutcomesMigration: ServerMigration = {
  version: 18,
  name: 'follow-up-outcomes',
  up,
};
