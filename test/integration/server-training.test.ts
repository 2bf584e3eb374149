// The training library over real HTTP, on each engine: a trainer adds a
// recorded call with tags, trainees (advisers) cannot see it until a team
// leader clears it, its recording plays to a trainer only once cleared, marks
// are pinned to moments within the interaction, and every view is redacted.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../../shared/interaction/record';
import {
  trainingEntrySchema,
  trainingListSchema,
  trainingMarkSchema,
  trainingViewSchema,
} from '../../shared/wire/training';
import type { OutboxItem } from '../../shared/wire/outbox';
import { synthesiseRecording } from '../../server/telephony/recording';
import { engines } from '../support/storage';
import { completedRecord } from '../unit/desk-fixtures';
import { startTestServer, type SignedIn, type TestServer } from './server-harness';

const phone = '07700 900456';

describe.each(engines)('training library on %s', (engine) => {
  let harness: TestServer;
  let alex: SignedIn;
  let leader: SignedIn;
  let trainer: SignedIn;
  let call: InteractionRecord;
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
    expect(await desk.emitWithAck('outbox:deliver', item)).toMatchObject({ ok: true });
    desk.close();
  }

  async function request(
    who: SignedIn,
    path: string,
    init: { method?: 'GET' | 'POST' | 'DELETE'; body?: unknown } = {},
  ): Promise<{
    status: number;
    body: {
      ok: boolean;
      value?: unknown;
      error?: { message: string; issues?: { path: string; message: string }[] };
    };
  }> {
    const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
    const response = await fetch(`${harness.server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${who.accessToken}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as never };
  }

  const library = async (who: SignedIn, search = '') => {
    const answer = await request(who, `/api/training${search}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return trainingListSchema.parse(answer.body.value);
  };

  const opened = async (who: SignedIn, id: string) => {
    const answer = await request(who, `/api/training/${id}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return trainingViewSchema.parse(answer.body.value);
  };

  const audioStatus = async (who: SignedIn, path: string) => {
    const response = await fetch(`${harness.server.url}${path}`, {
      headers: { authorization: `Bearer ${who.accessToken}` },
    });
    await response.arrayBuffer();
    return response.status;
  };

  beforeAll(async () => {
    harness = await startTestServer({ engine });
    alex = await harness.signIn('demo-adviser');
    leader = await harness.signIn('demo-leader');
    trainer = await harness.signIn('demo-trainer');
    const callId = randomUUID();
    const { calls } = harness.server.storage;
    await calls.insert({
      id: callId,
      adviserId: alex.user.id,
      cli: '07700900456',
      offeredAt: '2026-11-20T10:00:00.000Z',
      connectedAt: '2026-11-20T10:00:05.000Z',
      endedAt: '2026-11-20T10:15:00.000Z',
      endedBy: 'customer',
    });
    expect(await calls.saveRecording(callId, synthesiseRecording(callId, 2_000))).not.toBeNull();
    const base = completedRecord(randomUUID(), { adviserId: alex.user.id, contactRef: callId });
    call = {
      ...base,
      summary: {
        ...base.summary,
        notes: { barriers: `Worried about money; mum's number is ${phone}.` },
      },
    };
    chat = completedRecord(randomUUID(), {
      adviserId: alex.user.id,
      channel: 'webchat',
      contactRef: randomUUID(),
      completedAt: '2026-11-21T11:00:00.000Z',
    });
    await deliver('demo-adviser', call);
    await deliver('demo-adviser', chat);
  });

  afterAll(async () => {
    await harness.close();
  });

  it('adds an interaction with tags, and keeps it from trainees until a team leader clears it', async () => {
    const added = await request(trainer, `/api/training/${call.id}`, {
      body: {
        title: 'Money worries explored well',
        description: 'Listen for the open questions in the barriers stage.',
        tags: ['Good practice in barriers', 'good practice in barriers', 'voice'],
      },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const entry = trainingEntrySchema.parse(added.body.value);
    expect(entry).toMatchObject({
      status: 'awaiting_clearance',
      tags: ['good practice in barriers', 'voice'],
      addedBy: { id: trainer.user.id },
      decision: null,
      marks: 0,
    });
    expect(entry.interaction.id).toBe(call.id);

    // The trainee sees nothing of it, not even that it waits.
    expect((await library(alex)).entries).toEqual([]);
    expect((await request(alex, `/api/training/${call.id}`)).status).toBe(404);
    expect((await library(trainer)).entries.map((held) => held.interaction.id)).toEqual([call.id]);

    // Before clearance the trainer cannot hear the recording; the team leader can, to check it.
    const beforeTrainer = await opened(trainer, call.id);
    expect(beforeTrainer.view.recording).toBeNull();
    expect(beforeTrainer.mayCurate).toBe(true);
    expect(beforeTrainer.mayClear).toBe(false);
    const beforeLeader = await opened(leader, call.id);
    expect(beforeLeader.view.recording?.path).toBe(`/api/calls/${call.contactRef}/recording`);
    expect(beforeLeader.mayClear).toBe(true);
    expect(await audioStatus(trainer, `/api/training/${call.id}/recording`)).toBe(403);

    // A refusal needs a reason the trainer can act on.
    const bare = await request(leader, `/api/training/${call.id}/clearance`, {
      body: { decision: 'refused' },
    });
    expect(bare.status).toBe(400);
    expect(bare.body.error?.issues?.[0]).toMatchObject({
      path: 'note',
      message: expect.stringMatching(/why/),
    });
    const cleared = await request(leader, `/api/training/${call.id}/clearance`, {
      body: { decision: 'cleared', note: 'Redacted view checked: no names left.' },
    });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(trainingEntrySchema.parse(cleared.body.value)).toMatchObject({
      status: 'cleared',
      decision: { by: { id: leader.user.id }, note: 'Redacted view checked: no names left.' },
    });

    // Now the trainee sees it, redacted, with the recording through the library's route.
    expect((await library(alex)).entries.map((held) => held.interaction.id)).toEqual([call.id]);
    const asTrainee = await opened(alex, call.id);
    expect(asTrainee.view.redacted).toBe(true);
    expect(asTrainee.view.mayRevealOriginal).toBe(false);
    expect(asTrainee.mayCurate).toBe(false);
    expect(JSON.stringify(asTrainee)).not.toContain('900456');
    expect(asTrainee.view.record.summary.notes.barriers).toContain('Worried about money');
    expect(asTrainee.view.recording).toEqual({
      path: `/api/training/${call.id}/recording`,
      durationSeconds: 2,
      startedAt: '2026-11-20T10:00:05.000Z',
    });
    expect(await audioStatus(trainer, `/api/training/${call.id}/recording`)).toBe(200);
    expect(await audioStatus(alex, `/api/training/${call.id}/recording`)).toBe(200);
  });

  it('pins bookmarks and notes to moments within the interaction, in the order of those moments', async () => {
    const at = (minutes: number) =>
      new Date(Date.parse(call.startedAt) + minutes * 60_000).toISOString();
    const late = await request(trainer, `/api/training/${call.id}/marks`, {
      body: { at: at(8), kind: 'note', text: 'The action plan is specific and owned.' },
    });
    expect(late.status, JSON.stringify(late.body)).toBe(201);
    const early = await request(leader, `/api/training/${call.id}/marks`, {
      body: { at: at(2), kind: 'bookmark', text: 'Open question' },
    });
    expect(early.status).toBe(201);
    const outside = await request(trainer, `/api/training/${call.id}/marks`, {
      body: { at: '2020-01-01T00:00:00.000Z', kind: 'bookmark', text: 'Before it began' },
    });
    expect(outside.status).toBe(400);
    // Trainees read marks but do not write them.
    const asTrainee = await request(alex, `/api/training/${call.id}/marks`, {
      body: { at: at(3), kind: 'note', text: 'Mine' },
    });
    expect(asTrainee.status).toBe(403);

    const view = await opened(alex, call.id);
    expect(view.marks.map((mark) => [mark.kind, mark.text, mark.author.id])).toEqual([
      ['bookmark', 'Open question', leader.user.id],
      ['note', 'The action plan is specific and owned.', trainer.user.id],
    ]);
    expect(view.entry.marks).toBe(2);

    const removed = trainingMarkSchema.parse(early.body.value);
    expect(
      (await request(trainer, `/api/training/${call.id}/marks/${removed.id}`, { method: 'DELETE' }))
        .status,
    ).toBe(200);
    expect((await opened(trainer, call.id)).marks.map((mark) => mark.kind)).toEqual(['note']);
  });

  it('lists by tag and status, with the tags of every entry the reader may see', async () => {
    const chatEntry = await request(trainer, `/api/training/${chat.id}`, {
      body: { title: 'A chat that needs work', tags: ['voice-free', 'needs work'] },
    });
    expect(chatEntry.status).toBe(200);
    const all = await library(trainer);
    expect(all.entries.map((entry) => entry.interaction.id)).toEqual([chat.id, call.id]);
    expect(all.tags.map((tag) => tag.tag).sort()).toEqual(
      ['good practice in barriers', 'needs work', 'voice', 'voice-free'].sort(),
    );
    expect((await library(trainer, '?tag=voice')).entries.map((e) => e.interaction.id)).toEqual([
      call.id,
    ]);
    expect(
      (await library(trainer, '?status=awaiting_clearance')).entries.map((e) => e.interaction.id),
    ).toEqual([chat.id]);
    // The trainee's tags are those of cleared entries only.
    expect((await library(alex)).tags.map((tag) => tag.tag).sort()).toEqual([
      'good practice in barriers',
      'voice',
    ]);
    expect((await library(alex, '?status=awaiting_clearance')).entries).toEqual([]);
    expect((await request(trainer, '/api/training?tag=%3Cscript%3E')).status).toBe(400);

    // An edit keeps the decision; removal takes the entry, its tags and marks.
    const edited = await request(trainer, `/api/training/${call.id}`, {
      body: { title: 'Money worries explored very well', tags: ['voice'] },
    });
    expect(trainingEntrySchema.parse(edited.body.value)).toMatchObject({
      status: 'cleared',
      title: 'Money worries explored very well',
      tags: ['voice'],
      addedBy: { id: trainer.user.id },
    });
    expect((await request(trainer, `/api/training/${chat.id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await library(trainer)).entries.map((e) => e.interaction.id)).toEqual([call.id]);
    expect(
      (await request(trainer, `/api/training/${randomUUID()}`, { body: { title: 'Nothing' } }))
        .status,
    ).toBe(404);
  });
});
