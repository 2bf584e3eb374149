// The desk's local SQLite database: the system of record on the desk. Opens it
// encrypted at rest with the data folder's key (local-db-cipher.ts), durably
// (WAL, synchronous=FULL), readable by its owner only, checks the migration
// history and applies what is missing, and gives the desk its id and settings.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { pendingMigrations } from '../../shared/storage/migration-plan';
import { LOCAL_DB_FILE } from './database-file';
import { openKeyedDatabase, type ConversionListener } from './local-db-cipher';
import { deskMigrations, type Migration } from './migrations';

/**
 * A connection to the desk's database. Typed as better-sqlite3's, whose API
 * the cipher build shares: the knowledge replica and search take either.
 */
export type LocalDb = Database.Database;

export { LOCAL_DB_FILE };

export { MigrationMismatchError } from '../../shared/storage/migration-plan';
export { DeskDatabaseKeyError } from './local-db-cipher';

/**
 * How long a statement waits for another connection's write lock (the
 * knowledge writer's worker writing a page, a second desk tool) before it
 * fails with SQLITE_BUSY. Callers that write in the background, such as the
 * outbox, retry after that; an adviser's own change is refused rather than lost.
 */
export const DESK_BUSY_TIMEOUT_MS = 5_000;

/** Owner only: the database holds the adviser's session token and young people's records. */
const ownerOnlyFolder = 0o700;
const ownerOnlyFile = 0o600;

/**
 * Opens a connection to the desk's database file the way every desk connection
 * must be opened (the desk's own and the knowledge writer's worker): keyed
 * with the database key, then WAL, full sync, foreign keys, the busy timeout,
 * and the file and its -wal and -shm readable by the owner only, whatever the
 * umask. A desk's file in an older form, plain or ChaCha20, is converted to
 * AEGIS-256 first (local-db-cipher.ts).
 *
 * `key` null opens a plain file, as tools and tests that make their own do;
 * the desk services always pass the data folder's key.
 */
export function openDeskConnection(
  file: string,
  key: Buffer | null = null,
  onConversion?: ConversionListener,
): LocalDb {
  // Made before SQLite opens it: SQLite gives new -wal and -shm files the
  // database file's mode, so they are never readable by others, even briefly.
  closeSync(openSync(file, 'a', ownerOnlyFile));
  // With the busy timeout set, so even the pragmas below wait for a lock.
  const db = openKeyedDatabase(file, key, DESK_BUSY_TIMEOUT_MS, onConversion);
  try {
    db.pragma('journal_mode = WAL');
    // An acknowledged local change must survive a power cut, not only a crash.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // SQLite3 Multiple Ciphers encrypts the file and its WAL but not temporary
    // files: sorts and index merges stay in memory so nothing plain reaches the disk.
    db.pragma('temp_store = MEMORY');
    // Files an earlier build left readable by others are narrowed now the -wal and -shm exist.
    for (const path of [file, `${file}-wal`, `${file}-shm`]) {
      if (existsSync(path)) chmodSync(path, ownerOnlyFile);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export interface OpenLocalDbOptions {
  /** The data folder's database key (desk-keys.ts); without one the file is plain (tools, tests). */
  key?: Buffer | null;
  migrations?: readonly Migration[];
  /** Told before a desk's file in an older form is converted, the long part of a first open. */
  onConversion?: ConversionListener;
}

/** Opens (creating if needed) the desk database in `dataDir` and brings its schema up to date. */
export function openLocalDb(dataDir: string, options: OpenLocalDbOptions = {}): LocalDb {
  // mkdir's mode is narrowed by the umask and ignored for a folder that exists, hence the chmod.
  mkdirSync(dataDir, { recursive: true, mode: ownerOnlyFolder });
  chmodSync(dataDir, ownerOnlyFolder);
  const db = openDeskConnection(
    join(dataDir, LOCAL_DB_FILE),
    options.key ?? null,
    options.onConversion,
  );
  try {
    migrate(db, options.migrations ?? deskMigrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Applies missing migrations, each in its own transaction, by the rule the
 * server's runner follows too (shared/storage/migration-plan.ts): a database
 * from a newer build, or one whose history differs, is refused rather than guessed at.
 */
export function migrate(db: LocalDb, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db
    .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
    .all() as { version: number; name: string }[];
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of pendingMigrations(applied, migrations, 'The desk database')) {
    db.transaction(() => {
      migration.up(db);
      record.run(migration.version, migration.name, new Date().toISOString());
    })();
  }
}

export function readSetting(db: LocalDb, key: string): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value ?? null;
}

export function writeSetting(db: LocalDb, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function deleteSetting(db: LocalDb, key: string): void {
  db.prepare('DELETE FROM settings WHERE key = ?').run(key);
}

/** The desk's own id: made once, on first start, and kept for the life of the data folder. */
export function deskIdOf(db: LocalDb): string {
  return db
    .transaction(() => {
      const existing = readSetting(db, 'desk_id');
      if (existing) return existing;
      const deskId = randomUUID();
      writeSetting(db, 'desk_id', deskId);
      return deskId;
    })
    .immediate();
}
