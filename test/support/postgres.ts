// A database of its own for each test or suite, on the PostgreSQL server that
// test/support/postgres-global-setup.ts provides, so tests running in parallel
// never see each other's rows.
//
// Where PostgreSQL cannot run, a suite may skip off CI but must fail under CI:
//   describe.skipIf(!postgresAvailable() && !process.env.CI)('…', () => { … });
// freshPostgresDatabase then throws with the reason inside the suite.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface FreshPostgresDatabase {
  /** URL of the new, empty database, with the server's superuser. */
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

function serverUrl(): string | null {
  return inject('postgresUrl') ?? null;
}

export function postgresAvailable(): boolean {
  return serverUrl() !== null;
}

export function postgresUnavailableReason(): string | null {
  if (postgresAvailable()) return null;
  return (
    inject('postgresUnavailable') ??
    // Neither key provided: this vitest project lacks the global setup.
    'the PostgreSQL global setup did not run: add test/support/postgres-global-setup.ts to the globalSetup of this vitest project (vitest.config.ts)'
  );
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Safe as an unquoted identifier too: lower-case letters, digits and underscores, ≤ 63 bytes. */
function databaseName(label: string): string {
  const cleaned = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  return `t_${cleaned ? `${cleaned}_` : ''}${randomBytes(6).toString('hex')}`;
}

export async function freshPostgresDatabase(label: string): Promise<FreshPostgresDatabase> {
  const server = serverUrl();
  if (server === null) {
    const reason = postgresUnavailableReason();
    throw new Error(
      process.env.CI
        ? `PostgreSQL could not start, and under CI tests that need it fail rather than skip: ${reason}`
        : `PostgreSQL is unavailable: ${reason}`,
    );
  }
  const name = databaseName(label);
  await onServer(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => onServer(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
