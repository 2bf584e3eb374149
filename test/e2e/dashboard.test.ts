// The service dashboard end to end, in real Chromium against a desk in browser
// mode and the real central server: a team leader opens the dashboard, sees
// the live board change when a call queues, sees a figure worked out from an
// interaction an adviser's desk delivered, follows it to the interactions
// behind it in the history, and exports a table as CSV; and reads the outcomes
// at follow-up by the customer's age group and region, following a group's
// count to the follow-up calls behind it, with axe-core finding no serious or
// critical problem in the outcomes or the guidance figures.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword } from '../../server/demo-accounts';
import type { OutboxItem } from '../../shared/wire/outbox';
import { completedRecord, followUpFor } from '../unit/desk-fixtures';
import { followUpRecord } from '../unit/follow-up-call-script';
import { launchBrowser, openSignedInDesk, startProduct, type Product } from './harness';
import { DashboardPage } from './pages/dashboard';
import { DeskChatPage } from './pages/chat';
import { HistoryPage } from './pages/history';
import { accessibilityProblems } from './screens';

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

/** The demo adviser's id and desk socket token, as their desk holds them. */
async function adviserAccess(): Promise<{ adviserId: string; token: string }> {
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
  return { adviserId: session.value.user.id, token: access.value.token };
}

/** Delivers outbox items, in order, as the adviser's desk would. */
async function deliver(token: string, items: Omit<OutboxItem, 'id' | 'createdAt'>[]) {
  const deskId = randomUUID();
  const socket = io(product.serverUrl, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token, deskId },
  });
  for (const item of items) {
    const answer = (await socket.emitWithAck('outbox:deliver', {
      ...item,
      id: randomUUID(),
      createdAt: new Date().toISOString(),
    } as OutboxItem)) as { ok: boolean };
    expect(answer.ok).toBe(true);
  }
  socket.close();
}

/** Delivers one completed voice call, answered 8 s after its offer an hour ago, as the adviser's desk would. */
async function deliverCall(): Promise<string> {
  const { adviserId, token } = await adviserAccess();
  const deskId = randomUUID();
  const completedAt = Date.now() - 60 * 60_000;
  const base = completedRecord(deskId, {
    adviserId,
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
    auth: { token, deskId },
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

describe('outcomes by age group and region, end to end', () => {
  it('a team leader reads a follow-up under the age group and region of its first contact, and drills into it', async (context) => {
    if (!browser) return context.skip();
    const { adviserId, token } = await adviserAccess();
    // A first contact six weeks ago: 16, in the North West; its follow-up call two hours ago.
    const firstAt = Date.now() - 42 * 86_400_000;
    const base = completedRecord(randomUUID(), {
      adviserId,
      startedAt: new Date(firstAt - 20 * 60_000).toISOString(),
      completedAt: new Date(firstAt).toISOString(),
    });
    const first = {
      ...base,
      summary: {
        ...base.summary,
        caller: { ...base.summary.caller, age: 16, region: 'north-west' as const },
      },
    };
    const booking = followUpFor(first);
    const call = followUpRecord({
      adviserId,
      interactionId: randomUUID(),
      bookingId: booking.id,
      firstInteractionId: first.id,
      callId: randomUUID(),
      startAt: new Date(Date.now() - 2 * 60 * 60_000).toISOString(),
      statusAtFirstContact: 'neet',
      statusNow: 'apprenticeship',
      change: 'better',
    });
    await deliver(token, [
      { stream: `interaction:${first.id}`, kind: 'interaction.completed', payload: first },
      { stream: `follow-up:${booking.id}`, kind: 'followup.booked', payload: booking },
      { stream: `interaction:${call.id}`, kind: 'interaction.completed', payload: call },
    ]);

    const leader = await openSignedInDesk(browser, product, 'demo-leader');
    await leader.setViewportSize({ width: 1366, height: 768 });
    const dashboard = new DashboardPage(leader);
    await dashboard.open();
    const byAge = dashboard.table('Outcomes at follow-up by age group');
    await byAge.waitFor();
    const row = byAge.getByRole('row', { name: /^16 to 17/ });
    await expect.poll(() => row.getByRole('cell').first().innerText()).toBe('1');
    await expect(row.innerText()).resolves.toMatch(/100\.0%/);
    const byRegion = dashboard.table('Outcomes at follow-up by region');
    await expect(
      byRegion
        .getByRole('row', { name: /^North West/ })
        .getByRole('link', { name: '1' })
        .count(),
    ).resolves.toBe(1);
    // Nobody in the South West: a count of none is no link.
    await expect(
      byRegion
        .getByRole('row', { name: /^South West/ })
        .getByRole('link')
        .count(),
    ).resolves.toBe(0);
    // Next steps good is a figure among the guidance figures, with its formula and its reports.
    const nextSteps = leader.getByTestId('next-steps-good');
    await expect(nextSteps.innerText()).resolves.toMatch(/Next steps good/);
    await expect(
      leader
        .getByRole('region', { name: 'Guidance figures' })
        .getByRole('link', { name: 'Quality reports' })
        .count(),
    ).resolves.toBe(1);

    expect(
      await accessibilityProblems(leader, 'section[aria-labelledby="outcomes-heading"]'),
    ).toEqual([]);
    expect(
      await accessibilityProblems(leader, 'section[aria-labelledby="guidance-heading"]'),
    ).toEqual([]);

    // The count drills down to the history: the one follow-up call, and nothing else.
    await row.getByRole('link', { name: '1' }).click();
    const history = new HistoryPage(leader);
    await history.heading().waitFor();
    await leader.getByText(/From the dashboard: the interactions behind/).waitFor();
    await leader.locator('.history-results[aria-busy="false"]').waitFor();
    await expect(history.results().getByRole('row').count()).resolves.toBe(2);
    await expect(history.results().locator(`a[href="#/history/${call.id}"]`).count()).resolves.toBe(
      1,
    );
  });
});
