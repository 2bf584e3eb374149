// Real storage for tests on either engine: SQLite files in a fresh temp folder,
// or a fresh database on the test PostgreSQL server (test/support/postgres.ts).
// `describeEachEngine` runs one set of tests against both, which is how every
// store's contract is checked: the same expectations, two engines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe } from 'vitest';
import {
  openPostgresDatabase,
  openSqliteDatabase,
  type Engine,
  type ServerDatabase,
  type StoreContext,
} from '../../server/storage/database';
import { interactionRow } from '../../server/storage/ingest';
import { migrate } from '../../server/storage/migrate';
import type { InteractionRecord } from '../../shared/interaction/record';
import { serverMigrations } from '../../server/storage/migrations';
import { freshPostgresDatabase, postgresAvailable } from './postgres';

export const engines: readonly Engine[] = ['sqlite', 'postgres'];

/** A migrated, empty database and a store context on it (a store on the database, not in a unit of work). */
export interface TestStoreContext extends StoreContext {
  database: ServerDatabase;
  dataDir: string;
}

/** Where a test server or storage keeps its data on `engine`; `drop` removes it all. */
export interface TestDatabase {
  engine: Engine;
  dataDir: string;
  /** null for SQLite (the file in dataDir). */
  databaseUrl: string | null;
  drop(): Promise<void>;
}

export async function testDatabase(engine: Engine, label: string): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), `adviser-desk-${label}-`));
  if (engine === 'sqlite') {
    return {
      engine,
      dataDir,
      databaseUrl: null,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const database = await freshPostgresDatabase(label);
  return {
    engine,
    dataDir,
    databaseUrl: database.url,
    drop: async () => {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens and migrates the database of `where` (to `migrations`, all by default). */
export async function openTestDatabase(
  where: TestDatabase,
  migrations = serverMigrations,
): Promise<ServerDatabase> {
  const database = where.databaseUrl
    ? await openPostgresDatabase(where.databaseUrl)
    : openSqliteDatabase(where.dataDir);
  await migrate(database, migrations);
  return database;
}

/**
 * Runs `body` once per engine. `open()` gives a store context on a migrated,
 * empty database; each is closed and dropped after its test. Suites that need
 * a whole server on each engine use the engine and `testDatabase` instead.
 */
export function describeEachEngine(
  title: string,
  body: (open: () => Promise<TestStoreContext>, engine: Engine) => void,
): void {
  for (const engine of engines) {
    // Off CI, a machine without PostgreSQL skips its half; under CI it fails (test/support/postgres.ts).
    const unavailable = engine === 'postgres' && !postgresAvailable() && !process.env.CI;
    describe.skipIf(unavailable)(`${title} [${engine}]`, () => {
      const opened: { database: ServerDatabase; where: TestDatabase }[] = [];
      afterEach(async () => {
        for (const { database, where } of opened.splice(0)) {
          await database.close();
          await where.drop();
        }
      });
      body(async () => {
        const where = await testDatabase(engine, title.replace(/\W+/g, '-').slice(0, 24));
        const database = await openTestDatabase(where);
        opened.push({ database, where });
        return {
          db: database.db,
          engine,
          afterCommit: (effect) => effect(),
          database,
          dataDir: where.dataDir,
        };
      }, engine);
    });
  }
}

/** Holds an interaction record as the ingest writer stores it, without the rest of ingest. */
export async function holdInteraction(
  context: StoreContext,
  record: InteractionRecord,
): Promise<void> {
  await context.db
    .insertInto('interactions')
    .values(interactionRow(record, record.completedAt))
    .execute();
}
