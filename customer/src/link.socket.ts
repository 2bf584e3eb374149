// The customer's link over socket.io's `/customer` namespace. socket.io-client
// would hold an event emitted while the connection is down and send it first
// thing on the next connection, before the page has taken its chat back (the
// server then refuses it: the new connection has no chat yet). So nothing is
// emitted unless connected, and anything socket.io still holds when a
// connection drops is thrown away: the page's own outbox sends it again, in
// order, once the chat is resumed.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { fail, ok, type Result } from '../../shared/result';
import type { CustomerToServerEvents, ServerToCustomerEvents } from '../../shared/wire/chat';
import {
  customerPushNames,
  LinkListeners,
  type CustomerLink,
  type CustomerNoticeName,
  type CustomerRequestName,
} from './link';

type CustomerSocket = Socket<ServerToCustomerEvents, CustomerToServerEvents>;

export interface SocketLinkOptions {
  /** The namespace's address; the page's own server when not given. */
  url?: string;
  /** How long a request waits for its answer (default 10 s). */
  ackTimeoutMs?: number;
  /** socket.io-client settings (tests shorten the reconnection delays). */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

/** Pause before connecting again after the server closed the connection on purpose. */
const serverClosedRetryMs = 2_000;

export class SocketCustomerLink extends LinkListeners implements CustomerLink {
  readonly socket: CustomerSocket;
  private readonly ackTimeoutMs: number;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: SocketLinkOptions = {}) {
    super();
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.socket = io(options.url ?? '/customer', {
      transports: ['websocket', 'polling'],
      // A connection of its own, never shared with another socket to the same server:
      // the chat is tied to this connection, and so is what it sends.
      forceNew: true,
      ...options.socket,
    });
    this.socket.on('connect', () => {
      this.announceConnected();
    });
    this.socket.on('disconnect', (reason) => {
      // Emitted but never sent: dropped here, so that socket.io does not send it on the next
      // connection ahead of the resume. Its request is answered `unavailable` at once.
      this.socket.sendBuffer = [];
      this.announceDisconnected();
      // socket.io reconnects by itself after a lost transport, but not after the server
      // closed the connection (a restart): the chat is still there to take back.
      if (reason === 'io server disconnect') {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.socket.connect();
        }, serverClosedRetryMs);
      }
    });
    for (const event of customerPushNames) {
      // Untyped here on purpose: the connection parses every push before believing it.
      (this.socket as unknown as Socket).on(event, (payload: unknown) => {
        this.announcePush(event, payload);
      });
    }
  }

  connected(): boolean {
    return this.socket.connected;
  }

  async request(event: CustomerRequestName, payload: unknown): Promise<Result<unknown>> {
    if (!this.socket.connected) return fail('unavailable', 'Not connected to the helpline');
    try {
      const emitter = this.socket.timeout(this.ackTimeoutMs) as unknown as {
        emitWithAck(event: string, payload: unknown): Promise<unknown>;
      };
      return ok(await emitter.emitWithAck(event, payload));
    } catch {
      return fail('unavailable', 'No answer from the helpline: check your connection');
    }
  }

  notify(event: CustomerNoticeName, payload: unknown): void {
    if (this.socket.connected) (this.socket as unknown as Socket).emit(event, payload);
  }

  renew(): void {
    this.socket.disconnect().connect();
  }

  close(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket.disconnect();
  }
}
