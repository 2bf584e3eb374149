// The desk API over a WebSocket, for browser mode: one named function per request
// and one `onX` per pushed event, exactly the DeskBridge the Electron preload gives.
// No DOM globals here, so the same code runs under Node in the unit tests.
import { checkedDeskBridge } from '../../../shared/ipc/bridge-client';
import type { DeskBridge, DeskEventName, DeskRequestName } from '../../../shared/ipc/contract';
import { fail, type Result } from '../../../shared/result';
import {
  bridgeServerMessageSchema,
  maxBridgeMessageBytes,
  type BridgeRequest,
} from '../../../shared/ipc/socket-bridge';

/**
 * The part of a WebSocket this client uses. The browser's WebSocket and the `ws`
 * package's both fit, so tests run the real client against a real server.
 */
export interface DeskSocket {
  readonly readyState: number;
  send(frame: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
export type DeskSocketConstructor = new (url: string) => DeskSocket;

const socketOpen = 1;

/** The page's own link to the desk services (not the desk's link to the central server). */
export type DeskLinkState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface DeskLink {
  state(): DeskLinkState;
  onChange(listener: (state: DeskLinkState) => void): () => void;
}

export interface SocketDeskOptions {
  url: string;
  WebSocket: DeskSocketConstructor;
  /** How long a request made while the link is down waits for it to come back. */
  waitForLinkMs?: number;
  /** How long a sent request waits for its answer. */
  answerTimeoutMs?: number;
  /** First reconnect delay; doubles per failed attempt up to reconnectMaxMs. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Source of jitter in [0, 1); injectable so backoff is testable. */
  random?: () => number;
  /** Told about every frame that was dropped, and why: for diagnostics and tests. */
  onDroppedFrame?: (reason: string) => void;
}

export interface SocketDesk {
  desk: DeskBridge;
  link: DeskLink;
  /** Stops reconnecting, closes the socket and answers every waiting request `unavailable`. */
  close(): void;
}

interface PendingRequest {
  frame: BridgeRequest;
  sent: boolean;
  timer: ReturnType<typeof setTimeout>;
  settle(result: Result<unknown>): void;
}

type EventForwarder = (payload: unknown) => void;

export function connectSocketDesk(options: SocketDeskOptions): SocketDesk {
  const waitForLinkMs = options.waitForLinkMs ?? 15_000;
  const answerTimeoutMs = options.answerTimeoutMs ?? 30_000;
  const reconnectInitialMs = options.reconnectInitialMs ?? 250;
  const reconnectMaxMs = options.reconnectMaxMs ?? 5_000;
  const random = options.random ?? Math.random;
  const dropFrame = options.onDroppedFrame ?? (() => undefined);

  const pending = new Map<string, PendingRequest>();
  // The checked bridge subscribes once per event name and parses there.
  const eventForwarders = new Map<DeskEventName, EventForwarder>();
  const linkListeners = new Set<(state: DeskLinkState) => void>();
  let linkState: DeskLinkState = 'connecting';
  let socket: DeskSocket | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let failedAttempts = 0;
  let nextRequestId = 0;
  let closed = false;

  const setLinkState = (state: DeskLinkState) => {
    if (state === linkState) return;
    linkState = state;
    for (const listener of [...linkListeners]) listener(state);
  };

  const answer = (request: PendingRequest, result: Result<unknown>) => {
    clearTimeout(request.timer);
    pending.delete(request.frame.id);
    request.settle(result);
  };

  const send = (request: PendingRequest) => {
    if (!socket || socket.readyState !== socketOpen) return;
    socket.send(JSON.stringify(request.frame));
    request.sent = true;
    clearTimeout(request.timer);
    request.timer = setTimeout(
      () =>
        answer(
          request,
          fail('unavailable', 'The desk services did not answer in time. Please try again.'),
        ),
      answerTimeoutMs,
    );
  };

  const receiveResponse = (id: string, result: unknown) => {
    const request = pending.get(id);
    if (!request) {
      dropFrame(`response for unknown request ${id}`);
      return;
    }
    // Parsed against the request's output schema by the checked bridge.
    answer(request, result as Result<unknown>);
  };

  const receive = (data: unknown) => {
    // A string's length never exceeds its UTF-8 size, so this errs on the side of accepting.
    if (typeof data !== 'string' || data.length > maxBridgeMessageBytes) {
      dropFrame('frame is not text or is too large');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      dropFrame('frame is not JSON');
      return;
    }
    const frame = bridgeServerMessageSchema.safeParse(json);
    if (!frame.success) {
      dropFrame('frame does not match the desk API protocol');
      return;
    }
    if (frame.data.type === 'response') receiveResponse(frame.data.id, frame.data.result);
    else eventForwarders.get(frame.data.name)?.(frame.data.payload);
  };

  const scheduleReconnect = () => {
    if (closed || reconnectTimer) return;
    setLinkState('reconnecting');
    const ceiling = Math.min(reconnectMaxMs, reconnectInitialMs * 2 ** failedAttempts);
    failedAttempts += 1;
    // Jitter in [ceiling/2, ceiling) keeps many reloaded pages from reconnecting in step.
    const delay = ceiling / 2 + (random() * ceiling) / 2;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      open();
    }, delay);
  };

  const open = () => {
    if (closed) return;
    const current = new options.WebSocket(options.url);
    socket = current;
    let ended = false;
    current.addEventListener('open', () => {
      if (socket !== current) return;
      failedAttempts = 0;
      setLinkState('open');
      for (const request of pending.values()) if (!request.sent) send(request);
    });
    current.addEventListener('message', (event) => {
      if (socket === current) receive(event.data);
    });
    const onEnd = () => {
      if (ended || socket !== current) return;
      ended = true;
      socket = null;
      // A sent request's answer is lost with the socket; resending could apply it
      // twice, so the caller hears `unavailable` and decides.
      for (const request of [...pending.values()]) {
        if (request.sent) {
          answer(
            request,
            fail(
              'unavailable',
              'The link to the desk services dropped before an answer came back.',
            ),
          );
        }
      }
      scheduleReconnect();
    };
    current.addEventListener('close', onEnd);
    current.addEventListener('error', onEnd);
  };

  const request = (name: DeskRequestName, input: unknown): Promise<Result<unknown>> => {
    if (closed) {
      return Promise.resolve(fail('unavailable', 'The link to the desk services is closed.'));
    }
    nextRequestId += 1;
    const frame: BridgeRequest = { type: 'request', id: String(nextRequestId), name, input };
    return new Promise((settle) => {
      const waiting: PendingRequest = {
        frame,
        sent: false,
        settle,
        timer: setTimeout(
          () =>
            answer(
              waiting,
              fail(
                'unavailable',
                'The desk services cannot be reached at the moment. Please try again shortly.',
              ),
            ),
          waitForLinkMs,
        ),
      };
      pending.set(frame.id, waiting);
      send(waiting);
    });
  };

  const desk = checkedDeskBridge(
    {
      request: (name, input) => request(name, input),
      subscribe(name, forward) {
        eventForwarders.set(name, forward);
        return () => {
          eventForwarders.delete(name);
        };
      },
    },
    {
      onDropped: dropFrame,
      onListenerError: (name, error) => console.error(`A ${name} listener failed`, error),
    },
  );

  open();

  return {
    desk,
    link: {
      state: () => linkState,
      onChange(listener) {
        linkListeners.add(listener);
        return () => {
          linkListeners.delete(listener);
        };
      },
    },
    close() {
      if (closed) return;
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const current = socket;
      socket = null;
      current?.close(1000, 'page closed');
      for (const waiting of [...pending.values()]) {
        answer(waiting, fail('unavailable', 'The link to the desk services is closed.'));
      }
      setLinkState('closed');
    },
  };
}
