// Ownership of live state (chat and call routing) between processes on one
// PostgreSQL database: one owner at a time; a clean stop hands it on; an owner
// whose connection is cut is told at once, and another process takes over.
// On SQLite the one process owns everything.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openPostgresDatabase, type ServerDatabase } from '../../server/storage/database';
import { takeOwnership, type Ownership } from '../../server/storage/ownership';
import { postgresAvailable } from '../support/postgres';
import { openTestDatabase, testDatabase } from '../support/storage';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function watch(ownership: Ownership) {
  const seen = { gained: 0 };
  ownership.onGained(() => (seen.gained += 1));
  return seen;
}

describe('ownership on SQLite', () => {
  it('belongs to the one process from the start', async () => {
    const where = await testDatabase('sqlite', 'ownership');
    cleanups.push(() => where.drop());
    const database = await openTestDatabase(where);
    cleanups.push(() => database.close());
    const ownership = await takeOwnership(database, 'routing', {
      log: () => undefined,
      lost: () => undefined,
    });
    expect(ownership.owner).toBe(true);
  });
});

// Off CI, a machine without PostgreSQL skips this file's PostgreSQL part; under CI it fails.
describe.skipIf(!postgresAvailable() && !process.env.CI)('ownership on PostgreSQL', () => {
  async function processes(count: number): Promise<ServerDatabase[]> {
    const where = await testDatabase('postgres', 'ownership');
    cleanups.push(() => where.drop());
    const databases = await Promise.all(
      Array.from({ length: count }, () => openPostgresDatabase(where.databaseUrl ?? '')),
    );
    for (const database of databases) cleanups.push(() => database.close());
    return databases;
  }

  it('has one owner among processes starting together, and a clean stop hands it on', async () => {
    const databases = await processes(3);
    const lines: string[] = [];
    const owners = await Promise.all(
      databases.map((database) =>
        takeOwnership(database, 'routing', {
          retryMs: 50,
          log: (line) => lines.push(line),
          lost: () => undefined,
        }),
      ),
    );
    for (const ownership of owners) cleanups.push(() => ownership.close());
    expect(owners.filter((ownership) => ownership.owner)).toHaveLength(1);
    const seen = owners.map(watch);

    const first = owners.findIndex((ownership) => ownership.owner);
    await owners[first]?.close();
    await expect
      .poll(() => owners.filter((ownership) => ownership.owner).length, { timeout: 5_000 })
      .toBe(1);
    const next = owners.findIndex((ownership) => ownership.owner);
    expect(next).not.toBe(first);
    expect(seen[next]?.gained).toBe(1);
    // Still one owner a while later: the third keeps trying and keeps failing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(owners.filter((ownership) => ownership.owner)).toHaveLength(1);
  });

  it('tells an owner whose connection is cut, and another process takes over', async () => {
    const [one, two] = await processes(2);
    if (!one || !two) throw new Error('no databases');
    let lost = 0;
    const first = await takeOwnership(one, 'routing', {
      retryMs: 50,
      log: () => undefined,
      lost: () => (lost += 1),
    });
    cleanups.push(() => first.close());
    const second = await takeOwnership(two, 'routing', {
      retryMs: 50,
      log: () => undefined,
      lost: () => undefined,
    });
    cleanups.push(() => second.close());
    expect([first.owner, second.owner]).toEqual([true, false]);

    // What a network cut or a database restart does to the owner's connection.
    await sql`select pg_terminate_backend(pid) from pg_locks
      where locktype = 'advisory' and granted and pid <> pg_backend_pid()`.execute(two.db);
    await expect.poll(() => lost, { timeout: 5_000 }).toBe(1);
    expect(first.owner).toBe(false);
    await expect.poll(() => second.owner, { timeout: 5_000 }).toBe(true);
  });
});
