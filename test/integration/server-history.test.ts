// The interaction history over real HTTP, on each engine: records delivered
// by a desk's outbox are listed by role (advisers their own, team leaders and
// trainers everyone's), opened with personal data hidden, revealed only to a
// role allowed it and only with a reason, which the audit then shows.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../../shared/interaction/record';
import {
  earlierInteractionsSchema,
  historyPageSchema,
  type EarlierInteractions,
  historyViewSchema,
  personalDataViewListSchema,
} from '../../shared/wire/history';
import type { OutboxItem } from '../../shared/wire/outbox';
import { synthesiseRecording } from '../../server/telephony/recording';
import { engines } from '../support/storage';
import { completedRecord } from '../unit/desk-fixtures';
import { startTestServer, type SignedIn, type TestServer } from './server-harness';

const phone = '07700 900123';
const email = 'pat.jones@example.org';

describe.each(engines)('interaction history on %s', (engine) => {
  let harness: TestServer;
  let alex: SignedIn;
  let sam: SignedIn;
  let leader: SignedIn;
  let trainer: SignedIn;
  /** Alex's voice call, with a recording and personal data in its notes and transcript choice. */
  let call: InteractionRecord;
  /** Sam's web chat. */
  let chat: InteractionRecord;

  async function deliver(username: string, record: InteractionRecord): Promise<void> {
    const desk = await harness.connectDesk(username, record.deskId);
    const item: OutboxItem = {
      id: randomUUID(),
      stream: `interaction:${record.id}`,
      createdAt: new Date().toISOString(),
      kind: 'interaction.completed',
      payload: record,
    };
    expect(await desk.emitWithAck('outbox:deliver', item)).toEqual({
      ok: true,
      value: { id: item.id, status: 'applied' },
    });
    desk.close();
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
        authorization: `Bearer ${who.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  const listed = async (who: SignedIn, search = '') => {
    const answer = await request(who, `/api/history${search}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return historyPageSchema.parse(answer.body.value).rows.map((row) => row.id);
  };

  const opened = async (who: SignedIn, id: string) => {
    const answer = await request(who, `/api/history/${id}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return historyViewSchema.parse(answer.body.value);
  };

  const audit = async () => {
    const answer = await request(leader, '/api/audit/personal-data');
    expect(answer.status).toBe(200);
    return personalDataViewListSchema.parse(answer.body.value).items;
  };

  beforeAll(async () => {
    // The indexer looks often, so a delivered record is searchable within the test's patience.
    harness = await startTestServer({ engine, history: { idleMs: 50 } });
    alex = await harness.signIn('demo-adviser');
    sam = await harness.signIn('demo-adviser-2');
    leader = await harness.signIn('demo-leader');
    trainer = await harness.signIn('demo-trainer');
    // The telephony side's call, answered by Alex and kept as a three-second recording.
    const callId = randomUUID();
    const { calls } = harness.server.storage;
    await calls.insert({
      id: callId,
      adviserId: alex.user.id,
      cli: '07700900123',
      offeredAt: '2026-11-20T10:00:00.000Z',
      connectedAt: '2026-11-20T10:00:05.000Z',
      endedAt: '2026-11-20T10:15:00.000Z',
      endedBy: 'customer',
    });
    expect(await calls.saveRecording(callId, synthesiseRecording(callId, 3_000))).not.toBeNull();

    const base = completedRecord(randomUUID(), { adviserId: alex.user.id, contactRef: callId });
    call = {
      ...base,
      summary: {
        ...base.summary,
        notes: {
          followUp: `Mum asked us to ring her on ${phone} after school, about electrician courses.`,
        },
        transcript: { decision: 'send', via: 'email', address: email },
      },
    };
    chat = completedRecord(randomUUID(), {
      adviserId: sam.user.id,
      channel: 'webchat',
      contactRef: randomUUID(),
      completedAt: '2026-11-20T11:00:00.000Z',
    });
    await deliver('demo-adviser', call);
    await deliver('demo-adviser-2', chat);
  });

  afterAll(async () => {
    await harness.close();
  });

  describe('GET /api/history', () => {
    it('lists an adviser’s own, and everyone’s for team leaders and trainers', async () => {
      expect(await listed(alex)).toEqual([call.id]);
      expect(await listed(sam)).toEqual([chat.id]);
      expect(await listed(leader)).toEqual([chat.id, call.id]);
      expect(await listed(trainer)).toEqual([chat.id, call.id]);
      expect(await listed(trainer, `?adviserId=${sam.user.id}`)).toEqual([chat.id]);
      expect(await listed(leader, '?channel=voice&transcriptSent=true')).toEqual([call.id]);
    });

    it('refuses an adviser another adviser’s interactions, and a query it cannot read', async () => {
      const other = await request(alex, `/api/history?adviserId=${sam.user.id}`);
      expect(other.status).toBe(403);
      const cursor = await request(leader, '/api/history?cursor=bm90LWEtY3Vyc29y');
      expect(cursor.status).toBe(400);
      expect(cursor.body.error?.message).toMatch(/cursor/);
      expect((await request(leader, '/api/history?safeguarding=maybe')).status).toBe(400);
      expect((await request(leader, '/api/history?limit=1000')).status).toBe(400);
    });

    it('searches redacted text only: the words are found, the phone number is not', async () => {
      // Indexed behind the ingest: found once the history indexer has been by.
      for (let tries = 0; tries < 100; tries += 1) {
        if ((await listed(trainer, '?text=electrician')).length > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await listed(trainer, '?text=electrician')).toEqual([call.id]);
      expect(await listed(trainer, `?text=${encodeURIComponent(phone)}`)).toEqual([]);
      const answer = await request(trainer, '/api/history?text=electrician');
      const page = historyPageSchema.parse(answer.body.value);
      expect(page.rows[0]?.snippet).toMatch(/electrician/);
      expect(JSON.stringify(answer.body)).not.toContain('900123');
    });
  });

  describe('GET /api/history/:id', () => {
    it('opens an interaction with its personal data hidden, whoever reads it', async () => {
      for (const reader of [trainer, leader, alex]) {
        const view = await opened(reader, call.id);
        expect(view.redacted).toBe(true);
        expect(view.adviserName).toBe('Alex Adviser');
        expect(view.record.id).toBe(call.id);
        const text = JSON.stringify(view);
        expect(text).not.toContain('900123');
        expect(text).not.toContain(email);
        expect(view.record.summary.notes.followUp).toContain('electrician');
      }
    });

    it('says who may ask for the original, and gives the recording to those who may hear it', async () => {
      const asTrainer = await opened(trainer, call.id);
      expect(asTrainer.mayRevealOriginal).toBe(false);
      expect(asTrainer.recording).toBeNull();

      const asLeader = await opened(leader, call.id);
      expect(asLeader.mayRevealOriginal).toBe(true);
      expect(asLeader.recording).toEqual({
        path: `/api/calls/${call.contactRef}/recording`,
        durationSeconds: 3,
        startedAt: '2026-11-20T10:00:05.000Z',
      });
      const audio = await fetch(`${harness.server.url}${asLeader.recording?.path ?? ''}`, {
        headers: { authorization: `Bearer ${leader.accessToken}` },
      });
      expect(audio.status).toBe(200);
      expect(audio.headers.get('content-type')).toBe('audio/wav');

      expect((await opened(alex, call.id)).mayRevealOriginal).toBe(true);
      // A web chat has no recording.
      expect((await opened(sam, chat.id)).recording).toBeNull();
    });

    it('refuses another adviser’s interaction and answers not found for an unknown one', async () => {
      expect((await request(sam, `/api/history/${call.id}`)).status).toBe(403);
      expect((await request(leader, `/api/history/${randomUUID()}`)).status).toBe(404);
      expect((await request(leader, '/api/history/not-an-id')).status).toBe(400);
    });
  });

  describe('POST /api/history/:id/original', () => {
    it('refuses without a reason, and records nothing', async () => {
      const before = await audit();
      for (const body of [{}, { reason: '' }, { reason: 'because' }]) {
        const answer = await request(leader, `/api/history/${call.id}/original`, body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.error?.code).toBe('invalid_input');
      }
      expect(await audit()).toEqual(before);
    });

    it('never shows a trainer the original, nor an adviser someone else’s', async () => {
      const reason = { reason: 'Preparing a training session on follow-ups' };
      const before = await audit();
      expect((await request(trainer, `/api/history/${call.id}/original`, reason)).status).toBe(403);
      expect((await request(sam, `/api/history/${call.id}/original`, reason)).status).toBe(403);
      expect(await audit()).toEqual(before);
    });

    it('shows a team leader the original once the reason is recorded, and the audit lists it', async () => {
      const reason = 'Complaint from the parent about the follow-up call';
      const answer = await request(leader, `/api/history/${call.id}/original`, { reason });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const view = historyViewSchema.parse(answer.body.value);
      expect(view.redacted).toBe(false);
      expect(view.record).toEqual(call);
      expect(view.record.summary.notes.followUp).toContain(phone);

      const [latest] = await audit();
      expect(latest).toEqual({
        id: expect.any(String),
        interactionId: call.id,
        viewerId: leader.user.id,
        viewerName: 'Taylor Leader',
        reason,
        viewedAt: expect.any(String),
      });
    });

    it('lets an adviser see their own original, recorded all the same', async () => {
      const reason = 'Calling the parent back on the number they gave';
      const answer = await request(alex, `/api/history/${call.id}/original`, { reason });
      expect(answer.status).toBe(200);
      expect(historyViewSchema.parse(answer.body.value).redacted).toBe(false);
      expect((await audit())[0]).toMatchObject({ viewerId: alex.user.id, reason });
    });
  });

  describe('GET /api/calls/:callId/earlier', () => {
    /** A call from `cli` to `adviser`, and (when `delivered`) its completed interaction. */
    async function heldCall(
      adviser: SignedIn,
      username: string,
      cli: string | null,
      completedAt: string,
      delivered = true,
    ): Promise<{ callId: string; record: InteractionRecord }> {
      const callId = randomUUID();
      await harness.server.storage.calls.insert({
        id: callId,
        adviserId: adviser.user.id,
        cli,
        offeredAt: completedAt,
        connectedAt: completedAt,
        endedAt: completedAt,
        endedBy: 'customer',
      });
      const base = completedRecord(randomUUID(), {
        adviserId: adviser.user.id,
        contactRef: callId,
        completedAt,
      });
      const record: InteractionRecord = {
        ...base,
        summary: {
          ...base.summary,
          nextSteps: {
            ...base.summary.nextSteps,
            mainPoints: `Plumbing at college; ring Jo on ${phone}.`,
          },
        },
      };
      if (delivered) await deliver(username, record);
      return { callId, record };
    }

    const earlier = async (who: SignedIn, callId: string) => {
      const answer = await request(who, `/api/calls/${callId}/earlier`);
      return { status: answer.status, value: answer.body.value as EarlierInteractions };
    };

    it('shows the adviser taking a call that caller’s earlier interactions, whoever took them, redacted', async () => {
      // The same line in three written forms, taken by two advisers; another caller's call too.
      const first = await heldCall(
        alex,
        'demo-adviser',
        '07700 900777',
        '2026-10-01T09:00:00.000Z',
      );
      const second = await heldCall(
        sam,
        'demo-adviser-2',
        '+447700900777',
        '2026-10-20T09:00:00.000Z',
      );
      await heldCall(sam, 'demo-adviser-2', '07700900888', '2026-10-21T09:00:00.000Z');
      const now = await heldCall(
        alex,
        'demo-adviser',
        '00447700900777',
        '2026-11-25T09:00:00.000Z',
        false,
      );

      const asAlex = await earlier(alex, now.callId);
      expect(asAlex.status).toBe(200);
      const parsed = earlierInteractionsSchema.parse(asAlex.value);
      expect(parsed.identified).toBe(true);
      expect(parsed.items.map((item) => [item.id, item.adviserName])).toEqual([
        [second.record.id, 'Sam Adviser'],
        [first.record.id, 'Alex Adviser'],
      ]);
      expect(parsed.items[0]?.mainPoints).toContain('Plumbing at college');
      expect(JSON.stringify(parsed)).not.toContain('900123');
      expect((await earlier(leader, now.callId)).status).toBe(200);

      // Not the adviser's call: refused; trainers never; a withheld number matches nothing.
      expect((await earlier(sam, now.callId)).status).toBe(403);
      expect((await earlier(trainer, now.callId)).status).toBe(403);
      const withheld = await heldCall(
        alex,
        'demo-adviser',
        null,
        '2026-11-26T09:00:00.000Z',
        false,
      );
      expect((await earlier(alex, withheld.callId)).value).toEqual({
        identified: false,
        items: [],
      });
      expect((await earlier(alex, randomUUID())).status).toBe(404);
    });
  });

  describe('GET /api/chats/:chatId/earlier', () => {
    /** A chat from the device whose key hashes to `deviceKeyHash`, answered by `adviser`, and (when `delivered`) its interaction. */
    async function heldChat(
      adviser: SignedIn,
      username: string,
      deviceKeyHash: string | null,
      completedAt: string,
      delivered = true,
    ): Promise<{ chatId: string; record: InteractionRecord }> {
      const chatId = randomUUID();
      const { chats } = harness.server.storage;
      await chats.create({
        id: chatId,
        resumeTokenHash: randomUUID(),
        customerName: 'Jade',
        age: 15,
        deviceKeyHash,
        queuedAt: completedAt,
        positionAtJoin: 1,
      });
      expect(await chats.markAnswered(chatId, adviser.user.id, completedAt, 1_000)).toBe(true);
      const base = completedRecord(randomUUID(), {
        channel: 'webchat',
        adviserId: adviser.user.id,
        contactRef: chatId,
        completedAt,
      });
      const record: InteractionRecord = {
        ...base,
        summary: {
          ...base.summary,
          // No cue says "jade" is a name: only the chat's own name hides it.
          nextSteps: { ...base.summary.nextSteps, mainPoints: 'jade said her mum works nights' },
        },
      };
      if (delivered) await deliver(username, record);
      return { chatId, record };
    }

    const earlier = async (who: SignedIn, chatId: string) => {
      const answer = await request(who, `/api/chats/${chatId}/earlier`);
      return { status: answer.status, value: answer.body.value as EarlierInteractions };
    };

    it('shows the adviser taking a chat the earlier chats from the same remembered device, redacted with the chat’s own name', async () => {
      const device = `device-${randomUUID()}`;
      const first = await heldChat(alex, 'demo-adviser', device, '2026-10-02T09:00:00.000Z');
      const second = await heldChat(sam, 'demo-adviser-2', device, '2026-10-22T09:00:00.000Z');
      // Another device, and a chat from a device nobody asked to remember.
      await heldChat(sam, 'demo-adviser-2', `device-${randomUUID()}`, '2026-10-23T09:00:00.000Z');
      await heldChat(sam, 'demo-adviser-2', null, '2026-10-24T09:00:00.000Z');
      const now = await heldChat(alex, 'demo-adviser', device, '2026-11-27T09:00:00.000Z', false);

      const asAlex = await earlier(alex, now.chatId);
      expect(asAlex.status).toBe(200);
      const parsed = earlierInteractionsSchema.parse(asAlex.value);
      expect(parsed.identified).toBe(true);
      expect(parsed.items.map((item) => [item.id, item.channel, item.adviserName])).toEqual([
        [second.record.id, 'webchat', 'Sam Adviser'],
        [first.record.id, 'webchat', 'Alex Adviser'],
      ]);
      expect(parsed.items[0]?.mainPoints).toBe('[NAME 1] said her mum works nights');
      expect((await earlier(leader, now.chatId)).status).toBe(200);
      expect((await earlier(sam, now.chatId)).status).toBe(403);
      expect((await earlier(trainer, now.chatId)).status).toBe(403);

      const forgotten = await heldChat(
        alex,
        'demo-adviser',
        null,
        '2026-11-28T09:00:00.000Z',
        false,
      );
      expect((await earlier(alex, forgotten.chatId)).value).toEqual({
        identified: false,
        items: [],
      });
      expect((await earlier(alex, randomUUID())).status).toBe(404);

      // The opened chat is redacted with the chat's name too.
      const view = await opened(trainer, second.record.id);
      expect(view.record.summary.nextSteps.mainPoints).toBe('[NAME 1] said her mum works nights');
    });
  });

  describe('GET /api/audit/personal-data', () => {
    it('is for team leaders only', async () => {
      for (const reader of [alex, trainer]) {
        expect((await request(reader, '/api/audit/personal-data')).status).toBe(403);
      }
      expect((await request(leader, '/api/audit/personal-data?limit=1')).status).toBe(200);
    });
  });
});
