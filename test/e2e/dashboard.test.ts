// The service dashboard end to end, in real Chromium against a desk in browser
// mode and the real central server: a team leader opens the dashboard, sees
// the live board change when a call queues, sees a figure worked out from an
// interaction an adviser's desk delivered, follows it to the interactions
// behind it in the history, and exports a table as CSV.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo-accounts';
import type { OutboxItem } from '../../shared/wire/outbox';
import { completedRecord } from '../unit/desk-fixtures';
import { launchBrowser, openSignedInDesk, startProduct, type Product } from './harness';
import { DashboardPage } from './pages/dashboard';
import { DeskChatPage } from './pages/chat';
import { HistoryPage } from './pages/history';

let browser: Browser | null = null;
let product: Product;

beforeAll(async () => {
  browser = await launchBrowser();
  if (!browser) return;
  product = await startProduct();
});

afterAll(async () => {
  await browser?.close();
  if (product) await product.stop();
});

/** Delivers one completed voice call, answered 8 s after its offer an hour ago, as the adviser's desk would. */
async function deliverCall(): Promise<string> {
  const post = async (path: string, init: RequestInit) =>
    (await (await fetch(`${product.serverUrl}${path}`, { method: 'POST', ...init })).json()) as {
      value: { sessionToken: string; token: string; user: { id: string } };
    };
  const session = await post('/api/session', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo-adviser', password: demoPassword }),
  });
  const access = await post('/api/session/token', {
    headers: { authorization: `Bearer ${session.value.sessionToken}` },
  });
  const deskId = randomUUID();
  const completedAt = Date.now() - 60 * 60_000;
  const base = completedRecord(deskId, {
    adviserId: session.value.user.id,
    completedAt: new Date(completedAt).toISOString(),
    startedAt: new Date(completedAt - 20 * 60_000).toISOString(),
  });
  const record = {
    ...base,
    summary: {
      ...base.summary,
      call: {
        ...base.summary.call,
        offeredAt: new Date(completedAt - 20 * 60_000).toISOString(),
        connectedAt: new Date(completedAt - 20 * 60_000 + 8_000).toISOString(),
        endedAt: new Date(completedAt - 60_000).toISOString(),
        endedBy: 'customer' as const,
      },
    },
  };
  const socket = io(product.serverUrl, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: access.value.token, deskId },
  });
  const item: OutboxItem = {
    id: randomUUID(),
    stream: `interaction:${record.id}`,
    createdAt: new Date().toISOString(),
    kind: 'interaction.completed',
    payload: record,
  };
  const answer = (await socket.emitWithAck('outbox:deliver', item)) as { ok: boolean };
  socket.close();
  expect(answer.ok).toBe(true);
  return record.id;
}

describe('service dashboard, end to end', () => {
  it('a team leader watches the live board, reads a figure, drills into the history and exports CSV', async (context) => {
    if (!browser) return context.skip();
    const recordId = await deliverCall();
    const leader = await openSignedInDesk(browser, product, 'demo-leader');
    // Signed in, a team leader who takes calls is Available; Busy, the queued
    // call waits (and is not offered to them, which would take the desk back
    // to the live desk).
    await new DeskChatPage(leader).setAvailability('Busy');
    const dashboard = new DashboardPage(leader);
    await dashboard.open();

    // The live board: no one waiting, then a call queues with no adviser free.
    await leader.getByTestId('live-board').waitFor();
    await expect.poll(() => dashboard.liveNumber('Calls waiting')).toBe(0);
    const key = readFileSync(join(product.dataDir, 'server', 'telephony.key'), 'utf8').trim();
    const queued = await fetch(`${product.serverUrl}/api/telephony/queue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telephony-key': key },
      body: JSON.stringify({ cli: '07700900123' }),
    });
    expect(queued.status).toBe(201);
    await expect.poll(() => dashboard.liveNumber('Calls waiting'), { timeout: 3_000 }).toBe(1);

    // The figure: the last seven days hold the one call delivered.
    await expect.poll(() => dashboard.totalAnswered()).toBe(1);
    const table = dashboard.table('Contact-centre figures by period');
    const answeredLink = table.getByRole('link', { name: '1' }).first();
    await answeredLink.click();

    // The drill-down opens the history with the figure's filters: the one call.
    const history = new HistoryPage(leader);
    await history.heading().waitFor();
    await leader.getByText(/From the dashboard: the interactions behind/).waitFor();
    await leader.locator('.history-results[aria-busy="false"]').waitFor();
    await expect(history.results().getByRole('row').count()).resolves.toBe(2);
    // Its row opens that interaction's replay.
    await expect(
      history.results().locator(`a[href="#/history/${recordId}"]`).count(),
    ).resolves.toBe(1);

    // Back to the dashboard, and a table out as CSV.
    await dashboard.open();
    await expect.poll(() => dashboard.totalAnswered()).toBe(1);
    const csv = await dashboard.exportCsv('Per adviser');
    expect(csv.name).toMatch(/^advisers-.*\.csv$/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'Adviser,Answered,Speed of answer,Handle time,Occupancy,Status captured,Follow-up offered',
    );
    expect(csv.text).toMatch(/\r\n[^,]+,1,8,/);
  });
});
