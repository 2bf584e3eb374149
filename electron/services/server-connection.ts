// The desk's link to the central server: sign-in over HTTP, the session kept
// through a SessionStore, and one socket.io connection that fetches a fresh
// short-lived access token on every (re)connect. Pushes connection state and
// the server's call events; answers and ends calls with acknowledgements.
import { io } from 'socket.io-client';
import { z } from 'zod';
import type { Credentials, StaffMember } from '../../shared/domain/people';
import type { ConnectionState } from '../../shared/ipc/contract';
import { fail, ok, resultSchema, type Result } from '../../shared/result';
import { callOfferWithdrawnSchema, type CallOfferWithdrawn } from '../../shared/wire/chat';
import { knowledgeChangedSchema, type KnowledgeChanged } from '../../shared/wire/knowledge';
import {
  callConnectedSchema,
  callEndedSchema,
  callOfferSchema,
  type CallConnected,
  type CallEnded,
  type CallOffer,
  deskProtocolVersion,
  deskTooNewError,
} from '../../shared/wire/socket';
import { isChatPush, type ChatPushName } from './chat';
import type { DeskHandlerRegistry } from './handlers';
import type { DeskSocket } from './outbox-transport';
import { backoffDelay, type BackoffPolicy } from './outbox';
import type { SessionStore, StoredSession } from './session-store';
import { serverJson, type ServerJsonOptions } from './server-json';
import { session as sessionRoutes } from '../../shared/wire/routes';
import type { DeskLogger } from './logging';

const callConnectedAnswerSchema = resultSchema(callConnectedSchema);
const nullAnswerSchema = resultSchema(z.null());

export interface ServerConnectionEvents {
  state: (state: ConnectionState) => void;
  callOffered: (offer: CallOffer) => void;
  callEnded: (ended: CallEnded) => void;
  /** A routed call offered here stopped ringing: it ran out, was taken, or the caller left. */
  callOfferWithdrawn: (withdrawn: CallOfferWithdrawn) => void;
  /** The socket has just connected: the outbox should try at once. */
  connected: () => void;
  /** The server's knowledge feed moved on: the replica should pull. */
  knowledgeChanged: (changed: KnowledgeChanged) => void;
  /** A live-chat or routing push, unparsed: the chat service parses it (./chat.ts). */
  chatPush: (event: ChatPushName, payload: unknown) => void;
}

export interface ServerConnectionOptions {
  serverUrl: string;
  deskId: string;
  sessionStore: SessionStore;
  /** How long a call request waits for the server's acknowledgement. */
  ackTimeoutMs?: number;
  /** Spacing of reconnection attempts after the server refused a handshake. */
  reconnectBackoff?: BackoffPolicy;
  fetch?: typeof fetch;
  log?: DeskLogger;
  /** The protocol version presented at the handshake; a test may claim a newer one. */
  protocolVersion?: number;
}

export class ServerConnection {
  private socket: DeskSocket | null = null;
  private currentState: ConnectionState = 'signed_out';
  private connectionProblem: string | null = null;
  private session: StoredSession | null = null;
  private refusedHandshakes = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners: {
    [K in keyof ServerConnectionEvents]: Set<ServerConnectionEvents[K]>;
  } = {
    state: new Set(),
    callOffered: new Set(),
    callEnded: new Set(),
    callOfferWithdrawn: new Set(),
    connected: new Set(),
    knowledgeChanged: new Set(),
    chatPush: new Set(),
  };
  private readonly ackTimeoutMs: number;
  private readonly reconnectBackoff: BackoffPolicy;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ServerConnectionOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.reconnectBackoff = options.reconnectBackoff ?? { baseMs: 1_000, capMs: 30_000 };
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  on<K extends keyof ServerConnectionEvents>(
    event: K,
    listener: ServerConnectionEvents[K],
  ): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /**
   * Why the desk cannot connect even though it is signed in, in words for the
   * adviser; null when nothing stands in the way but the network.
   */
  get problem(): string | null {
    return this.connectionProblem;
  }

  get user(): StaffMember | null {
    return this.session?.user ?? null;
  }

  /** The live socket, for the outbox transport; null when signed out. */
  currentSocket(): DeskSocket | null {
    return this.socket;
  }

  /** Picks up a session kept from an earlier launch and connects with it. */
  resume(): void {
    const stored = this.options.sessionStore.load();
    if (!stored || Date.parse(stored.expiresAt) <= Date.now()) {
      if (stored) this.options.sessionStore.clear();
      this.setState('signed_out');
      return;
    }
    this.session = stored;
    this.connect();
  }

  async signIn(credentials: Credentials): Promise<Result<StaffMember>> {
    const answer = await serverJson(
      this.serverOptions(),
      sessionRoutes.signIn,
      { body: credentials },
      null,
    );
    const log = this.options.log;
    if (!answer.ok) {
      if (answer.error.code === 'unavailable') {
        log?.warn({ code: answer.error.code }, 'sign-in did not reach the server');
      } else log?.info({ code: answer.error.code }, 'sign-in refused');
      return answer;
    }
    this.disconnect();
    this.session = answer.value;
    this.options.sessionStore.save(this.session);
    this.connect();
    log?.info({ userId: this.session.user.id, roles: this.session.user.roles }, 'signed in');
    return ok(this.session.user);
  }

  signOut(): void {
    this.options.log?.info('signed out');
    this.connectionProblem = null;
    this.disconnect();
    this.session = null;
    this.options.sessionStore.clear();
    this.setState('signed_out');
  }

  async answerCall(callId: string): Promise<Result<CallConnected>> {
    return this.request('call:answer', callId, callConnectedAnswerSchema);
  }

  async endCall(callId: string): Promise<Result<null>> {
    return this.request('call:end', callId, nullAnswerSchema);
  }

  async declineCall(callId: string): Promise<Result<null>> {
    return this.request('call:decline', callId, nullAnswerSchema);
  }

  close(): void {
    this.disconnect();
  }

  /** A fresh short-lived access token for an HTTP request to the server; null when none can be had. */
  async requestToken(): Promise<string | null> {
    return (await this.accessToken()) || null;
  }

  private async request<T>(
    event: 'call:answer' | 'call:end' | 'call:decline',
    callId: string,
    schema: z.ZodType<Result<T>>,
  ): Promise<Result<T>> {
    const socket = this.socket;
    if (!socket?.connected) return fail('unavailable', 'Not connected to the central server');
    let answer: unknown;
    try {
      answer = await socket.timeout(this.ackTimeoutMs).emitWithAck(event, { callId });
    } catch {
      return fail('unavailable', 'The central server did not answer in time');
    }
    const parsed = schema.safeParse(answer);
    return parsed.success
      ? parsed.data
      : fail('internal', 'The central server gave an answer the desk does not understand');
  }

  private connect(): void {
    if (!this.session) return;
    this.setState('connecting');
    const socket: DeskSocket = io(this.options.serverUrl, {
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 10_000,
      // A function, so every (re)connection presents a fresh short-lived token
      // and the long-lived session token never travels in the handshake.
      auth: (give) => {
        void this.accessToken().then((token) =>
          give({
            token,
            deskId: this.options.deskId,
            protocol: this.options.protocolVersion ?? deskProtocolVersion,
          }),
        );
      },
    });
    socket.on('connect', () => {
      this.refusedHandshakes = 0;
      this.connectionProblem = null;
      this.setState('online');
      for (const listener of this.listeners.connected) listener();
    });
    socket.on('disconnect', (reason) => {
      if (reason === 'io client disconnect') return;
      this.setState('reconnecting');
      // A lost transport is retried by socket.io itself; a server that closed
      // the connection on purpose (a restart, a revoked token) is not.
      if (reason === 'io server disconnect') this.scheduleReconnect(socket);
    });
    socket.on('connect_error', (error: Error) => {
      if (this.socket !== socket || !this.session) return;
      if (error.message === deskTooNewError) {
        // Retrying cannot help until the server is upgraded; everything the
        // adviser records stays queued in the outbox until then.
        this.connectionProblem =
          'This desk is newer than the helpline server, so it cannot connect. ' +
          'Your work is kept on this desk. Please tell your team leader: the server needs upgrading.';
        this.options.log?.error({ protocol: deskProtocolVersion }, 'server refused a newer desk');
        socket.disconnect();
        this.setState('offline', true);
        return;
      }
      this.setState('offline');
      // socket.io retries a lost transport itself, but not a handshake the
      // server refused (for example while the token endpoint was unreachable).
      if (!socket.active) this.scheduleReconnect(socket);
    });
    socket.on('call:offered', (offer: unknown) => {
      const parsed = callOfferSchema.safeParse(offer);
      if (parsed.success) for (const listener of this.listeners.callOffered) listener(parsed.data);
    });
    socket.on('call:ended', (ended: unknown) => {
      const parsed = callEndedSchema.safeParse(ended);
      if (parsed.success) for (const listener of this.listeners.callEnded) listener(parsed.data);
    });
    socket.on('call:offer-withdrawn', (withdrawn: unknown) => {
      const parsed = callOfferWithdrawnSchema.safeParse(withdrawn);
      if (parsed.success)
        for (const listener of this.listeners.callOfferWithdrawn) listener(parsed.data);
    });
    socket.on('knowledge:changed', (changed: unknown) => {
      const parsed = knowledgeChangedSchema.safeParse(changed);
      if (parsed.success)
        for (const listener of this.listeners.knowledgeChanged) listener(parsed.data);
    });
    socket.onAny((event: string, payload: unknown) => {
      if (isChatPush(event))
        for (const listener of this.listeners.chatPush) listener(event, payload);
    });
    this.socket = socket;
  }

  private scheduleReconnect(socket: DeskSocket): void {
    if (this.reconnectTimer) return;
    this.refusedHandshakes += 1;
    const delay = backoffDelay(this.refusedHandshakes, this.reconnectBackoff);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.socket === socket && this.session) socket.connect();
    }, delay);
  }

  /**
   * Exchanges the session for a five-minute access token. An empty token (the
   * server then refuses the handshake) stands for "could not get one"; a
   * session the server no longer accepts signs the desk out.
   */
  private async accessToken(): Promise<string> {
    const session = this.session;
    if (!session) return '';
    const answer = await serverJson(
      this.serverOptions(),
      sessionRoutes.accessToken,
      {},
      session.sessionToken,
    );
    if (!answer.ok) {
      // Only the server's own refusal ends the session; an unreachable server does not.
      if (answer.error.code === 'unauthenticated' && this.session === session) this.signOut();
      return '';
    }
    return answer.value.token;
  }

  private serverOptions(): ServerJsonOptions {
    return { serverUrl: this.options.serverUrl, fetch: this.fetch, timeoutMs: this.ackTimeoutMs };
  }

  private disconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
    }
  }

  private setState(state: ConnectionState, force = false): void {
    if (state === this.currentState && !force) return;
    this.currentState = state;
    for (const listener of this.listeners.state) listener(state);
  }
}

/** The session domain's desk API handlers. */
export function registerSessionHandlers(
  registry: DeskHandlerRegistry,
  connection: ServerConnection,
): void {
  registry.register('signIn', (credentials) => connection.signIn(credentials));
  registry.register('signOut', () => {
    connection.signOut();
    return ok(null);
  });
}

/** The calls domain's desk API handlers. */
export function registerCallHandlers(
  registry: DeskHandlerRegistry,
  connection: ServerConnection,
): void {
  registry.register('answerCall', ({ callId }) => connection.answerCall(callId));
  registry.register('endCall', ({ callId }) => connection.endCall(callId));
  registry.register('declineCall', ({ callId }) => connection.declineCall(callId));
}
