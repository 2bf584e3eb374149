// An adviser's own hour row in the dashboard summary (migration 020) is one
// active adviser-hour, however many contacts it sums. The ingest added one
// to it for every contact, so a team leader reading one adviser's figures by
// the hour was shown an adviser-hour per contact, and an occupancy too low.
// The team's rows and the day rows were right: they count an hour once, when
// the adviser's own row is first made. Every own hour row is set back to one;
// the ingest no longer adds to it.
import type { ServerMigration } from './types';

export const oneAdviserHourPerRowMigration: ServerMigration = {
  version: 25,
  name: 'one-adviser-hour-per-row',
  async up(context) {
    await context.exec(`
      UPDATE dashboard_hours SET active_adviser_hours = 1
      WHERE adviser_id <> '*' AND active_adviser_hours <> 1;
    `);
  },
};
