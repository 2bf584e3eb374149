// Delivery state for queued transcripts: when the next attempt is due (after a
// failed one, with backoff) and which sender holds a row while it sends, so a
// crash mid-send only delays the transcript until the claim lapses.
import { schemaChange, type ServerMigration } from './types';

export const transcriptDeliveryMigration: ServerMigration = {
  version: 6,
  name: 'transcript-delivery',
  up: schemaChange({
    sqlite: `
      ALTER TABLE transcripts ADD COLUMN next_attempt_at TEXT;
      ALTER TABLE transcripts ADD COLUMN claimed_until TEXT;
      ALTER TABLE transcripts ADD COLUMN claim_token TEXT;
      CREATE INDEX transcripts_due ON transcripts (status, next_attempt_at);
    `,
    postgres: `
      ALTER TABLE transcripts ADD COLUMN next_attempt_at text;
      ALTER TABLE transcripts ADD COLUMN claimed_until text;
      ALTER TABLE transcripts ADD COLUMN claim_token text;
      CREATE INDEX transcripts_due ON transcripts (status, next_attempt_at);
    `,
  }),
};
