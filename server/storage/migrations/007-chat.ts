// Web chats: each chat with its customer, queue and answer times; its messages
// in one sequence per chat, each named once by the client that wrote it; and
// customers who left a queue (chat or call) before an answer, with the wait.
import { schemaChange, type ServerMigration } from './types';

export const chatMigration: ServerMigration = {
  version: 7,
  name: 'chat',
  up: schemaChange({
    sqlite: `
      CREATE TABLE chats (
        id TEXT PRIMARY KEY,
        resume_token_hash TEXT NOT NULL UNIQUE,
        customer_name TEXT NOT NULL,
        age INTEGER,
        status TEXT NOT NULL CHECK (status IN ('queued', 'connected', 'ended', 'abandoned')),
        queued_at TEXT NOT NULL,
        position_at_join INTEGER NOT NULL,
        adviser_id TEXT REFERENCES accounts(id),
        answered_at TEXT,
        waited_ms INTEGER,
        ended_at TEXT,
        ended_by TEXT CHECK (ended_by IN ('customer', 'adviser', 'service')),
        transcript_email TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0,
        customer_acked_seq INTEGER NOT NULL DEFAULT 0,
        adviser_acked_seq INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX chats_adviser_status ON chats (adviser_id, status);
      CREATE INDEX chats_status ON chats (status);
      CREATE INDEX chats_answered ON chats (answered_at) WHERE answered_at IS NOT NULL;

      CREATE TABLE chat_messages (
        chat_id TEXT NOT NULL REFERENCES chats(id),
        seq INTEGER NOT NULL,
        sender TEXT NOT NULL CHECK (sender IN ('customer', 'adviser')),
        client_message_id TEXT NOT NULL,
        author TEXT NOT NULL,
        body TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, seq),
        UNIQUE (chat_id, sender, client_message_id)
      ) STRICT;

      CREATE TABLE queue_abandonments (
        kind TEXT NOT NULL CHECK (kind IN ('chat', 'call')),
        contact_id TEXT NOT NULL,
        queued_at TEXT NOT NULL,
        left_at TEXT NOT NULL,
        waited_ms INTEGER NOT NULL,
        PRIMARY KEY (kind, contact_id)
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE chats (
        id text PRIMARY KEY,
        resume_token_hash text NOT NULL UNIQUE,
        customer_name text NOT NULL,
        age integer,
        status text NOT NULL CHECK (status IN ('queued', 'connected', 'ended', 'abandoned')),
        queued_at text NOT NULL,
        position_at_join integer NOT NULL,
        adviser_id text REFERENCES accounts(id),
        answered_at text,
        waited_ms integer,
        ended_at text,
        ended_by text CHECK (ended_by IN ('customer', 'adviser', 'service')),
        transcript_email text,
        last_seq integer NOT NULL DEFAULT 0,
        customer_acked_seq integer NOT NULL DEFAULT 0,
        adviser_acked_seq integer NOT NULL DEFAULT 0
      );
      CREATE INDEX chats_adviser_status ON chats (adviser_id, status);
      CREATE INDEX chats_status ON chats (status);
      CREATE INDEX chats_answered ON chats (answered_at) WHERE answered_at IS NOT NULL;

      CREATE TABLE chat_messages (
        chat_id text NOT NULL REFERENCES chats(id),
        seq integer NOT NULL,
        sender text NOT NULL CHECK (sender IN ('customer', 'adviser')),
        client_message_id text NOT NULL,
        author text NOT NULL,
        body text NOT NULL,
        sent_at text NOT NULL,
        PRIMARY KEY (chat_id, seq),
        UNIQUE (chat_id, sender, client_message_id)
      );

      CREATE TABLE queue_abandonments (
        kind text NOT NULL CHECK (kind IN ('chat', 'call')),
        contact_id text NOT NULL,
        queued_at text NOT NULL,
        left_at text NOT NULL,
        waited_ms integer NOT NULL,
        PRIMARY KEY (kind, contact_id)
      );
    `,
  }),
};
