// Wrap-up outcome codes in the machine and the record: a code is required
// before Complete (in both variants), is kept with the label the adviser read,
// records and journals from before outcome codes still parse and replay, and
// the operator's list is checked with a message that says what is wrong.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contactPhase,
  missingForCompletion,
  replay,
  summaryOf,
  toInteractionRecord,
} from '../../shared/interaction/machine';
import { defaultOutcomeCodes, outcomeCodeListSchema } from '../../shared/interaction/outcome-codes';
import { interactionRecordSchema } from '../../shared/interaction/record';
import { buildReplayTimeline, migrateJournal } from '../../shared/interaction/replay-timeline';
import { ContactScript } from '../../shared/interaction/script';
import {
  checkOutcomeCodes,
  OutcomeCodeSettingError,
  readOutcomeCodesFile,
} from '../../server/wrap-up/outcome-codes';
import { startServer } from '../../server/app';
import { tempDataDir } from './desk-fixtures';
import { scriptedFollowUpCall } from './follow-up-call-script';

const interactionId = '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const deskId = '3f2e1d0c-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const fixtureFolder = join(import.meta.dirname, '../fixtures/journals');
const wrongNumber = { id: 'wrong_number_silent', label: 'Wrong number or silent' };

/** A silent call: answered, nothing said, every stage marked not covered, ended. */
function silentCallInWrapUp(): ContactScript {
  const call = new ContactScript('2026-03-02T11:00:00.000Z').send(
    { type: 'OFFERED', interactionId, channel: 'voice', contactRef: 'call-silent' },
    { type: 'ANSWER' },
  );
  for (const item of missingForCompletion(call.snapshot)) {
    if (item.area === 'call' || item.area === 'safeguarding' || item.area === 'outcome') continue;
    call.send({ type: 'MARK_NOT_COVERED', stage: item.area, reason: 'Silent call' });
  }
  return call.send({ type: 'END_CALL' });
}

describe('an outcome code at wrap-up', () => {
  it('is required before Complete, and the missing list says so', () => {
    const call = silentCallInWrapUp();
    expect(missingForCompletion(call.snapshot)).toEqual([
      { area: 'outcome', message: 'Wrap-up: choose an outcome code' },
    ]);
    call.send({ type: 'COMPLETE' });
    expect(contactPhase(call.snapshot)).toBe('wrapUp');

    call.send({ type: 'CHOOSE_OUTCOME_CODE', code: wrongNumber }, { type: 'COMPLETE' });
    expect(contactPhase(call.snapshot)).toBe('completed');
  });

  it('is asked of a follow-up call too', () => {
    const call = scriptedFollowUpCall();
    // The script chooses a code just before it completes; without it the call stays in wrap-up.
    const withoutCode = call.journal.filter((entry) => entry.event.type !== 'CHOOSE_OUTCOME_CODE');
    const replayed = replay(withoutCode, 'follow_up');
    expect(contactPhase(replayed)).toBe('wrapUp');
    expect(missingForCompletion(replayed).map((item) => item.area)).toEqual(['outcome']);
    expect(contactPhase(call.snapshot)).toBe('completed');
  });

  it('is chosen at wrap-up, not while the call is live', () => {
    const call = new ContactScript('2026-03-02T11:00:00.000Z').send(
      { type: 'OFFERED', interactionId, channel: 'voice', contactRef: 'call-live' },
      { type: 'ANSWER' },
      { type: 'CHOOSE_OUTCOME_CODE', code: wrongNumber },
    );
    expect(call.snapshot.context.outcomeCode).toBeUndefined();
  });

  it('keeps the id and the label as the adviser read it; the last choice stands', () => {
    const call = silentCallInWrapUp().send(
      {
        type: 'CHOOSE_OUTCOME_CODE',
        code: { id: 'caller_ended_early', label: 'Caller ended early' },
      },
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'wrong_number_silent', label: 'Silent call' } },
    );
    const choiceAt = call.journal.at(-1)?.at;
    call.send({ type: 'COMPLETE' });
    const built = toInteractionRecord(call.snapshot, {
      adviserId: 'demo-adviser',
      deskId,
      journal: call.journal,
    });
    if (!built.ok) throw new Error(built.error.message);
    const { record } = built.value;
    expect(record.summary.outcomeCode).toEqual({
      id: 'wrong_number_silent',
      label: 'Silent call',
      at: choiceAt,
    });
    // A later rename of the code is not in the journal: replay gives the label of the day.
    const parsed = interactionRecordSchema.parse(JSON.parse(JSON.stringify(record)));
    const timeline = buildReplayTimeline(parsed);
    if (!timeline.ok) throw new Error(timeline.error.message);
    const final = timeline.value.snapshotAt(timeline.value.moments.length - 1);
    expect(summaryOf(final.context).outcomeCode?.label).toBe('Silent call');
    expect(timeline.value.moments.map((moment) => moment.label)).toContain(
      'Outcome code: Silent call',
    );
  });
});

describe('records and journals from before outcome codes', () => {
  const v1 = interactionRecordSchema.parse(
    JSON.parse(readFileSync(join(fixtureFolder, 'v1.json'), 'utf8')),
  );

  it('parse without an outcome code', () => {
    expect(v1.machineVersion).toBe(1);
    expect(v1.summary.outcomeCode).toBeUndefined();
    expect('outcomeCode' in v1.summary).toBe(false);
  });

  it('replay to completed: their COMPLETE is marked as made before codes, and no code is invented', () => {
    const events = migrateJournal(1, v1.journal);
    if (!events.ok) throw new Error(events.error.message);
    expect(events.value.filter((event) => event.type === 'COMPLETE')).toEqual([
      expect.objectContaining({ type: 'COMPLETE', recordedBeforeOutcomeCodes: true }),
    ]);
    expect(events.value.some((event) => event.type === 'CHOOSE_OUTCOME_CODE')).toBe(false);
    const timeline = buildReplayTimeline(v1);
    if (!timeline.ok) throw new Error(timeline.error.message);
    const final = timeline.value.snapshotAt(timeline.value.moments.length - 1);
    expect(contactPhase(final)).toBe('completed');
    expect(summaryOf(final.context)).toEqual(v1.summary);
  });

  it('let only the missing code pass: a version-1 journal with another gap still does not complete', () => {
    const call = new ContactScript('2026-03-02T11:00:00.000Z').send(
      { type: 'OFFERED', interactionId, channel: 'voice', contactRef: 'call-v1' },
      { type: 'ANSWER' },
      { type: 'END_CALL' },
    );
    const journal = [
      ...call.journal,
      {
        at: '2026-03-02T11:05:00.000Z',
        event: { type: 'COMPLETE', at: '2026-03-02T11:05:00.000Z' },
      },
    ];
    const timeline = buildReplayTimeline({ machineVersion: 1, journal });
    if (!timeline.ok) throw new Error(timeline.error.message);
    const final = timeline.value.snapshotAt(timeline.value.moments.length - 1);
    expect(contactPhase(final)).toBe('wrapUp');
  });
});

describe('the operator’s list of outcome codes', () => {
  it('accepts the built-in list, which suits a careers helpline', () => {
    expect(outcomeCodeListSchema.safeParse(defaultOutcomeCodes).success).toBe(true);
    expect(defaultOutcomeCodes.length).toBeGreaterThanOrEqual(6);
    expect(checkOutcomeCodes(undefined)).toBe(defaultOutcomeCodes);
  });

  it.each([
    [[], /at least one outcome code/],
    [[{ id: 'Guidance Given', label: 'Guidance given' }], /lower-case.*\(at 0\.id\)/],
    [
      [
        { id: 'guidance', label: 'Guidance given' },
        { id: 'guidance', label: 'Guidance' },
      ],
      /id guidance is used twice \(at 1\.id\)/,
    ],
    [
      [
        { id: 'one', label: 'Signposted' },
        { id: 'two', label: 'signposted' },
      ],
      /label “signposted” is used twice/,
    ],
    [[{ id: 'blank', label: '   ' }], /needs a label/],
    [{ id: 'not_a_list', label: 'Not a list' }, /expected array/i],
  ])('refuses %j with a message saying what is wrong', (codes, message) => {
    expect(() => checkOutcomeCodes(codes, 'the test')).toThrow(OutcomeCodeSettingError);
    expect(() => checkOutcomeCodes(codes, 'the test')).toThrow(message);
  });

  it('reads a file, and says when the file is missing or not JSON', () => {
    const folder = tempDataDir('outcome-codes');
    const good = join(folder, 'codes.json');
    writeFileSync(good, JSON.stringify([{ id: 'advice', label: ' Advice given ' }]));
    expect(readOutcomeCodesFile(good)).toEqual({
      ok: true,
      value: [{ id: 'advice', label: 'Advice given' }],
    });

    const broken = join(folder, 'broken.json');
    writeFileSync(broken, '[{ "id": "advice", ');
    const notJson = readOutcomeCodesFile(broken);
    expect(notJson.ok ? '' : notJson.error.message).toMatch(/is not JSON/);
    const absent = readOutcomeCodesFile(join(folder, 'absent.json'));
    expect(absent.ok ? '' : absent.error.message).toMatch(/cannot be read/);
    const badId = join(folder, 'bad-id.json');
    writeFileSync(badId, JSON.stringify([{ id: 'Bad Id', label: 'Bad' }]));
    const refused = readOutcomeCodesFile(badId);
    expect(refused.ok ? '' : refused.error.message).toMatch(
      /^The wrap-up outcome codes file .*bad-id\.json is not valid: .*lower-case/,
    );
  });

  it('stops the server at start-up, before the data folder is touched, when the list is bad', async () => {
    const dataDir = join(tempDataDir('outcome-start'), 'never-made');
    await expect(
      startServer({ dataDir, port: 0, wrapUp: { outcomeCodes: [{ id: 'Bad Id', label: 'Bad' }] } }),
    ).rejects.toThrow(
      /Wrap-up outcome codes in the outcome codes setting cannot be used: .*lower-case/,
    );
    expect(existsSync(dataDir)).toBe(false);
  });
});
