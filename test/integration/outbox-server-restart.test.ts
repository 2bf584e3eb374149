// The outbox against the real central server: items queued while the server
// is down wait, and are delivered exactly once when it comes back on the same
// address, with no action by the adviser.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeskStatus } from '../../shared/ipc/contract';
import { createDeskServices, type DeskServices } from '../../electron/services/desk';
import { completedRecord, followUpFor } from '../unit/desk-fixtures';
import {
  countOnServer,
  demoAdviser,
  startCentralServer,
  type CentralServer,
} from './desk-server-access';

const root = mkdtempSync(join(tmpdir(), 'adviser-outbox-restart-'));
const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** Resolves with the first status, current or pushed, that satisfies `test`. */
function statusWhere(
  desk: DeskServices,
  test: (status: DeskStatus) => boolean,
): Promise<DeskStatus> {
  return new Promise((resolve) => {
    const current = desk.status();
    if (test(current)) return resolve(current);
    const stop = desk.onEvent((...event) => {
      if (event[0] !== 'statusChanged' || !test(event[1])) return;
      stop();
      resolve(event[1]);
    });
  });
}

describe('the outbox while the central server is down', () => {
  it('holds completed interactions and delivers each exactly once when the server returns', async () => {
    const serverDir = join(root, 'server');
    let server: CentralServer = await startCentralServer(serverDir);
    const port = server.port;
    cleanup.push(() => server.close());

    const desk = createDeskServices({
      dataDir: join(root, 'desk'),
      serverUrl: server.url,
      // Short reconnection spacing keeps the test quick; the rule under test is the same.
      outbox: { backoff: { baseMs: 50, capMs: 500 } },
    });
    cleanup.push(() => desk.stop());
    desk.start();
    const signedIn = await desk.dispatch('signIn', demoAdviser);
    if (!signedIn.ok) throw new Error(signedIn.error.message);
    const adviserId = (signedIn.value as { id: string }).id;
    await statusWhere(desk, (status) => status.connection === 'online');

    await server.close();
    await statusWhere(desk, (status) => status.connection !== 'online');

    const completions = Array.from({ length: 5 }, (_, index) => {
      const record = completedRecord(desk.deskId, { adviserId });
      return { record, followUp: index % 2 === 0 ? followUpFor(record) : null };
    });
    for (const completion of completions) {
      expect(await desk.dispatch('completeInteraction', completion)).toMatchObject({ ok: true });
    }
    const waiting = desk.status().outbox;
    expect(waiting.waiting).toBe(8);
    expect(waiting.lastDeliveredAt).toBeNull();

    server = await startCentralServer(serverDir, port);
    const delivered = await statusWhere(
      desk,
      (status) => status.connection === 'online' && status.outbox.waiting === 0,
    );
    expect(delivered.outbox.failed).toBe(0);
    expect(delivered.outbox.lastDeliveredAt).not.toBeNull();

    // Completing one of them again (a renderer retry) queues nothing and changes nothing on the server.
    const [firstCompletion] = completions;
    expect(await desk.dispatch('completeInteraction', firstCompletion)).toEqual({
      ok: true,
      value: { queued: 0 },
    });

    const held = await countOnServer(server, completions);
    expect(held.interactions).toEqual({ distinct: 5, total: 5 });
    expect(held.followUps).toEqual({ distinct: 3, total: 3 });
    expect(await held.appliedForDesk(desk.deskId)).toBe(8);
  });
});
