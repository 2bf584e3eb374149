// Routing across server processes. The router, its timers and the waiting
// chats and calls live in one process: the routing owner (decision 0014). A
// chat's messages, receipts and typing go through whichever process holds
// the socket, straight to the store, and reach the other party through the
// shared socket.io adapter. Everything that routing decides (a chat starting,
// an answer, an end, availability) is a call on the owner: made in place on
// the owner itself, and sent there with socket.io's server-side events from
// any other process. A call rung straight to a named adviser is one of them:
// the telephony side asks the owner before it rings.
//
// The owner learns which advisers have desks and which chats have customers
// on each process from reports that process sends: at once when a desk comes
// or goes, and every few seconds. Reports are state, not events, so a lost one
// is mended by the next, a process that stops reporting (it died) has its
// desks taken out of routing, and a new owner rebuilds the picture by asking
// every process to report.
import { randomUUID } from 'node:crypto';
import type { DeskServer } from '../socket/desks';
import type { Ownership } from '../storage/ownership';
import { z } from 'zod';
import {
  adviserAvailabilitySchema,
  type AdviserAvailability,
  type CustomerChatStart,
  type CustomerLeft,
} from '../../shared/wire/chat';
import type { WorkKind } from '../routing/router';
import type { ChatService, ChatStartOrigin } from './service';
import type { LogLine } from '../logging';

/** The calls routing answers, each made on the owner's service. */
const routedCalls = {
  start: (service: ChatService, input: CustomerChatStart, origin?: ChatStartOrigin) =>
    service.start(input, origin),
  resume: (service: ChatService, resumeToken: string, lastSeenSeq: number) =>
    service.resume(resumeToken, lastSeenSeq),
  customerLeaves: (service: ChatService, chatId: string, how: CustomerLeft['how']) =>
    service.customerLeaves(chatId, how),
  customerGone: (service: ChatService, chatId: string) => service.customerGone(chatId),
  deskCatchUp: (service: ChatService, adviserId: string) => service.deskCatchUp(adviserId),
  setAvailability: (service: ChatService, adviserId: string, availability: AdviserAvailability) =>
    service.setAvailability(adviserId, availability),
  accept: (service: ChatService, adviserId: string, chatId: string) =>
    service.accept(adviserId, chatId),
  decline: (service: ChatService, adviserId: string, kind: WorkKind, id: string) =>
    service.decline(adviserId, kind, id),
  adviserEnds: (service: ChatService, adviserId: string, chatId: string) =>
    service.adviserEnds(adviserId, chatId),
  resync: (service: ChatService, adviserId: string) => service.resync(adviserId),
  queueStats: (service: ChatService) => service.queueStats(),
  liveRouting: (service: ChatService) => service.liveRouting(),
  queueCall: (
    service: ChatService,
    cli: string | null,
    declined?: { ringingSince: number; declinedBy: string },
  ) => service.queueCall(cli, declined),
  declineCall: (service: ChatService, adviserId: string, callId: string) =>
    service.declineCall(adviserId, callId),
  takeQueuedCall: (service: ChatService, adviserId: string, callId: string) =>
    service.takeQueuedCall(adviserId, callId),
  callerLeftQueue: (service: ChatService, callId: string) => service.callerLeftQueue(callId),
  admitDirectCall: (service: ChatService, adviserId: string, callId: string) =>
    service.admitDirectCall(adviserId, callId),
  callConnected: (service: ChatService, adviserId: string, callId: string) =>
    service.callConnected(adviserId, callId),
  callEnded: (service: ChatService, callId: string) => service.callEnded(callId),
};

type RoutedCalls = typeof routedCalls;
export type RoutedCall = keyof RoutedCalls;
type ArgumentsOf<M extends RoutedCall> = RoutedCalls[M] extends (
  service: ChatService,
  ...args: infer A
) => unknown
  ? A
  : never;
type AnswerOf<M extends RoutedCall> = Awaited<ReturnType<RoutedCalls[M]>>;

/**
 * What one process tells the owner it has: desks per adviser, and chats with a
 * customer connected. Parsed on arrival, like everything else that crosses
 * into a process: it comes through the database from another process.
 */
const processReportSchema = z.object({
  process: z.string().min(1),
  desks: z.array(
    z.object({
      adviserId: z.string().min(1),
      count: z.number().int().positive(),
      availability: adviserAvailabilitySchema.nullable(),
    }),
  ),
  chats: z.array(z.string().min(1)),
});
type ProcessReport = z.infer<typeof processReportSchema>;

/** A routing call by name; its arguments were parsed by the process that took them from a socket. */
const callRequestSchema = z.object({
  method: z.enum(Object.keys(routedCalls) as [RoutedCall, ...RoutedCall[]]),
  args: z.array(z.unknown()),
});
type CallRequest = z.infer<typeof callRequestSchema>;

type CallAnswer =
  { owner: false } | { owner: true; value: unknown } | { owner: true; error: string };

/** socket.io's server-side events between the processes (see DeskServer). */
export interface RoutingServerEvents {
  'routing:call': (request: unknown, answer: (reply: CallAnswer) => void) => void;
  'routing:report': (report: unknown) => void;
  'routing:report-now': () => void;
}

/** Thrown when no process answers as the owner: the caller is told to try again shortly. */
export class RoutingUnavailable extends Error {
  constructor() {
    super('Routing is moving to another server');
  }
}

export interface RoutingLink {
  /** A routing call, made on the owner wherever that is. */
  call<M extends RoutedCall>(method: M, ...args: ArgumentsOf<M>): Promise<AnswerOf<M>>;
  /** A call whose answer nobody waits for; a failure is logged. */
  tell<M extends RoutedCall>(method: M, ...args: ArgumentsOf<M>): void;
  /** A desk of this adviser connected to this process, or went away. */
  deskConnected(adviserId: string): void;
  deskDisconnected(adviserId: string): void;
  /** What routing last said of an adviser's availability, kept for a new owner. */
  availabilityIs(adviserId: string, availability: AdviserAvailability): void;
  /** Resolves when the owner (this process, if it is) has taken back the chats under way. */
  readonly ready: Promise<void>;
  close(): void;
}

export interface RoutingLinkOptions {
  io: DeskServer;
  service: ChatService;
  ownership: Ownership;
  /** The chats with a customer connected to this process. */
  localChats(): string[];
  log: LogLine;
  /** How often each process reports (default 5 s); a process silent for three reports is gone. */
  reportEveryMs?: number;
}

const describeError = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createRoutingLink(options: RoutingLinkOptions): RoutingLink {
  const { io, service, ownership, log } = options;
  const reportEveryMs = options.reportEveryMs ?? 5_000;
  const processId = randomUUID();
  const localDesks = new Map<string, number>();
  const knownAvailability = new Map<string, AdviserAvailability>();
  let ready: Promise<void> = ownership.owner ? service.restore() : Promise.resolve();

  // ------------------------------------------------------------ on the owner

  /** Each process's last report, and when it came. */
  const reports = new Map<string, { at: number; report: ProcessReport }>();

  const countsOf = (report: ProcessReport | undefined) =>
    new Map((report?.desks ?? []).map((desk) => [desk.adviserId, desk.count]));

  const apply = (report: ProcessReport) => {
    const before = countsOf(reports.get(report.process)?.report);
    reports.set(report.process, { at: Date.now(), report });
    const after = countsOf(report);
    for (const adviserId of new Set([...before.keys(), ...after.keys()])) {
      let change = (after.get(adviserId) ?? 0) - (before.get(adviserId) ?? 0);
      for (; change > 0; change -= 1) service.deskConnected(adviserId);
      for (; change < 0; change += 1) service.deskDisconnected(adviserId);
    }
    for (const desk of report.desks) {
      // A new owner knows nobody's availability; the processes remember what it was.
      if (
        desk.availability &&
        desk.availability !== 'offline' &&
        service.router.presence(desk.adviserId).availability === 'offline'
      ) {
        service.setAvailability(desk.adviserId, desk.availability);
      }
    }
    for (const chatId of report.chats) service.customerBack(chatId);
  };

  const dropSilent = () => {
    const now = Date.now();
    for (const [process, { at }] of reports) {
      if (process === processId || now - at < reportEveryMs * 3) continue;
      log(`routing: a server process stopped reporting; its desks leave routing`, 'warn');
      apply({ process, desks: [], chats: [] });
      reports.delete(process);
    }
  };

  const dispatch = async (request: CallRequest): Promise<unknown> => {
    await ready;
    // The one place arguments cross from another process of this server, by name.
    const run = routedCalls[request.method] as (
      service: ChatService,
      ...args: unknown[]
    ) => unknown;
    return run(service, ...request.args);
  };

  // ------------------------------------------------------------ on every process

  const report = (): ProcessReport => ({
    process: processId,
    desks: [...localDesks].map(([adviserId, count]) => ({
      adviserId,
      count,
      availability: knownAvailability.get(adviserId) ?? null,
    })),
    chats: options.localChats(),
  });

  const sendReport = () => {
    if (ownership.owner) apply(report());
    else io.serverSideEmit('routing:report', report());
  };

  io.on('routing:report', (incoming) => {
    if (!ownership.owner) return;
    const report = processReportSchema.safeParse(incoming);
    if (report.success) apply(report.data);
    else log('routing: a process report that does not parse was ignored', 'warn');
  });
  io.on('routing:report-now', () => sendReport());
  io.on('routing:call', (request, answer) => {
    if (!ownership.owner) return answer({ owner: false });
    const parsed = callRequestSchema.safeParse(request);
    if (!parsed.success) return answer({ owner: true, error: 'routing call does not parse' });
    dispatch(parsed.data).then(
      (value) => answer({ owner: true, value }),
      (error: unknown) => answer({ owner: true, error: describeError(error) }),
    );
  });

  ownership.onGained(() => {
    log('routing: this process is the routing owner now; taking back the chats under way');
    reports.clear();
    ready = service.restore().then(() => {
      sendReport();
      io.serverSideEmit('routing:report-now');
    });
    ready.catch((error: unknown) =>
      log(`routing: taking back the chats under way failed: ${describeError(error)}`, 'error'),
    );
  });

  const timer = setInterval(() => {
    sendReport();
    if (ownership.owner) dropSilent();
  }, reportEveryMs);
  timer.unref();

  const remote = (request: CallRequest): Promise<unknown> =>
    new Promise((resolve, reject) => {
      io.serverSideEmit('routing:call', request, (_error: Error | null, answers: CallAnswer[]) => {
        // A process that died without a goodbye makes the wait time out; the owner may still have answered.
        const answer = (answers ?? []).find((each) => each.owner);
        if (answer && 'error' in answer) return reject(new Error(answer.error));
        if (answer) return resolve(answer.value);
        // Nobody owned routing while asked; if this process has taken over since, it answers.
        if (ownership.owner) return resolve(dispatch(request));
        reject(new RoutingUnavailable());
      });
    });

  const call = <M extends RoutedCall>(method: M, ...args: ArgumentsOf<M>) => {
    const request: CallRequest = { method, args };
    return (ownership.owner ? dispatch(request) : remote(request)) as Promise<AnswerOf<M>>;
  };

  return {
    call,
    tell(method, ...args) {
      call(method, ...args).catch((error: unknown) =>
        log(`routing: ${method} failed: ${describeError(error)}`, 'error'),
      );
    },
    deskConnected(adviserId) {
      localDesks.set(adviserId, (localDesks.get(adviserId) ?? 0) + 1);
      sendReport();
    },
    deskDisconnected(adviserId) {
      const count = (localDesks.get(adviserId) ?? 0) - 1;
      if (count > 0) localDesks.set(adviserId, count);
      else {
        localDesks.delete(adviserId);
        knownAvailability.delete(adviserId);
      }
      sendReport();
    },
    availabilityIs(adviserId, availability) {
      if (localDesks.has(adviserId)) knownAvailability.set(adviserId, availability);
    },
    get ready() {
      return ready;
    },
    close() {
      clearInterval(timer);
    },
  };
}
