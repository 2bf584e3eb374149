// Follow-up calls over real HTTP and socket.io, on each engine, with the
// server's clock moved by the test: the day's list, attempts through the
// simulated telephony at different times of day, the note to a customer who
// could not be reached, rebooking within the window, the reminder, withdrawal,
// capacity, the team offer when the booking adviser is away, and completion by
// a follow-up interaction record.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contactPhase } from '../../shared/interaction/machine';
import type { FollowUpBooking, InteractionRecord } from '../../shared/interaction/record';
import { buildReplayTimeline } from '../../shared/interaction/replay-timeline';
import { historyViewSchema } from '../../shared/wire/history';
import {
  followUpAttemptResultSchema,
  followUpCallSchema,
  followUpCapacitySchema,
  followUpListSchema,
} from '../../shared/wire/follow-ups';
import type { AdviserPresence } from '../../shared/wire/chat';
import type { OutboxItem } from '../../shared/wire/outbox';
import { engines } from '../support/storage';
import { completedRecord, followUpFor } from '../unit/desk-fixtures';
import { followUpRecord as guidedFollowUp } from '../unit/follow-up-call-script';
import {
  startTestServer,
  type SignedIn,
  type TestDeskSocket,
  type TestServer,
} from './server-harness';

const closingAt21 = { opensAt: { hour: 8, minute: 0 }, closesAt: { hour: 21, minute: 0 } };

describe.each(engines)('follow-up calls on %s', (engine) => {
  let harness: TestServer;
  let clock = Date.parse('2026-12-22T09:00:00.000Z');
  let alex: SignedIn;
  let sam: SignedIn;
  let leader: SignedIn;
  let trainer: SignedIn;
  let alexDesk: TestDeskSocket;
  let samDesk: TestDeskSocket;
  let first: InteractionRecord;
  /** Due today at 10:00, by phone. */
  let byPhone: FollowUpBooking;
  /** Overdue since yesterday, by text. */
  let byText: FollowUpBooking;
  /** Not due until next week, by email. */
  let byEmail: FollowUpBooking;
  const deskId = randomUUID();

  const at = (iso: string) => {
    clock = Date.parse(iso);
  };

  async function deliver(desk: TestDeskSocket, kind: OutboxItem['kind'], payload: unknown) {
    const item = {
      id: randomUUID(),
      stream: `test:${randomUUID()}`,
      createdAt: new Date(clock).toISOString(),
      kind,
      payload,
    } as OutboxItem;
    expect(await desk.emitWithAck('outbox:deliver', item)).toMatchObject({ ok: true });
  }

  async function request(
    who: SignedIn,
    path: string,
    body?: unknown,
  ): Promise<{
    status: number;
    body: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  }> {
    const response = await fetch(`${harness.server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${await accessToken(who)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  /** Tokens expire as the clock moves on by days: sign in again at each new time. */
  const tokens = new Map<string, { clock: number; token: string }>();
  async function accessToken(who: SignedIn): Promise<string> {
    const held = tokens.get(who.user.username);
    if (held?.clock === clock) return held.token;
    const token = (await harness.signIn(who.user.username)).accessToken;
    tokens.set(who.user.username, { clock, token });
    return token;
  }

  const today = async (who: SignedIn) => {
    const answer = await request(who, '/api/follow-ups/today');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return followUpListSchema.parse(answer.body.value).items;
  };

  const ring = (who: SignedIn, id: string) => request(who, `/api/follow-ups/${id}/attempts`, {});

  /** The simulator's switch, as POST /api/telephony/customers sets it. */
  const customerAnswers = (number: string, answers: boolean) =>
    harness.server.telephony.setCustomerAnswers(number, answers);

  async function mailTo(address: string) {
    for (let waited = 0; waited < 5_000; waited += 50) {
      const entries = await harness.server.transcripts.folder.list(50);
      const found = entries.filter((entry) => entry.to.includes(address));
      if (found.length > 0) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return [];
  }

  beforeAll(async () => {
    // The helpline closes an hour early here: follow-ups keep the same hours as chat.
    harness = await startTestServer({ engine, now: () => clock, serviceHours: closingAt21 });
    alex = await harness.signIn('demo-adviser');
    sam = await harness.signIn('demo-adviser-2');
    leader = await harness.signIn('demo-leader');
    trainer = await harness.signIn('demo-trainer');
    alexDesk = await harness.connectDesk('demo-adviser', deskId);
    samDesk = await harness.connectDesk('demo-adviser-2');
    const base = completedRecord(deskId, { adviserId: alex.user.id });
    first = {
      ...base,
      summary: {
        ...base.summary,
        startingPoint: {
          ...base.summary.startingPoint,
          status: 'neet',
          goals: 'Work with animals',
        },
        nextSteps: {
          ...base.summary.nextSteps,
          mainPoints: 'Look at animal care courses',
          actions: [
            {
              id: 'a1',
              description: 'Apply to college for animal care',
              owner: 'customer',
              due: null,
            },
          ],
        },
      },
    };
    await deliver(alexDesk, 'interaction.completed', first);
    byPhone = { ...followUpFor(first), slotStart: '2026-12-22T10:00:00.000Z' };
    byText = {
      ...followUpFor(first),
      slotStart: '2026-12-21T15:00:00.000Z',
      contactMethod: 'text',
      contactAddress: '07700900124',
    };
    byEmail = {
      ...followUpFor(first),
      slotStart: '2026-12-28T10:00:00.000Z',
      contactMethod: 'email',
      contactAddress: 'young.person@example.com',
    };
    for (const booking of [byPhone, byText, byEmail]) {
      await deliver(alexDesk, 'followup.booked', booking);
    }
  });

  afterAll(async () => {
    alexDesk.close();
    samDesk.close();
    await harness.close();
  });

  it("lists the booking adviser's follow-ups due today and overdue, with what was agreed", async () => {
    const items = await today(alex);
    expect(items.map((item) => [item.id, item.due])).toEqual([
      [byText.id, 'overdue'],
      [byPhone.id, 'due'],
    ]);
    const phone = items[1];
    expect(phone).toMatchObject({
      window: { earliest: '2026-12-18', latest: '2027-01-01', weeks: '4-6' },
      offeredToTeam: false,
      bookedBy: { id: alex.user.id, name: 'Alex Adviser' },
      agreed: {
        mainPoints: 'Look at animal care courses',
        startingPoint: { status: 'neet' },
        actions: [{ id: 'a1', description: 'Apply to college for animal care' }],
      },
      attempts: [],
    });
    // Another adviser, with the booking adviser at their desk and the window open, sees none of them.
    expect(await today(sam)).toEqual([]);
  });

  it('keeps follow-ups to those who may make them', async () => {
    expect((await request(trainer, '/api/follow-ups/today')).status).toBe(403);
    // A team leader who also advises sees their own list, not another adviser's follow-ups.
    expect(await today(leader)).toEqual([]);
    expect((await ring(sam, byPhone.id)).status).toBe(404);
    expect((await ring(alex, 'not-an-id')).status).toBe(400);
    expect((await ring(alex, randomUUID())).status).toBe(404);
    // Capacity is counts only: any adviser booking a slot may see it, a trainer may not.
    expect(
      (await request(sam, '/api/follow-ups/capacity?from=2026-12-18&to=2026-12-19')).status,
    ).toBe(200);
    expect(
      (await request(trainer, '/api/follow-ups/capacity?from=2026-12-18&to=2026-12-19')).status,
    ).toBe(403);
  });

  it('rings an unanswering customer three times at different times of day, then texts them', async () => {
    customerAnswers('+447700900124', false);
    at('2026-12-22T09:05:00.000Z');
    const morning = await ring(alex, byText.id);
    expect(morning.status, JSON.stringify(morning.body)).toBe(201);
    const first = followUpAttemptResultSchema.parse(morning.body.value);
    expect(first.attempt).toMatchObject({ dayPart: 'morning', answered: false });
    const call = await harness.server.storage.calls.find(first.attempt.callId);
    expect(call).toMatchObject({ cli: '+447700900124', connectedAt: null, endedBy: 'network' });

    at('2026-12-22T11:30:00.000Z');
    const again = await ring(alex, byText.id);
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/already made this morning.*afternoon.*evening/);

    at('2026-12-22T13:00:00.000Z');
    expect((await ring(alex, byText.id)).status).toBe(201);
    expect((await harness.server.transcripts.folder.list(50)).length).toBe(0);
    at('2026-12-22T19:00:00.000Z');
    const last = followUpAttemptResultSchema.parse((await ring(alex, byText.id)).body.value);
    expect(last.followUp).toMatchObject({ status: 'unreached' });
    expect(last.followUp.attempts.map((attempt) => attempt.dayPart)).toEqual([
      'morning',
      'afternoon',
      'evening',
    ]);
    expect(last.followUp.messages).toEqual([
      { kind: 'no_answer', via: 'text', sentAt: '2026-12-22T19:00:00.000Z' },
    ]);
    const texts = await mailTo('+447700900124');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ channel: 'text', subject: /tried to call you/ });
    const text = await harness.server.transcripts.folder.read(texts[0]?.id ?? '');
    expect(text?.text).toContain('any day from 08:00 to 21:00');
    // Closed: off the list, and no fourth attempt.
    expect((await today(alex)).map((item) => item.id)).toEqual([byPhone.id]);
    expect((await ring(alex, byText.id)).status).toBe(409);
  });

  it('records an answered call, and does not ring an answered follow-up again', async () => {
    at('2026-12-22T19:10:00.000Z');
    // Routing counts the answered call as the adviser's: on a call until it ends.
    const presences: AdviserPresence[] = [];
    const onPresence = (presence: AdviserPresence) => void presences.push(presence);
    alexDesk.on('adviser:presence', onPresence);
    const answered = followUpAttemptResultSchema.parse((await ring(alex, byPhone.id)).body.value);
    await vi.waitFor(() => expect(presences.at(-1)?.onCall).toBe(true));
    expect(answered.attempt).toMatchObject({ answered: true, dayPart: 'evening' });
    expect(await harness.server.storage.calls.find(answered.attempt.callId)).toMatchObject({
      cli: '+447700900123',
      connectedAt: '2026-12-22T19:10:00.000Z',
      endedAt: null,
    });
    const again = await ring(alex, byPhone.id);
    expect(again.status).toBe(409);
    expect(again.body.error?.message).toMatch(/already answered/);
    expect((await alexDesk.emitWithAck('call:end', { callId: answered.attempt.callId })).ok).toBe(
      true,
    );
    await vi.waitFor(() => expect(presences.at(-1)?.onCall).toBe(false));
    alexDesk.off('adviser:presence', onPresence);
    // Email-only customers have no number to ring.
    at('2026-12-28T10:00:00.000Z');
    expect((await ring(alex, byEmail.id)).body.error?.message).toMatch(/by email/);
    at('2026-12-22T19:10:00.000Z');
  });

  it('rebooks only within the window and with consent, and counts attempts again', async () => {
    const path = `/api/follow-ups/${byPhone.id}/rebook`;
    const late = await request(alex, path, {
      slotStart: '2027-01-05T10:00:00.000Z',
      consentRecorded: true,
    });
    expect(late.status).toBe(400);
    expect(late.body.error?.message).toMatch(/Too late/);
    expect((await request(alex, path, { slotStart: '2026-12-30T11:00:00.000Z' })).status).toBe(400);
    // 21:30 in December is within the built-in hours, not the server's.
    const closed = await request(alex, path, {
      slotStart: '2026-12-30T21:30:00.000Z',
      consentRecorded: true,
    });
    expect(closed.status).toBe(400);
    expect(closed.body.error?.message).toMatch(/follow-ups start from 08:00 and before 21:00/);
    expect(
      (await request(sam, path, { slotStart: '2026-12-30T11:00:00.000Z', consentRecorded: true }))
        .status,
    ).toBe(404);
    const moved = await request(alex, path, {
      slotStart: '2026-12-30T11:00:00.000Z',
      consentRecorded: true,
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(followUpCallSchema.parse(moved.body.value)).toMatchObject({
      slotStart: '2026-12-30T11:00:00.000Z',
      due: 'upcoming',
    });
    expect(await today(alex)).toEqual([]);
  });

  it('reminds a customer who agreed to messages a day before, once', async () => {
    at('2026-12-27T09:00:00.000Z');
    expect(await harness.server.followUps.sendReminders()).toBe(0);
    at('2026-12-27T10:30:00.000Z');
    // The email customer agreed to messages; the phone customer (rebooked to the 30th) did not.
    expect(await harness.server.followUps.sendReminders()).toBe(1);
    expect(await harness.server.followUps.sendReminders()).toBe(0);
    const mail = await mailTo('young.person@example.com');
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ channel: 'email', subject: /Your follow-up call/ });
  });

  it('withdraws on request, which frees its place in the capacity count', async () => {
    const capacity = async () => {
      const answer = await request(alex, '/api/follow-ups/capacity?from=2026-12-20&to=2026-12-30');
      return Object.fromEntries(
        followUpCapacitySchema
          .parse(answer.body.value)
          .days.filter((day) => day.booked > 0)
          .map((day) => [day.date, day.booked]),
      );
    };
    expect(await capacity()).toEqual({ '2026-12-21': 1, '2026-12-28': 1, '2026-12-30': 1 });
    const path = `/api/follow-ups/${byEmail.id}/withdraw`;
    expect((await request(alex, path, { reason: '' })).status).toBe(400);
    const withdrawn = await request(alex, path, {
      reason: 'Customer has started college and does not want it',
    });
    expect(withdrawn.status).toBe(200);
    expect(followUpCallSchema.parse(withdrawn.body.value)).toMatchObject({
      status: 'withdrawn',
      withdrawnReason: 'Customer has started college and does not want it',
    });
    expect((await request(alex, path, { reason: 'Again' })).status).toBe(409);
    expect(await capacity()).toEqual({ '2026-12-21': 1, '2026-12-30': 1 });
    expect(
      (await request(alex, '/api/follow-ups/capacity?from=2026-12-30&to=2026-12-01')).status,
    ).toBe(400);
  });

  it('offers a follow-up to the team when its adviser is away, and a follow-up record completes it', async () => {
    at('2026-12-30T11:05:00.000Z');
    // Alex signs in at a desk today: the follow-up stays theirs.
    alexDesk.close();
    alexDesk = await harness.connectDesk('demo-adviser', deskId);
    expect((await today(sam)).map((item) => item.id)).toEqual([]);
    alexDesk.close();
    const offered = await (async () => {
      for (let tries = 0; tries < 50; tries += 1) {
        const items = await today(sam);
        if (items.length > 0) return items;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return [];
    })();
    expect(offered.map((item) => [item.id, item.offeredToTeam])).toEqual([[byPhone.id, true]]);
    const samRings = await ring(sam, byPhone.id);
    expect(samRings.status, JSON.stringify(samRings.body)).toBe(201);
    const rung = followUpAttemptResultSchema.parse(samRings.body.value);
    expect(rung.attempt).toMatchObject({
      adviserId: sam.user.id,
      answered: true,
      dayPart: 'morning',
    });

    // The answered call guided through the follow-up variant of the machine, as the desk does.
    const samDeskId = randomUUID();
    const samOwnDesk = await harness.connectDesk('demo-adviser-2', samDeskId);
    const followUpRecord = guidedFollowUp({
      interactionId: randomUUID(),
      adviserId: sam.user.id,
      deskId: samDeskId,
      callId: rung.attempt.callId,
      bookingId: byPhone.id,
      firstInteractionId: first.id,
      startAt: '2026-12-30T11:05:00.000Z',
      statusAtFirstContact: rung.followUp.agreed?.startingPoint.status ?? null,
      statusNow: 'college',
      change: 'better',
      actions: rung.followUp.agreed?.actions ?? [],
    });
    await deliver(samOwnDesk, 'interaction.completed', followUpRecord);
    samOwnDesk.close();
    expect(await today(sam)).toEqual([]);
    const held = await harness.server.storage.followUpCalls.find(byPhone.id);
    expect(held).toMatchObject({ status: 'completed', completedBy: followUpRecord.id });

    // A team leader opens it from the history: redacted, named as a follow-up, and it replays
    // through the follow-up variant to what the call found.
    const opened = await request(leader, `/api/history/${followUpRecord.id}`);
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const view = historyViewSchema.parse(opened.body.value);
    expect(view.record.machineVariant).toBe('follow_up');
    expect(view.record.followUpOf).toMatchObject({
      bookingId: byPhone.id,
      firstInteractionId: first.id,
      statusAtFirstContact: 'neet',
      statusNow: 'college',
      change: 'better',
      actions: [{ actionId: 'a1', progress: 'done' }],
    });
    const timeline = buildReplayTimeline(view.record);
    if (!timeline.ok) throw new Error(timeline.error.message);
    const last = timeline.value.snapshotAt(timeline.value.moments.length - 1);
    expect(contactPhase(last)).toBe('completed');
    expect(last.context.followUpOf).toEqual(view.record.followUpOf);
  });

  it('refuses a follow-up review on a record that does not say it is a follow-up', async () => {
    const samDeskId = randomUUID();
    const samOwnDesk = await harness.connectDesk('demo-adviser-2', samDeskId);
    const guided = guidedFollowUp({
      interactionId: randomUUID(),
      adviserId: sam.user.id,
      deskId: samDeskId,
      bookingId: byText.id,
    });
    const { machineVariant: _named, ...unnamed } = guided;
    const answer = await samOwnDesk.emitWithAck('outbox:deliver', {
      id: randomUUID(),
      stream: `test:${randomUUID()}`,
      createdAt: new Date(clock).toISOString(),
      kind: 'interaction.completed',
      payload: unnamed as InteractionRecord,
    } as OutboxItem);
    samOwnDesk.close();
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await harness.server.storage.followUpCalls.find(byText.id)).toMatchObject({
      status: 'unreached',
    });
  });
});
