// Web chat against the real server: customers on the `/customer` namespace and
// advisers on signed-in desk sockets, over loopback with socket.io-client, on
// each engine (SQLite files in a temp folder, and PostgreSQL). Ordering,
// acknowledgements, resending after a reconnect on either side, no duplicates,
// the length and rate limits, and hostile text kept and sent exactly as typed.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/result';
import {
  chatLimits,
  type ChatMessage,
  type ChatMessageAck,
  type ChatOffer,
  type ChatSession,
  type CustomerChatResumed,
  type CustomerChatState,
  type CustomerToServerEvents,
  type AdviserPresence,
  type DeskChatResync,
  type QueueStats,
  type ServerToCustomerEvents,
  type ServiceStatus,
} from '../../shared/wire/chat';
import { queueRefusals } from '../../server/chat/service';
import { KyselyChatStore } from '../../server/chat/store';
import { ManualClock } from '../../server/routing/clock';
import { defaultDeclinedPauseMs, defaultOfferTimeoutMs } from '../../server/routing/router';
import {
  openPostgresDatabase,
  openSqliteDatabase,
  type Engine,
  type Executor,
} from '../../server/storage/database';
import { engines } from '../support/storage';
import { startTestServer, type TestDeskSocket, type TestServer } from './server-harness';

type CustomerSocket = Socket<ServerToCustomerEvents, CustomerToServerEvents>;

/** Midday in London, inside service hours; tests move it. */
let clockAt = Date.parse('2026-11-30T12:00:00Z');
let server: TestServer;
let engine: Engine;
const opened: { close(): void }[] = [];

/** Reads the running server's database directly, on whichever engine it is. */
async function inDatabase<T>(read: (db: Executor) => Promise<T>): Promise<T> {
  const database = server.databaseUrl
    ? await openPostgresDatabase(server.databaseUrl)
    : openSqliteDatabase(server.dataDir);
  try {
    return await read(database.db);
  } finally {
    await database.close();
  }
}

/** Every event a socket heard, in order, so a test can wait for one and count them. */
function listen<
  S extends { onAny(listener: (event: string, ...args: unknown[]) => void): unknown },
>(socket: S): { event: string; payload: unknown }[] {
  const heard: { event: string; payload: unknown }[] = [];
  socket.onAny((event, payload) => heard.push({ event, payload }));
  return heard;
}

async function until<T>(what: string, probe: () => T | undefined | null | false): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const found = probe();
    if (found !== undefined && found !== null && found !== false) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for ${what}; server log:\n${server.log.join('\n')}`);
}

const heardOf = <T>(heard: { event: string; payload: unknown }[], event: string) =>
  heard.filter((entry) => entry.event === event).map((entry) => entry.payload as T);

/** Messages heard as "seq text", to show a repeat is the same message, not a second one. */
const seqAndText = (heard: readonly ChatMessage[]): string[] =>
  heard.map((message) => `${message.seq} ${message.text}`);

interface Customer {
  socket: CustomerSocket;
  heard: { event: string; payload: unknown }[];
  ask<T>(event: keyof CustomerToServerEvents, payload: unknown): Promise<Result<T>>;
}

/** Waits for a new socket to connect, keeping it to close later and what it hears from the start. */
async function connected<S extends CustomerSocket | TestDeskSocket>(
  socket: S,
): Promise<{
  socket: S;
  heard: { event: string; payload: unknown }[];
  ask<T>(event: string, payload: unknown): Promise<Result<T>>;
}> {
  opened.push(socket);
  // Listening before the handshake: the server speaks first on a desk's connection.
  const heard = listen(socket);
  // Connection events are the same on every socket, whatever events it is typed with.
  const untyped = socket as unknown as Socket;
  await new Promise<void>((resolve, reject) => {
    untyped.once('connect', () => resolve());
    untyped.once('connect_error', reject);
  });
  return {
    socket,
    heard,
    ask: <T>(event: string, payload: unknown) =>
      (
        socket.timeout(5_000) as unknown as {
          emitWithAck(event: string, payload: unknown): Promise<Result<T>>;
        }
      ).emitWithAck(event, payload),
  };
}

/** A customer's socket; `localAddress` makes it come from another loopback address (another school). */
function connectCustomer(localAddress?: string): Promise<Customer> {
  return connected<CustomerSocket>(
    io(`${server.server.url}/customer`, {
      transports: ['websocket'],
      reconnection: false,
      // Not typed by socket.io-client, but passed down to the WebSocket it opens.
      ...(localAddress ? ({ localAddress } as Record<string, string>) : {}),
    }),
  );
}

interface Desk {
  socket: TestDeskSocket;
  heard: { event: string; payload: unknown }[];
  ask<T>(event: string, payload: unknown): Promise<Result<T>>;
}

async function connectDesk(username: string, deskId = randomUUID()): Promise<Desk> {
  const { accessToken } = await server.signIn(username);
  return connected<TestDeskSocket>(
    io(server.server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: accessToken, deskId },
    }),
  );
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A customer whose chat an available adviser has accepted. */
async function connectedChat(
  desk: Desk,
  name = 'Jo',
): Promise<{ customer: Customer; chatId: string; resumeToken: string }> {
  const customer = await connectCustomer();
  const started = value(await customer.ask<CustomerChatState>('chat:start', { name, age: 16 }));
  await until('the offer', () =>
    heardOf<ChatOffer>(desk.heard, 'chat:offered').find((offer) => offer.chatId === started.chatId),
  );
  value(await desk.ask<ChatSession>('chat:accept', { chatId: started.chatId }));
  await until(
    'the customer hears the adviser joined',
    () => heardOf(customer.heard, 'chat:connected').length > 0,
  );
  return { customer, chatId: started.chatId, resumeToken: started.resumeToken };
}

async function availableDesk(username = 'demo-adviser'): Promise<Desk> {
  const desk = await connectDesk(username);
  value(await desk.ask('adviser:availability', { availability: 'available' }));
  return desk;
}

const clientId = () => randomUUID();

for (const each of engines) {
  describe(`web chat [${each}]`, () => {
    beforeAll(() => {
      engine = each;
    });

    beforeEach(async () => {
      clockAt = Date.parse('2026-11-30T12:00:00Z');
      server = await startTestServer({
        engine,
        now: () => clockAt,
        chat: { messageRate: { capacity: 5, refillPerSecond: 1 }, customerGraceMs: 60_000 },
      });
    });

    afterEach(async () => {
      for (const socket of opened.splice(0)) socket.close();
      await server.close();
    });

    describe('starting, queueing and answering', () => {
      it('a customer queues, sees their place, and an available adviser is offered and answers the chat', async () => {
        const desk = await connectDesk('demo-adviser');
        await until(
          'the desk hears its presence',
          () => heardOf(desk.heard, 'adviser:presence')[0],
        );
        expect(heardOf(desk.heard, 'adviser:presence')[0]).toMatchObject({
          availability: 'offline',
        });

        const first = await connectCustomer();
        const second = await connectCustomer();
        const one = value(
          await first.ask<CustomerChatState>('chat:start', { name: 'Jo', age: 15 }),
        );
        const two = value(await second.ask<CustomerChatState>('chat:start', { name: '  Sam  ' }));
        expect(one).toMatchObject({
          status: 'queued',
          queue: { position: 1, expectedWaitSeconds: null },
        });
        expect(two).toMatchObject({ status: 'queued', name: 'Sam', queue: { position: 2 } });
        await until('queue figures on the desk', () =>
          heardOf<QueueStats>(desk.heard, 'queue:stats').find((stats) => stats.chatsWaiting === 2),
        );

        value(await desk.ask('adviser:availability', { availability: 'available' }));
        const offers = await until('two offers', () => {
          const heard = heardOf<ChatOffer>(desk.heard, 'chat:offered');
          return heard.length === 2 ? heard : null;
        });
        expect(offers.map((offer) => offer.chatId)).toEqual([one.chatId, two.chatId]);
        expect(offers[0]).toMatchObject({ customerName: 'Jo', age: 15 });
        expect(
          Date.parse(offers[0]?.expiresAt ?? '') - Date.parse(offers[0]?.offeredAt ?? ''),
        ).toBe(20_000);

        // Written while waiting: the adviser reads it on answering.
        const early = value(
          await first.ask<ChatMessageAck>('chat:message', {
            clientMessageId: clientId(),
            text: 'hi, anyone there?',
          }),
        );
        expect(early.seq).toBe(1);
        const session = value(await desk.ask<ChatSession>('chat:accept', { chatId: one.chatId }));
        expect(session).toMatchObject({ chatId: one.chatId, status: 'connected' });
        expect(session.messages.map((message) => message.text)).toEqual(['hi, anyone there?']);
        await until(
          'the customer hears who joined',
          () => heardOf(first.heard, 'chat:connected')[0],
        );
        expect(heardOf(first.heard, 'chat:connected')[0]).toMatchObject({ adviserName: 'Alex' });
        await until('the second customer moves up', () =>
          heardOf<{ position: number }>(second.heard, 'chat:queue').find((q) => q.position === 1),
        );
      });

      it('a chat cannot start outside service hours, and the page is told when it opens', async () => {
        clockAt = Date.parse('2026-11-30T22:30:00Z');
        const customer = await connectCustomer();
        const refused = await customer.ask('chat:start', { name: 'Jo' });
        expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
        const status = (await (
          await fetch(`${server.server.url}/api/chat/service`)
        ).json()) as Result<ServiceStatus>;
        expect(value(status)).toMatchObject({
          open: false,
          opensAt: '08:00',
          closesAt: '22:00',
          nextOpening: '2026-12-01T08:00:00.000Z',
        });
        // In British Summer Time the same wall clock is an hour earlier in UTC.
        clockAt = Date.parse('2026-07-01T06:59:00Z');
        const summer = (await (
          await fetch(`${server.server.url}/api/chat/service`)
        ).json()) as Result<ServiceStatus>;
        expect(value(summer)).toMatchObject({
          open: false,
          nextOpening: '2026-07-01T07:00:00.000Z',
        });
        clockAt = Date.parse('2026-07-01T07:00:00Z');
        const open = (await (
          await fetch(`${server.server.url}/api/chat/service`)
        ).json()) as Result<ServiceStatus>;
        expect(value(open).open).toBe(true);
      });

      it('limits the queue per address and in all, refusing with words the page shows as they are', async () => {
        await server.close();
        server = await startTestServer({
          engine,
          now: () => clockAt,
          chat: { maxWaitingChats: 3, maxWaitingChatsPerAddress: 2 },
        });
        const started: Result<CustomerChatState>[] = [];
        for (const address of ['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.2', '127.0.0.3']) {
          const customer = await connectCustomer(address);
          started.push(await customer.ask<CustomerChatState>('chat:start', { name: 'Jo' }));
        }
        expect(started.map((answer) => (answer.ok ? 'queued' : answer.error.code))).toEqual([
          'queued',
          'queued',
          'rate_limited',
          'queued',
          'unavailable',
        ]);
        expect(started[2]).toMatchObject({ error: { message: queueRefusals.address } });
        expect(started[4]).toMatchObject({ error: { message: queueRefusals.full } });
      });

      it('a customer who leaves before an answer is recorded as abandoned with the wait', async () => {
        const desk = await connectDesk('demo-adviser');
        const customer = await connectCustomer();
        const started = value(await customer.ask<CustomerChatState>('chat:start', { name: 'Jo' }));
        clockAt += 75_000;
        const ended = await customer.ask('chat:end', {});
        expect(ended).toMatchObject({ ok: true, value: { endedBy: 'customer' } });
        await until('the abandonment in the figures', () =>
          heardOf<QueueStats>(desk.heard, 'queue:stats').find(
            (stats) => stats.abandonedToday === 1,
          ),
        );
        const { abandonments, chat } = await inDatabase(async (db) => ({
          abandonments: await db
            .selectFrom('queue_abandonments')
            .select(['kind', 'contact_id', 'waited_ms'])
            .execute(),
          chat: await db
            .selectFrom('chats')
            .select('status')
            .where('id', '=', started.chatId)
            .executeTakeFirst(),
        }));
        expect(abandonments).toEqual([
          { kind: 'chat', contact_id: started.chatId, waited_ms: 75_000 },
        ]);
        expect(chat).toEqual({ status: 'abandoned' });
      });
    });

    describe('messages', () => {
      it('arrive in order with one sequence per chat, acknowledged to the sender', async () => {
        const desk = await availableDesk();
        const { customer, chatId } = await connectedChat(desk);

        const acks: ChatMessageAck[] = [];
        for (const text of ['hello', 'I want to be a vet']) {
          acks.push(
            value(
              await customer.ask<ChatMessageAck>('chat:message', {
                clientMessageId: clientId(),
                text,
              }),
            ),
          );
        }
        acks.push(
          value(
            await desk.ask<ChatMessageAck>('chat:send', {
              chatId,
              clientMessageId: clientId(),
              text: 'Hi Jo',
            }),
          ),
        );
        acks.push(
          value(
            await customer.ask<ChatMessageAck>('chat:message', {
              clientMessageId: clientId(),
              text: 'thanks',
            }),
          ),
        );
        expect(acks.map((ack) => [ack.seq, ack.duplicate])).toEqual([
          [1, false],
          [2, false],
          [3, false],
          [4, false],
        ]);

        const atDesk = await until('three customer messages at the desk', () => {
          const heard = heardOf<ChatMessage>(desk.heard, 'chat:message');
          return heard.length === 3 ? heard : null;
        });
        expect(atDesk.map((message) => [message.seq, message.from, message.text])).toEqual([
          [1, 'customer', 'hello'],
          [2, 'customer', 'I want to be a vet'],
          [4, 'customer', 'thanks'],
        ]);
        const atCustomer = await until(
          'the adviser message at the customer',
          () => heardOf<ChatMessage>(customer.heard, 'chat:message')[0],
        );
        expect(atCustomer).toMatchObject({
          seq: 3,
          from: 'adviser',
          author: 'Alex',
          text: 'Hi Jo',
        });

        const log = value(await desk.ask<ChatSession>('chat:log', { chatId }));
        expect(log.messages.map((message) => message.seq)).toEqual([1, 2, 3, 4]);
      });

      it('a desk whose session ended elsewhere is refused its next message and receipt, before any notice closes it', async () => {
        const desk = await availableDesk();
        const { customer, chatId } = await connectedChat(desk);
        value(await customer.ask('chat:message', { clientMessageId: clientId(), text: 'hello' }));
        await until('the message at the desk', () => heardOf(desk.heard, 'chat:message')[0]);
        // Kept while signed in; the session is not read before a message or a receipt.
        value(await desk.ask('chat:send', { chatId, clientMessageId: clientId(), text: 'Hi Jo' }));
        // Signed out through another process: the row is gone, and the notice that would
        // close this socket has not come (it never does here).
        await inDatabase((db) => db.deleteFrom('sessions').execute());
        const closed = new Promise<string>((resolve) => desk.socket.once('disconnect', resolve));
        const receipt = await desk.ask('chat:ack', { chatId, upToSeq: 1 });
        // A receipt on an ended session moves nothing, whatever its answer.
        expect(receipt.ok || receipt.error.code === 'unauthenticated').toBe(true);
        const refused = await desk.ask('chat:send', {
          chatId,
          clientMessageId: clientId(),
          text: 'after signing out',
        });
        expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
        expect(await closed).toBe('io server disconnect');
        const chat = await inDatabase((db) =>
          db
            .selectFrom('chats')
            .select(['last_seq', 'adviser_acked_seq'])
            .where('id', '=', chatId)
            .executeTakeFirstOrThrow(),
        );
        expect(chat).toEqual({ last_seq: 2, adviser_acked_seq: 0 });
        expect(heardOf<ChatMessage>(customer.heard, 'chat:message').map((m) => m.text)).toEqual([
          'Hi Jo',
        ]);
      });

      it('a resent message (same client id) is acknowledged as a duplicate, kept once, and pushed again under its one seq', async () => {
        const desk = await availableDesk();
        const { customer, chatId } = await connectedChat(desk);
        const id = clientId();
        const first = value(
          await customer.ask<ChatMessageAck>('chat:message', { clientMessageId: id, text: 'once' }),
        );
        const again = value(
          await customer.ask<ChatMessageAck>('chat:message', { clientMessageId: id, text: 'once' }),
        );
        expect(again).toEqual({ ...first, duplicate: true });

        const deskId = clientId();
        const sent = value(
          await desk.ask<ChatMessageAck>('chat:send', {
            chatId,
            clientMessageId: deskId,
            text: 'reply',
          }),
        );
        const resent = value(
          await desk.ask<ChatMessageAck>('chat:send', {
            chatId,
            clientMessageId: deskId,
            text: 'reply',
          }),
        );
        expect(resent).toEqual({ ...sent, duplicate: true });

        // One more message each way proves the repeats were not merely still in flight.
        value(await customer.ask('chat:message', { clientMessageId: clientId(), text: 'after' }));
        await until('the later message at the desk', () =>
          heardOf<ChatMessage>(desk.heard, 'chat:message').find(
            (message) => message.text === 'after',
          ),
        );
        value(await desk.ask('chat:send', { chatId, clientMessageId: clientId(), text: 'later' }));
        await until('the later reply at the customer', () =>
          heardOf<ChatMessage>(customer.heard, 'chat:message').find(
            (message) => message.text === 'later',
          ),
        );
        // A repeat is pushed again (its first push may have died with a process), under the
        // same seq, which is how both parties keep one copy of it.
        expect(seqAndText(heardOf<ChatMessage>(desk.heard, 'chat:message'))).toEqual([
          `${first.seq} once`,
          `${first.seq} once`,
          `${first.seq + 2} after`,
        ]);
        expect(seqAndText(heardOf<ChatMessage>(customer.heard, 'chat:message'))).toEqual([
          `${sent.seq} reply`,
          `${sent.seq} reply`,
          `${sent.seq + 2} later`,
        ]);
        expect(value(await desk.ask<ChatSession>('chat:log', { chatId })).messages).toHaveLength(4);
      });

      it('a message over the length limit gets a clear error and is not kept', async () => {
        const desk = await availableDesk();
        const { customer, chatId } = await connectedChat(desk);
        const tooLong = 'a'.repeat(chatLimits.maxMessageChars + 1);
        const refused = await customer.ask('chat:message', {
          clientMessageId: clientId(),
          text: tooLong,
        });
        expect(refused).toMatchObject({
          ok: false,
          error: {
            code: 'payload_too_large',
            message: expect.stringContaining(`at most ${chatLimits.maxMessageChars} characters`),
          },
        });
        const hundredKb = await customer.ask('chat:message', {
          clientMessageId: clientId(),
          text: 'x'.repeat(100 * 1024),
        });
        expect(hundredKb).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
        const fromDesk = await desk.ask('chat:send', {
          chatId,
          clientMessageId: clientId(),
          text: tooLong,
        });
        expect(fromDesk).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
        const exactly = await customer.ask('chat:message', {
          clientMessageId: clientId(),
          text: 'b'.repeat(chatLimits.maxMessageChars),
        });
        expect(exactly).toMatchObject({ ok: true, value: { seq: 1 } });
        expect(value(await desk.ask<ChatSession>('chat:log', { chatId })).messages).toHaveLength(1);
      });

      it('a customer connection sending too fast is rate limited, and may send again once tokens return', async () => {
        const desk = await availableDesk();
        const { customer } = await connectedChat(desk);
        const answers: Result<ChatMessageAck>[] = [];
        const ids = Array.from({ length: 6 }, () => clientId());
        for (const [n, id] of ids.entries()) {
          answers.push(await customer.ask('chat:message', { clientMessageId: id, text: `m${n}` }));
        }
        expect(answers.map((answer) => (answer.ok ? 'sent' : answer.error.code))).toEqual([
          'sent',
          'sent',
          'sent',
          'sent',
          'sent',
          'rate_limited',
        ]);
        // A resend of one already kept (its acknowledgement lost) is a duplicate, not too fast.
        const resent = await customer.ask<ChatMessageAck>('chat:message', {
          clientMessageId: ids[0],
          text: 'm0',
        });
        expect(resent).toMatchObject({ ok: true, value: { seq: 1, duplicate: true } });
        clockAt += 1_000;
        expect(
          (await customer.ask('chat:message', { clientMessageId: clientId(), text: 'later' })).ok,
        ).toBe(true);
      });

      it('hostile text is stored, sent and logged exactly as typed', async () => {
        const desk = await availableDesk();
        const { customer, chatId } = await connectedChat(desk);
        const hostile = [
          '<script>window.pwned = 1</script>',
          '<img src=x onerror="window.pwned = 2">',
          '<a href="javascript:window.pwned=3">click me</a>',
          'javascript:alert(document.cookie)',
          'abc\u202Eexe.txt\u202C and \u2066isolate\u2069',
          '{{constructor.constructor("return 1")()}} ${process.exit()} \' OR 1=1; --',
          '   spaces kept   ',
        ];
        for (const text of hostile) {
          // A second apart, as a person types: the rate limit is not what this test is about.
          clockAt += 1_000;
          value(await customer.ask('chat:message', { clientMessageId: clientId(), text }));
        }
        value(
          await desk.ask('chat:send', { chatId, clientMessageId: clientId(), text: hostile[0] }),
        );
        const atDesk = await until('every hostile message at the desk', () => {
          const heard = heardOf<ChatMessage>(desk.heard, 'chat:message');
          return heard.length === hostile.length ? heard : null;
        });
        expect(atDesk.map((message) => message.text)).toEqual(hostile);
        await until('the adviser copy at the customer', () =>
          heardOf<ChatMessage>(customer.heard, 'chat:message').find((m) => m.text === hostile[0]),
        );
        expect(
          value(await desk.ask<ChatSession>('chat:log', { chatId })).messages.map((m) => m.text),
        ).toEqual([...hostile, hostile[0]]);
        const stored = await inDatabase((db) =>
          db
            .selectFrom('chat_messages')
            .select('body')
            .where('chat_id', '=', chatId)
            .where('sender', '=', 'customer')
            .orderBy('seq')
            .execute(),
        );
        expect(stored.map((row) => row.body)).toEqual(hostile);
      });

      it('typing is passed on both ways while connected', async () => {
        const desk = await availableDesk();
        const { customer, chatId } = await connectedChat(desk);
        value(await customer.ask('chat:typing', { typing: true }));
        await until('typing at the desk', () =>
          heardOf(desk.heard, 'chat:typing').find(
            (typing) => JSON.stringify(typing) === JSON.stringify({ chatId, typing: true }),
          ),
        );
        value(await desk.ask('chat:typing', { chatId, typing: true }));
        await until('typing at the customer', () => heardOf(customer.heard, 'chat:typing')[0]);
        expect(heardOf(customer.heard, 'chat:typing')[0]).toEqual({ chatId, typing: true });
      });

      it('a transcript request reaches the desk and is part of the chat log', async () => {
        const desk = await availableDesk();
        const { customer, chatId } = await connectedChat(desk);
        const bad = await customer.ask('chat:transcript', { email: 'not an address' });
        expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        value(await customer.ask('chat:transcript', { email: 'jo@example.org' }));
        await until(
          'the request at the desk',
          () => heardOf(desk.heard, 'chat:transcript-requested')[0],
        );
        expect(value(await desk.ask<ChatSession>('chat:log', { chatId })).transcriptEmail).toBe(
          'jo@example.org',
        );
      });
    });

    describe('reconnects', () => {
      it("the desk's dropped connection: unacknowledged messages come again, acknowledged ones do not, and chat:resume gives the whole chat", async () => {
        const deskId = randomUUID();
        const desk = await connectDesk('demo-adviser', deskId);
        value(await desk.ask('adviser:availability', { availability: 'available' }));
        const { customer, chatId } = await connectedChat(desk);
        value(await customer.ask('chat:message', { clientMessageId: clientId(), text: 'one' }));
        await until(
          'message one at the desk',
          () => heardOf(desk.heard, 'chat:message').length === 1,
        );
        value(await desk.ask('chat:ack', { chatId, upToSeq: 1 }));
        value(await desk.ask('chat:send', { chatId, clientMessageId: clientId(), text: 'reply' }));

        desk.socket.close();
        value(await customer.ask('chat:message', { clientMessageId: clientId(), text: 'two' }));
        value(await customer.ask('chat:message', { clientMessageId: clientId(), text: 'three' }));

        const back = await connectDesk('demo-adviser', deskId);
        const resent = await until('the missed messages pushed again', () => {
          const heard = heardOf<ChatMessage>(back.heard, 'chat:message');
          return heard.length === 2 ? heard : null;
        });
        expect(resent.map((message) => [message.seq, message.text])).toEqual([
          [3, 'two'],
          [4, 'three'],
        ]);
        const resync = value(await back.ask<DeskChatResync>('chat:resume', {}));
        expect(resync.presence).toMatchObject({ availability: 'available', activeChats: 1 });
        expect(resync.chats).toHaveLength(1);
        expect(resync.chats[0]?.messages.map((message) => [message.seq, message.text])).toEqual([
          [1, 'one'],
          [2, 'reply'],
          [3, 'two'],
          [4, 'three'],
        ]);
        // Acknowledged now: a further reconnect pushes nothing again.
        value(await back.ask('chat:ack', { chatId, upToSeq: 4 }));
        back.socket.close();
        const again = await connectDesk('demo-adviser', deskId);
        await until(
          'the queue figures on the new connection',
          () => heardOf(again.heard, 'queue:stats')[0],
        );
        value(await again.ask('chat:resume', {}));
        expect(heardOf(again.heard, 'chat:message')).toEqual([]);
      });

      it("the customer's dropped connection: resume with the last seen seq gives only what was missed", async () => {
        const desk = await availableDesk();
        const customer = await connectCustomer();
        const started = value(await customer.ask<CustomerChatState>('chat:start', { name: 'Jo' }));
        await until('the offer', () => heardOf(desk.heard, 'chat:offered')[0]);
        value(await desk.ask('chat:accept', { chatId: started.chatId }));
        const chatId = started.chatId;
        value(await desk.ask('chat:send', { chatId, clientMessageId: clientId(), text: 'first' }));
        await until(
          'first at the customer',
          () => heardOf(customer.heard, 'chat:message').length === 1,
        );
        value(await customer.ask('chat:ack', { upToSeq: 1 }));

        customer.socket.close();
        value(await desk.ask('chat:send', { chatId, clientMessageId: clientId(), text: 'second' }));
        value(await desk.ask('chat:send', { chatId, clientMessageId: clientId(), text: 'third' }));

        const back = await connectCustomer();
        const resumed = value(
          await back.ask<CustomerChatResumed>('chat:resume', {
            resumeToken: started.resumeToken,
            lastSeenSeq: 1,
          }),
        );
        expect(resumed).toMatchObject({ chatId, status: 'connected', adviserName: 'Alex' });
        expect(resumed.messages.map((message) => [message.seq, message.text])).toEqual([
          [2, 'second'],
          [3, 'third'],
        ]);
        // A page that lost everything asks from 0 and gets the whole chat.
        const reloaded = value(
          await back.ask<CustomerChatResumed>('chat:resume', {
            resumeToken: started.resumeToken,
            lastSeenSeq: 0,
          }),
        );
        expect(reloaded.messages.map((message) => message.seq)).toEqual([1, 2, 3]);
        // Still the same chat: a message from the resumed connection reaches the desk once.
        value(await back.ask('chat:message', { clientMessageId: clientId(), text: 'back again' }));
        await until('the message at the desk', () =>
          heardOf<ChatMessage>(desk.heard, 'chat:message').find((m) => m.text === 'back again'),
        );
        expect(heardOf(desk.heard, 'chat:customer-left')).toEqual([]);

        const wrong = await back.ask('chat:resume', {
          resumeToken: 'x'.repeat(43),
          lastSeenSeq: 0,
        });
        expect(wrong).toMatchObject({ ok: false, error: { code: 'not_found' } });
      });

      it('a message resent after a lost acknowledgement on a new connection is kept once', async () => {
        const desk = await availableDesk();
        const customer = await connectCustomer();
        const started = value(await customer.ask<CustomerChatState>('chat:start', { name: 'Jo' }));
        await until('the offer', () => heardOf(desk.heard, 'chat:offered')[0]);
        value(await desk.ask('chat:accept', { chatId: started.chatId }));
        const id = clientId();
        value(
          await customer.ask('chat:message', { clientMessageId: id, text: 'did this arrive?' }),
        );
        customer.socket.close();

        const back = await connectCustomer();
        value(await back.ask('chat:resume', { resumeToken: started.resumeToken, lastSeenSeq: 0 }));
        const resent = value(
          await back.ask<ChatMessageAck>('chat:message', {
            clientMessageId: id,
            text: 'did this arrive?',
          }),
        );
        expect(resent).toMatchObject({ seq: 1, duplicate: true });
        value(await back.ask('chat:message', { clientMessageId: clientId(), text: 'next' }));
        await until('next at the desk', () =>
          heardOf<ChatMessage>(desk.heard, 'chat:message').find((m) => m.text === 'next'),
        );
        // Pushed again for the resend, under its one seq: the desk keeps one copy.
        expect(seqAndText(heardOf<ChatMessage>(desk.heard, 'chat:message'))).toEqual([
          '1 did this arrive?',
          '1 did this arrive?',
          '2 next',
        ]);
      });
      it('a message kept by a process that died before pushing it reaches the desk when the page resends it', async () => {
        const desk = await availableDesk();
        const { customer, chatId } = await connectedChat(desk);
        const id = clientId();
        // Another process committed the message and was killed before its push left:
        // the store holds it, and nobody was told.
        const kept = await inDatabase((db) =>
          new KyselyChatStore({ db, engine, afterCommit: (effect) => effect() }).append({
            chatId,
            from: 'customer',
            clientMessageId: id,
            text: 'kept, never pushed',
            sentAt: new Date(clockAt).toISOString(),
          }),
        );
        expect(kept).toMatchObject({ duplicate: false, message: { seq: 1 } });
        expect(heardOf(desk.heard, 'chat:message')).toEqual([]);

        // The page had no acknowledgement, so it resends to this process.
        const resent = value(
          await customer.ask<ChatMessageAck>('chat:message', {
            clientMessageId: id,
            text: 'kept, never pushed',
          }),
        );
        expect(resent).toMatchObject({ seq: 1, duplicate: true });
        const heard = await until(
          'the message at the desk',
          () => heardOf<ChatMessage>(desk.heard, 'chat:message')[0],
        );
        expect(heard).toMatchObject({ chatId, seq: 1, text: 'kept, never pushed' });
      });
    });

    describe('time-outs over real sockets', () => {
      /** The suite's server, replaced by one with short time-outs for these tests. */
      async function withShortTimeouts(): Promise<void> {
        await server.close();
        server = await startTestServer({
          engine,
          now: () => clockAt,
          chat: { offerTimeoutMs: 150, customerGraceMs: 150 },
        });
      }

      it('an offer not accepted in time is withdrawn and goes to the next adviser', async () => {
        await withShortTimeouts();
        const alex = await availableDesk('demo-adviser');
        clockAt += 1_000;
        const sam = await availableDesk('demo-adviser-2');
        const customer = await connectCustomer();
        const started = value(await customer.ask<CustomerChatState>('chat:start', { name: 'Jo' }));
        // Alex became available first, so is the longer idle.
        await until('the offer to Alex', () => heardOf<ChatOffer>(alex.heard, 'chat:offered')[0]);
        await until(
          'the offer moving to Sam',
          () => heardOf<ChatOffer>(sam.heard, 'chat:offered')[0],
        );
        await until('the withdrawal at Alex', () => heardOf(alex.heard, 'chat:offer-withdrawn')[0]);
        expect(heardOf(alex.heard, 'chat:offer-withdrawn')).toEqual([
          { chatId: started.chatId, reason: 'timed-out' },
        ]);
        await until('Alex set busy', () =>
          heardOf<{ availability: string }>(alex.heard, 'adviser:presence').find(
            (presence) => presence.availability === 'busy',
          ),
        );
        expect(await alex.ask('chat:accept', { chatId: started.chatId })).toMatchObject({
          ok: false,
          error: { code: 'conflict' },
        });
      });

      it('a customer who drops and does not come back is taken as gone, and the desk is told', async () => {
        await withShortTimeouts();
        const desk = await availableDesk();
        const customer = await connectCustomer();
        const started = value(await customer.ask<CustomerChatState>('chat:start', { name: 'Jo' }));
        await until('the offer', () => heardOf<ChatOffer>(desk.heard, 'chat:offered')[0]);
        value(await desk.ask('chat:accept', { chatId: started.chatId }));
        customer.socket.close();
        const left = await until(
          'the desk hears the customer went',
          () => heardOf(desk.heard, 'chat:customer-left')[0],
        );
        expect(left).toMatchObject({ chatId: started.chatId, how: 'gone' });
        const log = value(await desk.ask<ChatSession>('chat:log', { chatId: started.chatId }));
        expect(log).toMatchObject({ status: 'ended', endedBy: 'customer' });
      });
    });

    describe('availability and offers, on a routing clock moved by hand', () => {
      let routingClock: ManualClock;

      /** The suite's server, replaced by one whose routing runs on a clock the test moves. */
      async function withManualClock(): Promise<void> {
        await server.close();
        routingClock = new ManualClock(Date.parse('2026-11-30T12:00:00Z'));
        server = await startTestServer({
          engine,
          now: () => clockAt,
          chat: { clock: routingClock },
        });
      }

      /** Waits for the adviser's desk to have heard an offer of this chat `times` times. */
      const offeredTimes = (desk: Desk, chatId: string, times: number) =>
        until(`offer ${times} of the chat`, () => {
          const offers = heardOf<ChatOffer>(desk.heard, 'chat:offered');
          return offers.filter((offer) => offer.chatId === chatId).length >= times;
        });

      it('a missed offer sets the adviser busy and their presence says why, on every desk, until they choose', async () => {
        await withManualClock();
        const desk = await availableDesk();
        const customer = await connectCustomer();
        const started = value(await customer.ask<CustomerChatState>('chat:start', { name: 'Jo' }));
        await offeredTimes(desk, started.chatId, 1);

        routingClock.advance(defaultOfferTimeoutMs);
        const missedAt = new Date(routingClock.now()).toISOString();
        const told = await until('the desk told it is busy', () =>
          heardOf<AdviserPresence>(desk.heard, 'adviser:presence').find(
            (presence) => presence.availability === 'busy',
          ),
        );
        // Not silently: the change carries the offer that ran out, and when.
        expect(told.missedOffer).toEqual({ kind: 'chat', at: missedAt });
        expect(heardOf(desk.heard, 'chat:offer-withdrawn')).toEqual([
          { chatId: started.chatId, reason: 'timed-out' },
        ]);

        // A desk opened now (or the page reloaded) is told too: it is routing's state, not an event.
        const secondDesk = await connectDesk('demo-adviser');
        const caughtUp = await until('the second desk’s presence', () =>
          heardOf<AdviserPresence>(secondDesk.heard, 'adviser:presence').at(0),
        );
        expect(caughtUp).toMatchObject({
          availability: 'busy',
          missedOffer: { kind: 'chat', at: missedAt },
        });

        // One choice answers it on every desk, and the waiting chat comes straight back.
        const chosen = value(
          await desk.ask<AdviserPresence>('adviser:availability', { availability: 'available' }),
        );
        expect(chosen).toMatchObject({ availability: 'available', missedOffer: null });
        await until('the second desk hears it answered', () =>
          heardOf<AdviserPresence>(secondDesk.heard, 'adviser:presence').find(
            (presence) => presence.availability === 'available' && presence.missedOffer === null,
          ),
        );
        await offeredTimes(desk, started.chatId, 2);
        value(await desk.ask('chat:accept', { chatId: started.chatId }));
      });

      it('a declined chat goes to another available adviser, and back to the decliner only after a pause', async () => {
        await withManualClock();
        const alex = await availableDesk('demo-adviser');
        routingClock.advance(1_000);
        const sam = await availableDesk('demo-adviser-2');
        const customer = await connectCustomer();
        const started = value(await customer.ask<CustomerChatState>('chat:start', { name: 'Jo' }));
        // Alex has been available longer, so is offered it first.
        await offeredTimes(alex, started.chatId, 1);
        expect(value(await alex.ask('chat:decline', { chatId: started.chatId }))).toBeNull();
        expect(heardOf(alex.heard, 'chat:offer-withdrawn')).toEqual([
          { chatId: started.chatId, reason: 'declined' },
        ]);
        await offeredTimes(sam, started.chatId, 1);

        routingClock.advance(5_000);
        value(await sam.ask('chat:decline', { chatId: started.chatId }));
        // Everyone with room has declined: not handed straight back to either of them.
        const stats = value(await alex.ask<DeskChatResync>('chat:resume', {}));
        expect(stats.offers).toEqual([]);
        expect(stats.queue.chatsWaiting).toBe(1);
        expect(heardOf(alex.heard, 'chat:offered')).toHaveLength(1);

        routingClock.advance(defaultDeclinedPauseMs - 5_000);
        await offeredTimes(alex, started.chatId, 2);
        value(await alex.ask('chat:accept', { chatId: started.chatId }));
        await until('the customer hears an adviser joined', () =>
          heardOf(customer.heard, 'chat:connected').at(0),
        );
        // Declining is not missing: neither adviser was set busy.
        for (const desk of [alex, sam]) {
          const busy = heardOf<AdviserPresence>(desk.heard, 'adviser:presence').filter(
            (presence) => presence.availability === 'busy' || presence.missedOffer,
          );
          expect(busy).toEqual([]);
        }
      });
    });

    describe('a server restart', () => {
      it('keeps chats: the adviser still holds theirs, a waiting customer keeps their place, and both sides carry on', async () => {
        const desk = await availableDesk();
        const { customer, chatId, resumeToken } = await connectedChat(desk);
        value(await customer.ask('chat:message', { clientMessageId: clientId(), text: 'before' }));
        const waiting = await connectCustomer();
        const queued = value(await waiting.ask<CustomerChatState>('chat:start', { name: 'Max' }));
        await until('the second offer', () =>
          heardOf<ChatOffer>(desk.heard, 'chat:offered').find((o) => o.chatId === queued.chatId),
        );

        await server.restart();
        const back = await connectDesk('demo-adviser');
        const resync = value(await back.ask<DeskChatResync>('chat:resume', {}));
        expect(resync.chats.map((chat) => [chat.chatId, chat.messages.map((m) => m.text)])).toEqual(
          [[chatId, ['before']]],
        );
        // Availability is the desk's to say again after a restart; the waiting chat is offered once it does.
        expect(resync.queue.chatsWaiting).toBe(1);
        value(await back.ask('adviser:availability', { availability: 'available' }));
        await until('the waiting chat offered again', () =>
          heardOf<ChatOffer>(back.heard, 'chat:offered').find((o) => o.chatId === queued.chatId),
        );
        const again = await connectCustomer();
        const resumed = value(
          await again.ask<CustomerChatResumed>('chat:resume', {
            resumeToken: queued.resumeToken,
            lastSeenSeq: 0,
          }),
        );
        expect(resumed).toMatchObject({ status: 'queued', queue: { position: 1 } });

        const chatting = await connectCustomer();
        const held = value(
          await chatting.ask<CustomerChatResumed>('chat:resume', { resumeToken, lastSeenSeq: 1 }),
        );
        expect(held).toMatchObject({ status: 'connected', adviserName: 'Alex', messages: [] });
        value(await chatting.ask('chat:message', { clientMessageId: clientId(), text: 'after' }));
        const after = await until('the message after the restart at the desk', () =>
          heardOf<ChatMessage>(back.heard, 'chat:message').find((m) => m.text === 'after'),
        );
        expect(after.seq).toBe(2);
      });
    });

    describe('ending and the queue for calls', () => {
      it('the customer ending tells the desk, and the adviser ending tells the customer', async () => {
        const desk = await availableDesk();
        const first = await connectedChat(desk, 'Jo');
        value(await first.customer.ask('chat:end', {}));
        await until(
          'the desk hears the customer left',
          () => heardOf(desk.heard, 'chat:customer-left')[0],
        );
        expect(heardOf(desk.heard, 'chat:customer-left')[0]).toMatchObject({
          chatId: first.chatId,
          how: 'ended',
        });
        const late = await desk.ask('chat:send', {
          chatId: first.chatId,
          clientMessageId: clientId(),
          text: 'hello?',
        });
        expect(late).toMatchObject({ ok: false, error: { code: 'conflict' } });

        const second = await connectedChat(desk, 'Sam');
        const ended = value(await desk.ask('chat:end', { chatId: second.chatId }));
        expect(ended).toMatchObject({ endedBy: 'adviser' });
        await until(
          'the customer hears it ended',
          () => heardOf(second.customer.heard, 'chat:ended')[0],
        );
      });

      it("another adviser's chat is not reachable from a desk", async () => {
        const desk = await availableDesk('demo-adviser');
        const { chatId } = await connectedChat(desk);
        const other = await connectDesk('demo-adviser-2');
        for (const [event, payload] of [
          ['chat:log', { chatId }],
          ['chat:send', { chatId, clientMessageId: clientId(), text: 'hi' }],
          ['chat:end', { chatId }],
        ] as const) {
          expect(await other.ask(event, payload)).toMatchObject({
            ok: false,
            error: { code: 'not_found' },
          });
        }
      });

      it('a call queued with no adviser named is offered by routing, answered, and a queued hang-up is an abandonment', async () => {
        const desk = await availableDesk();
        const key = (await import('node:fs'))
          .readFileSync(join(server.dataDir, 'telephony.key'), 'utf8')
          .trim();
        const queue = (cli: string) =>
          fetch(`${server.server.url}/api/telephony/queue`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-telephony-key': key },
            body: JSON.stringify({ cli }),
          });
        const queued = (await (await queue('07700900123')).json()) as Result<{ callId: string }>;
        const callId = value(queued).callId;
        await until('the call offer at the desk', () =>
          heardOf<{ callId: string }>(desk.heard, 'call:offered').find(
            (offer) => offer.callId === callId,
          ),
        );
        const connected = await desk.ask('call:answer', { callId });
        expect(connected).toMatchObject({ ok: true, value: { callId } });
        await until('the adviser shown on a call', () =>
          heardOf<{ onCall: boolean }>(desk.heard, 'adviser:presence').find((p) => p.onCall),
        );

        const waiting = value(
          (await (await queue('07700900456')).json()) as Result<{ callId: string }>,
        );
        clockAt += 30_000;
        const hungUp = await fetch(
          `${server.server.url}/api/telephony/calls/${waiting.callId}/end`,
          {
            method: 'POST',
            headers: { 'x-telephony-key': key },
          },
        );
        expect(hungUp.status).toBe(200);
        // Recorded before the hang-up was answered.
        const abandonments = await inDatabase((db) =>
          db.selectFrom('queue_abandonments').select(['kind', 'waited_ms']).execute(),
        );
        expect(abandonments).toEqual([{ kind: 'call', waited_ms: 30_000 }]);
      });
    });
  });
}
