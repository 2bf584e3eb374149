// The service dashboard over real HTTP and the desk socket, on each engine:
// figures from stored records and queue abandonments match what was worked out
// by hand, a figure's drill-down finds exactly the interactions behind it,
// only team leaders see any of it, the improvement plan keeps its actions with
// their trend, the live board reaches a team leader's desk when a call
// queues, and the outcomes at follow-up come from follow-up interactions alone
// (which the contact-centre and guidance figures leave out), by period and by
// the customer's age group and region at first contact; "next steps good" is
// the quality reports' own count.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CustomerRegion,
  InteractionRecord,
  YoungPersonAge,
} from '../../shared/interaction/record';
import { qualityReportSchema, reviewViewSchema } from '../../shared/wire/quality';
import {
  dashboardFiguresSchema,
  improvementPlanSchema,
  liveBoardSchema,
  type LiveBoard,
} from '../../shared/wire/dashboard';
import { historyPageSchema } from '../../shared/wire/history';
import type { OutboxItem } from '../../shared/wire/outbox';
import { answersMeetingEveryItem } from '../support/quality-contacts';
import { engines } from '../support/storage';
import { completedRecord, followUpFor } from '../unit/desk-fixtures';
import { followUpRecord } from '../unit/follow-up-call-script';
import { io } from 'socket.io-client';
import {
  startTestServer,
  type SignedIn,
  type TestDeskSocket,
  type TestServer,
} from './server-harness';

/** Delivers outbox items through a desk's socket, as a desk does, each acknowledged. */
const deliverThrough =
  (desk: TestDeskSocket) => async (item: Omit<OutboxItem, 'id' | 'createdAt'>) =>
    expect(
      await desk.emitWithAck('outbox:deliver', {
        ...item,
        id: randomUUID(),
        createdAt: new Date().toISOString(),
      } as OutboxItem),
    ).toMatchObject({ ok: true });

/** A record completed at `completedAt`, answered `answerSeconds` after the offer, with what else it says. */
function recordAt(
  adviserId: string,
  completedAt: string,
  answerSeconds: number,
  summary: Partial<InteractionRecord['summary']> = {},
  channel: InteractionRecord['channel'] = 'voice',
): InteractionRecord {
  const base = completedRecord(randomUUID(), { adviserId, channel, completedAt });
  const end = Date.parse(completedAt);
  const offeredAt = new Date(end - 20 * 60_000).toISOString();
  return {
    ...base,
    startedAt: offeredAt,
    summary: {
      ...base.summary,
      call: {
        ...base.summary.call,
        offeredAt,
        connectedAt: new Date(end - 20 * 60_000 + answerSeconds * 1000).toISOString(),
        holds: [],
        endedAt: new Date(end - 2 * 60_000).toISOString(),
        endedBy: 'customer',
        wrapUpStartedAt: null,
      },
      ...summary,
    },
  };
}

describe.each(engines)('service dashboard on %s', (engine) => {
  let harness: TestServer;
  let leader: SignedIn;
  let adviser: SignedIn;
  const records: InteractionRecord[] = [];
  /** Follow-up calls, each made through the follow-up variant of the machine. */
  const followUps: InteractionRecord[] = [];

  async function get(who: SignedIn, path: string) {
    const response = await fetch(`${harness.server.url}${path}`, {
      headers: { authorization: `Bearer ${who.accessToken}` },
    });
    return {
      status: response.status,
      body: (await response.json()) as { ok: boolean; value?: unknown },
    };
  }

  beforeAll(async () => {
    harness = await startTestServer({ engine });
    leader = await harness.signIn('demo-leader');
    adviser = await harness.signIn('demo-adviser');
    const id = adviser.user.id;
    // 20 November 2026 (GMT). Four voice calls answered in 5, 15, 25 and 40 s, one web chat in 3 s.
    records.push(
      recordAt(id, '2026-11-20T10:20:00.000Z', 5, {
        startingPoint: { ...completedRecord('x').summary.startingPoint, status: 'neet' },
        followUp: {
          decision: 'accepted',
          bookingId: randomUUID(),
          slotStart: '2026-12-22T10:00:00.000Z',
          contactMethod: 'phone',
          contactAddress: '07700900123',
          consentRecorded: true,
          at: '2026-11-20T10:15:00.000Z',
        },
      }),
      recordAt(id, '2026-11-20T10:40:00.000Z', 15, {
        followUp: { decision: 'declined', at: '2026-11-20T10:30:00.000Z' },
        serviceQuestions: { outcome: 'skipped', reason: 'Short of time' },
      }),
      recordAt(id, '2026-11-20T14:20:00.000Z', 25, { transcript: { decision: 'declined' } }),
      recordAt(id, '2026-11-21T09:20:00.000Z', 40),
      recordAt(id, '2026-11-21T09:50:00.000Z', 3, {}, 'webchat'),
    );
    const { storage } = harness.server;
    // Delivered as a desk delivers them: through the outbox, into the ingest.
    const desk = await harness.connectDesk('demo-adviser');
    const deliver = deliverThrough(desk);
    for (const record of records) {
      await deliver({
        stream: `interaction:${record.id}`,
        kind: 'interaction.completed',
        payload: record,
      });
    }
    const booking = followUpFor(records[0]!);
    await deliver({ stream: `follow-up:${booking.id}`, kind: 'followup.booked', payload: booking });
    // Four follow-up calls: on the 20th (10:30 London) NEET then, "other" now, worse; on the
    // 21st NEET to college and better, NEET still and the same, and school with no change recorded.
    const call = (
      startAt: string,
      statusAtFirstContact: 'neet' | 'school',
      statusNow: 'other' | 'college' | 'neet' | 'school',
      change: 'better' | 'same' | 'worse' | null,
    ) =>
      followUpRecord({
        adviserId: id,
        interactionId: randomUUID(),
        bookingId: randomUUID(),
        firstInteractionId: randomUUID(),
        callId: randomUUID(),
        startAt,
        statusAtFirstContact,
        statusNow,
        change,
      });
    followUps.push(
      call('2026-11-20T10:30:00.000Z', 'neet', 'other', 'worse'),
      call('2026-11-21T11:00:00.000Z', 'neet', 'college', 'better'),
      call('2026-11-21T12:00:00.000Z', 'neet', 'neet', 'same'),
      call('2026-11-21T13:00:00.000Z', 'school', 'school', null),
    );
    for (const record of followUps) {
      await deliver({
        stream: `interaction:${record.id}`,
        kind: 'interaction.completed',
        payload: record,
      });
    }
    desk.close();
    // Three calls left the queue on the 20th: one after 2 s (a short abandon), two after a minute.
    for (const [waited, leftAt] of [
      [2_000, '2026-11-20T10:05:00.000Z'],
      [60_000, '2026-11-20T10:07:00.000Z'],
      [60_000, '2026-11-20T14:07:00.000Z'],
    ] as const) {
      await storage.chats.recordAbandonment(
        'call',
        randomUUID(),
        new Date(Date.parse(leftAt) - waited).toISOString(),
        leftAt,
        waited,
      );
    }
  });

  afterAll(async () => {
    await harness.close();
  });

  const figures = async (query: string) => {
    const answer = await get(leader, `/api/dashboard/figures?${query}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return dashboardFiguresSchema.parse(answer.body.value);
  };

  it('works out the contact-centre figures by the stated formulas', async () => {
    const answer = await figures('from=2026-11-20&to=2026-11-21&granularity=day&targetSeconds=20');
    // Answered 5 (within 20 s: 5, 15 and 3 s = 3); abandoned 3, 1 short; offered 8.
    // Service level 3 / (8 - 1); ASA (5 + 15 + 25 + 40 + 3) / 5 = 17.6 s.
    expect(answer.total.contact).toMatchObject({
      offered: 8,
      answered: 5,
      abandoned: 3,
      shortAbandoned: 1,
      answeredInTarget: 3,
      averageSpeedOfAnswerSeconds: 17.6,
      averageHoldSeconds: 0,
      averageWrapSeconds: 120,
    });
    expect(answer.total.contact.serviceLevel).toBeCloseTo(3 / 7, 10);
    expect(answer.buckets.map((bucket) => [bucket.key, bucket.contact.offered])).toEqual([
      ['2026-11-20', 6],
      ['2026-11-21', 2],
    ]);
    // A longer short-abandon threshold moves the service level, not the count abandoned.
    const stricter = await figures('from=2026-11-20&to=2026-11-21&shortAbandonSeconds=61');
    expect(stricter.total.contact).toMatchObject({ abandoned: 3, shortAbandoned: 3 });
    expect(stricter.total.contact.serviceLevel).toBeCloseTo(3 / 5, 10);
  });

  it('gives guidance figures, by channel and per adviser, and the follow-ups booked', async () => {
    const answer = await figures('from=2026-11-20&to=2026-11-21&granularity=week');
    expect(answer.total.guidance).toMatchObject({
      interactions: 5,
      statusCaptured: 1,
      followUpOffered: 2,
      followUpTaken: 1,
      transcriptOffered: 1,
      transcriptSent: 0,
      serviceQuestionsSkipped: 1,
    });
    expect(
      answer.channels.map((channel) => [channel.channel, channel.guidance.interactions]),
    ).toEqual([
      ['voice', 4],
      ['webchat', 1],
    ]);
    expect(answer.advisers).toEqual([
      expect.objectContaining({
        adviserId: adviser.user.id,
        adviserName: adviser.user.displayName,
      }),
    ]);
    expect(answer.followUps).toEqual({ bookedInRange: 0, completed: 4 });
    const december = await figures('from=2026-12-01&to=2026-12-31&granularity=month');
    expect(december.followUps).toEqual({ bookedInRange: 1, completed: 0 });
  });

  it('works out the outcomes at follow-up from follow-up interactions, by the stated formulas', async () => {
    const answer = await figures('from=2026-11-20&to=2026-11-21&granularity=day');
    // Four completed: one better, one the same, one worse, one not recorded: 1 / 4 positive.
    // Three NEET at first contact; one (now at college) has left NEET: "other" does not count.
    expect(answer.total.outcomes).toEqual({
      completed: 4,
      better: 1,
      same: 1,
      worse: 1,
      changeNotRecorded: 1,
      positiveChange: 0.25,
      neetAtFirstContact: 3,
      leftNeet: 1,
      leftNeetShare: 1 / 3,
    });
    expect(answer.buckets.map((bucket) => [bucket.key, bucket.outcomes.completed])).toEqual([
      ['2026-11-20', 1],
      ['2026-11-21', 3],
    ]);
    expect(answer.buckets[1]?.outcomes.positiveChange).toBeCloseTo(1 / 3, 10);
    // Scoped as the other figures are: to an adviser, and to a channel (follow-ups are calls).
    const alone = await figures(`from=2026-11-20&to=2026-11-21&adviserId=${adviser.user.id}`);
    expect(alone.total.outcomes.completed).toBe(4);
    const chats = await figures('from=2026-11-20&to=2026-11-21&channel=webchat');
    expect(chats.total.outcomes.completed).toBe(0);
    expect(chats.total.outcomes.positiveChange).toBeNull();
    // Each completed follow-up is behind the number, and nothing else is.
    const behind = historyPageSchema.parse(
      (await get(leader, '/api/history?from=2026-11-20&to=2026-11-21&followUpCall=true&limit=50'))
        .body.value,
    );
    expect(behind.rows.map((row) => row.id).sort()).toEqual(
      followUps.map((record) => record.id).sort(),
    );
  });

  it('buckets by London hour, and each hour drills down to its interactions', async () => {
    const answer = await figures('from=2026-11-20&to=2026-11-20&granularity=hour');
    const ten = answer.buckets.find((bucket) => bucket.key === '2026-11-20T10');
    expect(ten?.contact).toMatchObject({ answered: 2, abandoned: 2 });
    // The page's drill-downs ask for contacts only, as the figure counts them.
    const page = await get(
      leader,
      `/api/history?from=${ten?.from}&to=${ten?.to}&completedHour=${ten?.hour}&followUpCall=false&sort=oldest`,
    );
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(historyPageSchema.parse(page.body.value).rows.map((row) => row.id)).toEqual([
      records[0]!.id,
      records[1]!.id,
    ]);
    const calls = await get(
      leader,
      `/api/history?from=${ten?.from}&to=${ten?.to}&completedHour=${ten?.hour}&followUpCall=true`,
    );
    expect(historyPageSchema.parse(calls.body.value).rows.map((row) => row.id)).toEqual([
      followUps[0]!.id,
    ]);
    const skipped = historyPageSchema.parse(
      (await get(leader, '/api/history?serviceQuestionsSkipped=true&followUpOffered=true')).body
        .value,
    );
    expect(skipped.rows.map((row) => row.id)).toEqual([records[1]!.id]);
    const captured = historyPageSchema.parse(
      (await get(leader, '/api/history?statusCaptured=true')).body.value,
    );
    expect(captured.rows.map((row) => row.id)).toEqual([records[0]!.id]);
  });

  it('reads the summary the ingest keeps, which matches the sums over the interactions themselves', async () => {
    // March 2025, away from the figures above: two advisers, both channels, several
    // contacts in one hour, answers either side of the 20 s target, and the day the
    // clocks went forward (30 March, a 23-hour day).
    const second = await harness.signIn('demo-adviser-2');
    const desks = new Map([
      [adviser.user.id, await harness.connectDesk('demo-adviser')],
      [second.user.id, await harness.connectDesk('demo-adviser-2')],
    ]);
    const captured = { ...completedRecord('x').summary.startingPoint, status: 'college' as const };
    const march = [
      recordAt(adviser.user.id, '2025-03-03T09:10:00.000Z', 20),
      recordAt(adviser.user.id, '2025-03-03T09:40:00.000Z', 21, {}, 'webchat'),
      recordAt(adviser.user.id, '2025-03-03T09:50:00.000Z', 4, { startingPoint: captured }),
      recordAt(second.user.id, '2025-03-03T09:20:00.000Z', 8, {}, 'webchat'),
      recordAt(second.user.id, '2025-03-04T16:00:00.000Z', 60, {
        serviceQuestions: { outcome: 'skipped', reason: 'Short of time' },
      }),
      recordAt(second.user.id, '2025-03-04T16:20:00.000Z', 9, {}, 'webchat'),
      recordAt(second.user.id, '2025-03-30T00:30:00.000Z', 2),
      recordAt(adviser.user.id, '2025-03-30T01:30:00.000Z', 30, {
        transcript: { decision: 'declined' },
      }),
      recordAt(adviser.user.id, '2025-03-31T22:59:00.000Z', 11, {}, 'webchat'),
    ];
    const item = (record: InteractionRecord) =>
      ({
        stream: `interaction:${record.id}`,
        kind: 'interaction.completed',
        payload: record,
        id: randomUUID(),
        createdAt: new Date().toISOString(),
      }) as OutboxItem;
    // Each adviser's first contact alone, the rest in one batch from their desk, which the
    // ingest sums by key before it writes: its hours then meet rows held and rows new, one
    // of them (16:00 on the 4th) new with two contacts.
    for (const [adviserId, desk] of desks) {
      const [first, ...rest] = march.filter((record) => record.adviserId === adviserId);
      expect(await desk.emitWithAck('outbox:deliver', item(first!))).toMatchObject({ ok: true });
      const answers = await desk.emitWithAck('outbox:deliverBatch', rest.map(item));
      expect(answers).toMatchObject({ ok: true });
      expect((answers as { value: unknown[] }).value).toHaveLength(rest.length);
    }
    for (const desk of desks.values()) desk.close();
    const { dashboard } = harness.server.storage;
    const sorted = (groups: { key: string }[]) =>
      [...groups].sort((a, b) => a.key.localeCompare(b.key));
    const scopes = [{}, { adviserId: second.user.id }, { channel: 'webchat' as const }];
    let compared = 0;
    for (const [keyLength, from, to] of [
      [13, '2025-03-03', '2025-03-31'],
      [10, '2025-03-01', '2025-03-31'],
      [7, '2025-01-01', '2025-12-31'],
    ] as const) {
      for (const grouping of [
        { by: 'time' as const, keyLength },
        { by: 'adviser' as const },
        { by: 'channel' as const },
      ]) {
        for (const filter of scopes) {
          const scope = { from, to, targetSeconds: 20, shortAbandonSeconds: 5, ...filter };
          const fromSummary = await dashboard.summarySums(scope, grouping);
          expect(sorted(fromSummary)).toEqual(
            sorted(await dashboard.interactionRowSums(scope, grouping)),
          );
          compared += fromSummary.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
    // Worked by hand for the hour with four contacts (09:00 GMT on the 3rd):
    // 20 and 4 s answered within 20 s on voice, 21 and 8 s on web chat; two
    // advisers were active in it, one of them on both channels.
    const [hour] = await dashboard.summarySums(
      { from: '2025-03-03', to: '2025-03-03', targetSeconds: 20, shortAbandonSeconds: 5 },
      { by: 'time', keyLength: 13 },
    );
    expect(hour).toEqual({
      key: '2025-03-03T09',
      sums: expect.objectContaining({
        answered: 4,
        answeredInTarget: 3,
        answerSeconds: 53,
        activeAdviserHours: 2,
        statusCaptured: 1,
      }),
    });
    // A target other than the standard's reads the interactions, and gives its own count.
    const month = await figures('from=2025-03-01&to=2025-03-31&granularity=month&targetSeconds=30');
    expect(month.total.contact.answeredInTarget).toBe(8);
  });

  it('is for team leaders only, and refuses a malformed question', async () => {
    expect(
      (await get(adviser, '/api/dashboard/figures?from=2026-11-20&to=2026-11-21')).status,
    ).toBe(403);
    expect((await get(adviser, '/api/dashboard/plan')).status).toBe(403);
    expect((await get(leader, '/api/dashboard/figures?from=2026-11-21&to=2026-11-20')).status).toBe(
      400,
    );
    expect(
      (await get(leader, '/api/dashboard/figures?from=2026-01-01&to=2026-03-01&granularity=hour'))
        .status,
    ).toBe(400);
  });

  it('keeps improvement actions with their figure month by month', async () => {
    const response = await fetch(`${harness.server.url}/api/dashboard/plan`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${leader.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        title: 'Coach every adviser to offer a follow-up',
        ownerId: adviser.user.id,
        figure: 'followUpOffered',
        startedOn: '2026-11-01',
        targetDate: '2027-03-31',
      }),
    });
    expect(response.status).toBe(201);
    const plan = improvementPlanSchema.parse(((await response.json()) as { value: unknown }).value);
    const action = plan.actions[0];
    expect(action).toMatchObject({
      ownerName: adviser.user.displayName,
      figure: 'followUpOffered',
    });
    // October is the baseline (no interactions: no figure), November 2 of 5 offered.
    expect(action?.trend.slice(0, 2)).toEqual([
      { month: '2026-10', value: null },
      { month: '2026-11', value: 0.4 },
    ]);
    expect(plan.owners.map((owner) => owner.id)).toContain(adviser.user.id);
    const refused = await fetch(`${harness.server.url}/api/dashboard/plan`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${leader.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        title: 'x',
        ownerId: 'nobody',
        figure: 'nothing',
        startedOn: 'soon',
        targetDate: '',
      }),
    });
    expect(refused.status).toBe(400);
  });

  it("pushes the live board to a team leader's desk when a call queues, within a second", async () => {
    // Listening before the socket connects: the board is sent as soon as it has.
    const boards: LiveBoard[] = [];
    const desk: TestDeskSocket = io(harness.server.url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token: (await harness.signIn('demo-leader')).accessToken, deskId: randomUUID() },
    });
    desk.on('dashboard:board', (board) => boards.push(liveBoardSchema.parse(board)));
    const until = async (what: string, check: () => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await until('board on connecting', () => boards.length > 0, 5_000);
    expect(boards[0]?.waiting).toEqual({ voice: 0, webchat: 0 });
    const key = readFileSync(join(harness.dataDir, 'telephony.key'), 'utf8').trim();
    const queuedAt = Date.now();
    const queued = await fetch(`${harness.server.url}/api/telephony/queue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telephony-key': key },
      body: JSON.stringify({ cli: '07700900123' }),
    });
    expect(queued.status).toBe(201);
    await until(
      'board with the call waiting',
      () => boards.some((board) => board.waiting.voice === 1),
      1_000,
    );
    expect(Date.now() - queuedAt).toBeLessThan(1_000);
    // An adviser's desk is not sent the board.
    const adviserDesk = await harness.connectDesk('demo-adviser');
    let adviserHeard = false;
    adviserDesk.on('dashboard:board', () => (adviserHeard = true));
    expect(
      await adviserDesk.emitWithAck('adviser:availability', { availability: 'available' }),
    ).toMatchObject({ ok: true });
    await until(
      'the adviser counted',
      () => boards.some((board) => board.advisers.available === 1),
      2_000,
    );
    expect(adviserHeard).toBe(false);
    desk.close();
    adviserDesk.close();
  });
});

describe.each(engines)('outcomes by age group and region, and next steps good, on %s', (engine) => {
  let harness: TestServer;
  let leader: SignedIn;
  let adviserId: string;
  /** The first contacts, in September, by name: who the young person was then. */
  let first: Record<'ava' | 'ben' | 'cal' | 'dee', InteractionRecord>;
  /** The follow-up call each made, on 25 November, and one whose booking is not held. */
  let calls: Record<'ava' | 'ben' | 'cal' | 'dee' | 'eli', InteractionRecord>;

  async function send(path: string, body?: unknown) {
    const response = await fetch(`${harness.server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${leader.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as { ok: boolean; value?: unknown };
    expect(response.status, JSON.stringify(answer)).toBeLessThan(300);
    return answer.value;
  }

  beforeAll(async () => {
    harness = await startTestServer({ engine });
    leader = await harness.signIn('demo-leader');
    adviserId = (await harness.signIn('demo-adviser')).user.id;
    const desk = await harness.connectDesk('demo-adviser');
    const deliver = deliverThrough(desk);
    const caller = completedRecord('x').summary.caller;
    const firstContact = (
      completedAt: string,
      age: YoungPersonAge,
      region: CustomerRegion | undefined,
    ) =>
      recordAt(adviserId, completedAt, 5, {
        caller: { ...caller, age, ...(region ? { region } : {}) },
      });
    first = {
      ava: firstContact('2026-09-10T10:00:00.000Z', 14, 'london'),
      ben: firstContact('2026-09-10T11:00:00.000Z', 16, 'london'),
      cal: firstContact('2026-09-11T10:00:00.000Z', 17, 'north-east'),
      dee: firstContact('2026-09-11T11:00:00.000Z', 'not_given', undefined),
    };
    const follow = (
      record: InteractionRecord,
      startAt: string,
      statusAtFirstContact: 'neet' | 'school',
      statusNow: 'college' | 'neet' | 'school' | 'employment',
      change: 'better' | 'same' | 'worse' | null,
    ) => {
      const booking = followUpFor(record);
      return {
        booking,
        call: followUpRecord({
          adviserId,
          interactionId: randomUUID(),
          bookingId: booking.id,
          firstInteractionId: record.id,
          callId: randomUUID(),
          startAt,
          statusAtFirstContact,
          statusNow,
          change,
        }),
      };
    };
    const made = {
      ava: follow(first.ava, '2026-11-25T10:00:00.000Z', 'neet', 'college', 'better'),
      ben: follow(first.ben, '2026-11-25T11:00:00.000Z', 'neet', 'neet', 'same'),
      cal: follow(first.cal, '2026-11-25T12:00:00.000Z', 'school', 'school', 'better'),
      dee: follow(first.dee, '2026-11-25T13:00:00.000Z', 'neet', 'employment', 'worse'),
    };
    for (const record of Object.values(first)) {
      await deliver({
        stream: `interaction:${record.id}`,
        kind: 'interaction.completed',
        payload: record,
      });
    }
    for (const { booking } of Object.values(made)) {
      await deliver({
        stream: `follow-up:${booking.id}`,
        kind: 'followup.booked',
        payload: booking,
      });
    }
    calls = {
      ava: made.ava.call,
      ben: made.ben.call,
      cal: made.cal.call,
      dee: made.dee.call,
      // Eli's booking is not held here: the call counts, with age and region not given.
      eli: followUpRecord({
        adviserId,
        interactionId: randomUUID(),
        bookingId: randomUUID(),
        firstInteractionId: randomUUID(),
        callId: randomUUID(),
        startAt: '2026-11-25T14:00:00.000Z',
        statusAtFirstContact: 'school',
        statusNow: 'school',
        change: null,
      }),
    };
    for (const record of Object.values(calls)) {
      await deliver({
        stream: `interaction:${record.id}`,
        kind: 'interaction.completed',
        payload: record,
      });
    }
    desk.close();
  });

  afterAll(async () => {
    await harness.close();
  });

  const figuresFor = async (query: string) =>
    dashboardFiguresSchema.parse(await send(`/api/dashboard/figures?${query}`));
  const historyIds = async (query: string) =>
    historyPageSchema
      .parse(await send(`/api/history?${query}&limit=50`))
      .rows.map((row) => row.id)
      .sort();
  const idsOf = (...records: InteractionRecord[]) => records.map((record) => record.id).sort();

  it('counts the outcomes by age group at first contact, every group listed, by the stated formulas', async () => {
    const answer = await figuresFor('from=2026-11-25&to=2026-11-25');
    const group = (key: string) =>
      answer.outcomesByAgeGroup.find((held) => held.key === key)?.outcomes;
    expect(answer.outcomesByAgeGroup.map((held) => held.key)).toEqual([
      '15_and_under',
      '16_to_17',
      '18_and_over',
      'not_given',
    ]);
    // Ava (14): NEET to college, better.
    expect(group('15_and_under')).toMatchObject({
      completed: 1,
      better: 1,
      positiveChange: 1,
      neetAtFirstContact: 1,
      leftNeet: 1,
      leftNeetShare: 1,
    });
    // Ben (16) NEET still, the same; Cal (17) at school, better: 1 of 2, and 0 of 1 left NEET.
    expect(group('16_to_17')).toMatchObject({
      completed: 2,
      better: 1,
      same: 1,
      positiveChange: 0.5,
      neetAtFirstContact: 1,
      leftNeet: 0,
      leftNeetShare: 0,
    });
    expect(group('18_and_over')).toMatchObject({ completed: 0, positiveChange: null });
    // Dee (age not given) NEET to employment, worse; Eli (first contact not held), not recorded.
    expect(group('not_given')).toMatchObject({
      completed: 2,
      worse: 1,
      changeNotRecorded: 1,
      positiveChange: 0,
      neetAtFirstContact: 1,
      leftNeet: 1,
      leftNeetShare: 1,
    });
    // The groups add up to the total.
    expect(answer.outcomesByAgeGroup.reduce((sum, held) => sum + held.outcomes.completed, 0)).toBe(
      answer.total.outcomes.completed,
    );
    // Another day's follow-ups are not counted.
    const before = await figuresFor('from=2026-11-24&to=2026-11-24');
    expect(before.outcomesByAgeGroup.every((held) => held.outcomes.completed === 0)).toBe(true);
  });

  it('counts the outcomes by region at first contact', async () => {
    const answer = await figuresFor('from=2026-11-25&to=2026-11-25&granularity=month');
    const group = (key: string) =>
      answer.outcomesByRegion.find((held) => held.key === key)?.outcomes;
    expect(answer.outcomesByRegion).toHaveLength(10);
    expect(answer.outcomesByRegion.at(-1)?.key).toBe('not_given');
    expect(group('london')).toMatchObject({
      completed: 2,
      better: 1,
      positiveChange: 0.5,
      neetAtFirstContact: 2,
      leftNeet: 1,
      leftNeetShare: 0.5,
    });
    expect(group('north-east')).toMatchObject({
      completed: 1,
      positiveChange: 1,
      neetAtFirstContact: 0,
      leftNeetShare: null,
    });
    expect(group('not_given')).toMatchObject({ completed: 2, positiveChange: 0 });
    expect(group('south-west')).toMatchObject({ completed: 0 });
    // A question about a channel no follow-up call was made on finds none in any region.
    const chats = await figuresFor('from=2026-11-25&to=2026-11-25&channel=webchat');
    expect(chats.outcomesByRegion.every((held) => held.outcomes.completed === 0)).toBe(true);
  });

  it('drills each group down to exactly the follow-up calls counted in it, and filters the first contacts alike', async () => {
    const range = 'from=2026-11-25&to=2026-11-25&followUpCall=true';
    expect(await historyIds(`${range}&ageGroup=15_and_under`)).toEqual(idsOf(calls.ava));
    expect(await historyIds(`${range}&ageGroup=16_to_17`)).toEqual(idsOf(calls.ben, calls.cal));
    expect(await historyIds(`${range}&ageGroup=18_and_over`)).toEqual([]);
    expect(await historyIds(`${range}&ageGroup=not_given`)).toEqual(idsOf(calls.dee, calls.eli));
    expect(await historyIds(`${range}&region=london`)).toEqual(idsOf(calls.ava, calls.ben));
    expect(await historyIds(`${range}&region=north-east`)).toEqual(idsOf(calls.cal));
    expect(await historyIds(`${range}&region=not_given`)).toEqual(idsOf(calls.dee, calls.eli));
    // The same columns on the first contacts: their own caller stage.
    expect(await historyIds('followUpCall=false&region=london&ageGroup=16_to_17')).toEqual(
      idsOf(first.ben),
    );
    // A group that is not one is refused with a clear message, not an empty list.
    const refused = await fetch(`${harness.server.url}/api/history?region=atlantis`, {
      headers: { authorization: `Bearer ${leader.accessToken}` },
    });
    expect(refused.status).toBe(400);
  });

  it('shows next steps good as Quality reports count it, for the team and one adviser', async () => {
    // Three published reviews of September's first contacts: next steps 4, 3 and 1 of 4.
    for (const [record, judged] of [
      [first.ava, 4],
      [first.ben, 3],
      [first.cal, 1],
    ] as const) {
      const created = reviewViewSchema.parse(
        await send('/api/quality/reviews', { interactionId: record.id }),
      );
      await send(`/api/quality/reviews/${created.review.id}/publish`, {
        // Every item this interaction asks, met, but for the judgement under test.
        answers: answersMeetingEveryItem(judged, 'As heard'),
      });
    }
    const answer = await figuresFor('from=2026-09-01&to=2026-09-30&granularity=month');
    // Good is the top two points: 4 and 3 of 4, so 2 of 3.
    expect(answer.nextStepsGood).toEqual({ scored: 3, good: 2, rate: 2 / 3 });
    const report = qualityReportSchema.parse(
      await send('/api/quality/reports?from=2026-09-01&to=2026-09-30'),
    );
    expect(answer.nextStepsGood).toEqual(report.team.nextStepsGood);
    // Only the day Ava and Ben were seen on.
    const day = await figuresFor('from=2026-09-10&to=2026-09-10');
    expect(day.nextStepsGood).toEqual({ scored: 2, good: 2, rate: 1 });
    // An adviser with no reviewed interactions has none.
    const leaderOnly = await figuresFor(
      `from=2026-09-01&to=2026-09-30&adviserId=${leader.user.id}`,
    );
    expect(leaderOnly.nextStepsGood).toEqual({ scored: 0, good: 0, rate: null });
    const adviserOnly = await figuresFor(`from=2026-09-01&to=2026-09-30&adviserId=${adviserId}`);
    expect(adviserOnly.nextStepsGood.scored).toBe(3);
  });
});
