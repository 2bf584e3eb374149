// The browser-mode desk API client against a real WebSocket server on loopback:
// answers reach the request that asked, bad frames are dropped, requests made
// while the link is down wait for it (or give up as `unavailable`), and the link comes back.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { DeskStatus } from '../../shared/ipc/contract';
import {
  connectSocketDesk,
  type DeskLinkState,
  type SocketDesk,
  type SocketDeskOptions,
} from '../../renderer/src/desk/socket-client';

const deskStatus: DeskStatus = {
  deskId: '2f1d9a56-5d43-4b8e-9f0a-3c1f4f1f8e21',
  serverUrl: 'http://127.0.0.1:4300',
  user: null,
  connection: 'online',
  outbox: { waiting: 2, failed: 0, lastDeliveredAt: null, lastError: null, nextAttemptAt: null },
};

const adviser = {
  id: 'u-1',
  username: 'demo-adviser',
  displayName: 'Sam Adviser',
  roles: ['adviser'],
};

interface RequestFrame {
  type: 'request';
  id: string;
  name: string;
  input: unknown;
}

/** A stand-in for the desk services' WebSocket endpoint: real server, scripted answers. */
class DeskServicesEndpoint {
  readonly connections: WebSocket[] = [];
  private readonly requests: RequestFrame[] = [];
  private requestWaiters: ((frame: RequestFrame) => void)[] = [];
  private connectionWaiters: ((socket: WebSocket) => void)[] = [];

  private constructor(readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.connections.push(socket);
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as RequestFrame;
        const waiter = this.requestWaiters.shift();
        if (waiter) waiter(frame);
        else this.requests.push(frame);
      });
      this.connectionWaiters.shift()?.(socket);
    });
  }

  static async start(port = 0): Promise<DeskServicesEndpoint> {
    const server = new WebSocketServer({ host: '127.0.0.1', port });
    await once(server, 'listening');
    return new DeskServicesEndpoint(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/desk-api?key=launch-key`;
  }

  nextRequest(): Promise<RequestFrame> {
    const queued = this.requests.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.requestWaiters.push(resolve));
  }

  nextConnection(): Promise<WebSocket> {
    return new Promise((resolve) => this.connectionWaiters.push(resolve));
  }

  latest(): WebSocket {
    const socket = this.connections.at(-1);
    if (!socket) throw new Error('no desk page has connected');
    return socket;
  }

  answer(frame: RequestFrame, result: unknown): void {
    this.latest().send(JSON.stringify({ type: 'response', id: frame.id, result }));
  }

  push(frame: unknown): void {
    this.latest().send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async stop(): Promise<void> {
    for (const socket of this.connections) socket.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function endpoint(port?: number): Promise<DeskServicesEndpoint> {
  const started = await DeskServicesEndpoint.start(port);
  cleanups.push(() => started.stop());
  return started;
}

function client(url: string, options: Partial<SocketDeskOptions> = {}): SocketDesk {
  const connected = connectSocketDesk({
    url,
    WebSocket,
    reconnectInitialMs: 10,
    reconnectMaxMs: 50,
    random: () => 0,
    ...options,
  });
  cleanups.push(() => connected.close());
  return connected;
}

function linkBecomes(socketDesk: SocketDesk, state: DeskLinkState): Promise<void> {
  if (socketDesk.link.state() === state) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = socketDesk.link.onChange((now) => {
      if (now === state) {
        stop();
        resolve();
      }
    });
  });
}

/** A loopback port that was free a moment ago and has nothing listening now. */
async function vacantPort(): Promise<number> {
  const probe = await DeskServicesEndpoint.start();
  const port = probe.port;
  await probe.stop();
  return port;
}

describe('desk API over a WebSocket', () => {
  it('offers every request and event of the contract as a named function', async () => {
    const services = await endpoint();
    const { desk } = client(services.url);
    for (const name of [
      'status',
      'signIn',
      'signOut',
      'answerCall',
      'endCall',
      'completeInteraction',
    ]) {
      expect(typeof (desk as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    for (const name of ['onStatusChanged', 'onCallOffered', 'onCallEnded']) {
      expect(typeof (desk as unknown as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('gives each answer to the request that asked, whatever order the answers come in', async () => {
    const services = await endpoint();
    const { desk } = client(services.url);
    const statusAnswer = desk.status(null);
    const signInAnswer = desk.signIn({ username: 'demo-adviser', password: 'correct horse' });
    const statusRequest = await services.nextRequest();
    const signInRequest = await services.nextRequest();
    expect(statusRequest).toMatchObject({ type: 'request', name: 'status', input: null });
    expect(signInRequest).toMatchObject({
      type: 'request',
      name: 'signIn',
      input: { username: 'demo-adviser', password: 'correct horse' },
    });
    expect(statusRequest.id).not.toBe(signInRequest.id);

    services.answer(signInRequest, { ok: true, value: adviser });
    services.answer(statusRequest, { ok: true, value: deskStatus });

    await expect(signInAnswer).resolves.toEqual({ ok: true, value: adviser });
    await expect(statusAnswer).resolves.toEqual({ ok: true, value: deskStatus });
  });

  it('passes error envelopes through with their code and message', async () => {
    const services = await endpoint();
    const { desk } = client(services.url);
    const answer = desk.signIn({ username: 'demo-adviser', password: 'wrong' });
    services.answer(await services.nextRequest(), {
      ok: false,
      error: { code: 'unauthenticated', message: 'That username and password do not match.' },
    });
    await expect(answer).resolves.toEqual({
      ok: false,
      error: { code: 'unauthenticated', message: 'That username and password do not match.' },
    });
  });

  it('turns an answer that breaks the contract into an internal error, not a bad value', async () => {
    const services = await endpoint();
    const dropped: string[] = [];
    const { desk } = client(services.url, { onDroppedFrame: (reason) => dropped.push(reason) });
    const answer = desk.status(null);
    services.answer(await services.nextRequest(), {
      ok: true,
      value: { ...deskStatus, connection: 'sideways' },
    });
    const result = await answer;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
    expect(dropped).toEqual(['malformed answer to status']);
  });

  it('drops malformed frames and events, and delivers the well-formed ones', async () => {
    const services = await endpoint();
    const dropped: string[] = [];
    const socketDesk = client(services.url, { onDroppedFrame: (reason) => dropped.push(reason) });
    const heard: DeskStatus[] = [];
    const alsoHeard: DeskStatus[] = [];
    const stopHearing = socketDesk.desk.onStatusChanged((status) => heard.push(status));
    const nextStatus = () =>
      new Promise<DeskStatus>((resolve) => {
        const stop = socketDesk.desk.onStatusChanged((status) => {
          stop();
          resolve(status);
        });
      });
    socketDesk.desk.onStatusChanged((status) => alsoHeard.push(status));
    await linkBecomes(socketDesk, 'open');

    services.push('not json at all');
    services.push({ type: 'greeting', text: 'hello' });
    services.push({ type: 'response', id: 'nobody-asked', result: { ok: true, value: null } });
    services.push({ type: 'event', name: 'weatherChanged', payload: {} });
    services.push({
      type: 'event',
      name: 'statusChanged',
      payload: { ...deskStatus, deskId: 'x' },
    });
    services.push({ type: 'event', name: 'toString', payload: {} });
    const first = nextStatus();
    services.push({ type: 'event', name: 'statusChanged', payload: deskStatus });
    await expect(first).resolves.toEqual(deskStatus);

    expect(heard).toEqual([deskStatus]);
    expect(dropped).toEqual([
      'frame is not JSON',
      'frame does not match the desk API protocol',
      'response for unknown request nobody-asked',
      'frame does not match the desk API protocol',
      'malformed statusChanged event',
      'frame does not match the desk API protocol',
    ]);

    // After unsubscribing, the listener hears nothing more while others still do.
    stopHearing();
    const second = nextStatus();
    const offline: DeskStatus = { ...deskStatus, connection: 'offline' };
    services.push({ type: 'event', name: 'statusChanged', payload: offline });
    await expect(second).resolves.toEqual(offline);
    expect(heard).toEqual([deskStatus]);
    expect(alsoHeard).toEqual([deskStatus, offline]);
  });

  it('answers unavailable when the link does not come back in time', async () => {
    const port = await vacantPort();
    const { desk, link } = client(`ws://127.0.0.1:${port}/desk-api?key=launch-key`, {
      waitForLinkMs: 50,
    });
    const result = await desk.status(null);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unavailable');
    expect(['connecting', 'reconnecting']).toContain(link.state());
  });

  it('holds a request made while the link is down and sends it once the link is up', async () => {
    const port = await vacantPort();
    const socketDesk = client(`ws://127.0.0.1:${port}/desk-api?key=launch-key`);
    const answer = socketDesk.desk.status(null);
    await linkBecomes(socketDesk, 'reconnecting');

    const services = await endpoint(port);
    const request = await services.nextRequest();
    expect(request.name).toBe('status');
    services.answer(request, { ok: true, value: deskStatus });
    await expect(answer).resolves.toEqual({ ok: true, value: deskStatus });
    expect(services.connections).toHaveLength(1);
  });

  it('reconnects after the link drops; a request in flight is told it may not have happened', async () => {
    const services = await endpoint();
    const socketDesk = client(services.url);
    const inFlight = socketDesk.desk.endCall({ callId: 'call-1' });
    await services.nextRequest();

    const reconnected = services.nextConnection();
    const states: DeskLinkState[] = [];
    socketDesk.link.onChange((state) => states.push(state));
    services.latest().terminate();

    const lost = await inFlight;
    expect(lost.ok).toBe(false);
    if (!lost.ok) expect(lost.error.code).toBe('unavailable');

    await reconnected;
    await linkBecomes(socketDesk, 'open');
    expect(states).toEqual(['reconnecting', 'open']);

    const answer = socketDesk.desk.status(null);
    services.answer(await services.nextRequest(), { ok: true, value: deskStatus });
    await expect(answer).resolves.toEqual({ ok: true, value: deskStatus });
    expect(services.connections).toHaveLength(2);
  });

  it('answers unavailable for a request the desk services never answer', async () => {
    const services = await endpoint();
    const { desk } = client(services.url, { answerTimeoutMs: 50 });
    const answer = desk.status(null);
    await services.nextRequest();
    const result = await answer;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unavailable');
  });

  it('closing answers every waiting request and refuses new ones', async () => {
    const port = await vacantPort();
    const socketDesk = client(`ws://127.0.0.1:${port}/desk-api?key=launch-key`);
    const waiting = socketDesk.desk.status(null);
    socketDesk.close();
    const result = await waiting;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unavailable');
    expect(socketDesk.link.state()).toBe('closed');
    const afterClose = await socketDesk.desk.status(null);
    expect(afterClose.ok).toBe(false);
  });
});
