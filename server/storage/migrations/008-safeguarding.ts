// Safeguarding concerns raised on desks, kept once by the id the desk chose,
// with who acknowledged each and when; and the reference to a call's recording.
import type { ServerMigration } from './types';

export const safeguardingMigration: ServerMigration = {
  version: 8,
  name: 'safeguarding-and-call-recordings',
  up(db) {
    db.exec(`
      CREATE TABLE safeguarding_concerns (
        id TEXT PRIMARY KEY,
        interaction_id TEXT NOT NULL,
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        category TEXT NOT NULL,
        immediate_risk INTEGER NOT NULL CHECK (immediate_risk IN (0, 1)),
        what_was_said TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        received_via TEXT NOT NULL CHECK (received_via IN ('live', 'outbox')),
        acknowledged_by TEXT REFERENCES accounts(id),
        acknowledged_at TEXT,
        CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
      ) STRICT;
      CREATE INDEX safeguarding_concerns_open ON safeguarding_concerns (received_at)
        WHERE acknowledged_at IS NULL;
      ALTER TABLE calls ADD COLUMN recording_ref TEXT;
    `);
  },
};
