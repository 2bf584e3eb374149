// The desk's local SQLite database: the system of record on the desk. Opens it
// durably (WAL, synchronous=FULL), checks the migration history and applies
// what is missing, and gives the desk its id and settings.
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { deskMigrations, type Migration } from './migrations';

export type LocalDb = Database.Database;

export const LOCAL_DB_FILE = 'desk.sqlite';

export class MigrationHistoryError extends Error {
  override name = 'MigrationHistoryError';
}

/** Opens (creating if needed) the desk database in `dataDir` and brings its schema up to date. */
export function openLocalDb(
  dataDir: string,
  migrations: readonly Migration[] = deskMigrations,
): LocalDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, LOCAL_DB_FILE));
  try {
    db.pragma('journal_mode = WAL');
    // An acknowledged local change must survive a power cut, not only a crash.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Applies missing migrations. The applied list must be a prefix of the known
 * list: a database from a newer build, or one whose history differs, is refused
 * rather than guessed at.
 */
export function migrate(db: LocalDb, migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationHistoryError(`Migration ${migration.name} is out of place in the list`);
    }
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db
    .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
    .all() as { version: number; name: string }[];
  applied.forEach((row, index) => {
    const known = migrations[index];
    if (!known || known.version !== row.version || known.name !== row.name) {
      throw new MigrationHistoryError(
        `The desk database has migration ${row.version} (${row.name}), which this build does not know; ` +
          'it was written by a different version of the desk',
      );
    }
  });
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of migrations.slice(applied.length)) {
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
