// Safeguarding in real time against the real server (on SQLite and on
// PostgreSQL) and socket.io desks: a concern raised on an adviser's desk
// reaches every connected team leader's desk, a team leader connecting later
// is sent the open ones (immediate risk first, then the longest waiting), only
// a team leader acknowledges, saying what was done (and every team leader hears
// of it, and so does the adviser who raised it: live, or when their desk next
// connects), team leaders read the history over HTTP and nobody else may, and a
// concern that arrives live and again through the outbox is kept and relayed once.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeskServices, type DeskServices } from '../../electron/services/desk';
import { hashPassword } from '../../server/auth/passwords';
import { demoPassword } from '../../server/demo-accounts';
import type { RunningServer } from '../../server/app';
import {
  defaultSafeguardingProtocol,
  safeguardingHistorySchema,
  type SafeguardingAcknowledge,
  type SafeguardingAcknowledged,
  type SafeguardingAlert,
  type SafeguardingOpenList,
  type SafeguardingOutcome,
  type SafeguardingOutcomeList,
  type SafeguardingRaise,
} from '../../shared/wire/safeguarding';
import { resultSchema } from '../../shared/result';
import { startCentralServer, type CentralServer } from './desk-server-access';
import { engines } from '../support/storage';
import { startTestServer, type TestDeskSocket, type TestServer } from './server-harness';

let harness: TestServer;

/** A call the server holds as taken by this adviser: a concern must arise in one. */
async function callTakenBy(storage: RunningServer['storage'], username: string): Promise<string> {
  const adviser = await storage.accounts.findByUsername(username);
  if (!adviser) throw new Error(`no account ${username}`);
  const callId = randomUUID();
  const at = new Date().toISOString();
  await storage.calls.insert({
    id: callId,
    adviserId: adviser.id,
    cli: null,
    offeredAt: at,
    connectedAt: at,
    endedAt: null,
    endedBy: null,
  });
  return callId;
}

/** The calls demo-adviser and demo-adviser-2 took on the test server. */
const calls = { adviser: '', adviser2: '' };

const concern = (overrides: Partial<SafeguardingRaise> = {}): SafeguardingRaise => ({
  concernId: randomUUID(),
  interactionId: randomUUID(),
  contactRef: calls.adviser,
  category: 'self_harm_suicide',
  immediateRisk: true,
  whatWasSaid: 'Said they did not want to be here any more.',
  raisedAt: new Date().toISOString(),
  ...overrides,
});

/** Collects every alert, acknowledgement and outcome a desk is sent from now on. */
function listen(desk: TestDeskSocket) {
  const heard = {
    alerts: [] as SafeguardingAlert[],
    acknowledged: [] as SafeguardingAcknowledged[],
    outcomes: [] as SafeguardingOutcome[],
  };
  desk.on('safeguarding:alert', (alert) => heard.alerts.push(alert));
  desk.on('safeguarding:acknowledged', (acknowledged) => heard.acknowledged.push(acknowledged));
  desk.on('safeguarding:outcome', (outcome) => heard.outcomes.push(outcome));
  return heard;
}

/** A team leader's acknowledgement with a note of what was done. */
const acknowledgement = (
  concernId: string,
  overrides: Partial<SafeguardingAcknowledge> = {},
): SafeguardingAcknowledge => ({
  concernId,
  note: 'Spoke to the adviser; the young person agreed to talk to their school nurse.',
  action: 'spoke_to_adviser',
  ...overrides,
});

const next = <
  E extends 'safeguarding:alert' | 'safeguarding:acknowledged' | 'safeguarding:outcome',
>(
  desk: TestDeskSocket,
  event: E,
) =>
  new Promise<Parameters<Parameters<TestDeskSocket['once']>[1]>[0]>((resolve) =>
    desk.once(event, resolve as never),
  );

/**
 * A request and its answer on this desk's own socket. The server sends to a
 * socket in order, so whatever it pushed to this desk before handling the
 * request has arrived by the time the answer does.
 */
/**
 * Resolves once what the server sends on connect has been sent: it answers a
 * desk's safeguarding events only after that. An event the user may not make
 * is refused before then, so one of each kind goes (each refused as malformed
 * or unknown), and an adviser's raise or a team leader's acknowledgement
 * waits its turn.
 */
const settled = (desk: TestDeskSocket) =>
  Promise.all([
    desk.emitWithAck('safeguarding:acknowledge', { concernId: 'not-a-concern', note: 'x' }),
    desk.emitWithAck('safeguarding:raise', {}),
  ]);

const ownSockets = new Set<TestDeskSocket>();

/**
 * Connects a team leader's desk, listening from before the handshake (the
 * server sends the open concerns straight after it), and waits until they are in.
 */
async function leaderDesk(username = 'demo-leader') {
  return deskListening(username);
}

/** Any desk, listening from before the handshake, once the server has sent what it sends on connect. */
async function deskListening(username: string) {
  const { accessToken } = await harness.signIn(username);
  const desk: TestDeskSocket = io(harness.server.url, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: accessToken, deskId: randomUUID() },
  });
  ownSockets.add(desk);
  const heard = listen(desk);
  await new Promise<void>((resolve, reject) => {
    desk.once('connect', resolve);
    desk.once('connect_error', reject);
  });
  await settled(desk);
  return { desk, heard };
}

describe.each(engines)('safeguarding concerns in real time [%s]', (engine) => {
  beforeAll(async () => {
    harness = await startTestServer({ engine });
    calls.adviser = await callTakenBy(harness.server.storage, 'demo-adviser');
    calls.adviser2 = await callTakenBy(harness.server.storage, 'demo-adviser-2');
    // A second team leader, so "every team leader" means more than one person.
    await harness.server.storage.accounts.create({
      username: 'second-leader',
      displayName: 'Robin Leader',
      roles: ['team_leader'],
      passwordHash: await hashPassword(demoPassword),
    });
  });

  afterAll(async () => {
    for (const socket of ownSockets) socket.close();
    ownSockets.clear();
    await harness.close();
  });

  it('reaches every team leader online with the adviser and interaction, and no adviser', async () => {
    const first = await leaderDesk();
    const second = await leaderDesk('second-leader');
    const adviser = await harness.connectDesk('demo-adviser');
    const otherAdviser = await harness.connectDesk('demo-adviser-2');
    const otherHeard = listen(otherAdviser);
    const raised = concern();

    const arriving = next(first.desk, 'safeguarding:alert');
    const receipt = await adviser.emitWithAck('safeguarding:raise', raised);
    expect(receipt).toEqual({ ok: true, value: { concernId: raised.concernId, status: 'raised' } });
    const { contactRef: _contactRef, ...shown } = raised;
    expect(await arriving).toMatchObject({
      ...shown,
      adviser: { displayName: 'Alex Adviser' },
      receivedAt: expect.any(String),
    });
    await Promise.all([settled(second.desk), settled(otherAdviser)]);
    expect(second.heard.alerts.map((alert) => alert.concernId)).toContain(raised.concernId);
    expect(otherHeard.alerts).toEqual([]);
  });

  it('sends the open concerns to a team leader whose desk connects later', async () => {
    const adviser = await harness.connectDesk('demo-adviser-2');
    const raised = concern({
      category: 'exploitation',
      immediateRisk: false,
      contactRef: calls.adviser2,
    });
    await adviser.emitWithAck('safeguarding:raise', raised);

    const later = await leaderDesk();
    expect(later.heard.alerts).toContainEqual(
      expect.objectContaining({
        concernId: raised.concernId,
        interactionId: raised.interactionId,
        category: 'exploitation',
        immediateRisk: false,
        adviser: expect.objectContaining({ displayName: 'Sam Adviser' }),
      }),
    );
  });

  it('lets only a team leader acknowledge; every team leader hears of it and it is no longer open', async () => {
    const adviser = await harness.connectDesk('demo-adviser');
    const raised = concern({ category: 'abuse_neglect' });
    await adviser.emitWithAck('safeguarding:raise', raised);

    const refused = await adviser.emitWithAck('safeguarding:acknowledge', {
      concernId: raised.concernId,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(
      (await harness.server.storage.safeguarding.find(raised.concernId))?.acknowledged,
    ).toBeNull();

    const first = await leaderDesk();
    const second = await leaderDesk('second-leader');
    expect(first.heard.alerts.map((alert) => alert.concernId)).toContain(raised.concernId);
    const toSecond = next(second.desk, 'safeguarding:acknowledged');
    const answer = await first.desk.emitWithAck(
      'safeguarding:acknowledge',
      acknowledgement(raised.concernId),
    );
    expect(answer).toMatchObject({
      ok: true,
      value: {
        concernId: raised.concernId,
        acknowledgedBy: { displayName: 'Taylor Leader' },
        acknowledgedAt: expect.any(String),
        note: 'Spoke to the adviser; the young person agreed to talk to their school nurse.',
        action: 'spoke_to_adviser',
      },
    });
    expect(await toSecond).toEqual(answer.ok ? answer.value : null);
    await settled(first.desk);
    expect(first.heard.acknowledged.map((ack) => ack.concernId)).toContain(raised.concernId);

    const stored = await harness.server.storage.safeguarding.find(raised.concernId);
    expect(stored?.acknowledged?.acknowledgedBy.id).toBe(
      (await harness.server.storage.accounts.findByUsername('demo-leader'))?.id,
    );
    expect(
      (await harness.server.storage.safeguarding.listOpen()).map((open) => open.concernId),
    ).not.toContain(raised.concernId);

    // A second acknowledgement is answered with the first, and told to nobody.
    const again = await second.desk.emitWithAck(
      'safeguarding:acknowledge',
      acknowledgement(raised.concernId, { note: 'Seen.', action: null }),
    );
    expect(again).toEqual(answer);
    await settled(first.desk);
    expect(
      first.heard.acknowledged.filter((ack) => ack.concernId === raised.concernId),
    ).toHaveLength(1);

    const afterwards = await leaderDesk();
    expect(afterwards.heard.alerts.map((alert) => alert.concernId)).not.toContain(raised.concernId);
  });

  it('keeps a repeated raise once and alerts once', async () => {
    const leader = await leaderDesk();
    const adviser = await harness.connectDesk('demo-adviser');
    const raised = concern({ category: 'bullying' });
    expect(await adviser.emitWithAck('safeguarding:raise', raised)).toMatchObject({
      ok: true,
      value: { status: 'raised' },
    });
    expect(await adviser.emitWithAck('safeguarding:raise', raised)).toMatchObject({
      ok: true,
      value: { status: 'duplicate' },
    });
    await settled(leader.desk);
    expect(
      leader.heard.alerts.filter((alert) => alert.concernId === raised.concernId),
    ).toHaveLength(1);

    // The same id from another adviser is not theirs to raise.
    const other = await harness.connectDesk('demo-adviser-2');
    expect(
      await other.emitWithAck('safeguarding:raise', { ...raised, contactRef: calls.adviser2 }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Nor is a concern about a call they did not take, or one the server never heard of.
    for (const contactRef of [calls.adviser, randomUUID()]) {
      expect(await other.emitWithAck('safeguarding:raise', concern({ contactRef }))).toMatchObject({
        ok: false,
        error: { code: 'not_found' },
      });
    }
  });

  it('relays a concern delivered through the outbox once, however often it arrives', async () => {
    const leader = await leaderDesk();
    const adviser = await harness.connectDesk('demo-adviser');
    const raised = concern({ category: 'homelessness', immediateRisk: false });
    const item = (id = randomUUID()) => ({
      id,
      stream: `safeguarding:${raised.concernId}`,
      createdAt: new Date().toISOString(),
      kind: 'safeguarding.raised',
      payload: raised,
    });

    const arriving = next(leader.desk, 'safeguarding:alert');
    const first = item();
    expect(await adviser.emitWithAck('outbox:deliver', first)).toEqual({
      ok: true,
      value: { id: first.id, status: 'applied' },
    });
    expect(await arriving).toMatchObject({ concernId: raised.concernId });
    expect((await harness.server.storage.safeguarding.find(raised.concernId))?.receivedVia).toBe(
      'outbox',
    );

    // The same item again, another item with the same concern, and the live copy.
    expect(await adviser.emitWithAck('outbox:deliver', first)).toMatchObject({
      ok: true,
      value: { status: 'duplicate' },
    });
    expect(await adviser.emitWithAck('outbox:deliver', item())).toMatchObject({
      ok: true,
      value: { status: 'applied' },
    });
    expect(await adviser.emitWithAck('safeguarding:raise', raised)).toMatchObject({
      ok: true,
      value: { status: 'duplicate' },
    });
    await settled(leader.desk);
    expect(
      leader.heard.alerts.filter((alert) => alert.concernId === raised.concernId),
    ).toHaveLength(1);
  });

  it('refuses a malformed concern and one raised by someone who takes no interactions', async () => {
    const adviser = await harness.connectDesk('demo-adviser');
    expect(
      await adviser.emitWithAck('safeguarding:raise', { ...concern(), category: 'made_up' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    const trainer = await harness.connectDesk('demo-trainer');
    const raised = concern();
    expect(await trainer.emitWithAck('safeguarding:raise', raised)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await harness.server.storage.safeguarding.find(raised.concernId)).toBeNull();

    const leader = await leaderDesk();
    expect(
      await leader.desk.emitWithAck('safeguarding:acknowledge', acknowledgement(randomUUID())),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses an acknowledgement that does not say what was done, and says why to an out-of-date desk', async () => {
    const adviser = await harness.connectDesk('demo-adviser');
    const raised = concern();
    await adviser.emitWithAck('safeguarding:raise', raised);
    const leader = await leaderDesk();
    expect(
      await leader.desk.emitWithAck('safeguarding:acknowledge', {
        ...acknowledgement(raised.concernId),
        note: '   ',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(
      await leader.desk.emitWithAck('safeguarding:acknowledge', {
        ...acknowledgement(raised.concernId),
        action: 'made_up',
      }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(
      await leader.desk.emitWithAck('safeguarding:acknowledge', { concernId: raised.concernId }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/needs updating/) },
    });
    expect(
      (await harness.server.storage.safeguarding.find(raised.concernId))?.acknowledged,
    ).toBeNull();
  });

  it('sends a team leader the open concerns with immediate risk first, then the longest waiting', async () => {
    const adviser = await harness.connectDesk('demo-adviser');
    const waitingLongest = concern({ immediateRisk: false, category: 'bullying' });
    const urgentButLater = concern({ immediateRisk: true, category: 'abuse_neglect' });
    await adviser.emitWithAck('safeguarding:raise', waitingLongest);
    await adviser.emitWithAck('safeguarding:raise', urgentButLater);

    const leader = await leaderDesk();
    const order = leader.heard.alerts.map((alert) => alert.concernId);
    expect(order.indexOf(urgentButLater.concernId)).toBeLessThan(
      order.indexOf(waitingLongest.concernId),
    );
    // Across everything open on this server: every immediate risk before any
    // without, and within each the one that has waited longest first.
    const risks = leader.heard.alerts.map((alert) => alert.immediateRisk);
    expect(risks).toEqual([...risks].sort((a, b) => Number(b) - Number(a)));
    for (const group of [true, false]) {
      const times = leader.heard.alerts
        .filter((alert) => alert.immediateRisk === group)
        .map((alert) => alert.receivedAt);
      expect(times).toEqual([...times].sort());
    }
  });

  it('tells the adviser who raised a concern, live, what the team leader did; nobody else', async () => {
    const adviser = await deskListening('demo-adviser');
    const otherAdviser = await deskListening('demo-adviser-2');
    const raised = concern({ category: 'domestic_abuse' });
    await adviser.desk.emitWithAck('safeguarding:raise', raised);
    const leader = await leaderDesk();

    const told = next(adviser.desk, 'safeguarding:outcome');
    const answer = await leader.desk.emitWithAck(
      'safeguarding:acknowledge',
      acknowledgement(raised.concernId, {
        action: 'referred_to_local_authority',
        note: 'Referred to children’s services; the adviser has the reference.',
      }),
    );
    expect(answer.ok).toBe(true);
    expect(await told).toEqual({
      concern: expect.objectContaining({
        concernId: raised.concernId,
        category: 'domestic_abuse',
        adviser: expect.objectContaining({ displayName: 'Alex Adviser' }),
      }),
      acknowledged: answer.ok ? answer.value : null,
    });
    await settled(otherAdviser.desk);
    expect(otherAdviser.heard.outcomes).toEqual([]);
    expect(leader.heard.outcomes).toEqual([]);

    // Once the adviser's desk says it has shown it, the server records when.
    expect(
      await adviser.desk.emitWithAck('safeguarding:told', { concernId: raised.concernId }),
    ).toEqual({ ok: true, value: null });
    const [entry] = (await harness.server.storage.safeguarding.history(200)).filter(
      (held) => held.concern.concernId === raised.concernId,
    );
    expect(entry?.adviserToldAt).toEqual(expect.any(String));
    // Someone who raises no concerns may not say an adviser was told.
    const onlyLeader = await leaderDesk('second-leader');
    expect(
      await onlyLeader.desk.emitWithAck('safeguarding:told', { concernId: raised.concernId }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('tells an adviser who was offline when their desk next connects, until it says it has shown them', async () => {
    const first = await deskListening('demo-adviser-2');
    const raised = concern({ contactRef: calls.adviser2, category: 'homelessness' });
    await first.desk.emitWithAck('safeguarding:raise', raised);
    first.desk.close();

    const leader = await leaderDesk();
    await leader.desk.emitWithAck('safeguarding:acknowledge', acknowledgement(raised.concernId));

    // Back online: told at once, and again on every connect until the desk says it showed it.
    const back = await deskListening('demo-adviser-2');
    expect(back.heard.outcomes.map((outcome) => outcome.concern.concernId)).toContain(
      raised.concernId,
    );
    back.desk.close();
    const again = await deskListening('demo-adviser-2');
    expect(again.heard.outcomes.map((outcome) => outcome.concern.concernId)).toContain(
      raised.concernId,
    );
    await again.desk.emitWithAck('safeguarding:told', { concernId: raised.concernId });
    again.desk.close();
    const afterwards = await deskListening('demo-adviser-2');
    expect(afterwards.heard.outcomes.map((outcome) => outcome.concern.concernId)).not.toContain(
      raised.concernId,
    );
  });

  it('lists recent concerns over HTTP to team leaders only, with what was done and whether the interaction has arrived', async () => {
    const adviser = await harness.connectDesk('demo-adviser');
    const raised = concern({ category: 'exploitation' });
    await adviser.emitWithAck('safeguarding:raise', raised);
    const leader = await leaderDesk();
    await leader.desk.emitWithAck(
      'safeguarding:acknowledge',
      acknowledgement(raised.concernId, { action: 'police_informed', note: 'Police informed.' }),
    );
    const open = concern({ category: 'bullying', immediateRisk: false });
    await adviser.emitWithAck('safeguarding:raise', open);

    const read = async (username: string, query = '') => {
      const { accessToken } = await harness.signIn(username);
      return fetch(`${harness.server.url}/api/safeguarding/concerns${query}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
    };
    const answer = await read('demo-leader', '?limit=200');
    expect(answer.status).toBe(200);
    const parsed = resultSchema(safeguardingHistorySchema).parse(await answer.json());
    if (!parsed.ok) throw new Error(parsed.error.message);
    const ids = parsed.value.concerns.map((entry) => entry.concern.concernId);
    // Newest first.
    expect(ids.indexOf(open.concernId)).toBeLessThan(ids.indexOf(raised.concernId));
    expect(
      parsed.value.concerns.find((entry) => entry.concern.concernId === raised.concernId),
    ).toEqual({
      concern: expect.objectContaining({ category: 'exploitation' }),
      acknowledged: expect.objectContaining({
        acknowledgedBy: expect.objectContaining({ displayName: 'Taylor Leader' }),
        action: 'police_informed',
        note: 'Police informed.',
      }),
      adviserToldAt: null,
      interactionHeld: false,
    });
    expect(
      parsed.value.concerns.find((entry) => entry.concern.concernId === open.concernId),
    ).toMatchObject({
      acknowledged: null,
    });

    for (const username of ['demo-adviser', 'demo-trainer']) {
      const refused = await read(username);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await fetch(`${harness.server.url}/api/safeguarding/concerns`)).status).toBe(401);
    expect((await read('demo-leader', '?limit=0')).status).toBe(400);
  });

  it('sends every desk the immediate-risk protocol as it connects', async () => {
    const { accessToken } = await harness.signIn('demo-adviser');
    const desk: TestDeskSocket = io(harness.server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: accessToken, deskId: randomUUID() },
    });
    ownSockets.add(desk);
    const protocol = await new Promise((resolve) => desk.once('safeguarding:protocol', resolve));
    expect(protocol).toEqual(defaultSafeguardingProtocol);
  });
});

describe('safeguarding through the desk services', () => {
  const root = mkdtempSync(join(tmpdir(), 'adviser-safeguarding-desks-'));
  const cleanup: (() => Promise<void>)[] = [];

  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    rmSync(root, { recursive: true, force: true });
  });

  /** Resolves with the first open list, current or pushed, that satisfies `test`. */
  function openWhere(
    desk: DeskServices,
    test: (open: SafeguardingOpenList) => boolean,
  ): Promise<SafeguardingOpenList> {
    return new Promise((resolve) => {
      void desk.dispatch('openSafeguardingConcerns', null).then((current) => {
        if (current.ok && test(current.value as SafeguardingOpenList)) {
          stop();
          resolve(current.value as SafeguardingOpenList);
        }
      });
      const stop = desk.onEvent((...event) => {
        if (event[0] !== 'safeguardingAlerts' || !test(event[1])) return;
        stop();
        resolve(event[1]);
      });
    });
  }

  /** Resolves with the first outcome list, current or pushed, that satisfies `test`. */
  function outcomesWhere(
    desk: DeskServices,
    test: (list: SafeguardingOutcomeList) => boolean,
  ): Promise<SafeguardingOutcomeList> {
    return new Promise((resolve) => {
      const stop = desk.onEvent((...event) => {
        if (event[0] !== 'safeguardingOutcomes' || !test(event[1])) return;
        stop();
        resolve(event[1]);
      });
    });
  }

  const online = (desk: DeskServices) =>
    new Promise<void>((resolve) => {
      if (desk.status().connection === 'online') return resolve();
      const stop = desk.onEvent((...event) => {
        if (event[0] !== 'statusChanged' || event[1].connection !== 'online') return;
        stop();
        resolve();
      });
    });

  async function signedInDesk(name: string, serverUrl: string, username: string) {
    const desk = createDeskServices({
      dataDir: join(root, name),
      serverUrl,
      outbox: { backoff: { baseMs: 50, capMs: 500 } },
    });
    cleanup.push(() => desk.stop());
    desk.start();
    const signedIn = await desk.dispatch('signIn', { username, password: demoPassword });
    if (!signedIn.ok) throw new Error(signedIn.error.message);
    await online(desk);
    return desk;
  }

  it('alerts a team leader’s desk live, keeps a concern raised offline, and delivers it on reconnecting', async () => {
    const serverDir = join(root, 'server');
    let server: CentralServer = await startCentralServer(serverDir);
    cleanup.push(() => server.close());
    const leader = await signedInDesk('leader', server.url, 'demo-leader');
    const adviser = await signedInDesk('adviser', server.url, 'demo-adviser');
    const contactRef = await callTakenBy(server.storage, 'demo-adviser');

    const live = concern({ contactRef });
    const heard = openWhere(leader, ({ open }) => open.some((a) => a.concernId === live.concernId));
    expect(await adviser.dispatch('raiseSafeguardingConcern', live)).toEqual({
      ok: true,
      value: { concernId: live.concernId, sentLive: true },
    });
    await heard;
    expect(
      await adviser.dispatch('acknowledgeSafeguardingConcern', acknowledgement(live.concernId)),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const adviserTold = outcomesWhere(adviser, ({ outcomes }) =>
      outcomes.some((outcome) => outcome.concern.concernId === live.concernId),
    );
    expect(
      await leader.dispatch('acknowledgeSafeguardingConcern', acknowledgement(live.concernId)),
    ).toMatchObject({ ok: true, value: { concernId: live.concernId } });
    // The adviser's desk has it, and tells the server so, which the history then shows.
    await adviserTold;
    await expect
      .poll(async () => {
        const history = await leader.dispatch('safeguardingHistory', { limit: 10 });
        return history.ok
          ? safeguardingHistorySchema
              .parse(history.value)
              .concerns.find((entry) => entry.concern.concernId === live.concernId)?.adviserToldAt
          : undefined;
      })
      .toEqual(expect.any(String));
    expect(await adviser.dispatch('safeguardingHistory', { limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    // Dismissed, it is gone from the desk (and the server does not send it again).
    expect(
      await adviser.dispatch('dismissSafeguardingOutcome', { concernId: live.concernId }),
    ).toEqual({ ok: true, value: { outcomes: [] } });
    expect(await leader.dispatch('openSafeguardingConcerns', null)).toEqual({
      ok: true,
      value: { open: [] },
    });

    // The server goes away; the adviser raises a concern, which waits in the outbox.
    const port = server.port;
    await server.close();
    const offline = concern({ category: 'domestic_abuse', contactRef });
    expect(await adviser.dispatch('raiseSafeguardingConcern', offline)).toEqual({
      ok: true,
      value: { concernId: offline.concernId, sentLive: false },
    });
    expect(adviser.status().outbox.waiting).toBeGreaterThanOrEqual(1);
    // The team leader still sees nothing new, and cannot acknowledge while away.
    expect(
      await leader.dispatch('acknowledgeSafeguardingConcern', acknowledgement(offline.concernId)),
    ).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    const arrived = openWhere(leader, ({ open }) =>
      open.some((a) => a.concernId === offline.concernId),
    );
    server = await startCentralServer(serverDir, port);
    const list = await arrived;
    expect(list.open.find((a) => a.concernId === offline.concernId)).toMatchObject({
      category: 'domestic_abuse',
      adviser: { displayName: 'Alex Adviser' },
    });
    expect((await server.storage.safeguarding.find(offline.concernId))?.receivedVia).toBe('outbox');
  });
});
