// Chat resilience against the real server: the customer page's own connection
// code (customer/src/connection.ts over socket.io-client) and the desk's own
// chat service (electron/services/chat.ts over its server connection) keep
// writing to each other while their connections are cut abruptly, at random
// moments, by a TCP reset with no close handshake. At the end of every trial,
// every message written is shown exactly once on the other side, in seq order,
// and stored exactly once. Several chats run at once against one adviser's desk,
// so a cut of the desk's connection lands in the middle of all of them. On each
// engine: on PostgreSQL the store's writes really do run side by side.
import { randomUUID } from 'node:crypto';
import type { Socket as TcpSocket } from 'node:net';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomerConnection,
  newClientMessageId,
  type ChatListeners,
  type CustomerConnectionOptions,
} from '../../customer/src/connection';
import { MemoryKeptChat } from '../../customer/src/kept.testing';
import { SocketCustomerLink } from '../../customer/src/link.socket';
import { Transcript } from '../../customer/src/transcript';
import { DeskChats, SocketChatLink } from '../../electron/services/chat';
import { ServerConnection } from '../../electron/services/server-connection';
import { InMemorySessionStore } from '../../electron/services/session-store.testing';
import { parseServiceHours } from '../../shared/time/service-hours';
import { demoPassword } from '../../server/demo-accounts';
import {
  openPostgresDatabase,
  openSqliteDatabase,
  type Engine,
} from '../../server/storage/database';
import type { Result, ResultError } from '../../shared/result';
import { engines } from '../support/storage';
import { startTestServer, type TestServer } from './server-harness';

const trials = 30;
/** Chats under way at once, all held by the one desk. */
const lanes = 5;
const cutsPerTrial = 3;
/** How long each trial keeps writing and cutting before it waits for everything to land. */
const writingMs = 1_500;
const settleMs = 10_000;

/** A small seeded generator, so a failing run can be repeated with its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const seed = Number(process.env.CHAT_RESILIENCE_SEED ?? Date.now() % 1_000_000);
const random = seeded(seed);
const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean, withinMs = settleMs): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} (seed ${seed})`);
    await sleep(20);
  }
}

/**
 * Cuts a socket.io client's connection the way a lost signal does: the TCP
 * connection is reset under the WebSocket, with no close frame and no
 * socket.io goodbye. False when there was no live connection to cut.
 */
function cut(socket: Socket | null | undefined): boolean {
  const transport = socket?.io.engine?.transport as unknown as
    { ws?: { _socket?: TcpSocket } } | undefined;
  const tcp = transport?.ws?._socket;
  if (!tcp || tcp.destroyed) return false;
  tcp.resetAndDestroy();
  return true;
}

let server: TestServer;
let deskConnection: ServerConnection;
let desk: DeskChats;

/**
 * A desk request asked again after a cut (another chat's trial may cut the
 * desk's connection at any moment), as the adviser would press again.
 */
async function persist<T>(ask: () => Promise<Result<T>>): Promise<Result<T>> {
  let answer = await ask();
  for (let attempt = 0; attempt < 100 && !answer.ok; attempt += 1) {
    if (answer.error.code !== 'unavailable') break;
    await sleep(100);
    answer = await ask();
  }
  return answer;
}

/** The server on `engine` and one adviser's desk on it, available, accepting every offer. */
async function startServerAndDesk(engine: Engine): Promise<void> {
  const serviceHours = parseServiceHours('00:00-24:00');
  if (!serviceHours) throw new Error('the all-day service hours did not parse');
  server = await startTestServer({
    engine,
    serviceHours,
    chat: {
      maxChatsPerAdviser: lanes * 2,
      offerTimeoutMs: 120_000,
      customerGraceMs: 120_000,
      // Every pupil here comes from one address, faster than any school: the start limit is not under test.
      chatStartRate: { capacity: trials, refillPerSecond: 1 },
    },
  });
  deskConnection = new ServerConnection({
    serverUrl: server.server.url,
    deskId: randomUUID(),
    sessionStore: new InMemorySessionStore(),
    ackTimeoutMs: 5_000,
  });
  desk = new DeskChats(new SocketChatLink(deskConnection, 5_000), {
    retryBackoff: { baseMs: 50, capMs: 500 },
  });
  desk.onEvent((name, payload) => {
    if (name === 'chatOffered') void persist(() => desk.accept(payload.chatId));
  });
  const signedIn = await deskConnection.signIn({
    username: 'demo-adviser',
    password: demoPassword,
  });
  if (!signedIn.ok) throw new Error(`the desk could not sign in: ${signedIn.error.message}`);
  await until('the desk online', () => deskConnection.state === 'online');
  const available = await desk.setAvailability('available');
  if (!available.ok) throw new Error(`the desk could not go available: ${available.error.message}`);
}

async function stopServerAndDesk(): Promise<void> {
  desk?.stop();
  deskConnection?.close();
  await server?.close();
}

/** The customer page in Node: the real connection, the page's transcript, and every listener call counted. */
function customerPage() {
  const transcript = new Transcript();
  const shownSeqs = new Map<number, number>();
  const deliveredIds = new Map<string, number>();
  const refused: { clientMessageId: string; error: ResultError }[] = [];
  let online = false;
  let ended = false;
  const listeners: ChatListeners = {
    online(value) {
      online = value;
    },
    state() {},
    queue() {},
    connected() {},
    message(message) {
      shownSeqs.set(message.seq, (shownSeqs.get(message.seq) ?? 0) + 1);
      transcript.received(message);
    },
    delivered(clientMessageId, seq, sentAt) {
      deliveredIds.set(clientMessageId, (deliveredIds.get(clientMessageId) ?? 0) + 1);
      transcript.delivered(clientMessageId, seq, sentAt);
    },
    waiting() {},
    refused(clientMessageId, error) {
      refused.push({ clientMessageId, error });
      transcript.refused(clientMessageId, error.message);
    },
    typing() {},
    ended() {
      ended = true;
    },
  };
  const link = new SocketCustomerLink({
    url: `${server.server.url}/customer`,
    ackTimeoutMs: 5_000,
    // A phone's browser comes back about this fast on a good signal; tests should not wait longer.
    socket: { transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 300 },
  });
  const options: CustomerConnectionOptions = {
    link,
    storage: new MemoryKeptChat(),
    listeners,
    retry: { baseMs: 50, capMs: 500 },
    random,
  };
  const connection = new CustomerConnection(options);
  return {
    connection,
    link,
    transcript,
    shownSeqs,
    deliveredIds,
    refused,
    online: () => online,
    ended: () => ended,
  };
}

interface TrialFigures {
  cuts: { customer: number; desk: number };
  customerMessages: number;
  adviserMessages: number;
  lost: string[];
  doubled: string[];
  /** A side showing the conversation out of seq order, or with a gap. */
  disorder: string[];
}

async function trial(index: number): Promise<TrialFigures> {
  const page = customerPage();
  const figures: TrialFigures = {
    cuts: { customer: 0, desk: 0 },
    customerMessages: 0,
    adviserMessages: 0,
    lost: [],
    doubled: [],
    disorder: [],
  };
  try {
    await until('the customer online', page.online);
    const started = await page.connection.start({ name: `Pupil${index}`, age: 13 + (index % 6) });
    if (!started.ok) throw new Error(`trial ${index}: no chat: ${started.error.message}`);
    const { chatId } = started.value;
    await until(`trial ${index}: the desk holds the chat`, () =>
      desk.view().chats.some((chat) => chat.chatId === chatId && chat.status === 'connected'),
    );

    // A schedule of writes from both sides and cuts of either connection, at random moments.
    const customerWrites = between(4, 6);
    const adviserWrites = between(3, 5);
    const fromCustomer: string[] = [];
    const fromAdviser: string[] = [];
    const plan: { at: number; run: () => void }[] = [];
    for (let n = 0; n < customerWrites; n += 1) {
      plan.push({
        at: between(0, writingMs),
        run: () => {
          // As the page does: shown as sending at once, then handed to the connection.
          const text = `customer ${index}.${n}`;
          const clientMessageId = newClientMessageId();
          page.transcript.written(clientMessageId, text);
          fromCustomer.push(page.connection.send(text, clientMessageId));
        },
      });
    }
    for (let n = 0; n < adviserWrites; n += 1) {
      plan.push({
        at: between(0, writingMs),
        run: () => {
          const sent = desk.send(chatId, `adviser ${index}.${n}`);
          if (!sent.ok)
            throw new Error(`trial ${index}: the desk refused to send: ${sent.error.message}`);
          fromAdviser.push(sent.value.clientMessageId);
        },
      });
    }
    // A cut that finds its connection already down (still coming back from the last one)
    // waits a little and tries again, so every trial has its cuts.
    const cutsMade: Promise<void>[] = [];
    const cutOne = async () => {
      let customerSide = random() < 0.6;
      for (let attempt = 1; attempt <= 100; attempt += 1) {
        if (customerSide ? cut(page.link.socket) : cut(deskConnection.currentSocket())) {
          figures.cuts[customerSide ? 'customer' : 'desk'] += 1;
          return;
        }
        // The other side, if this one stays down a while (the desk takes longer to come back).
        if (attempt % 20 === 0) customerSide = !customerSide;
        await sleep(between(50, 150));
      }
    };
    for (let n = 0; n < cutsPerTrial; n += 1) {
      plan.push({ at: between(0, writingMs), run: () => void cutsMade.push(cutOne()) });
    }
    plan.sort((a, b) => a.at - b.at);
    const begun = Date.now();
    for (const step of plan) {
      await sleep(Math.max(0, begun + step.at - Date.now()));
      step.run();
    }
    await Promise.all(cutsMade);
    figures.customerMessages = fromCustomer.length;
    figures.adviserMessages = fromAdviser.length;

    // Everything lands, however long the reconnects take.
    const deskChat = () => desk.view().chats.find((chat) => chat.chatId === chatId);
    const settled = () => {
      const held = deskChat();
      if (!held || page.connection.unsentMessages().length > 0) return false;
      if (held.messages.some((message) => message.delivery !== 'sent')) return false;
      const atDesk = new Set(held.messages.map((message) => message.clientMessageId));
      const atCustomer = new Set(page.transcript.entries().map((entry) => entry.clientMessageId));
      return (
        fromCustomer.every((id) => atDesk.has(id)) &&
        fromAdviser.every((id) => atCustomer.has(id)) &&
        page.transcript.entries().every((entry) => entry.delivery === 'sent')
      );
    };
    await until(`trial ${index}: every message to land`, settled).catch(() => undefined);

    // Shown on each side: every message once, in seq order, nothing still on its way.
    const customerSide = page.transcript.entries();
    const deskSide = deskChat()?.messages ?? [];
    const database = server.databaseUrl
      ? await openPostgresDatabase(server.databaseUrl)
      : openSqliteDatabase(server.dataDir);
    const stored = await database.db
      .selectFrom('chat_messages')
      .select(['seq', 'sender', 'client_message_id'])
      .where('chat_id', '=', chatId)
      .orderBy('seq')
      .execute()
      .finally(() => database.close());
    const count = (ids: string[], id: string) => ids.filter((other) => other === id).length;
    const storedIds = stored.map((row) => `${row.sender}/${row.client_message_id}`);
    const customerIds = customerSide.map((entry) => `${entry.from}/${entry.clientMessageId}`);
    const deskIds = deskSide.map((message) => `${message.from}/${message.clientMessageId}`);
    for (const [party, ids] of [
      ['customer', fromCustomer],
      ['adviser', fromAdviser],
    ] as const) {
      for (const id of ids) {
        const key = `${party}/${id}`;
        const inStore = count(storedIds, key);
        const atCustomer = count(customerIds, key);
        const atDesk = count(deskIds, key);
        if (inStore === 0 || atCustomer === 0 || atDesk === 0) {
          figures.lost.push(`${key}: stored ${inStore}, customer ${atCustomer}, desk ${atDesk}`);
        }
        if (inStore > 1 || atCustomer > 1 || atDesk > 1) {
          figures.doubled.push(`${key}: stored ${inStore}, customer ${atCustomer}, desk ${atDesk}`);
        }
      }
    }
    for (const [seq, times] of page.shownSeqs) {
      if (times > 1) figures.doubled.push(`seq ${seq} given to the page ${times} times`);
    }
    for (const [id, times] of page.deliveredIds) {
      if (times > 1) figures.doubled.push(`customer/${id} marked delivered ${times} times`);
    }
    // Each side shows the stored conversation whole and in its order.
    const seqs = stored.map((row) => row.seq);
    const inOrder = (seen: (number | null)[]) => JSON.stringify(seen) === JSON.stringify(seqs);
    if (!seqs.every((seq, at) => seq === at + 1)) figures.disorder.push(`store: ${seqs.join()}`);
    if (!inOrder(customerSide.map((entry) => entry.seq))) {
      figures.disorder.push(
        `trial ${index} customer page: ${customerSide.map((e) => e.seq).join()}`,
      );
    }
    if (!inOrder(deskSide.map((message) => message.seq))) {
      figures.disorder.push(`trial ${index} desk: ${deskSide.map((m) => m.seq).join()}`);
    }
    for (const { clientMessageId, error } of page.refused) {
      figures.lost.push(`customer/${clientMessageId} refused: ${error.code} ${error.message}`);
    }

    const ended = await persist(() => desk.end(chatId));
    if (!ended.ok) throw new Error(`trial ${index}: could not end: ${ended.error.message}`);
    await until(`trial ${index}: the customer hears it ended`, page.ended);
    return figures;
  } finally {
    page.connection.close();
  }
}

for (const engine of engines) {
  describe(`chat resilience [${engine}]`, () => {
    beforeAll(() => startServerAndDesk(engine));
    afterAll(stopServerAndDesk);

    it(`keeps every message, once, through ${trials} trials of abrupt cuts on both sides`, async () => {
      const results: TrialFigures[] = [];
      let next = 0;
      const lane = async () => {
        while (next < trials) {
          const index = next;
          next += 1;
          results.push(await trial(index));
        }
      };
      await Promise.all(Array.from({ length: lanes }, lane));

      const sum = (pick: (figures: TrialFigures) => number) =>
        results.reduce((total, figures) => total + pick(figures), 0);
      const customerCuts = sum((figures) => figures.cuts.customer);
      const deskCuts = sum((figures) => figures.cuts.desk);
      const lost = results.flatMap((figures) => figures.lost);
      const doubled = results.flatMap((figures) => figures.doubled);
      console.log(
        `chat resilience [${engine}]: ${results.length} trials, ${customerCuts + deskCuts} cuts ` +
          `(${customerCuts} customer, ${deskCuts} adviser), ` +
          `${sum((figures) => figures.customerMessages)} customer messages, ` +
          `${sum((figures) => figures.adviserMessages)} adviser messages, ` +
          `${lost.length} lost, ${doubled.length} doubled (seed ${seed})`,
      );
      expect(lost).toEqual([]);
      expect(doubled).toEqual([]);
      expect(results.flatMap((figures) => figures.disorder)).toEqual([]);
      expect(customerCuts + deskCuts).toBeGreaterThanOrEqual(trials * cutsPerTrial);
    }, 120_000);
  });
}
