// The central server's migrations: an empty database is brought up to date,
// each step keeps what earlier steps stored, and a database whose history is
// not a prefix of the known list is refused.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appliedMigrations, migrate, MigrationMismatchError } from '../../server/storage/migrate';
import { serverMigrations } from '../../server/storage/migrations';
import type { ServerMigration } from '../../server/storage/migrations/types';
import { openSqliteStorage, serverDatabaseFile } from '../../server/storage/sqlite';

const allVersions = serverMigrations.map((migration) => migration.version);
const nextVersion = allVersions.length + 1;
let dataDir: string;
let db: Database.Database;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'adviser-server-migrations-'));
  db = new Database(join(dataDir, serverDatabaseFile));
  db.pragma('foreign_keys = ON');
});

afterEach(() => {
  if (db.open) db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const tables = () =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);

describe('server migrations', () => {
  it('brings an empty database up to the newest version, and a second run applies nothing', () => {
    expect(migrate(db, serverMigrations)).toEqual(
      serverMigrations.map((migration) => migration.version),
    );
    expect(tables()).toEqual(
      expect.arrayContaining([
        'accounts',
        'account_roles',
        'sessions',
        'applied_outbox_items',
        'interactions',
        'follow_ups',
        'calls',
        'transcripts',
        'knowledge_articles',
        'knowledge_article_versions',
        'knowledge_drafts',
        'chats',
        'chat_messages',
        'queue_abandonments',
        'safeguarding_concerns',
      ]),
    );
    expect(appliedMigrations(db).map((row) => row.name)).toEqual([
      'accounts',
      'ingest',
      'calls',
      'transcripts',
      'knowledge',
      'transcript-delivery',
      'chat',
      'safeguarding-and-call-recordings',
      'transcripts-composed-on-server',
    ]);
    expect(migrate(db, serverMigrations)).toEqual([]);
  });

  it('the later migrations keep the accounts and sessions 001 stored', () => {
    migrate(db, serverMigrations.slice(0, 1));
    db.prepare(
      "INSERT INTO accounts VALUES ('a1', 'demo-adviser', 'Alex Adviser', 'scrypt$x', '2026-11-20T10:00:00.000Z')",
    ).run();
    db.prepare("INSERT INTO account_roles VALUES ('a1', 'adviser')").run();
    db.prepare(
      "INSERT INTO sessions VALUES ('hash', 'a1', '2026-11-20T10:00:00.000Z', '2026-11-20T22:00:00.000Z')",
    ).run();

    expect(migrate(db, serverMigrations)).toEqual(allVersions.slice(1));
    expect(db.prepare('SELECT id, username FROM accounts').all()).toEqual([
      { id: 'a1', username: 'demo-adviser' },
    ]);
    expect(db.prepare('SELECT account_id FROM sessions').all()).toEqual([{ account_id: 'a1' }]);
    // The new tables refer to the kept accounts.
    db.prepare(
      "INSERT INTO calls (id, adviser_id, cli, offered_at) VALUES ('c1', 'a1', NULL, '2026-11-20T10:01:00.000Z')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO calls (id, adviser_id, offered_at) VALUES ('c2', 'nobody', '2026-11-20T10:01:00.000Z')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('008 keeps the calls stored before it, with no recording yet, and holds a concern once', () => {
    const before = serverMigrations.findIndex(
      (migration) => migration.name === 'safeguarding-and-call-recordings',
    );
    migrate(db, serverMigrations.slice(0, before));
    db.prepare(
      "INSERT INTO accounts VALUES ('a1', 'demo-adviser', 'Alex Adviser', 'scrypt$x', '2026-11-20T10:00:00.000Z')",
    ).run();
    db.prepare(
      "INSERT INTO calls (id, adviser_id, cli, offered_at, ended_at, ended_by) VALUES ('c1', 'a1', NULL, '2026-11-20T10:01:00.000Z', '2026-11-20T10:09:00.000Z', 'customer')",
    ).run();

    migrate(db, serverMigrations);
    expect(db.prepare('SELECT id, ended_by, recording_ref FROM calls').all()).toEqual([
      { id: 'c1', ended_by: 'customer', recording_ref: null },
    ]);
    const insertConcern = db.prepare(
      `INSERT INTO safeguarding_concerns (id, interaction_id, adviser_id, category, immediate_risk, what_was_said, raised_at, received_at, received_via)
       VALUES ('s1', 'i1', ?, 'bullying', 0, '', '2026-11-20T10:05:00.000Z', '2026-11-20T10:05:01.000Z', 'live')`,
    );
    insertConcern.run('a1');
    expect(() => insertConcern.run('a1')).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() =>
      db.prepare("UPDATE safeguarding_concerns SET acknowledged_by = 'a1' WHERE id = 's1'").run(),
    ).toThrow(/CHECK/);
  });

  it('refuses a database written by a newer server', () => {
    const newer: ServerMigration = {
      version: nextVersion,
      name: 'from-the-future',
      up: (target) => target.exec('CREATE TABLE future (id TEXT)'),
    };
    migrate(db, [...serverMigrations, newer]);
    expect(() => migrate(db, serverMigrations)).toThrow(MigrationMismatchError);
    expect(() => migrate(db, serverMigrations)).toThrow(/newer version of the server/);
  });

  it('refuses a database whose history differs from the known list', () => {
    const other: ServerMigration = {
      version: 1,
      name: 'something-else',
      up: (target) => target.exec('CREATE TABLE other (id TEXT)'),
    };
    migrate(db, [other]);
    expect(() => migrate(db, serverMigrations)).toThrow(/does not match this server/);
    expect(tables()).not.toContain('accounts');
  });

  it('refuses to open storage on such a database, with the reason', () => {
    const newer: ServerMigration = {
      version: nextVersion,
      name: 'from-the-future',
      up: () => undefined,
    };
    migrate(db, [...serverMigrations, newer]);
    db.close();
    expect(() => openSqliteStorage(dataDir)).toThrow(/newer version of the server/);
  });

  it('rolls back a migration that fails and records nothing for it', () => {
    const failing: ServerMigration = {
      version: nextVersion,
      name: 'half-done',
      up: (target) => {
        target.exec('CREATE TABLE half_done (id TEXT)');
        throw new Error('disk full');
      },
    };
    expect(() => migrate(db, [...serverMigrations, failing])).toThrow('disk full');
    expect(tables()).not.toContain('half_done');
    expect(appliedMigrations(db).map((row) => row.version)).toEqual(allVersions);
  });

  it('refuses a known list that is out of order', () => {
    const [first, second] = serverMigrations;
    if (!first || !second) throw new Error('expected at least two migrations');
    expect(() => migrate(db, [second, first])).toThrow(/out of order/);
  });
});
