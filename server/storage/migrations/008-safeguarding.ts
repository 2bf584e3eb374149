// Safeguarding concerns raised on desks, kept once by the id the desk chose,
// with who acknowledged each and when; and the reference to a call's recording.
import { schemaChange, type ServerMigration } from './types';

export const safeguardingMigration: ServerMigration = {
  version: 8,
  name: 'safeguarding-and-call-recordings',
  up: schemaChange({
    sqlite: `
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
    `,
    postgres: `
      CREATE TABLE safeguarding_concerns (
        id text PRIMARY KEY,
        interaction_id text NOT NULL,
        adviser_id text NOT NULL REFERENCES accounts(id),
        category text NOT NULL,
        immediate_risk integer NOT NULL CHECK (immediate_risk IN (0, 1)),
        what_was_said text NOT NULL,
        raised_at text NOT NULL,
        received_at text NOT NULL,
        received_via text NOT NULL CHECK (received_via IN ('live', 'outbox')),
        acknowledged_by text REFERENCES accounts(id),
        acknowledged_at text,
        CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
      );
      CREATE INDEX safeguarding_concerns_open ON safeguarding_concerns (received_at)
        WHERE acknowledged_at IS NULL;
      ALTER TABLE calls ADD COLUMN recording_ref text;
    `,
  }),
};
