// Staff accounts, their roles and their sign-in sessions.
import { schemaChange, type ServerMigration } from './types';

export const accountsMigration: ServerMigration = {
  version: 1,
  name: 'accounts',
  up: schemaChange({
    sqlite: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE account_roles (
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('adviser', 'team_leader', 'trainer', 'knowledge_editor')),
        PRIMARY KEY (account_id, role)
      ) STRICT;

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX sessions_expires_at ON sessions (expires_at);
    `,
    postgres: `
      CREATE TABLE accounts (
        id text PRIMARY KEY,
        username text NOT NULL,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        created_at text NOT NULL
      );
      -- SQLite's COLLATE NOCASE: a username is unique whatever its case.
      CREATE UNIQUE INDEX accounts_username_lower ON accounts (lower(username));

      CREATE TABLE account_roles (
        account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('adviser', 'team_leader', 'trainer', 'knowledge_editor')),
        PRIMARY KEY (account_id, role)
      );

      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created_at text NOT NULL,
        expires_at text NOT NULL
      );
      CREATE INDEX sessions_expires_at ON sessions (expires_at);
    `,
  }),
};
