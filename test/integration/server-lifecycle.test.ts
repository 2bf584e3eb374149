// The central server across restarts and as a command, on both engines: data
// kept, demo accounts created only once, a clean exit on SIGTERM, the database
// it uses named at start, and a refusal to open a database written by a newer
// version.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app';
import { demoAccounts } from '../../server/demo-accounts';
import { signingSecretFile, telephonyKeyFile } from '../../server/secrets';
import { startProcess, stopProcess, tsEntry } from '../../scripts/processes';
import { describeEachEngine, openTestDatabase, testDatabase } from '../support/storage';
import { completedRecord } from '../unit/desk-fixtures';
import { startTestServer } from './server-harness';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'adviser-server-lifecycle-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describeEachEngine('server lifecycle', (_open, engine) => {
  it('keeps its data across a restart on the same folder and does not reseed', async () => {
    const harness = await startTestServer({ engine });
    cleanups.push(() => harness.close());
    expect(harness.server.seededDemoAccounts).toBe(true);
    expect(harness.log[0]).toMatch(
      engine === 'sqlite' ? /^database: SQLite / : /^database: PostgreSQL /,
    );
    const deskId = randomUUID();
    const desk = await harness.connectDesk('demo-adviser', deskId);
    const adviserId =
      (await harness.server.storage.accounts.findByUsername('demo-adviser'))?.id ?? '';
    const item = {
      id: randomUUID(),
      stream: 'interaction:restart',
      createdAt: new Date().toISOString(),
      kind: 'interaction.completed',
      payload: completedRecord(deskId, { adviserId }),
    };
    expect(await desk.emitWithAck('outbox:deliver', item)).toMatchObject({
      ok: true,
      value: { status: 'applied' },
    });
    const { sessionToken } = await harness.signIn('demo-leader');

    await harness.restart();

    expect(harness.server.seededDemoAccounts).toBe(false);
    expect(await harness.server.storage.accounts.count()).toBe(demoAccounts.length);
    expect(await harness.server.storage.interactions.count()).toBe(1);
    // The session outlives the restart; the same item from the same desk is still a duplicate.
    const access = await fetch(`${harness.server.url}/api/session/token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionToken}` },
    });
    expect(access.status).toBe(200);
    const again = await harness.connectDesk('demo-adviser', deskId);
    expect(await again.emitWithAck('outbox:deliver', item)).toMatchObject({
      ok: true,
      value: { status: 'duplicate' },
    });
  });

  it('refuses to start on a database from a newer version', async () => {
    const where = await testDatabase(engine, 'newer');
    cleanups.push(() => where.drop());
    const first = await startServer({
      dataDir: where.dataDir,
      databaseUrl: where.databaseUrl,
      port: 0,
    });
    await first.close();
    const database = await openTestDatabase(where);
    await database.db
      .insertInto('schema_migrations')
      .values({ version: 9999, name: 'future', applied_at: '2030-01-01T00:00:00Z' })
      .execute();
    await database.close();
    await expect(
      startServer({ dataDir: where.dataDir, databaseUrl: where.databaseUrl, port: 0 }),
    ).rejects.toThrow(/written by a newer version/);
  });

  it('runs from the command line, names its database, lists the demo accounts on first start, and exits 0 on SIGTERM', async () => {
    const where = await testDatabase(engine, 'cli');
    cleanups.push(() => where.drop());
    const lines: string[] = [];
    const start = () =>
      startProcess({
        name: 'central server',
        ...tsEntry('server/main.ts', [
          '--data-dir',
          where.dataDir,
          '--port',
          '0',
          '--host',
          '127.0.0.1',
          ...(where.databaseUrl ? ['--database', where.databaseUrl] : []),
        ]),
        readyPattern: /^server listening on (http:\/\/127\.0\.0\.1:\d+)$/,
        onLine: (line) => lines.push(line),
      });
    const first = await start();
    cleanups.push(() => stopProcess(first));
    expect(lines.join('\n')).toContain('demo-adviser  Alex Adviser');
    expect(lines.join('\n')).toMatch(
      engine === 'sqlite'
        ? /database: SQLite .*server\.sqlite/
        : /database: PostgreSQL postgres:\/\//,
    );
    const health = await fetch(`${first.readyValue}/healthz`);
    expect(await health.json()).toEqual({ ok: true, value: { status: 'ok' } });
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    lines.length = 0;
    const second = await start();
    cleanups.push(() => stopProcess(second));
    expect(lines.join('\n')).not.toContain('demo accounts');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});

describe('server secrets', () => {
  it('keeps its secrets readable by its own user only', async () => {
    const dataDir = tempDir();
    const server = await startServer({ dataDir, port: 0 });
    cleanups.push(() => server.close());
    for (const file of [signingSecretFile, telephonyKeyFile]) {
      expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    }
  });
});
