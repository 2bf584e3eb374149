// Brings a SQLite database up to the known list of migrations, refusing one
// whose history is not a prefix of that list (for example a database written
// by a newer server, or by a branch with different migrations).
import type { Database } from 'better-sqlite3';
import type { ServerMigration } from './migrations/types';

export class MigrationMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationMismatchError';
  }
}

interface AppliedMigration {
  version: number;
  name: string;
}

export function appliedMigrations(db: Database): AppliedMigration[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  return db
    .prepare('SELECT version, name FROM schema_migrations ORDER BY version')
    .all() as AppliedMigration[];
}

/** Checks the known list itself: versions 1..n in order, so a bad edit fails at start-up. */
function checkKnownList(known: readonly ServerMigration[]): void {
  known.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationMismatchError(
        `Migration list is out of order: position ${index + 1} holds version ${migration.version} (${migration.name})`,
      );
    }
  });
}

/** Applies what is missing, each migration in its own transaction; returns the versions applied now. */
export function migrate(
  db: Database,
  known: readonly ServerMigration[],
  now: () => Date = () => new Date(),
): number[] {
  checkKnownList(known);
  const applied = appliedMigrations(db);
  if (applied.length > known.length) {
    const newest = applied[applied.length - 1];
    throw new MigrationMismatchError(
      `The database has migrations this server does not know (up to ${newest?.version} ${newest?.name}): ` +
        'it was written by a newer version of the server. Start that version, or use another data folder.',
    );
  }
  applied.forEach((row, index) => {
    const expected = known[index];
    if (!expected || row.version !== expected.version || row.name !== expected.name) {
      throw new MigrationMismatchError(
        `The database's migration history does not match this server: it has ${row.version} ${row.name} ` +
          `where this server expects ${expected ? `${expected.version} ${expected.name}` : 'nothing'}. ` +
          'Refusing to start rather than guess.',
      );
    }
  });
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const appliedNow: number[] = [];
  for (const migration of known.slice(applied.length)) {
    db.transaction(() => {
      migration.up(db);
      record.run(migration.version, migration.name, now().toISOString());
    })();
    appliedNow.push(migration.version);
  }
  return appliedNow;
}
