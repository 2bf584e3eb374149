// Voice calls as the telephony side offered, connected and ended them.
import { schemaChange, type ServerMigration } from './types';

export const callsMigration: ServerMigration = {
  version: 3,
  name: 'calls',
  up: schemaChange({
    sqlite: `
      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        cli TEXT,
        offered_at TEXT NOT NULL,
        connected_at TEXT,
        ended_at TEXT,
        ended_by TEXT CHECK (ended_by IN ('adviser', 'customer', 'network'))
      ) STRICT;
      CREATE INDEX calls_adviser_offered ON calls (adviser_id, offered_at);
    `,
    postgres: `
      CREATE TABLE calls (
        id text PRIMARY KEY,
        adviser_id text NOT NULL REFERENCES accounts(id),
        cli text,
        offered_at text NOT NULL,
        connected_at text,
        ended_at text,
        ended_by text CHECK (ended_by IN ('adviser', 'customer', 'network'))
      );
      CREATE INDEX calls_adviser_offered ON calls (adviser_id, offered_at);
    `,
  }),
};
