// Replay of completed interactions moment by moment: every journal event is a
// moment, each moment's snapshot is what the same machine reached there, and
// journals of every machine version (and of each variant) kept in
// test/fixtures/journals replay to the summary recorded with them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INTERACTION_MACHINE_VERSION,
  contactPhase,
  replay,
  summaryOf,
  toInteractionRecord,
} from '../../shared/interaction/machine';
import { interactionRecordSchema, type JournalEntry } from '../../shared/interaction/record';
import {
  buildReplayTimeline,
  migrateJournal,
  replayableVersions,
} from '../../shared/interaction/replay-timeline';
import { ContactScript } from '../../shared/interaction/script';
import { followUpRecord } from './follow-up-call-script';

const fixtureFolder = join(import.meta.dirname, '../fixtures/journals');
const interactionId = '7c0f5a52-3d6e-4b1a-9f2c-0e8d4b6a1c35';
const bookingId = '2a9e4c1b-5f3d-4e7a-8b6c-1d0f9e8a7b6c';
const concernId = '9b1d3f5a-7c2e-4a6b-8d0f-2e4c6a8b0d1f';
const deskId = '3f2e1d0c-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

/**
 * A web chat as one goes: the young person says hello, the adviser works the
 * stages out of order, types notes (keystrokes collapse in the journal), a
 * safeguarding concern is raised and handled, an article goes in the plan, a
 * follow-up is booked, and the chat is wrapped up and completed.
 */
export function scriptedWebChat(): ContactScript {
  const chat = new ContactScript('2025-03-03T10:00:00.000Z', 20);
  let seq = 0;
  const line = (from: 'customer' | 'adviser', text: string) => ({
    type: 'CHAT_MESSAGE' as const,
    line: { seq: (seq += 1), from, text, at: chat.now },
  });
  chat.send({ type: 'OFFERED', interactionId, channel: 'webchat', contactRef: 'chat-42' });
  chat.wait(40).send({ type: 'ANSWER' });
  chat.send(line('adviser', 'Hi, I am Alex from the careers helpline. How can I help?'));
  chat.send(line('customer', 'hi im jess, im 16 and i dont know what to do after gcses'));
  chat.send({ type: 'UPDATE_CALLER', callerType: 'young_person', age: 16, withinRemit: true });
  for (const typed of ['Jess', 'Jess is 16', 'Jess is 16, in year 11']) {
    chat.send({ type: 'NOTE', stage: 'callerEligibility', text: typed });
  }
  chat.send({ type: 'GO_TO_STAGE', stage: 'startingPoint' });
  chat.send({ type: 'UPDATE_STARTING_POINT', status: 'school', schoolYear: 11 });
  chat.send(line('customer', 'i like fixing things, maybe cars?'));
  chat.send({ type: 'UPDATE_STARTING_POINT', goals: 'Likes fixing things; maybe motor vehicles' });
  chat.send({ type: 'GO_TO_STAGE', stage: 'barriers' });
  chat.send(line('customer', 'my step dad says im useless and it gets bad at home'));
  chat.send({
    type: 'RAISE_CONCERN',
    concernId,
    category: 'abuse_neglect',
    whatWasSaid: 'Says step-dad calls her useless and it gets bad at home',
    immediateRisk: false,
  });
  chat.send({ type: 'ESCALATE_CONCERN', concernId, escalatedTo: 'Taylor Leader (team leader)' });
  chat.send({
    type: 'RECORD_SAFEGUARDING_ACTION',
    concernId,
    action: 'Talked through who she can speak to at school; gave Childline 0800 1111',
    referral: null,
  });
  chat.send({
    type: 'RESOLVE_CONCERN',
    concernId,
    outcome: 'Safe for now; school DSL to follow up',
  });
  chat.send({ type: 'IDENTIFY_BARRIER', kind: 'confidence_wellbeing' });
  chat.send({ type: 'UPDATE_BARRIER', kind: 'confidence_wellbeing', agreed: 'Speak to the DSL' });
  chat.send({ type: 'GO_TO_STAGE', stage: 'skillsCheck' });
  chat.send({ type: 'MARK_NOT_COVERED', stage: 'skillsCheck', reason: 'Ran out of time' });
  chat.send({ type: 'GO_TO_STAGE', stage: 'nextSteps' });
  chat.send({ type: 'UPDATE_MAIN_POINTS', text: 'Motor vehicle courses at college, level 2' });
  chat.send({
    type: 'ADD_ACTION',
    action: { id: 'a1', description: 'Look at the college open day', owner: 'customer', due: null },
  });
  chat.send({ type: 'POINT_TO_ARTICLE', articleId: 'apprenticeships-explained' });
  chat.send(line('adviser', 'I have added an article about apprenticeships to your plan.'));
  chat.send({ type: 'GO_TO_STAGE', stage: 'followUp' });
  chat.send({
    type: 'BOOK_FOLLOW_UP',
    bookingId,
    slotStart: '2025-05-27T09:30:00.000Z',
    contactMethod: 'text',
    contactAddress: '07700 900456',
    consentRecorded: true,
  });
  chat.send({ type: 'GO_TO_STAGE', stage: 'transcript' });
  chat.send({
    type: 'CHOOSE_TRANSCRIPT',
    decision: 'send',
    via: 'email',
    address: 'jess@example.org',
  });
  chat.send({ type: 'GO_TO_STAGE', stage: 'serviceQuestions' });
  chat.send({ type: 'SKIP_SERVICE_QUESTIONS', reason: 'Young person had to go' });
  chat.send(line('customer', 'thanks bye'));
  chat.send({ type: 'CUSTOMER_DISCONNECTED', by: 'customer' });
  chat.send({
    type: 'CHOOSE_OUTCOME_CODE',
    code: { id: 'guidance_given', label: 'Guidance given' },
  });
  chat.wait(90).send({ type: 'COMPLETE' });
  return chat;
}

function scriptedRecord() {
  const chat = scriptedWebChat();
  const built = toInteractionRecord(chat.snapshot, {
    adviserId: 'demo-adviser',
    deskId,
    journal: chat.journal,
  });
  if (!built.ok) throw new Error(built.error.message);
  return built.value.record;
}

function timelineOf(record: { machineVersion: number; journal: readonly JournalEntry[] }) {
  const built = buildReplayTimeline(record);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

describe('the replay timeline', () => {
  it('has one moment per journal event, with offsets from the offer and kind markers', () => {
    const record = scriptedRecord();
    expect(contactPhase(replay(record.journal))).toBe('completed');
    const timeline = timelineOf(record);
    expect(timeline.moments).toHaveLength(record.journal.length);
    expect(timeline.moments.map((moment) => moment.index)).toEqual(
      record.journal.map((_, index) => index),
    );
    expect(timeline.moments[0]).toMatchObject({ offsetMs: 0, kind: 'call', label: 'Chat offered' });
    expect(timeline.moments[1]).toMatchObject({ offsetMs: 60_000, label: 'Answered' });
    expect(timeline.durationMs).toBe(Date.parse(record.completedAt) - Date.parse(record.startedAt));
    const kinds = new Set(timeline.moments.map((moment) => moment.kind));
    for (const kind of [
      'call',
      'stage',
      'safeguarding',
      'followUp',
      'knowledge',
      'chat',
      'notes',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    expect(timeline.moments.filter((moment) => moment.kind === 'chat')).toHaveLength(6);
    expect(timeline.moments.find((moment) => moment.kind === 'stage')?.label).toBe(
      'Went to Starting point',
    );
  });

  it('gives, at every moment, exactly the snapshot replaying the journal up to it gives', () => {
    const record = scriptedRecord();
    const timeline = timelineOf(record);
    // Asked out of order, as a jump back and forth does.
    const order = [...record.journal.keys()].reverse();
    for (const index of order) {
      const expected = replay(record.journal.slice(0, index + 1));
      expect(timeline.snapshotAt(index).context, `moment ${index}`).toEqual(expected.context);
      expect(timeline.snapshotAt(index).value).toEqual(expected.value);
    }
  });

  it('shows notes as they stood, and chat messages only once they had arrived', () => {
    const record = scriptedRecord();
    const timeline = timelineOf(record);
    const noteMoment = timeline.moments.find((moment) => moment.kind === 'notes');
    expect(noteMoment).toBeDefined();
    const before = timeline.snapshotAt((noteMoment?.index ?? 1) - 1).context;
    const at = timeline.snapshotAt(noteMoment?.index ?? 0).context;
    expect(before.notes.callerEligibility).toBeUndefined();
    // Keystrokes collapse in the journal: the note stands as last typed in that run.
    expect(at.notes.callerEligibility).toBe('Jess is 16, in year 11');

    const chatMoments = timeline.moments.filter((moment) => moment.kind === 'chat');
    chatMoments.forEach((moment, position) => {
      expect(timeline.snapshotAt(moment.index).context.chat).toHaveLength(position + 1);
      expect(timeline.snapshotAt(moment.index - 1).context.chat).toHaveLength(position);
    });
  });

  it('finds the moment in force at any offset, and clamps out-of-range moments', () => {
    const timeline = timelineOf(scriptedRecord());
    expect(timeline.indexAtOffset(-5)).toBe(0);
    expect(timeline.indexAtOffset(59_999)).toBe(0);
    expect(timeline.indexAtOffset(60_000)).toBe(1);
    expect(timeline.indexAtOffset(60_001)).toBe(1);
    expect(timeline.indexAtOffset(Number.MAX_SAFE_INTEGER)).toBe(timeline.moments.length - 1);
    for (const moment of timeline.moments) {
      // Moments at the same instant: the offset lands on the last of them.
      const landed = timeline.indexAtOffset(moment.offsetMs);
      expect(timeline.moments[landed]?.offsetMs).toBe(moment.offsetMs);
      expect(landed).toBeGreaterThanOrEqual(moment.index);
    }
    expect(timeline.snapshotAt(10_000).context.outcome).toBe('completed');
    expect(timeline.snapshotAt(-3).context.interactionId).toBe(interactionId);
  });

  // How fast is the history benchmark's business (npm run bench -- --only history).
  it('replays a one-hour interaction of 1,800 events to the same end state as the live machine', () => {
    // An hour-long call with an event every two seconds: 1,800 events.
    const call = new ContactScript('2025-03-03T09:00:00.000Z', 2);
    call.send(
      { type: 'OFFERED', interactionId, channel: 'voice', contactRef: 'call-9' },
      { type: 'ANSWER' },
    );
    const stages = ['startingPoint', 'barriers', 'nextSteps', 'callerEligibility'] as const;
    for (let minute = 0; minute < 60; minute += 1) {
      const stage = stages[minute % stages.length] ?? 'barriers';
      call.send({ type: 'GO_TO_STAGE', stage });
      for (let step = 0; step < 14; step += 1) {
        call.send({ type: 'NOTE', stage, text: `minute ${minute}` });
        call.send({ type: 'UPDATE_CALLER', age: 14 + (step % 4) });
      }
      call.send({ type: 'HOLD' }, { type: 'RESUME' });
    }
    const record = { machineVersion: INTERACTION_MACHINE_VERSION, journal: call.journal };
    expect(call.journal.length).toBeGreaterThan(1_700);
    const timeline = timelineOf(record);
    expect(timeline.snapshotAt(0).context.interactionId).toBe(interactionId);
    for (const moment of timeline.moments) timeline.snapshotAt(moment.index);
    expect(timeline.snapshotAt(timeline.moments.length - 1).context).toEqual(
      replay(call.journal).context,
    );
  });

  it('refuses a machine version it does not know, saying which it replays', () => {
    const record = scriptedRecord();
    const newer = buildReplayTimeline({
      ...record,
      machineVersion: INTERACTION_MACHINE_VERSION + 1,
    });
    expect(newer.ok).toBe(false);
    if (!newer.ok) {
      expect(newer.error.code).toBe('invalid_input');
      expect(newer.error.message).toContain(
        `version ${INTERACTION_MACHINE_VERSION + 1} of the interaction machine`,
      );
      expect(newer.error.message).toMatch(/update this desk/);
    }
    expect(replayableVersions()).toContain(INTERACTION_MACHINE_VERSION);
  });

  it('refuses a journal whose event it cannot parse, and an empty journal', () => {
    const record = scriptedRecord();
    const broken = [...record.journal];
    broken[3] = { at: broken[3]?.at ?? record.startedAt, event: { type: 'TELEPORT' } };
    const answer = migrateJournal(record.machineVersion, broken);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.message).toMatch(/^Event 4 of the journal \(TELEPORT\)/);
    expect(buildReplayTimeline({ machineVersion: 1, journal: [] }).ok).toBe(false);
  });
});

/** A fixture's name: its version, and the variant after it unless it is guidance. */
const fixtureName = (record: { machineVersion: number; machineVariant?: string | undefined }) =>
  `v${record.machineVersion}${record.machineVariant === 'follow_up' ? '-follow-up' : ''}.json`;

/** The follow-up variant has existed since this version. */
const firstFollowUpVersion = 1;

describe('journals of every machine version', () => {
  const files = readdirSync(fixtureFolder).filter((name) => name.endsWith('.json'));
  const versionsOf = (pattern: RegExp) =>
    files
      .map((name) => pattern.exec(name)?.[1])
      .filter((version) => version !== undefined)
      .map(Number)
      .sort((a, b) => a - b);

  it('keeps one fixture per version and variant, today’s included', () => {
    expect(files.every((name) => /^v\d+(-follow-up)?\.json$/.test(name))).toBe(true);
    expect(versionsOf(/^v(\d+)\.json$/)).toEqual(
      Array.from({ length: INTERACTION_MACHINE_VERSION }, (_, index) => index + 1),
    );
    expect(versionsOf(/^v(\d+)-follow-up\.json$/)).toEqual(
      Array.from(
        { length: INTERACTION_MACHINE_VERSION - firstFollowUpVersion + 1 },
        (_, index) => index + firstFollowUpVersion,
      ),
    );
  });

  it.each(files)('%s replays to the summary stored with it', (name) => {
    const record = interactionRecordSchema.parse(
      JSON.parse(readFileSync(join(fixtureFolder, name), 'utf8')),
    );
    expect(name).toBe(fixtureName(record));
    const timeline = timelineOf(record);
    const final = timeline.snapshotAt(timeline.moments.length - 1);
    expect(contactPhase(final)).toBe('completed');
    expect(summaryOf(final.context)).toEqual(record.summary);
    // A follow-up's review is what its replay found, too.
    expect(final.context.followUpOf ?? undefined).toEqual(record.followUpOf);
  });

  it.each([
    ['guidance', scriptedRecord],
    ['follow-up', () => followUpRecord()],
  ] as const)('today’s %s fixture is what the scripted interaction records today', (_, make) => {
    const record = make();
    const path = join(fixtureFolder, fixtureName(record));
    expect(record.machineVersion).toBe(INTERACTION_MACHINE_VERSION);
    // Writing a new version's fixture: WRITE_JOURNAL_FIXTURE=1 with this test, once, after the bump.
    if (process.env.WRITE_JOURNAL_FIXTURE === '1') {
      writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
    }
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(JSON.parse(JSON.stringify(record)));
  });
});
