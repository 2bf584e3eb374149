// Two central server processes on one PostgreSQL database and one data folder,
// as an operator runs them behind a load balancer: real child processes, each
// started from the command line. What one process does, the other must honour:
// both start at once on an empty database and migrate it once; a desk's outbox
// item delivered to both at the same moment is applied once; sign-in limits
// count guesses made at either; signing out at one disconnects the desk held by
// the other (a broadcast through the shared socket.io adapter). Chat routing
// lives in one of them, the routing owner: a customer on one process and an
// adviser on the other complete a chat, whichever owns routing; a call queued
// through one is answered on a desk of the other; and when the
// owner is killed mid-chat, its clients reconnect to the survivor, which takes
// routing over, and the chat goes on with nothing lost or doubled.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoPassword } from '../../server/demo-accounts';
import { telephonyKeyFile } from '../../server/secrets';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../../scripts/processes';
import type { Result } from '../../shared/result';
import type { ChatMessage, ChatMessageAck, CustomerChatState } from '../../shared/wire/chat';
import type { DeskToServerEvents, ServerToDeskEvents } from '../../shared/wire/socket';
import { postgresAvailable } from '../support/postgres';
import { testDatabase, type TestDatabase } from '../support/storage';
import { completedRecord } from '../unit/desk-fixtures';

type DeskSocket = Socket<ServerToDeskEvents, DeskToServerEvents>;

let where: TestDatabase;
/** A JSON log line's message, or the line itself (the plain start-up announcement). */
function logMessage(line: string): string {
  try {
    const record = JSON.parse(line) as { msg?: unknown };
    return typeof record.msg === 'string' ? record.msg : line;
  } catch {
    return line;
  }
}

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
      // Chats start whatever the time the tests run.
      '--service-hours',
      '00:00-24:00',
    ]),
    readyPattern: /^server listening on (http:\/\/127\.0\.0\.1:\d+)$/,
    // The server logs JSON lines; what is checked here is each line's message.
    onLine: (line) => lines.push(logMessage(line)),
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

/** A socket that keeps every event it hears, and asks with an acknowledgement. */
interface Party {
  socket: Socket;
  heard: { event: string; payload: unknown }[];
  ask<T>(event: string, payload?: unknown): Promise<Result<T>>;
  /** The next event of this name heard from now on, or one already heard that matches. */
  hears<T>(event: string, matches?: (payload: T) => boolean): Promise<T>;
}

function party(socket: Socket): Promise<Party> {
  const heard: { event: string; payload: unknown }[] = [];
  const waiting: {
    event: string;
    matches: (payload: unknown) => boolean;
    resolve(payload: unknown): void;
  }[] = [];
  socket.onAny((event: string, payload: unknown) => {
    heard.push({ event, payload });
    for (const each of [...waiting]) {
      if (each.event === event && each.matches(payload)) {
        waiting.splice(waiting.indexOf(each), 1);
        each.resolve(payload);
      }
    }
  });
  const ready: Party = {
    socket,
    heard,
    ask: <T>(event: string, payload?: unknown) =>
      socket.timeout(10_000).emitWithAck(event, payload) as Promise<Result<T>>,
    hears: <T>(event: string, matches: (payload: T) => boolean = () => true) => {
      const already = heard.find((each) => each.event === event && matches(each.payload as T));
      if (already) return Promise.resolve(already.payload as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never heard ${event}`)), 15_000);
        waiting.push({
          event,
          matches: (payload) => matches(payload as T),
          resolve: (payload) => {
            clearTimeout(timer);
            resolve(payload as T);
          },
        });
      });
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(ready));
    socket.once('connect_error', reject);
  });
}

function customerAt(url: string): Promise<Party> {
  const socket = io(`${url}/customer`, { transports: ['websocket'], reconnection: false });
  sockets.push(socket as unknown as DeskSocket);
  return party(socket);
}

async function adviserAt(url: string, accessToken: string): Promise<Party> {
  const desk = await party(
    io(url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: accessToken, deskId: randomUUID() },
    }),
  );
  sockets.push(desk.socket as unknown as DeskSocket);
  return desk;
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Asks until the answer is not "unavailable": routing is moving to the survivor. */
async function askUntilRouted<T>(who: Party, event: string, payload?: unknown): Promise<Result<T>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const answer = await who.ask<T>(event, payload);
    if (answer.ok || answer.error.code !== 'unavailable' || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * An available adviser on one process and a customer on another, whose chat
 * routing offered to that adviser and the adviser accepted.
 */
async function chatAcross(adviserSide: number, customerSide: number, name: string) {
  const { accessToken } = await signIn(server(adviserSide).url, 'demo-adviser');
  const adviser = await adviserAt(server(adviserSide).url, accessToken);
  value(await adviser.ask('adviser:availability', { availability: 'available' }));
  const customer = await customerAt(server(customerSide).url);
  const started = value(await customer.ask<CustomerChatState>('chat:start', { name, age: 15 }));
  await adviser.hears<{ chatId: string }>(
    'chat:offered',
    (offer) => offer.chatId === started.chatId,
  );
  value(await adviser.ask('chat:accept', { chatId: started.chatId }));
  await customer.hears('chat:connected');
  return { adviser, customer, started };
}

const ownerIndex = () =>
  servers.findIndex((server) =>
    server.lines.some(
      (line) =>
        line === 'routing: this process routes chats and calls' ||
        line.startsWith('routing: this process is the routing owner now'),
    ),
  );

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

    it('a desk signed out at one process cannot send a chat message on the other, however quickly it tries', async () => {
      const { sessionToken, accessToken } = await signIn(a().url, 'demo-adviser');
      const adviser = await adviserAt(b().url, accessToken);
      value(await adviser.ask('adviser:availability', { availability: 'available' }));
      const customer = await customerAt(a().url);
      const started = value(await customer.ask<CustomerChatState>('chat:start', { name: 'Kai' }));
      await adviser.hears<{ chatId: string }>('chat:offered', (o) => o.chatId === started.chatId);
      value(await adviser.ask('chat:accept', { chatId: started.chatId }));
      value(
        await adviser.ask('chat:send', {
          chatId: started.chatId,
          clientMessageId: randomUUID(),
          text: 'before',
        }),
      );
      const signOut = await fetch(`${a().url}/api/session`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${sessionToken}` },
      });
      expect(signOut.status).toBe(200);
      // Sent at once: refused, or never answered because the socket closed first.
      const after = await adviser
        .ask('chat:send', { chatId: started.chatId, clientMessageId: randomUUID(), text: 'after' })
        .catch(() => null);
      if (after) expect(after).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      // The customer resumes and sees only what was kept.
      const again = await customerAt(b().url);
      const resumed = value(
        await again.ask<{ messages: ChatMessage[] }>('chat:resume', {
          resumeToken: started.resumeToken,
          lastSeenSeq: 0,
        }),
      );
      expect(resumed.messages.map((m) => m.text)).toEqual(['before']);
      value(await customer.ask('chat:end'));
      customer.socket.close();
      again.socket.close();
    });

    for (const [customerSide, adviserSide] of [
      [0, 1],
      [1, 0],
    ] as const) {
      it(`a customer on process ${'AB'[customerSide]} and an adviser on process ${'AB'[adviserSide]} complete a chat`, async () => {
        // Routing, wherever it lives, offers the chat waiting on one process to the desk on the other.
        const { adviser, customer, started } = await chatAcross(adviserSide, customerSide, 'Jo');

        value(
          await customer.ask<ChatMessageAck>('chat:message', {
            clientMessageId: randomUUID(),
            text: 'Hello',
          }),
        );
        const toAdviser = await adviser.hears<ChatMessage>(
          'chat:message',
          (m) => m.chatId === started.chatId,
        );
        expect(toAdviser.text).toBe('Hello');
        value(
          await adviser.ask('chat:send', {
            chatId: started.chatId,
            clientMessageId: randomUUID(),
            text: 'Hi Jo, how can I help?',
          }),
        );
        expect((await customer.hears<ChatMessage>('chat:message')).text).toBe(
          'Hi Jo, how can I help?',
        );

        value(await adviser.ask('chat:end', { chatId: started.chatId }));
        await customer.hears('chat:ended');
        adviser.socket.close();
        customer.socket.close();
      });
    }

    it('a call queued through one process is offered to, answered and ended by the adviser on the other', async () => {
      const { accessToken } = await signIn(b().url, 'demo-adviser');
      const adviser = await adviserAt(b().url, accessToken);
      value(await adviser.ask('adviser:availability', { availability: 'available' }));
      // The telephony platform reaches process A, as a load balancer might send it.
      const key = readFileSync(join(where.dataDir, telephonyKeyFile), 'utf8').trim();
      const platform = (path: string, body: unknown) =>
        fetch(`${a().url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telephony-key': key },
          body: JSON.stringify(body),
        });
      const queued = await platform('/api/telephony/queue', { cli: '07700900456' });
      expect(queued.status).toBe(201);
      const { callId } = ((await queued.json()) as { value: { callId: string } }).value;

      const offer = await adviser.hears<{ callId: string; cli: string | null }>(
        'call:offered',
        (each) => each.callId === callId,
      );
      expect(offer.cli).toBe('07700900456');
      value(await adviser.ask('call:answer', { callId }));
      const hungUp = await platform(`/api/telephony/calls/${callId}/end`, {});
      expect(hungUp.status).toBe(200);
      await adviser.hears<{ callId: string; endedBy: string }>(
        'call:ended',
        (each) => each.callId === callId && each.endedBy === 'customer',
      );
      adviser.socket.close();
    });

    // Last: it kills a process.
    it('kill -9 of the routing owner mid-chat: clients move to the other process and the chat goes on, nothing lost or doubled', async () => {
      const owner = ownerIndex();
      expect(owner).toBeGreaterThanOrEqual(0);
      const survivor = 1 - owner;
      const { adviser, customer, started } = await chatAcross(survivor, owner, 'Max');
      const first = { clientMessageId: randomUUID(), text: 'Before the crash' };
      const firstAck = value(await customer.ask<ChatMessageAck>('chat:message', first));

      // Sent, and the process killed before its acknowledgement can be relied on.
      const second = { clientMessageId: randomUUID(), text: 'During the crash' };
      customer.socket.emit('chat:message', second);
      server(owner).process.child.kill('SIGKILL');
      await server(owner).process.exited;

      // The page reconnects (to the survivor, as a load balancer would send it) and resends what it has no acknowledgement for.
      const back = await customerAt(server(survivor).url);
      value(
        await askUntilRouted(back, 'chat:resume', {
          resumeToken: started.resumeToken,
          lastSeenSeq: firstAck.seq,
        }),
      );
      const resent = value(await back.ask<ChatMessageAck>('chat:message', second));
      expect(resent.seq).toBe(firstAck.seq + 1);
      await adviser.hears<ChatMessage>('chat:message', (m) => m.text === 'During the crash');

      // The chat goes on, both ways, through the survivor.
      value(
        await adviser.ask('chat:send', {
          chatId: started.chatId,
          clientMessageId: randomUUID(),
          text: 'Still here',
        }),
      );
      expect((await back.hears<ChatMessage>('chat:message')).text).toBe('Still here');
      expect(
        server(survivor).lines.some((line) =>
          line.startsWith('routing: this process is the routing owner now'),
        ),
      ).toBe(true);

      // The survivor routes now: a new chat is offered to the adviser, who kept their availability.
      const newcomer = await customerAt(server(survivor).url);
      const next = value(
        await newcomer.ask<CustomerChatState>('chat:start', { name: 'Sam', age: 14 }),
      );
      await adviser.hears<{ chatId: string }>(
        'chat:offered',
        (offer) => offer.chatId === next.chatId,
      );

      // Nothing lost or doubled: the adviser's log of the chat holds each message once, in order.
      // The message sent during the crash may have reached the adviser twice (pushed before the
      // kill, and again for its resend): always under its one seq, which the desk keeps once.
      const log = value(
        await adviser.ask<{ messages: ChatMessage[] }>('chat:log', { chatId: started.chatId }),
      );
      expect(log.messages.map((m) => m.text)).toEqual([
        'Before the crash',
        'During the crash',
        'Still here',
      ]);
      const copies = adviser.heard.filter(
        (each) =>
          each.event === 'chat:message' &&
          (each.payload as ChatMessage).text === 'During the crash',
      );
      expect(new Set(copies.map((each) => (each.payload as ChatMessage).seq))).toEqual(
        new Set([resent.seq]),
      );
    });
  },
);
