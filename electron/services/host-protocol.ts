// The desk services in a process of their own (Electron's utility process),
// and the main process talking to them over its message port. SQLite, the
// outbox, sync and the server connection then never hold up the thread that
// draws the window and answers its IPC; the main process only forwards.
//
// The requests and events are the desk API's own, framed as browser mode's
// WebSocket bridge frames them (shared/ipc/socket-bridge.ts), and parsed the
// same way at both ends. Around them, a short lifecycle (open, ready, start,
// stop, stopped, failed), and the one thing only the main process can do for
// the services: open a checked link in the system browser.
//
// Nothing here imports Electron: the two ends meet through `MessageLink`, which
// the shell builds over the utility process's port and a test builds over
// Node's own MessageChannel.
import { z } from 'zod';
import type { DeskEventName } from '../../shared/ipc/contract';
import { fail, ok, resultSchema, type Result } from '../../shared/result';
import {
  bridgeEventSchema,
  bridgeRequestSchema,
  bridgeResponseSchema,
} from '../../shared/ipc/socket-bridge';
import type { DeskServices, DeskServicesPort } from './desk';
import { DESK_KEY_BYTES } from './desk-keys';

/** One end of a message port: what is posted arrives, in order, at the other end. */
export interface MessageLink {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): () => void;
}

/** What the services process needs to open the desk's services; sent once, first. */
export const servicesOpenSchema = z.object({
  type: z.literal('open'),
  dataDir: z.string().min(1),
  serverUrl: z.string().min(1),
  logLevel: z.string().min(1),
  /**
   * The key that encrypts the adviser's session in the desk's database, kept
   * by the main process under the operating system's key store (safeStorage
   * works only there). Null where no key store is available: the session is
   * then not kept between launches.
   */
  sessionKey: z.base64().nullable(),
  /**
   * The key the desk's database is encrypted with, kept with the session key
   * (desk-keys.ts): under the key store, or where there is none in `desk.key`.
   */
  databaseKey: z.base64().refine((text) => Buffer.from(text, 'base64').length === DESK_KEY_BYTES, {
    message: `the database key is ${DESK_KEY_BYTES} bytes`,
  }),
  /** Days delivered work stays on the desk (DESK_RETENTION_DAYS). */
  retentionDays: z.number().int().min(1).max(3650),
});
export type ServicesOpen = z.infer<typeof servicesOpenSchema>;

const hostAnswerSchema = z.object({
  type: z.literal('host-answer'),
  id: z.string().min(1).max(100),
  result: resultSchema(z.null()),
});

/** What the main process sends the services process. */
export const toServicesSchema = z.discriminatedUnion('type', [
  servicesOpenSchema,
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('stop') }),
  bridgeRequestSchema,
  hostAnswerSchema,
]);
export type ToServices = z.infer<typeof toServicesSchema>;

/** What the services process sends the main process. */
export const fromServicesSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), deskId: z.string().min(1) }),
  z.object({ type: z.literal('stopped') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  // Sent before `ready` when the desk's file must first be converted from an older form.
  z.object({ type: z.literal('converting'), bytes: z.number().int().nonnegative() }),
  bridgeResponseSchema,
  bridgeEventSchema,
  z.object({
    type: z.literal('host-request'),
    id: z.string().min(1).max(100),
    name: z.literal('openExternal'),
    url: z.string().min(1),
  }),
]);
export type FromServices = z.infer<typeof fromServicesSchema>;

/** What the main process does for the services. */
export interface ServicesHost {
  openExternal(url: string): Promise<void>;
  /**
   * The services are converting the desk's file before they can open (a
   * first start after an update): the main process waits longer for them,
   * and says why.
   */
  converting(conversion: { bytes: number }): void;
}

/** How the services process makes the desk's services, given what the main process sent. */
export type CreateServices = (
  open: ServicesOpen,
  host: ServicesHost,
) => DeskServices | Promise<DeskServices>;

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The services process's side: waits for `open`, makes the services, answers
 * every request and forwards every event. Returns when stopped (`stopped` sent).
 */
export function serveDeskServices(
  link: MessageLink,
  create: CreateServices,
  onProblem: (problem: string) => void = () => undefined,
): Promise<void> {
  let services: DeskServices | null = null;
  let opening: Promise<void> | null = null;
  const hostCalls = new Map<string, (result: Result<null>) => void>();
  let nextHostCall = 0;
  const host: ServicesHost = {
    openExternal: (url) =>
      new Promise<void>((resolve, reject) => {
        const id = `host-${++nextHostCall}`;
        hostCalls.set(id, (result) =>
          result.ok ? resolve() : reject(new Error(result.error.message)),
        );
        link.post({ type: 'host-request', id, name: 'openExternal', url } satisfies FromServices);
      }),
    converting: ({ bytes }) => link.post({ type: 'converting', bytes } satisfies FromServices),
  };
  const send = (message: FromServices) => link.post(message);

  return new Promise<void>((finished) => {
    const stop = link.onMessage((raw) => {
      const parsed = toServicesSchema.safeParse(raw);
      if (!parsed.success) {
        onProblem(`a message the desk services do not know was ignored: ${parsed.error.message}`);
        return;
      }
      const message = parsed.data;
      switch (message.type) {
        case 'open':
          opening ??= (async () => {
            try {
              const opened = await create(message, host);
              services = opened;
              opened.onEvent((name, payload) => send({ type: 'event', name, payload }));
              send({ type: 'ready', deskId: opened.deskId });
            } catch (error) {
              send({ type: 'failed', message: describe(error) });
            }
          })();
          return;
        case 'start':
          void opening?.then(() => services?.start());
          return;
        case 'request': {
          const { id, name, input } = message;
          void (opening ?? Promise.resolve()).then(async () => {
            const result = services
              ? await services.dispatch(name, input)
              : fail('unavailable', 'The desk services are not open');
            send({ type: 'response', id, result });
          });
          return;
        }
        case 'host-answer':
          hostCalls.get(message.id)?.(message.result);
          hostCalls.delete(message.id);
          return;
        case 'stop':
          void (opening ?? Promise.resolve()).then(async () => {
            await services?.stop();
            stop();
            send({ type: 'stopped' });
            finished();
          });
          return;
      }
    });
  });
}

export interface DeskServicesClientOptions {
  /** How long `open` may take (the database opened and migrated) before it is a failure. */
  openTimeoutMs?: number;
  /**
   * The slowest conversion of the desk's file `open` waits for, in bytes a
   * second: the time it adds to openTimeoutMs for a file that must be
   * converted first. A full desk converted at about 40 MB a second on the
   * development machine (bench/desk-upgrade.ts); the default allows a
   * computer forty times slower.
   */
  conversionBytesPerSecond?: number;
  /** How long `stop` waits for the outbox and database to close. */
  stopTimeoutMs?: number;
}

type EventSink = (name: DeskEventName, payload: unknown) => void;

/**
 * The main process's side: the desk services as the window's IPC sees them,
 * in another process. Requests resolve with the services' answer; if the
 * services process ends (`closed`), every unanswered request and every later
 * one is answered `unavailable` rather than left waiting. Answers and events
 * pass through unread: the renderer parses each with the contract, as it does
 * whichever host it runs in.
 */
export class DeskServicesClient implements DeskServicesPort {
  deskId = '';
  private readonly pending = new Map<string, (result: Result<unknown>) => void>();
  private readonly listeners = new Set<EventSink>();
  private nextRequest = 0;
  private gone: string | null = null;
  private whenReady: ((outcome: Result<null>) => void) | null = null;
  /** Fails `open` once it has taken too long; started again when the services say they are converting. */
  private openTimer: ReturnType<typeof setTimeout> | undefined;
  private whenStopped: (() => void) | null = null;
  private readonly stopListening: () => void;

  constructor(
    private readonly link: MessageLink,
    private readonly host: ServicesHost,
    private readonly options: DeskServicesClientOptions = {},
    private readonly onProblem: (problem: string) => void = () => undefined,
  ) {
    this.stopListening = link.onMessage((raw) => this.receive(raw));
  }

  /** Opens the services in their process; resolves once they are ready or could not open. */
  open(open: Omit<ServicesOpen, 'type'>): Promise<Result<null>> {
    return new Promise((resolve) => {
      this.failOpenAfter(0);
      this.whenReady = (outcome) => {
        clearTimeout(this.openTimer);
        resolve(outcome);
      };
      this.link.post({ type: 'open', ...open } satisfies ToServices);
    });
  }

  /** (Re)starts the open's timeout: openTimeoutMs from now, and `extraMs`. */
  private failOpenAfter(extraMs: number): void {
    clearTimeout(this.openTimer);
    this.openTimer = setTimeout(
      () => this.settleReady(fail('unavailable', 'The desk services did not open in time')),
      (this.options.openTimeoutMs ?? 30_000) + extraMs,
    );
  }

  dispatch(name: string, input: unknown): Promise<Result<unknown>> {
    if (this.gone !== null) return Promise.resolve(fail('unavailable', this.gone));
    const id = `request-${++this.nextRequest}`;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.link.post({ type: 'request', id, name, input } satisfies ToServices);
    });
  }

  onEvent(listener: EventSink): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.link.post({ type: 'start' } satisfies ToServices);
  }

  stop(): Promise<void> {
    if (this.gone !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onProblem('the desk services did not say they had stopped in time');
        resolve();
      }, this.options.stopTimeoutMs ?? 10_000);
      this.whenStopped = () => {
        clearTimeout(timer);
        resolve();
      };
      this.link.post({ type: 'stop' } satisfies ToServices);
    });
  }

  /** The services process ended: nothing more will be answered. */
  closed(reason: string): void {
    if (this.gone !== null) return;
    this.gone = reason;
    this.stopListening();
    for (const answer of this.pending.values()) answer(fail('unavailable', reason));
    this.pending.clear();
    this.settleReady(fail('unavailable', reason));
    this.whenStopped?.();
  }

  private settleReady(outcome: Result<null>): void {
    const ready = this.whenReady;
    this.whenReady = null;
    ready?.(outcome);
  }

  private receive(raw: unknown): void {
    const parsed = fromServicesSchema.safeParse(raw);
    if (!parsed.success) {
      this.onProblem(`a message from the desk services was ignored: ${parsed.error.message}`);
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'ready':
        this.deskId = message.deskId;
        this.settleReady(ok(null));
        return;
      case 'converting':
        if (this.whenReady === null) return;
        // Killing the services now would stop the conversion part-way: it
        // starts over from the older file next time, and would never finish.
        this.failOpenAfter(
          (message.bytes / (this.options.conversionBytesPerSecond ?? 1_000_000)) * 1000,
        );
        this.host.converting({ bytes: message.bytes });
        return;
      case 'failed':
        this.settleReady(
          fail('unavailable', `The desk services could not open: ${message.message}`),
        );
        return;
      case 'stopped':
        this.gone = 'The desk services have stopped';
        this.whenStopped?.();
        return;
      case 'response':
        this.pending.get(message.id)?.(message.result);
        this.pending.delete(message.id);
        return;
      case 'event':
        for (const listener of this.listeners) listener(message.name, message.payload);
        return;
      case 'host-request':
        this.host.openExternal(message.url).then(
          () => this.link.post({ type: 'host-answer', id: message.id, result: ok(null) }),
          (error: unknown) =>
            this.link.post({
              type: 'host-answer',
              id: message.id,
              result: fail('unavailable', describe(error)),
            }),
        );
        return;
    }
  }
}
