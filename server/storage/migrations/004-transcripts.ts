// Transcripts customers asked for: queued here when the desk delivers the
// request, so sending (and retrying) is the server's job, not the desk's.
import { schemaChange, type ServerMigration } from './types';

export const transcriptsMigration: ServerMigration = {
  version: 4,
  name: 'transcripts',
  up: schemaChange({
    sqlite: `
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
    `,
    postgres: `
      CREATE TABLE transcripts (
        interaction_id text PRIMARY KEY,
        adviser_id text NOT NULL REFERENCES accounts(id),
        via text NOT NULL CHECK (via IN ('email', 'text')),
        address text NOT NULL,
        subject text NOT NULL,
        body_text text NOT NULL,
        body_html text NOT NULL,
        requested_at text NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        sent_at text,
        last_error text
      );
      CREATE INDEX transcripts_status ON transcripts (status, requested_at);
      CREATE INDEX transcripts_adviser ON transcripts (adviser_id, requested_at);
    `,
  }),
};
