// Vitest globalSetup: one PostgreSQL server for the whole run, which tests reach
// through test/support/postgres.ts. TEST_DATABASE_URL points the tests at an
// existing server; otherwise a throwaway cluster starts (about a second).
// PostgreSQL failing to start must not fail the run here: the tests that need
// it fail (or, off CI, skip) with the reason, and the rest still run.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PostgresCluster } from '../../scripts/postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test server, or null when it is unavailable. */
    postgresUrl: string | null;
    /** Why PostgreSQL is unavailable, or null when postgresUrl is set. */
    postgresUnavailable: string | null;
  }
}

type Server = { url: string; stop(): Promise<void> } | { unavailable: string };

// Each vitest project runs its own globalSetup, in the same process but with its
// own copy of this module; a run of unit and integration tests shares one server
// through this global, stopped when the last project lets go of it.
const sharedKey = Symbol.for('adviser-desk.test-postgres');
interface Shared {
  server: Promise<Server>;
  users: number;
}
const registry = globalThis as { [sharedKey]?: Shared };

async function checkExisting(url: string): Promise<Server> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { url, stop: async () => undefined };
  } catch (error) {
    return {
      unavailable: `TEST_DATABASE_URL is set but its server could not be reached: ${(error as Error).message}`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startServer(): Promise<Server> {
  const existing = process.env.TEST_DATABASE_URL;
  if (existing) return checkExisting(existing);
  try {
    const cluster: PostgresCluster = await startPostgresCluster();
    return { url: cluster.url, stop: () => cluster.stop() };
  } catch (error) {
    return { unavailable: (error as Error).message };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (registry[sharedKey] ??= { server: startServer(), users: 0 });
  shared.users += 1;
  const server = await shared.server;
  if ('url' in server) {
    project.provide('postgresUrl', server.url);
    project.provide('postgresUnavailable', null);
  } else {
    project.provide('postgresUrl', null);
    project.provide('postgresUnavailable', server.unavailable);
  }
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete registry[sharedKey];
    if ('url' in server) await server.stop();
  };
}
