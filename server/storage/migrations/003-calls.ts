// Voice calls as the telephony side offered, connected and ended them.
import type { ServerMigration } from './types';

export const callsMigration: ServerMigration = {
  version: 3,
  name: 'calls',
  up(db) {
    db.exec(`
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
    `);
  },
};
