// Two central server processes on one PostgreSQL database and one data folder,
// as an operator runs them behind a load balancer: real child processes, each
// started from the command line. What one process does, the other must honour:
// both start at once on an empty database and migrate it once; a desk's outbox
// item delivered to both at the same moment is applied once; sign-in limits
// count guesses made at either; signing out at one disconnects the desk held by
// the other (a broadcast through the shared socket.io adapter).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { demoPassword } from '../../server/demo-accounts';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../../scripts/processes';
import type { DeskToServerEvents, ServerToDeskEvents } from '../../shared/wire/socket';
import { postgresAvailable } from '../support/postgres';
import { testDatabase, type TestDatabase } from '../support/storage';
import { completedRecord } from '../unit/desk-fixtures';

type DeskSocket = Socket<ServerToDeskEvents, DeskToServerEvents>;

let where: TestDatabase;
const servers: { process: StartedProcess; url: string; lines: string[] }[] = [];
const sockets: DeskSocket[] = [];

function startServerProcess() {
  const lines: string[] = [];
  return startProcess({
    name: 'central server',
    ...tsEntry('server/main.ts', [
      '--data-dir',
      where.dataDir,
      '--database',
      where.databaseUrl ?? '',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ]),
    readyPattern: /^server listening on (http:\/\/127\.0\.0\.1:\d+)$/,
    onLine: (line) => lines.push(line),
  }).then((process) => ({ process, url: process.readyValue, lines }));
}

function server(index: number) {
  const started = servers[index];
  if (!started) throw new Error(`server ${index} did not start`);
  return started;
}
const a = () => server(0);
const b = () => server(1);

async function postJson(url: string, body: unknown, bearer?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function signIn(url: string, username: string) {
  const session = await postJson(`${url}/api/session`, { username, password: demoPassword });
  const value = session.body.value as { sessionToken: string; user: { id: string } };
  const access = await postJson(`${url}/api/session/token`, {}, value.sessionToken);
  return {
    sessionToken: value.sessionToken,
    accessToken: (access.body.value as { token: string }).token,
    userId: value.user.id,
  };
}

function connectDesk(url: string, token: string, deskId = randomUUID()): Promise<DeskSocket> {
  const socket: DeskSocket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token, deskId },
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

// Off CI, a machine without PostgreSQL skips this file; under CI it fails (test/support/postgres.ts).
describe.skipIf(!postgresAvailable() && !process.env.CI)(
  'two server processes on one PostgreSQL',
  () => {
    beforeAll(async () => {
      where = await testDatabase('postgres', 'two-processes');
      // Both at once, on an empty database: the migrations and the demo accounts race.
      servers.push(...(await Promise.all([startServerProcess(), startServerProcess()])));
    }, 120_000);

    afterAll(async () => {
      for (const socket of sockets) socket.close();
      for (const server of servers) await stopProcess(server.process);
      await where?.drop();
    });

    it('started together on an empty database, migrated it and made the demo accounts once', () => {
      const seeded = servers.filter((server) =>
        server.lines.some((line) => line.startsWith('created demo accounts')),
      );
      expect(seeded).toHaveLength(1);
      for (const server of servers) {
        expect(server.lines.some((line) => /^database: PostgreSQL postgres:\/\//.test(line))).toBe(
          true,
        );
      }
    });

    it('applies a desk outbox item delivered to both at the same moment once', async () => {
      const { accessToken, userId } = await signIn(a().url, 'demo-adviser');
      const deskId = randomUUID();
      const [onA, onB] = await Promise.all([
        connectDesk(a().url, accessToken, deskId),
        connectDesk(b().url, accessToken, deskId),
      ]);
      for (let round = 0; round < 10; round += 1) {
        const record = completedRecord(deskId, { adviserId: userId });
        const item = {
          id: randomUUID(),
          stream: `interaction:${record.id}`,
          createdAt: new Date().toISOString(),
          kind: 'interaction.completed',
          payload: record,
        };
        const answers = await Promise.all([
          onA.emitWithAck('outbox:deliver', item),
          onB.emitWithAck('outbox:deliver', item),
        ]);
        const statuses = answers.map((answer) =>
          answer.ok ? (answer.value as { status: string }).status : answer.error.code,
        );
        expect(statuses.sort()).toEqual(['applied', 'duplicate']);
      }
    });

    it('counts sign-in guesses made at either process against one limit', async () => {
      const statuses: number[] = [];
      for (let guess = 0; guess < 14; guess += 1) {
        const target = guess % 2 === 0 ? a() : b();
        statuses.push(
          (
            await postJson(`${target.url}/api/session`, {
              username: 'demo-trainer',
              password: `guess-${guess}`,
            })
          ).status,
        );
      }
      // Ten failures per username and address in fifteen minutes, counted once for both processes.
      expect(statuses.filter((status) => status === 401)).toHaveLength(10);
      expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    });

    it('signing out at one process disconnects the desk held by the other at once', async () => {
      const { sessionToken, accessToken } = await signIn(a().url, 'demo-leader');
      const desk = await connectDesk(b().url, accessToken);
      const disconnected = new Promise<string>((resolve) => desk.once('disconnect', resolve));
      const signOut = await fetch(`${a().url}/api/session`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${sessionToken}` },
      });
      expect(signOut.status).toBe(200);
      expect(await disconnected).toBe('io server disconnect');
    });
  },
);
