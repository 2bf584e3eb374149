// Pre-fill rules against recorded interactions: contacts driven through the
// real interaction machine, and the version-1 journal fixture. Each proposal's
// evidence must open the replay at the moment that shows it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toInteractionRecord } from '../../shared/interaction/machine';
import { interactionRecordSchema, type InteractionRecord } from '../../shared/interaction/record';
import { buildReplayTimeline } from '../../shared/interaction/replay-timeline';
import { ContactScript, type ScriptedEvent } from '../../shared/interaction/script';
import { defaultForm, interactionFacts } from '../../shared/quality/form';
import { replayAtParam } from '../../shared/quality/moment';
import {
  draftAnswersFromPrefill,
  overrideProblems,
  prefillReview,
  type PrefillProposal,
  type ReviewPrefill,
} from '../../shared/quality/prefill';
import { scoreReview, type ReviewAnswerInput } from '../../shared/quality/scoring';

const interactionId = '6f1d7a3e-2b4c-4d5e-8f90-123456789abc';
const bookingId = '0b7c1e8a-9d2f-4e3a-8b1c-abcdefabcdef';
const deskId = '11111111-2222-4333-8444-555555555555';
const start = '2025-03-03T10:00:00.000Z';

/** A contact through the real machine, 15 seconds per event, made into its record. */
function recorded(channel: 'voice' | 'webchat', ...events: ScriptedEvent[]): InteractionRecord {
  const script = new ContactScript(start).send(
    { type: 'OFFERED', interactionId, channel, contactRef: 'call-1' },
    { type: 'ANSWER' },
    ...events,
  );
  const built = toInteractionRecord(script.snapshot, {
    adviserId: 'adviser-1',
    deskId,
    journal: script.journal,
  });
  if (!built.ok) throw new Error(`${built.error.message}: not completed`);
  return interactionRecordSchema.parse(built.value.record);
}

function prefilled(record: InteractionRecord): ReviewPrefill {
  const result = prefillReview(defaultForm, record);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function proposal(prefill: ReviewPrefill, itemId: string): PrefillProposal {
  const found = prefill.proposals.find((candidate) => candidate.itemId === itemId);
  if (!found) throw new Error(`No proposal for ${itemId}`);
  return found;
}

/** The journal index of the last event of this type: where the replay should open. */
const lastIndexOf = (record: InteractionRecord, type: string) =>
  record.journal.map((entry) => entry.event.type).lastIndexOf(type);

/**
 * The scenario test's parent calling about a 15-year-old, every stage done.
 * Journal (index: event), 15 s apart from 10:00:00:
 *   0 OFFERED, 1 ANSWER, 2 UPDATE_CALLER, 3 GO_TO_STAGE startingPoint,
 *   4 UPDATE_STARTING_POINT status school (10:01:00), 5 UPDATE_STARTING_POINT goals,
 *   6 GO_TO_STAGE barriers, 7 IDENTIFY_BARRIER, 8 UPDATE_BARRIER, 9 GO_TO_STAGE skillsCheck,
 *   10-12 UPDATE_SKILL x3, 13 SET_SKILLS_DISCUSSED (10:03:15), 14 GO_TO_STAGE nextSteps,
 *   15 UPDATE_MAIN_POINTS (10:03:45), 16 ADD_ACTION (10:04:00), 17 POINT_TO_ARTICLE,
 *   18 GO_TO_STAGE followUp, 19 BOOK_FOLLOW_UP (10:04:45), 20 CHOOSE_TRANSCRIPT (10:05:00),
 *   21 ANSWER_SERVICE_QUESTIONS (10:05:15), 22 END_CALL, 23 COMPLETE
 */
function parentCall(): InteractionRecord {
  return recorded(
    'voice',
    { type: 'UPDATE_CALLER', callerType: 'parent_guardian', age: 15, withinRemit: true },
    { type: 'GO_TO_STAGE', stage: 'startingPoint' },
    { type: 'UPDATE_STARTING_POINT', status: 'school', schoolYear: 10 },
    { type: 'UPDATE_STARTING_POINT', goals: 'Wants to be a vet; worried about science grades' },
    { type: 'GO_TO_STAGE', stage: 'barriers' },
    { type: 'IDENTIFY_BARRIER', kind: 'confidence_wellbeing' },
    { type: 'UPDATE_BARRIER', kind: 'confidence_wellbeing', agreed: 'Talk to the careers lead' },
    { type: 'GO_TO_STAGE', stage: 'skillsCheck' },
    {
      type: 'UPDATE_SKILL',
      area: 'english',
      level: 'studying',
      predicted: '6',
      improvementMatters: 'no',
    },
    {
      type: 'UPDATE_SKILL',
      area: 'maths',
      level: 'studying',
      predicted: '5',
      improvementMatters: 'yes',
    },
    { type: 'UPDATE_SKILL', area: 'digital', level: 'not_known', improvementMatters: 'unsure' },
    { type: 'SET_SKILLS_DISCUSSED', discussed: true },
    { type: 'GO_TO_STAGE', stage: 'nextSteps' },
    { type: 'UPDATE_MAIN_POINTS', text: 'Routes into veterinary science; GCSE science matters' },
    {
      type: 'ADD_ACTION',
      action: { id: 'a1', description: 'Ask about triple science', owner: 'customer', due: null },
    },
    { type: 'POINT_TO_ARTICLE', articleId: 'becoming-a-vet' },
    { type: 'GO_TO_STAGE', stage: 'followUp' },
    {
      type: 'BOOK_FOLLOW_UP',
      bookingId,
      slotStart: '2025-04-07T16:00:00.000Z',
      contactMethod: 'phone',
      contactAddress: '07700 900123',
      consentRecorded: true,
    },
    { type: 'CHOOSE_TRANSCRIPT', decision: 'send', via: 'email', address: 'parent@example.com' },
    { type: 'ANSWER_SERVICE_QUESTIONS', heardFrom: 'school', detail: '' },
    { type: 'END_CALL' },
    { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
    { type: 'COMPLETE' },
  );
}

describe('a call where every stage was done', () => {
  const record = parentCall();
  const prefill = prefilled(record);

  it('proposes "yes" for every objective item and leaves the judgement items alone', () => {
    expect(prefill.proposals.map((p) => [p.itemId, p.answer])).toEqual([
      ['status_captured', 'yes'],
      ['skills_explored', 'yes'],
      ['action_plan_recorded', 'yes'],
      ['follow_up_offered', 'yes'],
      ['transcript_offered', 'yes'],
      ['service_questions_kept_apart', 'yes'],
    ]);
    // A barrier was recorded, so its (judgement) item is shown; no concern, so no safeguarding item.
    expect(prefill.judgementItemIds).toEqual([
      'barriers_explored',
      'next_steps_good',
      'open_questions_rapport',
      'information_accurate',
    ]);
    expect(prefill.escalations).toEqual([]);
  });

  it('points each proposal at the moment the record took its final value', () => {
    const status = proposal(prefill, 'status_captured');
    expect(status.reason).toBe('The status was recorded: School, year 10.');
    // Index 4, 4 x 15 s after the offer.
    expect(status.evidence).toEqual([
      { index: 4, at: '2025-03-03T10:01:00.000Z', offsetMs: 60_000, label: 'Starting point' },
    ]);
    expect(replayAtParam(status.evidence[0] ?? { index: -1 })).toBe('4');
    expect(proposal(prefill, 'skills_explored').evidence[0]?.index).toBe(13);
    expect(proposal(prefill, 'action_plan_recorded').evidence.map((e) => e.index)).toEqual([16]);
    expect(proposal(prefill, 'follow_up_offered').evidence[0]).toMatchObject({
      index: 19,
      label: 'Follow-up booked',
    });
    expect(proposal(prefill, 'transcript_offered').evidence[0]?.index).toBe(20);
    expect(lastIndexOf(record, 'CHOOSE_TRANSCRIPT')).toBe(20);
  });

  it('opens the replay where the state shows it, and not a moment earlier', () => {
    const timeline = buildReplayTimeline(record);
    if (!timeline.ok) throw new Error(timeline.error.message);
    const [status] = proposal(prefill, 'status_captured').evidence;
    if (!status) throw new Error('no evidence');
    expect(timeline.value.snapshotAt(status.index).context.startingPoint.status).toBe('school');
    expect(timeline.value.snapshotAt(status.index - 1).context.startingPoint.status).toBeNull();
    expect(timeline.value.moments[status.index]?.at).toBe(status.at);
  });

  it('sees the service questions answered after the guidance was under way', () => {
    const service = proposal(prefill, 'service_questions_kept_apart');
    // Answered at index 21 (5:15 in); first next step (main points) at index 15 (3:45 in).
    expect(service.reason).toBe(
      'Answered 5:15 into the contact, after the guidance was under way (the first next step was recorded 3:45 into the contact).',
    );
    expect(service.evidence.map((e) => e.index)).toEqual([21, 15]);
  });

  it('makes a first draft the reviewer completes with the judgement items, and it scores', () => {
    const draft = draftAnswersFromPrefill(prefill);
    expect(draft).toHaveLength(6);
    expect(draft[0]).toEqual({
      itemId: 'status_captured',
      value: 'yes',
      comment: '',
      moment: { index: 4, at: '2025-03-03T10:01:00.000Z', offsetMs: 60_000 },
    });
    const judged: ReviewAnswerInput[] = [
      { itemId: 'barriers_explored', value: 'yes' },
      { itemId: 'next_steps_good', value: 3 },
      { itemId: 'open_questions_rapport', value: 4 },
      { itemId: 'information_accurate', value: 4 },
    ];
    const score = scoreReview(defaultForm, [...draft, ...judged], interactionFacts(record));
    if (!score.ok) throw new Error(JSON.stringify(score.error));
    // Counted weights 2+2+2+1+4+2+1+2+1+3 = 20; all met but next steps 3 of 4: 19 of 20.
    expect(score.value.percentage).toBeCloseTo(95, 12);
  });

  it('asks for a reason when the reviewer overrides a proposal', () => {
    const answers = [
      { itemId: 'transcript_offered', value: 'no' as const, comment: '' },
      { itemId: 'status_captured', value: 'yes' as const, comment: '' },
      { itemId: 'follow_up_offered', value: 'no' as const, comment: 'Offered too fast to hear' },
    ];
    expect(overrideProblems(prefill, answers)).toEqual([
      {
        path: 'answers.transcript_offered',
        message:
          'The record suggested “yes”: Offered, and the customer asked for it by email. Say why you answered differently.',
      },
    ]);
  });
});

describe('the version-1 journal fixture (a web chat with a safeguarding concern)', () => {
  const fixture = interactionRecordSchema.parse(
    JSON.parse(
      readFileSync(join(import.meta.dirname, '../fixtures/journals/v1.json'), 'utf8'),
    ) as unknown,
  );
  const prefill = prefilled(fixture);

  it('times the escalation from the journal: raised at 10:05:20, escalated at 10:05:40', () => {
    expect(prefill.escalations).toEqual([
      {
        concernId: '9b1d3f5a-7c2e-4a6b-8d0f-2e4c6a8b0d1f',
        raised: {
          index: 12,
          at: '2025-03-03T10:05:20.000Z',
          offsetMs: 320_000,
          label: 'Safeguarding concern raised',
        },
        escalated: {
          index: 13,
          at: '2025-03-03T10:05:40.000Z',
          offsetMs: 340_000,
          label: 'Safeguarding concern escalated',
        },
        escalatedTo: 'Taylor Leader (team leader)',
        secondsToEscalate: 20,
      },
    ]);
    const safeguarding = proposal(prefill, 'safeguarding_handled');
    expect(safeguarding.answer).toBe('yes');
    expect(safeguarding.reason).toBe(
      'The concern was raised 5:20 into the contact and escalated to Taylor Leader (team leader) 20 seconds later. Whether that was prompt enough, and the action taken right, is yours to judge.',
    );
    expect(safeguarding.evidence.map((e) => e.index)).toEqual([12, 13]);
  });

  it('accepts the skills check marked not covered, quoting the reason for the reviewer to weigh', () => {
    const skills = proposal(prefill, 'skills_explored');
    expect(skills.answer).toBe('yes');
    expect(skills.reason).toContain('“Ran out of time”');
    expect(skills.evidence.map((e) => e.index)).toEqual([19]);
  });

  it('sees service questions skipped as not in the way', () => {
    const service = proposal(prefill, 'service_questions_kept_apart');
    expect(service.answer).toBe('yes');
    expect(service.reason).toBe(
      'They were skipped (“Young person had to go”): the customer was not made to answer them.',
    );
    expect(service.evidence.map((e) => e.index)).toEqual([30]);
  });

  it('shows every item (a barrier and a concern were recorded) and proposes for the objective ones', () => {
    expect(prefill.proposals.map((p) => [p.itemId, p.answer, p.evidence[0]?.index])).toEqual([
      ['status_captured', 'yes', 7],
      ['skills_explored', 'yes', 19],
      ['action_plan_recorded', 'yes', 22],
      ['follow_up_offered', 'yes', 26],
      ['transcript_offered', 'yes', 28],
      ['service_questions_kept_apart', 'yes', 30],
      ['safeguarding_handled', 'yes', 12],
    ]);
  });
});

describe('contacts where the record says something was not done', () => {
  /**
   * A 17-year-old short of time: the adviser asks the service questions first
   * (index 3), gives one answer, and closes the rest as not covered.
   */
  function shortOfTime(): InteractionRecord {
    return recorded(
      'voice',
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 17, withinRemit: true },
      { type: 'ANSWER_SERVICE_QUESTIONS', heardFrom: 'social_media', detail: '' },
      { type: 'UPDATE_STARTING_POINT', status: 'neet', goals: 'Wants to drive HGVs' },
      { type: 'UPDATE_MAIN_POINTS', text: 'Bootcamp funding for HGV licences' },
      {
        type: 'ADD_ACTION',
        action: { id: 'a1', description: 'Apply for the bootcamp', owner: 'customer', due: null },
      },
      { type: 'END_CALL' },
      { type: 'SET_NO_BARRIERS', noneIdentified: true },
      { type: 'MARK_NOT_COVERED', stage: 'skillsCheck', reason: 'Customer short of time' },
      { type: 'MARK_NOT_COVERED', stage: 'followUp', reason: 'Customer hung up first' },
      { type: 'MARK_NOT_COVERED', stage: 'transcript', reason: 'Customer hung up first' },
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
  }

  it('proposes "no" for a follow-up and transcript never offered, with the recorded reason', () => {
    const prefill = prefilled(shortOfTime());
    const followUp = proposal(prefill, 'follow_up_offered');
    expect(followUp.answer).toBe('no');
    expect(followUp.reason).toBe(
      'No follow-up was offered; the Follow-up stage was marked not covered: “Customer hung up first”.',
    );
    // MARK_NOT_COVERED followUp is index 10.
    expect(followUp.evidence).toMatchObject([{ index: 10, label: 'Follow-up marked not covered' }]);
    expect(proposal(prefill, 'transcript_offered').answer).toBe('no');
  });

  it('leaves service questions asked before any guidance was recorded to the reviewer', () => {
    const service = proposal(prefilled(shortOfTime()), 'service_questions_kept_apart');
    expect(service.answer).toBeNull();
    expect(service.reason).toBe(
      'Answered 0:45 into the contact, before anything was recorded in next steps; the journal cannot show whether the customer had their answer first. Listen from this moment.',
    );
    expect(service.evidence.map((e) => e.index)).toEqual([3]);
  });

  it('leaves service questions recorded after the call ended to the reviewer', () => {
    const record = recorded(
      'voice',
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 14, withinRemit: true },
      { type: 'UPDATE_STARTING_POINT', status: 'school', schoolYear: 9, goals: 'Game design' },
      { type: 'SET_NO_BARRIERS', noneIdentified: true },
      { type: 'UPDATE_MAIN_POINTS', text: 'Computing GCSE; art portfolio' },
      {
        type: 'ADD_ACTION',
        action: { id: 'a1', description: 'Pick GCSE options', owner: 'customer', due: null },
      },
      { type: 'DECLINE_FOLLOW_UP' },
      { type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null },
      { type: 'END_CALL' },
      { type: 'ANSWER_SERVICE_QUESTIONS', heardFrom: 'school', detail: '' },
      { type: 'MARK_NOT_COVERED', stage: 'skillsCheck', reason: 'Year 9: too early' },
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    const prefill = prefilled(record);
    const service = proposal(prefill, 'service_questions_kept_apart');
    expect(service.answer).toBeNull();
    expect(service.reason).toContain('recorded after the contact ended');
    expect(service.evidence.map((e) => e.index)).toEqual([9, 10]);
    // Declined is still offered.
    expect(proposal(prefill, 'follow_up_offered')).toMatchObject({
      answer: 'yes',
      reason: 'Offered, and the customer declined.',
    });
    expect(proposal(prefill, 'transcript_offered').answer).toBe('yes');
    // No barrier recorded: the barriers item is not shown, so not left to the reviewer either.
    expect(prefill.judgementItemIds).not.toContain('barriers_explored');
  });

  it('says a status recorded as not disclosed was asked about, and leaves the rest to the reviewer', () => {
    const record = recorded(
      'webchat',
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 16, withinRemit: true },
      { type: 'UPDATE_STARTING_POINT', status: 'not_disclosed', goals: 'Not sure yet' },
      { type: 'CUSTOMER_DISCONNECTED', by: 'network' },
      { type: 'SET_NO_BARRIERS', noneIdentified: true },
      { type: 'MARK_NOT_COVERED', stage: 'skillsCheck', reason: 'Chat dropped' },
      { type: 'MARK_NOT_COVERED', stage: 'nextSteps', reason: 'Chat dropped' },
      { type: 'MARK_NOT_COVERED', stage: 'followUp', reason: 'Chat dropped' },
      { type: 'MARK_NOT_COVERED', stage: 'transcript', reason: 'Chat dropped' },
      { type: 'MARK_NOT_COVERED', stage: 'serviceQuestions', reason: 'Chat dropped' },
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    const prefill = prefilled(record);
    expect(proposal(prefill, 'status_captured')).toMatchObject({
      answer: 'yes',
      evidence: [{ index: 3 }],
    });
    expect(proposal(prefill, 'status_captured').reason).toContain('not disclosed');
    expect(proposal(prefill, 'action_plan_recorded')).toMatchObject({
      answer: 'no',
      reason: 'No action was agreed; the Next steps stage was marked not covered: “Chat dropped”.',
    });
    expect(proposal(prefill, 'service_questions_kept_apart')).toMatchObject({
      answer: 'yes',
      reason:
        'They were not asked (marked not covered: “Chat dropped”), so they cannot have held up the guidance.',
    });
  });

  it('proposes only what an out-of-remit contact is scored on', () => {
    const record = recorded(
      'voice',
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 20, withinRemit: false },
      { type: 'SIGNPOST', to: 'National Careers Service (adults)' },
      { type: 'CHOOSE_TRANSCRIPT', decision: 'send', via: 'text', address: '07700 900456' },
      { type: 'END_CALL' },
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    const prefill = prefilled(record);
    expect(prefill.proposals.map((p) => [p.itemId, p.answer, p.reason])).toEqual([
      ['transcript_offered', 'yes', 'Offered, and the customer asked for it by text.'],
    ]);
    expect(prefill.judgementItemIds).toEqual(['open_questions_rapport', 'information_accurate']);
  });
});

describe('a record whose journal cannot be replayed', () => {
  it('is refused, since its evidence could not be opened', () => {
    const record = { ...parentCall(), machineVersion: 99 };
    const result = prefillReview(defaultForm, record);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain('version 99');
  });
});
