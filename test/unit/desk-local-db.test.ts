// The desk database: durable settings, the migration history check,
// migration 0001's tables and constraints, and migration 0004's outbox.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deskIdOf,
  type LocalDb,
  LOCAL_DB_FILE,
  MigrationMismatchError,
  openLocalDb,
  readSetting,
} from '../../electron/services/local-db';
import { deskMigrations } from '../../electron/services/migrations';
import { migration0001 } from '../../electron/services/migrations/0001-desk-foundation';
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
    const db = openLocalDb(tempDataDir(), { migrations: [migration0001] });
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

/** Inserts an outbox row in the columns migration 0001 made. */
const insertOutboxRow = (db: LocalDb) =>
  db.prepare(
    `INSERT INTO outbox (id, stream, kind, created_at, payload, state, attempts, last_error, delivered_at, receipt)
     VALUES (?, ?, 'interaction.completed', '2026-12-01T10:00:00.000Z', ?, ?, ?, ?, ?, ?)`,
  );

const indexesOf = (db: LocalDb) =>
  db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' ORDER BY name`,
    )
    .pluck()
    .all();

/** The outbox a migration built still refuses a state it does not know. */
function expectStateChecked(db: LocalDb): void {
  expect(() =>
    db
      .prepare(
        `INSERT INTO outbox (id, stream, kind, created_at, payload, state) VALUES ('x', 's', 'k', 'n', '{}', 'lost')`,
      )
      .run(),
  ).toThrow(/CHECK/);
}

/** Three items, delivered, failed and waiting, for a migration to carry over. */
function insertItemsOfEveryState(db: LocalDb): void {
  const insert = insertOutboxRow(db);
  insert.run(
    'i1',
    'interaction:1',
    '{"n":1}',
    'delivered',
    1,
    null,
    '2026-12-01T10:01:00.000Z',
    'applied',
  );
  insert.run('i2', 'interaction:2', '{"n":2}', 'failed', 3, 'invalid_input: no', null, null);
  insert.run('i3', 'interaction:3', '{"n":3}', 'waiting', 2, 'offline', null, null);
}

describe('migration 0004: the outbox without an index of item ids', () => {
  it('keeps every item and its state, and never gives out a pruned seq again', () => {
    const dir = tempDataDir();
    const before = openLocalDb(dir, { migrations: deskMigrations.slice(0, 3) });
    expect(indexesOf(before)).toEqual([
      'outbox_delivered_at',
      'outbox_undelivered',
      'sqlite_autoindex_outbox_1',
    ]);
    const insert = insertOutboxRow(before);
    insertItemsOfEveryState(before);
    insert.run(
      'i4',
      'interaction:4',
      '{"n":4}',
      'delivered',
      1,
      null,
      '2026-12-01T10:02:00.000Z',
      'duplicate',
    );
    // The newest item pruned: its seq (4) stays spent.
    before.prepare(`DELETE FROM outbox WHERE id = 'i4'`).run();
    const rows = () => before.prepare('SELECT * FROM outbox ORDER BY seq').all();
    const held = rows();
    before.close();

    const after = openLocalDb(dir, { migrations: deskMigrations.slice(0, 4) });
    expect(after.prepare('SELECT * FROM outbox ORDER BY seq').all()).toEqual(held);
    expect(indexesOf(after)).toEqual(['outbox_delivered_at', 'outbox_undelivered']);
    after
      .prepare(
        `INSERT INTO outbox (id, stream, kind, created_at, payload) VALUES ('i5', 's', 'k', 'now', '{}')`,
      )
      .run();
    expect(after.prepare(`SELECT seq FROM outbox WHERE id = 'i5'`).pluck().get()).toBe(5);
    expectStateChecked(after);
    after.close();
  });
});

describe('migration 0005: an outbox item may hold its payload by reference', () => {
  it('keeps every item and its state, and counts seq on from the newest row', () => {
    const dir = tempDataDir();
    const before = openLocalDb(dir, { migrations: deskMigrations.slice(0, 4) });
    insertItemsOfEveryState(before);
    const held = before.prepare('SELECT * FROM outbox ORDER BY seq').all() as object[];
    before.close();

    const after = openLocalDb(dir, { migrations: deskMigrations.slice(0, 5) });
    expect(after.prepare('SELECT * FROM outbox ORDER BY seq').all()).toEqual(
      held.map((row) => ({ ...row, payload_interaction: null })),
    );
    // No counter row is written at each commit any more.
    expect(after.prepare('SELECT name FROM sqlite_sequence').pluck().all()).not.toContain('outbox');
    expect(indexesOf(after)).toEqual(['outbox_delivered_at', 'outbox_undelivered']);
    after
      .prepare(
        `INSERT INTO outbox (id, stream, kind, created_at, payload, payload_interaction)
         VALUES ('i4', 's', 'k', 'now', '{}', 'interaction-4')`,
      )
      .run();
    expect(after.prepare(`SELECT seq FROM outbox WHERE id = 'i4'`).pluck().get()).toBe(4);
    expectStateChecked(after);
    after.close();
  });
});

describe('migration 0006: the outbox without an index of undelivered items', () => {
  it('drops the index, and the outbox still finds new items by seq alone', () => {
    const dir = tempDataDir();
    openLocalDb(dir, { migrations: deskMigrations.slice(0, 5) }).close();
    const db = openLocalDb(dir);
    expect(indexesOf(db)).toEqual(['outbox_delivered_at']);
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT seq, stream, state FROM outbox
           WHERE seq > ? AND state != 'delivered' ORDER BY seq`,
      )
      .all(0) as { detail: string }[];
    expect(plan.map((row) => row.detail)).toEqual([
      'SEARCH outbox USING INTEGER PRIMARY KEY (rowid>?)',
    ]);
    db.close();
  });
});
