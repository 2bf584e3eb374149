// The channels benchmark: 1,000 simulated web-chat customers and 200 advisers
// on the real central server over loopback socket.io, once on SQLite and once
// on a throwaway PostgreSQL (durable settings) started for the run. Advisers are created in
// the server's storage, get an access token (a few by signing in over HTTP as a
// desk does), connect a desk socket, say they are available and accept every
// chat offered; customers connect to
// `/customer`, start a chat and, once routed, both sides exchange messages at
// a sped-up human pace. Measured: message latency customer -> desk (on receipt
// at the desk socket) and desk -> customer, messages per second, and the
// server's CPU time and memory.
//
// The baseline, in the same run with the same clients and the same message
// schedule: a bare socket.io relay (no sign-in, no parsing, no storage, no
// routing) that passes each message to the other party's room, which is what
// the transport alone costs on this machine.
//
// Each server runs as its own child process (this file with `--serve`), so its
// CPU and memory are its own: the child prints `process.cpuUsage()` and
// `process.memoryUsage()` four times a second and the parent reads them.
//
// Run alone with: npx tsx bench/channels.ts --customers 1000 --advisers 200 --seconds 30
// (add --profile <folder> for a CPU profile of the central server's process).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { startPostgresCluster } from '../scripts/postgres-cluster';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../scripts/processes';
import { startServer } from '../server/app';
import { accessTokenLifetimeMs, signAccessToken } from '../server/auth/access-tokens';
import { hashPassword } from '../server/auth/passwords';
import { parseServiceHours } from '../shared/time/service-hours';
import { defaultMaxChats } from '../server/routing/router';
import { loadOrCreateSecret, signingSecretFile } from '../server/secrets';
import { openStorage } from '../server/storage/storage';
import type { StaffMember } from '../shared/domain/people';
import { limits } from '../shared/limits';
import { resultSchema } from '../shared/result';
import {
  chatMessageSchema,
  chatOfferSchema,
  chatSessionSchema,
  customerChatStateSchema,
  type CustomerToServerEvents,
  type ServerToCustomerEvents,
} from '../shared/wire/chat';
import { accessGrantSchema, sessionGrantSchema } from '../shared/wire/http';
import type { DeskToServerEvents, ServerToDeskEvents } from '../shared/wire/socket';

export interface ChannelsBenchOptions {
  /** Simulated web-chat customers, one chat each (1,000 for the issue's figure). */
  customers: number;
  /** Advisers, one desk socket each (200 for the issue's figure). */
  advisers: number;
  log(line: string): void;
  /** How long messages flow once every chat is live (default 30 s). */
  seconds?: number;
  /** Where the central server's child writes a V8 CPU profile (`--cpu-prof`), to see where its time goes. */
  profileDir?: string;
}

/** Targets for customer -> desk p99 with 1,000 concurrent chats: one process on SQLite, two on PostgreSQL. */
const targetP99Ms = 100;
const targetTwoProcessP99Ms = 50;
/** A message every 1 to 3 s in each chat, the two parties taking turns. */
const gapMs = { min: 1_000, max: 3_000 };
/** How long to wait for messages still in flight once the window closes. */
const drainMs = 5_000;
const answerTimeoutMs = 10_000;
/** How long an adviser keeps asking to go available while the processes settle which one routes. */
const routingSettleMs = 20_000;
/**
 * Advisers who sign in over HTTP (POST /api/session, then /api/session/token),
 * all at once. Each sign-in is a 32 MiB scrypt, about 0.2 s of a core here, so
 * 200 of them would take most of the time budget and measure nothing about
 * chat; the others get their access token signed with the server's key, as
 * /api/session/token signs it.
 */
const httpSignIns = 8;
const connectConcurrency = 100;
const usageEveryMs = 250;

const texts = [
  'Hi, I am in year 11 and I am not sure what to do after my GCSEs',
  'I want to work with animals but I do not know which college course to pick',
  'Could you tell me more about apprenticeships in engineering near Leeds?',
  'Thanks, that helps. What grades would I need for that?',
  'That is a good question. Can you tell me a bit more about what you enjoy at school?',
  'There is an article on T Levels that explains the options; I will send you the link.',
  'Would a follow-up call in about five weeks be useful to see how it went?',
];

// ---------------------------------------------------------------- the child: one server each

const usageSchema = z.object({
  /** The child's wall clock (ms) when the sample was taken. */
  at: z.number(),
  rss: z.number(),
  heapUsed: z.number(),
  /** User plus system CPU time since the child started (ms). */
  cpuMs: z.number(),
  /** Largest resident set so far (bytes). */
  maxRss: z.number(),
});
type Usage = z.infer<typeof usageSchema>;

function reportUsage(): void {
  const print = () => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const sample: Usage = {
      at: Date.now(),
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRss: process.resourceUsage().maxRSS * 1024,
    };
    console.log(`usage ${JSON.stringify(sample)}`);
  };
  print();
  setInterval(print, usageEveryMs);
}

/** The real central server, open all day, with `maxChats` chats per adviser. */
async function serveCentral(
  dataDir: string,
  maxChats: number,
  databaseUrl: string | null,
): Promise<void> {
  const serviceHours = parseServiceHours('00:00-24:00');
  if (!serviceHours) throw new Error('the all-day service hours did not parse');
  const server = await startServer({
    dataDir,
    databaseUrl,
    port: 0,
    host: '127.0.0.1',
    serviceHours,
    chat: {
      maxChatsPerAdviser: maxChats,
      // Every simulated customer comes from one loopback address, all at once:
      // the per-address and overall queue limits would refuse nearly all of them.
      maxWaitingChats: 100_000,
      maxWaitingChatsPerAddress: 100_000,
      chatStartRate: { capacity: 100_000, refillPerSecond: 100_000 },
    },
  });
  process.on('SIGTERM', () => {
    void server.close().finally(() => process.exit(0));
  });
  console.log(`channels server listening on ${server.url}`);
  reportUsage();
}

/**
 * The baseline: the same events and rooms as the chat server, each message
 * passed straight to the other party with an acknowledgement, and nothing else.
 */
async function serveRelay(): Promise<void> {
  const httpServer = createServer();
  const relay = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: limits.maxSocketMessageBytes * 4,
  });
  const customers = relay.of('/customer');
  const seqs = new Map<string, number>();
  const nextSeq = (chatId: string) => {
    const seq = (seqs.get(chatId) ?? 0) + 1;
    seqs.set(chatId, seq);
    return seq;
  };
  type Ack = (answer: unknown) => void;
  const answer = (ack: unknown, value: unknown) => {
    if (typeof ack === 'function') (ack as Ack)({ ok: true, value });
  };
  interface Relayed {
    chatId?: string;
    clientMessageId?: string;
    text?: string;
  }

  customers.on('connection', (socket) => {
    const { chatId, desk } = socket.handshake.auth as { chatId: string; desk: string };
    void socket.join(`chat:${chatId}`);
    socket.on('chat:message', (input: Relayed, ack: unknown) => {
      const seq = nextSeq(chatId);
      const sentAt = new Date().toISOString();
      relay.to(`desk:${desk}`).emit('chat:message', {
        chatId,
        seq,
        clientMessageId: input.clientMessageId,
        from: 'customer',
        author: 'Customer',
        text: input.text,
        sentAt,
      });
      answer(ack, {
        chatId,
        clientMessageId: input.clientMessageId,
        seq,
        sentAt,
        duplicate: false,
      });
    });
    socket.on('chat:ack', (_input: unknown, ack: unknown) => answer(ack, null));
  });

  relay.on('connection', (socket) => {
    const { desk } = socket.handshake.auth as { desk: string };
    void socket.join(`desk:${desk}`);
    socket.on('chat:send', (input: Relayed, ack: unknown) => {
      const chatId = input.chatId ?? '';
      const seq = nextSeq(chatId);
      const sentAt = new Date().toISOString();
      customers.to(`chat:${chatId}`).emit('chat:message', {
        chatId,
        seq,
        clientMessageId: input.clientMessageId,
        from: 'adviser',
        author: 'Adviser',
        text: input.text,
        sentAt,
      });
      answer(ack, {
        chatId,
        clientMessageId: input.clientMessageId,
        seq,
        sentAt,
        duplicate: false,
      });
    });
    socket.on('chat:ack', (_input: unknown, ack: unknown) => answer(ack, null));
  });

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  process.on('SIGTERM', () => {
    void relay.close(() => process.exit(0));
    httpServer.closeAllConnections();
  });
  console.log(
    `channels relay listening on http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
  );
  reportUsage();
}

// ---------------------------------------------------------------- the parent: servers as processes

class ServerProcess {
  private latest: Usage | null = null;
  /** Largest RSS sampled since `markPeak()`. */
  private peak = 0;
  private waiting: ((usage: Usage) => void)[] = [];

  private constructor(
    readonly started: StartedProcess,
    readonly url: string,
  ) {}

  static async start(args: string[], profileDir?: string): Promise<ServerProcess> {
    const entry = tsEntry(fileURLToPath(import.meta.url), ['--serve', ...args]);
    if (profileDir) entry.args.unshift('--cpu-prof', '--cpu-prof-dir', profileDir);
    let server: ServerProcess | null = null;
    const early: string[] = [];
    const started = await startProcess({
      name: `channels ${args[0] ?? 'server'}`,
      ...entry,
      readyPattern: /listening on (http:\/\/\S+)/,
      onLine: (line) => {
        if (server) server.line(line);
        else early.push(line);
      },
    });
    server = new ServerProcess(started, started.readyValue);
    for (const line of early) server.line(line);
    return server;
  }

  private line(line: string): void {
    if (!line.startsWith('usage ')) return;
    const parsed = usageSchema.safeParse(JSON.parse(line.slice('usage '.length)));
    if (!parsed.success) return;
    this.latest = parsed.data;
    this.peak = Math.max(this.peak, parsed.data.rss);
    for (const resolve of this.waiting.splice(0)) resolve(parsed.data);
  }

  /** The next sample the child prints (at most a quarter of a second away). */
  nextUsage(): Promise<Usage> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  get lastUsage(): Usage | null {
    return this.latest;
  }

  /** Starts watching for the largest RSS afresh. */
  markPeak(): void {
    this.peak = this.latest?.rss ?? 0;
  }

  get peakRss(): number {
    return this.peak;
  }

  stop(): Promise<void> {
    return stopProcess(this.started);
  }
}

// ---------------------------------------------------------------- measuring

/** Send times by client message id, and the latency of each message seen arriving. */
class Latencies {
  private readonly sentAt = new Map<string, number>();
  readonly samples: number[] = [];
  sent = 0;

  send(clientMessageId: string): void {
    this.sent += 1;
    this.sentAt.set(clientMessageId, performance.now());
  }

  received(clientMessageId: string): void {
    const at = this.sentAt.get(clientMessageId);
    if (at === undefined) return;
    this.sentAt.delete(clientMessageId);
    this.samples.push(performance.now() - at);
  }

  get inFlight(): number {
    return this.sentAt.size;
  }
}

interface Traffic {
  toDesk: Latencies;
  toCustomer: Latencies;
  /** Sends and receipts answered with a failure, or not answered in time, by event and code. */
  refused: Map<string, number>;
  /** Sends and receipts still waiting for their answer. */
  unanswered: number;
}

const newTraffic = (): Traffic => ({
  toDesk: new Latencies(),
  toCustomer: new Latencies(),
  refused: new Map(),
  unanswered: 0,
});

function countRefusal(traffic: Traffic, code: string): void {
  traffic.refused.set(code, (traffic.refused.get(code) ?? 0) + 1);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? Number.NaN;
}

interface Spread {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
const count = (value: number) => value.toLocaleString('en-GB');
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const describe = (s: Spread) =>
  `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`;

// ---------------------------------------------------------------- the schedule

/** A small seeded generator, so the bench and its baseline send exactly the same messages. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Send {
  /** Milliseconds after the window opens. */
  at: number;
  from: 'customer' | 'adviser';
  text: string;
}

/** Each chat's sends in the window: the first within 3 s, then every 1 to 3 s, taking turns. */
function scheduleFor(chats: number, windowMs: number): Send[][] {
  const random = seededRandom(0xc4a7);
  const pick = () => texts[Math.floor(random() * texts.length)] ?? 'Hello';
  return Array.from({ length: chats }, () => {
    const sends: Send[] = [];
    let at = random() * gapMs.max;
    let from: Send['from'] = 'customer';
    while (at < windowMs) {
      sends.push({ at, from, text: pick() });
      from = from === 'customer' ? 'adviser' : 'customer';
      at += gapMs.min + random() * (gapMs.max - gapMs.min);
    }
    return sends;
  });
}

// ---------------------------------------------------------------- the clients

type DeskSocket = Socket<ServerToDeskEvents, DeskToServerEvents>;
type CustomerSocket = Socket<ServerToCustomerEvents, CustomerToServerEvents>;

const goAvailable = (desk: DeskSocket) =>
  desk.timeout(answerTimeoutMs).emitWithAck('adviser:availability', { availability: 'available' });

interface LiveChat {
  chatId: string;
  customer: CustomerSocket;
  desk: DeskSocket;
}

const acknowledgement = resultSchema(z.unknown());

/** Counts an answer that is a failure, cannot be read, or does not come in time. */
function tally(traffic: Traffic, event: string, asked: Promise<unknown>): void {
  traffic.unanswered += 1;
  asked
    .then(
      (answer) => {
        const parsed = acknowledgement.safeParse(answer);
        if (!parsed.success) countRefusal(traffic, `${event} unreadable answer`);
        else if (!parsed.data.ok) countRefusal(traffic, `${event} ${parsed.data.error.code}`);
      },
      () => countRefusal(traffic, `${event} no answer`),
    )
    .finally(() => {
      traffic.unanswered -= 1;
    });
}

/** Each party's side of the traffic, the same for the real server and the relay. */
function listen(traffic: Traffic, desks: DeskSocket[], customers: CustomerSocket[]): void {
  for (const desk of desks) {
    desk.on('chat:message', (input) => {
      const message = chatMessageSchema.safeParse(input);
      if (!message.success || message.data.from !== 'customer') return;
      traffic.toDesk.received(message.data.clientMessageId);
      // A desk acknowledges once it holds the message, as the real desk does.
      tally(
        traffic,
        'desk chat:ack',
        desk
          .timeout(answerTimeoutMs)
          .emitWithAck('chat:ack', { chatId: message.data.chatId, upToSeq: message.data.seq }),
      );
    });
  }
  for (const customer of customers) {
    customer.on('chat:message', (input) => {
      const message = chatMessageSchema.safeParse(input);
      if (!message.success || message.data.from !== 'adviser') return;
      traffic.toCustomer.received(message.data.clientMessageId);
      tally(
        traffic,
        'customer chat:ack',
        customer.timeout(answerTimeoutMs).emitWithAck('chat:ack', { upToSeq: message.data.seq }),
      );
    });
  }
}

/** Sends every scheduled message at its time; resolves when the window closes. */
async function exchange(
  traffic: Traffic,
  chats: readonly LiveChat[],
  schedule: readonly Send[][],
  windowMs: number,
): Promise<void> {
  const opened = performance.now();
  const timers = new Set<NodeJS.Timeout>();
  chats.forEach((chat, index) => {
    const sends = schedule[index] ?? [];
    const next = (at: number) => {
      const send = sends[at];
      if (!send) return;
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          const clientMessageId = randomBytes(12).toString('base64url');
          if (send.from === 'customer') {
            traffic.toDesk.send(clientMessageId);
            tally(
              traffic,
              'customer chat:message',
              chat.customer
                .timeout(answerTimeoutMs)
                .emitWithAck('chat:message', { clientMessageId, text: send.text }),
            );
          } else {
            traffic.toCustomer.send(clientMessageId);
            tally(
              traffic,
              'desk chat:send',
              chat.desk.timeout(answerTimeoutMs).emitWithAck('chat:send', {
                chatId: chat.chatId,
                clientMessageId,
                text: send.text,
              }),
            );
          }
          next(at + 1);
        },
        Math.max(0, send.at - (performance.now() - opened)),
      );
      timers.add(timer);
    };
    next(0);
  });
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  for (const timer of timers) clearTimeout(timer);
}

/** Waits until every message sent has arrived and every answer is in, or `drainMs` passes. */
async function drain(traffic: Traffic): Promise<void> {
  const until = performance.now() + drainMs;
  const waiting = () => traffic.toDesk.inFlight + traffic.toCustomer.inFlight + traffic.unanswered;
  while (waiting() > 0 && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function connect<T extends Socket>(url: string, auth: Record<string, unknown>): Promise<T> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    // One WebSocket per simulated person: without it socket.io multiplexes them onto one.
    forceNew: true,
    auth,
  }) as unknown as T;
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error) => {
      socket.close();
      reject(new Error(`a socket to ${url} was refused: ${error.message}`));
    });
  });
}

/** Runs `task` for 0..count-1, at most `limit` at a time, in order of index. */
async function inBatches<T>(
  total: number,
  limit: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array<T>(total);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < total) {
      const index = nextIndex++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, total) }, worker));
  return results;
}

async function postJson(url: string, body: unknown, bearer?: string): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function signIn(base: string, username: string, password: string): Promise<string> {
  const session = resultSchema(sessionGrantSchema).parse(
    await postJson(`${base}/api/session`, { username, password }),
  );
  if (!session.ok) throw new Error(`${username} could not sign in: ${session.error.message}`);
  const access = resultSchema(accessGrantSchema).parse(
    await postJson(`${base}/api/session/token`, {}, session.value.sessionToken),
  );
  if (!access.ok) throw new Error(`${username} got no access token: ${access.error.message}`);
  return access.value.token;
}

function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) return resolve();
      if (performance.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(check, 20);
    };
    check();
  });
}

/** One server process's share of a run. */
interface ProcessFigures {
  /** CPU time the process used while messages flowed, and the wall time it was measured over. */
  cpuMs: number;
  cpuWallMs: number;
  idleRss: number;
  liveRss: number;
  /** Largest RSS sampled while messages flowed. */
  windowPeakRss: number;
  /** Largest RSS over the process's life (start-up and sign-ins included). */
  maxRss: number;
}

interface RunFigures {
  traffic: Traffic;
  windowMs: number;
  /** Every server process's figures, in the order they were started. */
  processes: ProcessFigures[];
  /** CPU time all the server processes used while messages flowed. */
  cpuMs: number;
  /** CPU time this process (every simulated client) used while messages flowed. */
  clientCpuMs: number;
  /** The machine's one-minute load average as the window closed. */
  loadAtEnd: number;
  setup: string[];
}

function closeAll(sockets: readonly Socket[]): void {
  for (const socket of sockets) socket.close();
}

// ---------------------------------------------------------------- the run on the real server

async function realServerRun(
  root: string,
  options: Required<Omit<ChannelsBenchOptions, 'log' | 'profileDir'>> & { profileDir?: string },
  maxChats: number,
  live: number,
  schedule: readonly Send[][],
  databaseUrl: string | null,
  processCount = 1,
): Promise<RunFigures> {
  const dataDir = join(root, databaseUrl ? 'central-postgres' : 'central-sqlite');
  mkdirSync(dataDir, { recursive: true });
  // Advisers go straight into the server's storage (one scrypt hash shared by all, to save time);
  // the server finds accounts there and seeds no demo accounts. The signing key is made here
  // first and the server loads the same file.
  const password = randomBytes(18).toString('base64url');
  const signingKey = Buffer.from(loadOrCreateSecret(dataDir, signingSecretFile), 'base64url');
  const storage = await openStorage({ dataDir, databaseUrl });
  const advisers: (StaffMember & { sessionId: string })[] = [];
  try {
    const passwordHash = await hashPassword(password);
    const createdAt = new Date();
    for (let index = 0; index < options.advisers; index += 1) {
      const adviser = await storage.accounts.create({
        username: `bench-adviser-${index}`,
        displayName: `Adviser${index} Bench`,
        roles: ['adviser'],
        passwordHash,
      });
      // Access tokens name a live session, so each adviser gets one as a sign-in would make.
      const sessionId = randomBytes(32).toString('hex');
      await storage.sessions.create({
        tokenHash: sessionId,
        accountId: adviser.id,
        createdAt: createdAt.toISOString(),
        expiresAt: new Date(createdAt.getTime() + 12 * 60 * 60 * 1000).toISOString(),
      });
      advisers.push({ ...adviser, sessionId });
    }
  } finally {
    await storage.close();
  }

  // Several processes share one data folder and one database, as behind a load balancer.
  const servers = await Promise.all(
    Array.from({ length: processCount }, () =>
      ServerProcess.start(
        ['central', dataDir, String(maxChats), ...(databaseUrl ? [databaseUrl] : [])],
        options.profileDir,
      ),
    ),
  );
  const server = servers[0]!;
  // Each person connects to the processes in turn, so a chat's two parties are on
  // different processes about half the time when there are two.
  const urlFor = (index: number) => servers[index % servers.length]!.url;
  const desks: DeskSocket[] = [];
  const customers: CustomerSocket[] = [];
  try {
    const idle = await Promise.all(servers.map((each) => each.nextUsage()));
    const setup: string[] = [];

    let started = performance.now();
    const signedIn = Math.min(httpSignIns, options.advisers);
    const tokens = await inBatches(signedIn, signedIn, (index) =>
      signIn(server.url, `bench-adviser-${index}`, password),
    );
    const signInMs = performance.now() - started;
    const exp = Date.now() + accessTokenLifetimeMs;
    for (const adviser of advisers.slice(signedIn)) {
      tokens.push(
        signAccessToken(signingKey, {
          sub: adviser.id,
          sid: adviser.sessionId,
          roles: adviser.roles,
          exp,
        }),
      );
    }
    setup.push(
      `${signedIn} advisers signed in over HTTP together in ${seconds(signInMs)}; ` +
        `${count(advisers.length - signedIn)} more got access tokens signed with the server's key`,
    );

    // Offers are accepted at once; a chat counts as live when the accept's answer is back.
    const holder = new Map<string, DeskSocket>();
    started = performance.now();
    desks.push(
      ...(await inBatches(options.advisers, connectConcurrency, async (index) => {
        const desk = await connect<DeskSocket>(urlFor(index), {
          token: tokens[index],
          deskId: randomUUID(),
        });
        desk.on('chat:offered', (input) => {
          const offer = chatOfferSchema.safeParse(input);
          if (!offer.success) return;
          desk
            .timeout(answerTimeoutMs)
            .emit('chat:accept', { chatId: offer.data.chatId }, (error, answer) => {
              const session = resultSchema(chatSessionSchema).safeParse(answer);
              if (!error && session.success && session.data.ok) {
                holder.set(session.data.value.chatId, desk);
              }
            });
        });
        // Right after the processes start, none may be routing yet: the answer is then
        // "unavailable" (routing is moving to another server), and the adviser asks again.
        const deadline = performance.now() + routingSettleMs;
        let presence = await goAvailable(desk);
        while (
          !presence.ok &&
          presence.error.code === 'unavailable' &&
          performance.now() < deadline
        ) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          presence = await goAvailable(desk);
        }
        if (!presence.ok)
          throw new Error(`an adviser could not go available: ${presence.error.message}`);
        return desk;
      })),
    );
    customers.push(
      ...(await inBatches(options.customers, connectConcurrency, (index) =>
        connect<CustomerSocket>(`${urlFor(index)}/customer`, { customer: index }),
      )),
    );
    setup.push(
      `${count(desks.length + customers.length)} sockets connected in ${seconds(performance.now() - started)}`,
    );

    started = performance.now();
    const chatIds = await inBatches(customers.length, connectConcurrency, async (index) => {
      const answer = await customers[index]!.timeout(answerTimeoutMs).emitWithAck('chat:start', {
        name: `Customer${index}`,
        age: 13 + (index % 6),
      });
      const state = resultSchema(customerChatStateSchema).parse(answer);
      if (!state.ok) throw new Error(`a chat could not start: ${state.error.message}`);
      return state.value.chatId;
    });
    await until(() => holder.size >= live, 60_000, `${live} chats to be answered`);
    setup.push(
      `${count(customers.length)} chats started, ${count(live)} routed and accepted in ${seconds(performance.now() - started)}`,
    );

    const chats: LiveChat[] = [];
    chatIds.forEach((chatId, index) => {
      const desk = holder.get(chatId);
      const customer = customers[index];
      if (desk && customer) chats.push({ chatId, customer, desk });
    });

    return await measureWindow(servers, { desks, customers, chats }, schedule, options.seconds, {
      idleRss: idle.map((each) => each.rss),
      setup,
    });
  } finally {
    closeAll(customers);
    closeAll(desks);
    await Promise.all(servers.map((each) => each.stop()));
  }
}

/**
 * The measured window, the same on either server: every chat exchanges its
 * scheduled messages for `seconds`, with the server's CPU and memory read
 * before and after, then what is still in flight is waited for.
 */
async function measureWindow(
  servers: readonly ServerProcess[],
  parties: { desks: DeskSocket[]; customers: CustomerSocket[]; chats: LiveChat[] },
  schedule: readonly Send[][],
  seconds: number,
  known: { idleRss: number[]; setup: string[] },
): Promise<RunFigures> {
  const traffic = newTraffic();
  listen(traffic, parties.desks, parties.customers);
  const before = await Promise.all(servers.map((server) => server.nextUsage()));
  for (const server of servers) server.markPeak();
  const clientBefore = process.cpuUsage();
  await exchange(traffic, parties.chats, schedule, seconds * 1000);
  const after = await Promise.all(servers.map((server) => server.nextUsage()));
  const client = process.cpuUsage(clientBefore);
  await drain(traffic);
  const processes = servers.map((server, index): ProcessFigures => {
    const start = before[index]!;
    const end = after[index]!;
    return {
      cpuMs: end.cpuMs - start.cpuMs,
      cpuWallMs: end.at - start.at,
      idleRss: known.idleRss[index] ?? 0,
      liveRss: end.rss,
      windowPeakRss: server.peakRss,
      maxRss: (server.lastUsage ?? end).maxRss,
    };
  });
  return {
    traffic,
    windowMs: seconds * 1000,
    processes,
    cpuMs: processes.reduce((sum, each) => sum + each.cpuMs, 0),
    clientCpuMs: (client.user + client.system) / 1000,
    loadAtEnd: loadavg()[0] ?? 0,
    setup: known.setup,
  };
}

// ---------------------------------------------------------------- the baseline run on the relay

async function relayRun(
  options: Required<Omit<ChannelsBenchOptions, 'log' | 'profileDir'>>,
  live: number,
  schedule: readonly Send[][],
): Promise<RunFigures> {
  const server = await ServerProcess.start(['relay']);
  const desks: DeskSocket[] = [];
  const customers: CustomerSocket[] = [];
  try {
    const idle = await server.nextUsage();
    desks.push(
      ...(await inBatches(options.advisers, connectConcurrency, (index) =>
        connect<DeskSocket>(server.url, { desk: String(index) }),
      )),
    );
    // Chats spread over desks as routing spreads them: round the advisers in turn.
    const chats: LiveChat[] = [];
    customers.push(
      ...(await inBatches(options.customers, connectConcurrency, async (index) => {
        const chatId = randomUUID();
        const desk = index % options.advisers;
        const customer = await connect<CustomerSocket>(`${server.url}/customer`, {
          chatId,
          desk: String(desk),
        });
        if (index < live) chats[index] = { chatId, customer, desk: desks[desk]! };
        return customer;
      })),
    );

    return await measureWindow([server], { desks, customers, chats }, schedule, options.seconds, {
      idleRss: [idle.rss],
      setup: [],
    });
  } finally {
    closeAll(customers);
    closeAll(desks);
    await server.stop();
  }
}

// ---------------------------------------------------------------- the bench

export async function runChannelsBench(options: ChannelsBenchOptions): Promise<void> {
  const { customers, advisers, log } = options;
  const windowSeconds = options.seconds ?? 30;
  const settings = { customers, advisers, seconds: windowSeconds, profileDir: options.profileDir };
  // Enough room per adviser for every customer to be live at once, never below the default.
  const maxChats = Math.max(defaultMaxChats, Math.ceil(customers / advisers));
  const live = Math.min(customers, advisers * maxChats);
  const schedule = scheduleFor(live, windowSeconds * 1000);
  const root = mkdtempSync(join(tmpdir(), 'adviser-bench-channels-'));
  try {
    log(
      `channels: ${count(customers)} customers, ${count(advisers)} advisers; chats per adviser set to ` +
        `${maxChats} (server option chat.maxChatsPerAdviser, default ${defaultMaxChats}), ` +
        `so ${count(live)} chats are live at once${live < customers ? ` and ${count(customers - live)} wait in the queue` : ''}`,
    );
    const load = loadavg().map((value) => value.toFixed(2));
    log(
      `channels:   machine: ${cpus().length} cores, load average ${load.join(' / ')} (1 / 5 / 15 min) before the run; ` +
        'the clients and each server share those cores',
    );
    log(
      'channels:   service hours set to 00:00-24:00 (server option serviceHours) so chats start whatever the time',
    );
    log(
      `channels:   ${windowSeconds} s of messages once every chat is live: one every 1-3 s per chat, parties taking turns, ` +
        'each acknowledged by its sender and receipted by its reader',
    );
    const real = await realServerRun(root, settings, maxChats, live, schedule, null);
    for (const line of real.setup) log(`channels:   setup (SQLite): ${line}`);
    // The same server as two processes on PostgreSQL, durable as in production, started for the run.
    const cluster = await startPostgresCluster({ durable: true });
    let onPostgres: RunFigures;
    try {
      onPostgres = await realServerRun(root, settings, maxChats, live, schedule, cluster.url, 2);
    } finally {
      await cluster.stop();
    }
    for (const line of onPostgres.setup)
      log(`channels:   setup (PostgreSQL, two processes): ${line}`);
    const relay = await relayRun(settings, live, schedule);
    const report = (name: string, run: RunFigures) => {
      const toDesk = spread(run.traffic.toDesk.samples);
      const toCustomer = spread(run.traffic.toCustomer.samples);
      const sent = run.traffic.toDesk.sent + run.traffic.toCustomer.sent;
      const delivered = toDesk.count + toCustomer.count;
      const refused = [...run.traffic.refused].map(([code, n]) => `${code} ${n}`).join(', ');
      log(`channels:   ${name}:`);
      log(`channels:     customer -> desk  ${describe(toDesk)} (${count(toDesk.count)} messages)`);
      log(
        `channels:     desk -> customer  ${describe(toCustomer)} (${count(toCustomer.count)} messages)`,
      );
      log(
        `channels:     ${count(Math.round((delivered / run.windowMs) * 1000))} messages/s delivered; ` +
          `${count(sent)} sent, ${count(sent - delivered)} not delivered; refused or unanswered: ${refused || 'none'}`,
      );
      log(
        `channels:     clients (this process) CPU ${seconds(run.clientCpuMs)} ` +
          `(${Math.round((run.clientCpuMs / run.windowMs) * 100)}% of one core); ` +
          `machine load average ${run.loadAtEnd.toFixed(2)} as the window closed`,
      );
      run.processes.forEach((each, index) => {
        const which = run.processes.length > 1 ? `server process ${index + 1}` : 'server';
        log(
          `channels:     ${which} CPU ${seconds(each.cpuMs)} over ${seconds(each.cpuWallMs)} ` +
            `(${Math.round((each.cpuMs / each.cpuWallMs) * 100)}% of one core); ` +
            `RSS ${mb(each.idleRss)} idle, ${mb(each.liveRss)} at the end with ${count(live)} live chats, ` +
            `peak ${mb(each.windowPeakRss)} while messages flowed (${mb(each.maxRss)} over the whole process)`,
        );
      });
      return { toDesk, toCustomer };
    };
    const realFigures = report('central server on SQLite (child process)', real);
    const postgresFigures = report(
      'central server on PostgreSQL, two processes (child processes; each person connects to them in turn)',
      onPostgres,
    );
    const relayFigures = report('baseline: bare socket.io relay, same clients and messages', relay);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
    log(
      `channels:   PostgreSQL against SQLite: customer -> desk p50 ${ratio(postgresFigures.toDesk.p50, realFigures.toDesk.p50)}, ` +
        `p99 ${ratio(postgresFigures.toDesk.p99, realFigures.toDesk.p99)}; server CPU, both processes together, ` +
        `${ratio(onPostgres.cpuMs, real.cpuMs)} (the PostgreSQL server process itself is not counted)`,
    );
    log(
      `channels:   ratios to the baseline: customer -> desk p50 ${ratio(realFigures.toDesk.p50, relayFigures.toDesk.p50)}, ` +
        `p99 ${ratio(realFigures.toDesk.p99, relayFigures.toDesk.p99)}; desk -> customer p50 ` +
        `${ratio(realFigures.toCustomer.p50, relayFigures.toCustomer.p50)}, p99 ` +
        `${ratio(realFigures.toCustomer.p99, relayFigures.toCustomer.p99)}; server CPU ${ratio(real.cpuMs, relay.cpuMs)}`,
    );
    const verdict = (p99: number, target: number) =>
      live < 1_000
        ? `not judged: only ${count(live)} live chats`
        : p99 < target
          ? 'met'
          : 'NOT met';
    log(
      `channels:   target p99 customer -> desk under ${targetP99Ms} ms with 1,000 concurrent chats, one process on SQLite: ` +
        `${verdict(realFigures.toDesk.p99, targetP99Ms)} (p99 ${ms(realFigures.toDesk.p99)} with ${count(live)} live chats)`,
    );
    log(
      `channels:   target p99 customer -> desk under ${targetTwoProcessP99Ms} ms with 1,000 concurrent chats, two processes on PostgreSQL: ` +
        `${verdict(postgresFigures.toDesk.p99, targetTwoProcessP99Ms)} (p99 ${ms(postgresFigures.toDesk.p99)} with ${count(live)} live chats)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- command line

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      serve: { type: 'boolean', default: false },
      customers: { type: 'string', default: '1000' },
      advisers: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '30' },
      profile: { type: 'string' },
    },
  });
  if (values.serve) {
    // The child: `--serve central <dataDir> <maxChats> [<databaseUrl>]` or `--serve relay`.
    const [kind, dataDir, maxChats, databaseUrl] = positionals;
    if (kind === 'central' && dataDir && maxChats)
      await serveCentral(dataDir, Number(maxChats), databaseUrl ?? null);
    else if (kind === 'relay') await serveRelay();
    else throw new Error('--serve takes central <dataDir> <maxChats> [<databaseUrl>], or relay');
  } else {
    const whole = (name: string, text: string) => {
      const value = Number(text);
      if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number`);
      return value;
    };
    await runChannelsBench({
      customers: whole('customers', values.customers),
      advisers: whole('advisers', values.advisers),
      seconds: whole('seconds', values.seconds),
      profileDir: values.profile === undefined ? undefined : resolve(values.profile),
      log: (line) => console.log(line),
    });
  }
}
