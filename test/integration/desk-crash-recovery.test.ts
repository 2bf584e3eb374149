// The browser-mode desk as its own process, killed with SIGKILL while its
// outbox is delivering and started again on the same data folder: nothing is
// lost and the central server holds every record exactly once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { staffMemberSchema } from '../../shared/domain/people';
import { deskStatusSchema, type DeskStatus } from '../../shared/ipc/contract';
import {
  bridgeServerMessageSchema,
  bridgeUrl,
  type BridgeServerMessage,
} from '../../shared/ipc/socket-bridge';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../../scripts/processes';
import { completedRecord, followUpFor } from '../unit/desk-fixtures';
import {
  countOnServer,
  demoAdviser,
  startCentralServer,
  type CentralServer,
} from './desk-server-access';

/** Talks to a running browser-mode desk over its bridge, as the renderer does. */
class DeskBridgeClient {
  private nextId = 0;
  private readonly pending = new Map<string, (message: BridgeServerMessage) => void>();
  private readonly statusListeners = new Set<(status: DeskStatus) => void>();
  latestStatus: DeskStatus | null = null;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = bridgeServerMessageSchema.parse(JSON.parse(data.toString()));
      if (message.type === 'response') {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      } else if (message.name === 'statusChanged') {
        const status = deskStatusSchema.parse(message.payload);
        this.latestStatus = status;
        for (const listener of this.statusListeners) listener(status);
      }
    });
  }

  static async open(readyUrl: string): Promise<DeskBridgeClient> {
    const url = new URL(readyUrl);
    const key = new URLSearchParams(url.hash.slice(1)).get('key') ?? '';
    const socket = new WebSocket(bridgeUrl(url.origin, key), { origin: url.origin });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new DeskBridgeClient(socket);
  }

  async request(name: string, input: unknown): Promise<unknown> {
    const id = `r${++this.nextId}`;
    const answered = new Promise<BridgeServerMessage>((resolve) => this.pending.set(id, resolve));
    this.socket.send(JSON.stringify({ type: 'request', id, name, input }));
    const message = await answered;
    if (message.type !== 'response') throw new Error('not a response');
    if (!message.result.ok)
      throw new Error(`${name}: ${message.result.error.code} ${message.result.error.message}`);
    return message.result.value;
  }

  async status(): Promise<DeskStatus> {
    return deskStatusSchema.parse(await this.request('status', null));
  }

  /** Resolves with the first status, current or pushed, that satisfies `test`. */
  async statusWhere(test: (status: DeskStatus) => boolean): Promise<DeskStatus> {
    const seen = new Promise<DeskStatus>((resolve) => {
      const listener = (status: DeskStatus) => {
        if (!test(status)) return;
        this.statusListeners.delete(listener);
        resolve(status);
      };
      this.statusListeners.add(listener);
    });
    const current = await this.status();
    if (test(current)) return current;
    return seen;
  }

  close(): void {
    this.socket.close();
  }
}

let server: CentralServer;
const root = mkdtempSync(join(tmpdir(), 'adviser-desk-crash-'));
const deskDataDir = join(root, 'desk');
const desks: StartedProcess[] = [];

function startDesk(): Promise<StartedProcess> {
  return startProcess({
    name: 'browser-mode desk',
    ...tsEntry('electron/browser-mode.ts', [
      '--data-dir',
      deskDataDir,
      '--server',
      server.url,
      '--port',
      '0',
      '--renderer',
      join(root, 'no-renderer'),
    ]),
    readyPattern: /^desk ready: (\S+)$/,
  }).then((started) => {
    desks.push(started);
    return started;
  });
}

beforeAll(async () => {
  server = await startCentralServer(join(root, 'server'));
});

afterAll(async () => {
  for (const desk of desks) await stopProcess(desk);
  await server?.close();
});

describe('a desk killed mid-delivery', () => {
  it('loses nothing and the server holds no duplicate after a restart', async () => {
    const first = await startDesk();
    const bridge = await DeskBridgeClient.open(first.readyValue);
    // Sign in once to learn the adviser's id, then queue everything while
    // signed out, so delivery starts with the whole backlog in the outbox.
    const adviser = staffMemberSchema.parse(await bridge.request('signIn', demoAdviser));
    await bridge.request('signOut', null);
    const { deskId } = await bridge.status();

    const interactions = 150;
    const completions = Array.from({ length: interactions }, () => {
      const record = completedRecord(deskId, { adviserId: adviser.id });
      return { record, followUp: followUpFor(record) };
    });
    for (const completion of completions) await bridge.request('completeInteraction', completion);
    expect((await bridge.status()).outbox.waiting).toBe(interactions * 2);

    // Kill the desk the moment the server has acknowledged its first items.
    const partly = bridge.statusWhere((status) => status.outbox.waiting < interactions * 2);
    await bridge.request('signIn', demoAdviser);
    const atKill = await partly;
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    bridge.close();
    expect(atKill.outbox.waiting).toBeGreaterThan(0);

    // The restarted desk resumes its stored session and its outbox by itself.
    const second = await startDesk();
    const again = await DeskBridgeClient.open(second.readyValue);
    const drained = await again.statusWhere(
      (status) => status.connection === 'online' && status.outbox.waiting === 0,
    );
    expect(drained.outbox.failed).toBe(0);
    expect(drained.deskId).toBe(deskId);
    again.close();

    const held = await countOnServer(server, completions);
    expect(held.interactions).toEqual({ distinct: interactions, total: interactions });
    expect(held.followUps).toEqual({ distinct: interactions, total: interactions });
    expect(await held.appliedForDesk(deskId)).toBe(interactions * 2);
  });
});
