// The desk database: durable settings, the migration history check, and
// migration 0001's tables and constraints.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deskIdOf,
  LOCAL_DB_FILE,
  MigrationMismatchError,
  openLocalDb,
  readSetting,
} from '../../electron/services/local-db';
import { deskMigrations } from '../../electron/services/migrations';
import { tempDataDir } from './desk-fixtures';

describe('the desk database', () => {
  it('opens in WAL mode with full sync and foreign keys on', () => {
    const db = openLocalDb(tempDataDir());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 is FULL.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('makes the desk id once and keeps it across restarts', () => {
    const dataDir = tempDataDir();
    const first = openLocalDb(dataDir);
    const deskId = deskIdOf(first);
    expect(deskId).toMatch(/^[0-9a-f-]{36}$/);
    first.close();
    const again = openLocalDb(dataDir);
    expect(deskIdOf(again)).toBe(deskId);
    expect(readSetting(again, 'desk_id')).toBe(deskId);
    again.close();
  });

  it('records every known migration once, and reopening applies nothing twice', () => {
    const dataDir = tempDataDir();
    openLocalDb(dataDir).close();
    const db = openLocalDb(dataDir);
    const applied = db
      .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
      .all();
    expect(applied).toEqual(deskMigrations.map(({ version, name }) => ({ version, name })));
    db.close();
  });

  it('refuses a database whose history this build does not know', () => {
    const dataDir = tempDataDir();
    openLocalDb(dataDir).close();
    const raw = new Database(join(dataDir, LOCAL_DB_FILE));
    raw
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(deskMigrations.length + 1, '9999-from-a-newer-desk', new Date().toISOString());
    raw.close();
    expect(() => openLocalDb(dataDir)).toThrow(MigrationMismatchError);
  });

  it('refuses a migration list whose versions are out of order', () => {
    const [first] = deskMigrations;
    if (!first) throw new Error('no migrations');
    const later = { ...first, version: 20, name: 'later' };
    expect(() =>
      openLocalDb(tempDataDir(), { migrations: [later, { ...first, version: 10 }] }),
    ).toThrow(MigrationMismatchError);
  });
});

describe('migration 0001: desk foundation', () => {
  it('creates settings, outbox, interactions and follow_ups with their constraints', () => {
    const db = openLocalDb(tempDataDir());
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'settings',
        'outbox',
        'interactions',
        'follow_ups',
        'schema_migrations',
      ]),
    );
    const insertItem = db.prepare(
      `INSERT INTO outbox (id, stream, kind, created_at, payload, state) VALUES (?, 's', 'k', 'now', '{}', ?)`,
    );
    insertItem.run('a', 'waiting');
    expect(() => insertItem.run('a', 'waiting')).toThrow(/UNIQUE/);
    expect(() => insertItem.run('b', 'lost')).toThrow(/CHECK/);
    // A follow-up must belong to an interaction the desk holds.
    expect(() =>
      db
        .prepare(
          `INSERT INTO follow_ups (id, interaction_id, adviser_id, slot_start, contact_method, contact_address, created_at, booking)
           VALUES ('f', 'no-such-interaction', 'a', 's', 'phone', '0770', 'now', '{}')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
