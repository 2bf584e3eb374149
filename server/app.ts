// Starts the central server: storage on SQLite or PostgreSQL (migrated),
// secrets, demo accounts on first start, then HTTP and socket.io on one port.
// Returns a handle that closes everything in order.
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { limits } from '../shared/limits';
import {
  inMemoryLimits,
  postgresLimits,
  SignInAttempts,
  type SignInAttemptPolicy,
} from './auth/sign-in-attempts';
import { StaffAuth } from './auth/staff-auth';
import { createChatRoutes } from './chat/routes';
import {
  attachChat,
  customerNamespace,
  maxCustomerEventBytes,
  type ChatSocketOptions,
} from './chat/sockets';
import { defaultForm } from '../shared/quality/form';
import { demoAccounts, demoPassword } from './demo-accounts';
import type { QualityOptions } from './quality/routes';
import { createHttpApp } from './http/routes';
import type { DeclaredRoute } from './http/safe-routes';
import { createIngestRegistry } from './ingest';
import { KnowledgeService } from './knowledge/service';
import { systemClock } from './routing/clock';
import { loadOrCreateSecret, signingSecretFile, telephonyKeyFile } from './secrets';
import { guardNamespace } from './socket/acks';
import { attachDeskSockets, staffRoom, type DeskServer } from './socket/desks';
import { customerEventAccess, deskEventAccess } from './socket/event-access';
import { takeOwnership } from './storage/ownership';
import { sharedSocketAdapter } from './storage/socket-adapter';
import { openStorage } from './storage/storage';
import type { ServerStorage } from './storage/types';
import { TelephonySimulator } from './telephony/simulator';
import {
  startTranscriptDelivery,
  type TranscriptDelivery,
  type TranscriptDeliveryOptions,
} from './transcripts';
import { createMailRoutes } from './transcripts/routes';
import { registerFollowUpRoutes } from './follow-ups/routes';
import { FollowUpService, startReminderSweep } from './follow-ups/service';
import type { ServiceHours } from '../shared/time/service-hours';
import { startHistoryIndexer, type HistoryIndexerOptions } from './history/indexer';
import { attachLiveBoard } from './dashboard/live';
import type { LogLine } from './logging';
import type { SafeguardingProtocol } from '../shared/wire/safeguarding';
import { checkOutcomeCodes, registerWrapUpRoutes } from './wrap-up/outcome-codes';
import type { OutcomeCode } from '../shared/interaction/outcome-codes';

export interface ServerOptions {
  /** Keys, call recordings and mail, and the SQLite database when no URL is given. */
  dataDir: string;
  /** postgres://… selects PostgreSQL; absent or null, SQLite in the data folder. */
  databaseUrl?: string | null;
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  log?: LogLine;
  /** The server's clock; tests move it to expire tokens. */
  now?: () => number;
  /**
   * Lets the telephony simulator move the server's clock forward
   * (POST /api/telephony/clock), for training and end-to-end tests of
   * follow-ups weeks ahead. Off unless asked for: a real service never moves its clock.
   */
  simulatedClock?: boolean;
  signInAttempts?: SignInAttemptPolicy;
  /** The mail sink or a real relay, the From address, retries (server/transcripts/settings.ts). */
  transcripts?: TranscriptDeliveryOptions;
  /** The history indexer's pace (server/history/indexer.ts). */
  history?: HistoryIndexerOptions;
  /** Quality review: the dispute window and the weekly sample's size (server/quality/routes.ts). */
  quality?: QualityOptions;
  /**
   * Wrap-up: the outcome codes advisers choose from (server/wrap-up/outcome-codes.ts).
   * Checked before anything starts; absent, the built-in list.
   */
  wrapUp?: { outcomeCodes?: readonly OutcomeCode[] };
  /**
   * The helpline's opening hours, London time: when web chat is open and when
   * a follow-up call may be booked. Absent, 08:00 to 22:00.
   */
  serviceHours?: ServiceHours;
  /** Web chat and routing: offer time-out, chats per adviser, rate limit, where the page is built. */
  chat?: Omit<ChatSocketOptions, 'serviceHours'> & { pageDir?: string };
  /**
   * On PostgreSQL, the connection that made this process the routing owner
   * broke, so another process may route now and this one must not. The
   * default stops the process (exit code 1) for its supervisor to restart.
   */
  routingLost?: () => void;
  /** The service's immediate-risk protocol, checked at start-up (server/safeguarding/protocol.ts). */
  safeguardingProtocol?: SafeguardingProtocol;
}

export interface RunningServer {
  url: string;
  port: number;
  storage: ServerStorage;
  telephony: TelephonySimulator;
  transcripts: TranscriptDelivery;
  /** Follow-up calls: tests send reminders due at a moved clock through it. */
  followUps: FollowUpService;
  /** True when this start created the demo accounts (a fresh data folder). */
  seededDemoAccounts: boolean;
  /** Every HTTP route with who may call it (docs/permissions.md). */
  routes: readonly DeclaredRoute[];
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? (() => undefined);
  const readClock = options.now ?? Date.now;
  let clockOffsetMs = 0;
  const now = () => readClock() + clockOffsetMs;
  const moveClock = options.simulatedClock
    ? (to: number) => {
        clockOffsetMs = Math.max(clockOffsetMs, to - readClock());
        return now();
      }
    : null;
  const host = options.host ?? '127.0.0.1';
  // A bad list stops the start before the database is touched, with the reason.
  const outcomeCodes = checkOutcomeCodes(options.wrapUp?.outcomeCodes);
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });

  const storage = await openStorage({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl ?? null,
  });
  log(`database: ${storage.description}`);
  let transcripts: TranscriptDelivery | null = null;
  try {
    const signingSecret = Buffer.from(
      loadOrCreateSecret(options.dataDir, signingSecretFile),
      'base64url',
    );
    const telephonyKey = loadOrCreateSecret(options.dataDir, telephonyKeyFile);
    const auth = new StaffAuth(
      storage,
      signingSecret,
      new SignInAttempts(
        options.signInAttempts,
        storage.database.pool ? await postgresLimits(storage.database) : inMemoryLimits,
      ),
      now,
    );
    const seededDemoAccounts = await auth.seedDemoAccounts();
    if (seededDemoAccounts) {
      log(`created demo accounts (password ${demoPassword}):`);
      for (const account of demoAccounts) {
        log(`  ${account.username}  ${account.displayName}  (${account.roles.join(', ')})`);
      }
    }
    // The default scorecard, version 1, is kept at start-up; a published form never changes.
    if (
      (await storage.quality.ensureForm(defaultForm, new Date(now()).toISOString())) === 'differs'
    ) {
      log(
        `scorecard ${defaultForm.id} version ${defaultForm.version} is held with different content; the held one stays`,
        'warn',
      );
    }
    const ingest = createIngestRegistry();
    const telephony = new TelephonySimulator(storage.calls, now, log);

    // One entry point for every request. The listener is in place before
    // socket.io attaches, so socket.io takes its own path and hands every other
    // request to this one listener: no request is ever answered twice.
    let api: ((request: IncomingMessage, response: ServerResponse) => void) | null = null;
    const httpServer = createServer((request, response) => {
      if (api) return api(request, response);
      response.writeHead(503, { 'content-type': 'text/plain' }).end('Starting up');
    });
    // Several processes on one PostgreSQL hear each other's broadcasts.
    const adapter = await sharedSocketAdapter(storage.database, log);
    const io: DeskServer = new Server(httpServer, {
      ...(adapter ? { adapter } : {}),
      serveClient: false,
      // Above the per-event limits, which the namespace guards enforce with an answer.
      maxHttpBufferSize: limits.maxSocketMessageBytes * 4,
    });
    io.engine.on('connection_error', (error: { code?: unknown; message?: unknown }) =>
      log(`socket connection refused: ${String(error.message)} (${String(error.code)})`, 'warn'),
    );
    // Every event on every namespace is checked before any handler: its name, depth and size.
    guardNamespace(io.sockets, {
      events: new Set(Object.keys(deskEventAccess)),
      maxBytes: limits.maxSocketMessageBytes,
      log,
    });
    guardNamespace(io.of(customerNamespace), {
      events: new Set(Object.keys(customerEventAccess)),
      maxBytes: maxCustomerEventBytes,
      log,
    });
    // Every socket on io is a signed-in desk; a published or retired version tells them all to pull.
    const knowledge = new KnowledgeService(storage.knowledge, {
      now,
      log,
      changed: (version) => io.emit('knowledge:changed', { version }),
    });
    await knowledge.importStarterArticles();
    // One process routes chats and calls; on SQLite it is this one (decision 0014).
    const ownership = await takeOwnership(storage.database, 'chat and call routing', {
      log,
      lost:
        options.routingLost ??
        (() => {
          log('stopping: another server process may be routing now');
          process.exit(1);
        }),
    });
    log(
      ownership.owner
        ? 'routing: this process routes chats and calls'
        : 'routing: another process routes chats and calls; this one forwards to it',
    );
    const liveBoard = attachLiveBoard(io, { safeguarding: storage.safeguarding, log });
    const chat = attachChat(io, {
      ownership,
      liveRouting: (states, stats) => liveBoard.routingChanged(states, stats),
      store: storage.chats,
      adviserName: async (adviserId) =>
        (await storage.accounts.findById(adviserId))?.displayName ?? null,
      clock: systemClock(now),
      log,
      telephony,
      calls: storage.calls,
      options: { ...options.chat, serviceHours: options.serviceHours },
    });
    // Unfinished chats come back before anyone can connect: a failure to read them stops the start.
    await chat.restore();
    const delivery = await startTranscriptDelivery({
      dataDir: options.dataDir,
      store: storage.transcriptDelivery,
      now,
      log,
      options: options.transcripts ?? {},
      // For records naming an article without the title and link the young person was shown.
      articles: (articleId) => storage.knowledge.article(articleId),
    });
    transcripts = delivery;
    const hasConnectedDesk = async (staffId: string) =>
      (await io.in(staffRoom(staffId)).fetchSockets()).length > 0;
    const followUps = new FollowUpService({
      storage,
      telephony,
      messages: delivery.messages,
      now,
      serviceHours: options.serviceHours,
      hasConnectedDesk,
      log,
    });
    const stopReminders = startReminderSweep(followUps, systemClock(now), log);
    const historyIndexer = startHistoryIndexer(storage.history, log, options.history);
    const http = createHttpApp({
      auth,
      storage,
      telephony,
      telephonyKey,
      knowledge,
      mailRoutes: createMailRoutes({
        folder: delivery.folder,
        store: storage.transcriptDelivery,
      }),
      log,
      chatRoutes: createChatRoutes({
        now,
        pageDir: options.chat?.pageDir,
        serviceHours: options.serviceHours,
      }),
      callQueue: chat.callQueue,
      quality: options.quality,
      hasConnectedDesk,
      followUpRoutes: (routes) => registerFollowUpRoutes(routes, followUps, telephony, moveClock),
      wrapUpRoutes: (routes) => registerWrapUpRoutes(routes, outcomeCodes),
    });
    api = http.app;
    attachDeskSockets(io, {
      auth,
      storage,
      ingest,
      telephony,
      now,
      log,
      chat,
      liveBoard,
      safeguardingProtocol: options.safeguardingProtocol,
    });

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 4300, host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    const port = (httpServer.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;

    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        // Timers stop now; chat work already under way is written before the storage closes.
        const chatClosed = chat.close();
        await new Promise<void>((resolve) => {
          void io.close(() => resolve());
          // Keep-alive HTTP connections would otherwise hold the close open.
          httpServer.closeAllConnections();
        });
        await chatClosed;
        stopReminders();
        // Given up once the chat work is written, so a process taking over reads all of it.
        await ownership.close();
        await delivery.close();
        await historyIndexer.close();
      })().finally(() => storage.close());
      return closing;
    };

    return {
      url: `http://${urlHost}:${port}`,
      port,
      storage,
      telephony,
      transcripts: delivery,
      followUps,
      seededDemoAccounts,
      routes: http.routes,
      close,
    };
  } catch (error) {
    await transcripts?.close();
    await storage.close();
    throw error;
  }
}
