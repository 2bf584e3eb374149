// Completed contacts for quality-review tests, driven through the real
// interaction machine so their journals replay and the pre-fill finds its
// evidence: a call where every stage was done, and one with a safeguarding
// concern (escalated: the machine does not let a contact complete without).
import { randomUUID } from 'node:crypto';
import { toInteractionRecord } from '../../shared/interaction/machine';
import { interactionRecordSchema, type InteractionRecord } from '../../shared/interaction/record';
import { ContactScript, type ScriptedEvent } from '../../shared/interaction/script';
import type { ReviewAnswerInput } from '../../shared/quality/scoring';

export interface ContactOptions {
  adviserId: string;
  /** When the contact was offered; events follow 15 seconds apart. */
  start: string;
  deskId?: string;
  channel?: 'voice' | 'webchat';
  contactRef?: string;
}

export function scriptedRecord(
  options: ContactOptions,
  ...events: ScriptedEvent[]
): InteractionRecord {
  const id = randomUUID();
  const channel = options.channel ?? 'voice';
  const script = new ContactScript(options.start).send(
    { type: 'OFFERED', interactionId: id, channel, contactRef: options.contactRef ?? `call-${id}` },
    { type: 'ANSWER' },
    ...events,
  );
  const built = toInteractionRecord(script.snapshot, {
    adviserId: options.adviserId,
    deskId: options.deskId ?? randomUUID(),
    journal: script.journal,
  });
  if (!built.ok) throw new Error(`the scripted contact did not complete: ${built.error.message}`);
  return interactionRecordSchema.parse(built.value.record);
}

/** Every stage done, with a barrier recorded: six items pre-filled "yes", four left to judge. */
export function fullCall(options: ContactOptions): InteractionRecord {
  return scriptedRecord(
    options,
    { type: 'UPDATE_CALLER', callerType: 'young_person', age: 16, withinRemit: true },
    { type: 'GO_TO_STAGE', stage: 'startingPoint' },
    { type: 'UPDATE_STARTING_POINT', status: 'school', schoolYear: 11, goals: 'Wants to be a vet' },
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
    { type: 'GO_TO_STAGE', stage: 'followUp' },
    { type: 'DECLINE_FOLLOW_UP' },
    { type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null },
    { type: 'ANSWER_SERVICE_QUESTIONS', heardFrom: 'school', detail: '' },
    { type: 'END_CALL' },
    { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
    { type: 'COMPLETE' },
  );
}

/** A call in which a safeguarding concern was raised and escalated 15 seconds later. */
export function concernCall(options: ContactOptions): InteractionRecord {
  const concernId = randomUUID();
  return scriptedRecord(
    options,
    { type: 'UPDATE_CALLER', callerType: 'young_person', age: 15, withinRemit: true },
    { type: 'GO_TO_STAGE', stage: 'startingPoint' },
    { type: 'UPDATE_STARTING_POINT', status: 'school', schoolYear: 10, goals: 'Not sure yet' },
    {
      type: 'RAISE_CONCERN',
      concernId,
      category: 'abuse_neglect',
      whatWasSaid: 'Says it gets bad at home',
      immediateRisk: false,
    },
    { type: 'ESCALATE_CONCERN', concernId, escalatedTo: 'Duty team leader' },
    {
      type: 'RECORD_SAFEGUARDING_ACTION',
      concernId,
      action: 'Talked through who to speak to at school',
      referral: null,
    },
    { type: 'RESOLVE_CONCERN', concernId, outcome: 'School DSL to follow up' },
    { type: 'SET_NO_BARRIERS', noneIdentified: true },
    { type: 'MARK_NOT_COVERED', stage: 'skillsCheck', reason: 'Ran out of time' },
    { type: 'UPDATE_MAIN_POINTS', text: 'College open days' },
    {
      type: 'ADD_ACTION',
      action: { id: 'a1', description: 'Go to an open day', owner: 'customer', due: null },
    },
    { type: 'DECLINE_FOLLOW_UP' },
    { type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null },
    { type: 'SKIP_SERVICE_QUESTIONS', reason: 'Had to go' },
    { type: 'END_CALL' },
    { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
    { type: 'COMPLETE' },
  );
}

/**
 * A review of the default form with every yes/no item met and the three
 * judgements given: next steps as `nextStepsGood` (0 to 4), the other two at 3.
 * Every answer carries `comment`: the record's pre-fill may suggest otherwise,
 * and an answer that differs from it must say why.
 */
export function answersMeetingEveryItem(
  nextStepsGood: number,
  comment: string,
): ReviewAnswerInput[] {
  return [
    ...[
      'status_captured',
      'skills_explored',
      'action_plan_recorded',
      'follow_up_offered',
      'transcript_offered',
      'service_questions_kept_apart',
    ].map((itemId): ReviewAnswerInput => ({ itemId, value: 'yes', comment })),
    { itemId: 'next_steps_good', value: nextStepsGood, comment },
    { itemId: 'open_questions_rapport', value: 3, comment },
    { itemId: 'information_accurate', value: 3, comment },
  ];
}
