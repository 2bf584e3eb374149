// Safeguarding followed through (decision 0030): what the team leader did on
// acknowledging a concern (a note, and optionally the kind of action), and
// when the raising adviser's desk showed them that acknowledgement, so a desk
// that was offline is told when it next connects.
//
// Concerns acknowledged before this migration have no note. Their advisers are
// counted as told at the acknowledgement, so an upgrade does not greet every
// adviser with months of old news.
import { sql } from 'kysely';
import type { MigrationContext, ServerMigration } from './types';

const actionCheck = `CHECK (acknowledged_action IS NULL OR acknowledged_action IN (
  'spoke_to_adviser', 'took_over_contact', 'referred_to_local_authority',
  'emergency_services_called', 'police_informed', 'no_further_action', 'other'))`;

export const safeguardingFollowThroughMigration: ServerMigration = {
  version: 21,
  name: 'safeguarding-follow-through',
  async up(context: MigrationContext) {
    const text = context.engine === 'sqlite' ? 'TEXT' : 'text';
    await context.exec(`
      ALTER TABLE safeguarding_concerns ADD COLUMN acknowledged_note ${text};
      ALTER TABLE safeguarding_concerns ADD COLUMN acknowledged_action ${text} ${actionCheck};
      ALTER TABLE safeguarding_concerns ADD COLUMN adviser_told_at ${text};
      CREATE INDEX safeguarding_concerns_history ON safeguarding_concerns (received_at);
      CREATE INDEX safeguarding_concerns_untold ON safeguarding_concerns (adviser_id)
        WHERE acknowledged_at IS NOT NULL AND adviser_told_at IS NULL;
    `);
    await context.db
      .updateTable('safeguarding_concerns')
      .set({ adviser_told_at: sql.ref('acknowledged_at') })
      .where('acknowledged_at', 'is not', null)
      .execute();
  },
};
