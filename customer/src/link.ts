// The customer page's link to the helpline server: requests answered with a
// result envelope, pushes from the server, and the connection going up and
// down. The socket.io implementation is link.socket.ts; unit tests drive the
// fake in link.testing.ts. Nothing here touches the page (no DOM), so the same
// connection code runs in the browser and, for tests, in Node.
import type { Result } from '../../shared/result';
import type { ServerToCustomerEvents } from '../../shared/wire/chat';

/** Requests the page makes; each is answered through its acknowledgement. */
export type CustomerRequestName =
  'chat:start' | 'chat:resume' | 'chat:message' | 'chat:transcript' | 'chat:end';

/** Notices the page sends without waiting for an answer. */
export type CustomerNoticeName = 'chat:ack' | 'chat:typing';

export type CustomerPushName = keyof ServerToCustomerEvents;

export const customerPushNames = [
  'chat:queue',
  'chat:connected',
  'chat:message',
  'chat:typing',
  'chat:ended',
] as const satisfies readonly CustomerPushName[];

export interface CustomerLink {
  /** Whether a request could reach the server right now. */
  connected(): boolean;
  /**
   * Sends a request on the current connection and resolves with the server's
   * raw answer (to be parsed). Never rejects: no connection, a connection
   * lost before the answer, or no answer in time is `unavailable`. Nothing is
   * held back to go out on a later connection: the page decides what to send
   * again, and when.
   */
  request(event: CustomerRequestName, payload: unknown): Promise<Result<unknown>>;
  /** Sends a notice if connected; dropped otherwise (receipts and typing are made good later). */
  notify(event: CustomerNoticeName, payload: unknown): void;
  onPush(listener: (event: CustomerPushName, payload: unknown) => void): () => void;
  /** A connection is up: the page takes its chat back on it before sending anything. */
  onConnected(listener: () => void): () => void;
  onDisconnected(listener: () => void): () => void;
  /** Drops this connection and makes a fresh one: the server ties a chat to a connection. */
  renew(): void;
  close(): void;
}

/**
 * The listener side of a CustomerLink, shared by the real link and the test
 * double: both extend it and announce what happened.
 */
export abstract class LinkListeners implements Pick<
  CustomerLink,
  'onPush' | 'onConnected' | 'onDisconnected'
> {
  private readonly pushListeners = new Set<(event: CustomerPushName, payload: unknown) => void>();
  private readonly connectedListeners = new Set<() => void>();
  private readonly disconnectedListeners = new Set<() => void>();

  onPush(listener: (event: CustomerPushName, payload: unknown) => void): () => void {
    this.pushListeners.add(listener);
    return () => this.pushListeners.delete(listener);
  }

  onConnected(listener: () => void): () => void {
    this.connectedListeners.add(listener);
    return () => this.connectedListeners.delete(listener);
  }

  onDisconnected(listener: () => void): () => void {
    this.disconnectedListeners.add(listener);
    return () => this.disconnectedListeners.delete(listener);
  }

  protected announcePush(event: CustomerPushName, payload: unknown): void {
    for (const listener of this.pushListeners) listener(event, payload);
  }

  protected announceConnected(): void {
    for (const listener of this.connectedListeners) listener();
  }

  protected announceDisconnected(): void {
    for (const listener of this.disconnectedListeners) listener();
  }
}
