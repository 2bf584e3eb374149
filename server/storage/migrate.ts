// Brings the server's database, on either engine, up to the known list of
// migrations by the rule in shared/storage/migration-plan.ts. Each migration
// runs in its own transaction with the row that records it. On PostgreSQL
// several server processes may start at once: each migration's transaction
// takes one advisory lock and reads the history again under it, so exactly
// one process applies each migration and the others see it applied.
import { sql } from 'kysely';
import { pendingMigrations, type MigrationName } from '../../shared/storage/migration-plan';
import { whileLocked, type Executor, type ServerDatabase } from './database';
import type { ServerMigration } from './migrations/types';

const historyTable = {
  sqlite: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`,
  postgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at text NOT NULL
  )`,
};

export async function appliedMigrations(db: Executor): Promise<MigrationName[]> {
  return db
    .selectFrom('schema_migrations')
    .select(['version', 'name'])
    .orderBy('version')
    .execute();
}

/** Applies what is missing; returns the versions this call applied. */
export async function migrate(
  database: ServerDatabase,
  known: readonly ServerMigration[],
  now: () => Date = () => new Date(),
): Promise<number[]> {
  const { engine } = database;
  // CREATE TABLE IF NOT EXISTS can still race on PostgreSQL's catalogue.
  await whileLocked(database, 'schema_migrations', (trx) =>
    sql.raw(historyTable[engine]).execute(trx),
  );
  const appliedNow: number[] = [];
  for (;;) {
    const next = await whileLocked(database, 'schema_migrations', async (trx) => {
      const [migration] = pendingMigrations(await appliedMigrations(trx), known);
      if (!migration) return null;
      await migration.up({
        engine,
        db: trx,
        exec: async (script) => {
          if (database.sqlite) database.sqlite.exec(script);
          else await sql.raw(script).execute(trx);
        },
      });
      await trx
        .insertInto('schema_migrations')
        .values({
          version: migration.version,
          name: migration.name,
          applied_at: now().toISOString(),
        })
        .execute();
      return migration.version;
    });
    if (next === null) return appliedNow;
    appliedNow.push(next);
  }
}
