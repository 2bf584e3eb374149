// Each quality review keeps when its interaction was completed. Reports, the
// dashboard's "next steps good" and improvement targets all ask for the
// reviews of interactions completed in a range of days; with only the join to
// interactions to go by, both engines walked every interaction of the range
// (about 100,000 a year) to find the few thousand reviewed ones: 488 ms for a
// year on SQLite with a million interactions held. An interaction never
// changes once completed, so the copy cannot go stale; the partial index holds
// exactly the reviews those figures count.
//
// Reviews held before this migration take the time from their interaction, in
// one UPDATE, the same SQL on each engine.
import type { ServerMigration } from './types';

export const reviewsByInteractionTimeMigration: ServerMigration = {
  version: 24,
  name: 'reviews-by-interaction-time',
  async up(context) {
    const type = context.engine === 'sqlite' ? 'TEXT' : 'text';
    await context.exec(`
      ALTER TABLE quality_reviews ADD COLUMN interaction_completed_at ${type};
      UPDATE quality_reviews SET interaction_completed_at = (
        SELECT completed_at FROM interactions WHERE interactions.id = quality_reviews.interaction_id
      );
      CREATE INDEX quality_reviews_by_interaction_time
        ON quality_reviews (interaction_completed_at, adviser_id)
        WHERE purpose <> 'calibration' AND status <> 'draft';
    `);
  },
};
