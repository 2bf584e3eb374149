// Transcripts customers asked for: queued here when the desk delivers the
// request, so sending (and retrying) is the server's job, not the desk's.
import type { ServerMigration } from './types';

export const transcriptsMigration: ServerMigration = {
  version: 4,
  name: 'transcripts',
  up(db) {
    db.exec(`
      CREATE TABLE transcripts (
        interaction_id TEXT PRIMARY KEY,
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        via TEXT NOT NULL CHECK (via IN ('email', 'text')),
        address TEXT NOT NULL,
        subject TEXT NOT NULL,
        body_text TEXT NOT NULL,
        body_html TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at TEXT,
        last_error TEXT
      ) STRICT;
      CREATE INDEX transcripts_status ON transcripts (status, requested_at);
      CREATE INDEX transcripts_adviser ON transcripts (adviser_id, requested_at);
    `);
  },
};
