// Contacts as advisers meet them, driven through the real interaction machine.
import { describe, expect, it } from 'vitest';
import {
  interactionRecordSchema,
  followUpBookingSchema,
  followUpOfferSchema,
} from '../../shared/interaction/record';
import {
  contactPhase,
  missingForCompletion,
  replay,
  stageStatus,
  toInteractionRecord,
  type SafeguardingRaisedEmitted,
} from '../../shared/interaction/machine';
import { ContactScript } from '../../shared/interaction/script';
import { createActor } from 'xstate';
import { interactionMachine } from '../../shared/interaction/machine';

const interactionId = '6f1d7a3e-2b4c-4d5e-8f90-123456789abc';
const bookingId = '0b7c1e8a-9d2f-4e3a-8b1c-abcdefabcdef';
const concernId = '5e2a9c4b-7d1f-4a8e-9c3b-fedcbafedcba';
const deskId = '11111111-2222-4333-8444-555555555555';

function answeredCall(startAt = '2025-03-03T10:00:00.000Z') {
  return new ContactScript(startAt).send(
    { type: 'OFFERED', interactionId, channel: 'voice', contactRef: 'call-1' },
    { type: 'ANSWER' },
  );
}

/** The areas with something missing, each once (a stage lists each of its gaps). */
const missingAreas = (script: ContactScript) => [
  ...new Set(missingForCompletion(script.snapshot).map((item) => item.area)),
];

function finishWithEverythingElseNotCovered(script: ContactScript) {
  for (const stage of missingAreas(script)) {
    if (stage === 'call' || stage === 'safeguarding' || stage === 'outcome') continue;
    script.send({ type: 'MARK_NOT_COVERED', stage, reason: 'Customer had to go' });
  }
  return script;
}

describe('a parent calling about a 15-year-old', () => {
  it('records the guidance, books a follow-up 4-6 weeks out and completes with a valid record', () => {
    const call = answeredCall('2025-03-03T10:00:00.000Z').send(
      { type: 'UPDATE_CALLER', callerType: 'parent_guardian', age: 15, withinRemit: true },
      { type: 'GO_TO_STAGE', stage: 'startingPoint' },
      { type: 'UPDATE_STARTING_POINT', status: 'school', schoolYear: 10 },
      { type: 'UPDATE_STARTING_POINT', goals: 'Wants to be a vet; worried about science grades' },
      { type: 'GO_TO_STAGE', stage: 'barriers' },
      { type: 'IDENTIFY_BARRIER', kind: 'confidence_wellbeing' },
      {
        type: 'UPDATE_BARRIER',
        kind: 'confidence_wellbeing',
        agreed: 'Talk to the school careers lead',
      },
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
    );
    // Every stage done: only the wrap-up's outcome code stands between the adviser and Complete.
    expect(missingForCompletion(call.snapshot)).toEqual([
      { area: 'outcome', message: 'Wrap-up: choose an outcome code' },
    ]);
    call.send({ type: 'COMPLETE' });
    expect(contactPhase(call.snapshot)).toBe('wrapUp');
    call.send({
      type: 'CHOOSE_OUTCOME_CODE',
      code: { id: 'guidance_given', label: 'Guidance given' },
    });
    call.send({ type: 'COMPLETE' });
    expect(contactPhase(call.snapshot)).toBe('completed');
    expect(call.snapshot.status).toBe('done');

    const result = toInteractionRecord(call.snapshot, {
      adviserId: 'demo-adviser',
      deskId,
      journal: call.journal,
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(interactionRecordSchema.parse(result.value.record).summary.caller.age).toBe(15);
    expect(followUpBookingSchema.parse(result.value.followUp).slotStart).toBe(
      '2025-04-07T16:00:00.000Z',
    );
    expect(replay(result.value.record.journal).context).toEqual(call.snapshot.context);
  });
});

describe('a 17-year-old NEET asking about funding for HGV training', () => {
  it('refuses a 5-week follow-up (16 and over get 12-14 weeks) and accepts a 13-week one', () => {
    const call = answeredCall('2025-06-10T09:30:00.000Z').send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 17, withinRemit: true },
      {
        type: 'UPDATE_STARTING_POINT',
        status: 'neet',
        goals: 'Drive HGVs; needs to know who pays for the licence',
      },
      { type: 'IDENTIFY_BARRIER', kind: 'money' },
      {
        type: 'UPDATE_BARRIER',
        kind: 'money',
        agreed: 'Look at the bootcamp funding',
        referral: 'Jobcentre',
      },
      { type: 'POINT_TO_ARTICLE', articleId: 'funding-for-hgv-training' },
      {
        type: 'BOOK_FOLLOW_UP',
        bookingId,
        slotStart: '2025-07-15T10:00:00.000Z',
        contactMethod: 'text',
        contactAddress: '07700 900456',
        consentRecorded: true,
      },
    );
    expect(call.snapshot.context.followUp.decision).toBe('not_offered');
    expect(call.snapshot.context.followUpRefusal?.code).toBe('before_window');
    expect(call.snapshot.context.followUpRefusal?.reason).toContain('12-14 weeks');

    call.send({
      type: 'BOOK_FOLLOW_UP',
      bookingId,
      slotStart: '2025-09-09T10:00:00.000Z',
      contactMethod: 'text',
      contactAddress: '07700 900456',
      consentRecorded: true,
    });
    expect(call.snapshot.context.followUp).toMatchObject({
      decision: 'accepted',
      slotStart: '2025-09-09T10:00:00.000Z',
    });
    expect(call.snapshot.context.followUpRefusal).toBeNull();
    expect(stageStatus(call.snapshot.context, 'followUp')).toBe('done');
  });

  it('asks for the follow-up to be rebooked when the age is corrected below 16 afterwards', () => {
    const call = answeredCall('2025-06-10T09:30:00.000Z').send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 17, withinRemit: true },
      {
        type: 'BOOK_FOLLOW_UP',
        bookingId,
        slotStart: '2025-09-09T10:00:00.000Z',
        contactMethod: 'phone',
        contactAddress: '07700 900456',
        consentRecorded: true,
      },
      { type: 'UPDATE_CALLER', age: 15 },
    );
    const followUpGap = missingForCompletion(call.snapshot).find(
      (item) => item.area === 'followUp',
    );
    expect(followUpGap?.message).toContain('Rebook the follow-up');
  });

  it('checks a booking against the hours the desk had from the server, and keeps them with it', () => {
    const schoolHours = {
      opensAt: { hour: 9, minute: 0 },
      closesAt: { hour: 17, minute: 0 },
    };
    const booking = (slotStart: string) => ({
      type: 'BOOK_FOLLOW_UP' as const,
      bookingId,
      slotStart,
      contactMethod: 'phone' as const,
      contactAddress: '07700 900456',
      consentRecorded: true,
      serviceHours: schoolHours,
    });
    // 08:30 and 17:00 BST: open by the built-in hours, closed by the server's.
    const call = answeredCall('2025-06-10T09:30:00.000Z').send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 15, withinRemit: true },
      booking('2025-07-15T07:30:00.000Z'),
    );
    expect(call.snapshot.context.followUpRefusal).toMatchObject({ code: 'outside_service_hours' });
    expect(call.snapshot.context.followUpRefusal?.reason).toContain(
      'follow-ups start from 09:00 and before 17:00',
    );
    call.send(booking('2025-07-15T16:00:00.000Z'));
    expect(call.snapshot.context.followUpRefusal?.code).toBe('outside_service_hours');

    call.send(booking('2025-07-15T15:59:00.000Z'));
    expect(call.snapshot.context.followUp).toMatchObject({
      decision: 'accepted',
      serviceHours: schoolHours,
    });
    // The record keeps the hours, and a replay of the journal checks the same.
    expect(followUpOfferSchema.parse(call.snapshot.context.followUp)).toMatchObject({
      serviceHours: schoolHours,
    });
    expect(replay(call.journal).context.followUp).toEqual(call.snapshot.context.followUp);
  });

  it('checks a booking made without hours (an older desk) against the built-in 08:00 to 22:00', () => {
    const call = answeredCall('2025-06-10T09:30:00.000Z').send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 15, withinRemit: true },
      {
        type: 'BOOK_FOLLOW_UP',
        bookingId,
        slotStart: '2025-07-15T07:30:00.000Z',
        contactMethod: 'phone',
        contactAddress: '07700 900456',
        consentRecorded: true,
      },
    );
    expect(call.snapshot.context.followUp).toEqual(
      expect.not.objectContaining({ serviceHours: expect.anything() }),
    );
    expect(call.snapshot.context.followUp.decision).toBe('accepted');
  });
});

describe('a customer short of time who wants one answer', () => {
  it('skips the service questions with a reason and still completes', () => {
    const call = answeredCall().send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 16, withinRemit: true },
      { type: 'GO_TO_STAGE', stage: 'nextSteps' },
      { type: 'UPDATE_MAIN_POINTS', text: 'Which A levels for nursing' },
      {
        type: 'ADD_ACTION',
        action: { id: 'a1', description: 'Check UCAS entry', owner: 'customer', due: null },
      },
      { type: 'SKIP_SERVICE_QUESTIONS', reason: 'Customer short of time' },
      { type: 'DECLINE_FOLLOW_UP' },
      { type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null },
      { type: 'CUSTOMER_DISCONNECTED', by: 'customer' },
    );
    expect(call.snapshot.context.serviceQuestions).toEqual({
      outcome: 'skipped',
      reason: 'Customer short of time',
    });
    expect(missingAreas(call)).toEqual(['startingPoint', 'barriers', 'skillsCheck', 'outcome']);
    finishWithEverythingElseNotCovered(call).send(
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    expect(contactPhase(call.snapshot)).toBe('completed');
  });
});

describe('a 24-year-old outside the remit', () => {
  it('is signposted and closes without the guidance stages', () => {
    const call = answeredCall().send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 24, withinRemit: false },
      { type: 'END_CALL' },
    );
    expect(missingAreas(call)).toEqual(['callerEligibility', 'transcript', 'outcome']);
    call.send({ type: 'COMPLETE' });
    expect(contactPhase(call.snapshot)).toBe('wrapUp');

    call.send(
      { type: 'SIGNPOST', to: 'National Careers Service adult helpline' },
      { type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null },
      {
        type: 'CHOOSE_OUTCOME_CODE',
        code: { id: 'referred_signposted', label: 'Referred or signposted to another service' },
      },
      { type: 'COMPLETE' },
    );
    expect(contactPhase(call.snapshot)).toBe('completed');
    expect(stageStatus(call.snapshot.context, 'barriers')).toBe('not_needed');
    expect(call.snapshot.context.caller.signpostedTo).toBe(
      'National Careers Service adult helpline',
    );
  });

  it('refuses signposting for a contact within remit', () => {
    const call = answeredCall().send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 14, withinRemit: true },
      { type: 'SIGNPOST', to: 'Somewhere else' },
    );
    expect(call.snapshot.context.caller.signpostedTo).toBeNull();
  });
});

describe('a safeguarding disclosure mid-call', () => {
  it('is announced, blocks completion until escalated, acted on and resolved', () => {
    const call = answeredCall().send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 14, withinRemit: true },
      { type: 'GO_TO_STAGE', stage: 'barriers' },
      {
        type: 'RAISE_CONCERN',
        concernId,
        category: 'abuse_neglect',
        whatWasSaid: 'Said they are scared to go home',
        immediateRisk: false,
      },
    );
    expect(call.snapshot.matches({ safeguarding: { concernOpen: 'raised' } })).toBe(true);
    expect(call.snapshot.context.safeguarding[0]?.raisedDuringStage).toBe('barriers');

    finishWithEverythingElseNotCovered(call.send({ type: 'END_CALL' }));
    call.send({
      type: 'CHOOSE_OUTCOME_CODE',
      code: { id: 'guidance_given', label: 'Guidance given' },
    });
    call.send({ type: 'COMPLETE' });
    expect(contactPhase(call.snapshot)).toBe('wrapUp');
    expect(missingForCompletion(call.snapshot)).toEqual([
      { area: 'safeguarding', message: 'Safeguarding concern open: escalate it' },
    ]);

    call.send({ type: 'RESOLVE_CONCERN', concernId, outcome: 'Too early: not escalated' });
    expect(call.snapshot.matches({ safeguarding: 'concernOpen' })).toBe(true);

    call.send(
      { type: 'ESCALATE_CONCERN', concernId, escalatedTo: 'Team leader on duty' },
      {
        type: 'RECORD_SAFEGUARDING_ACTION',
        concernId,
        action: 'Referred to local authority',
        referral: 'MASH',
      },
      { type: 'RESOLVE_CONCERN', concernId, outcome: 'Referral accepted' },
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    expect(contactPhase(call.snapshot)).toBe('completed');
    expect(call.snapshot.context.safeguarding[0]).toMatchObject({
      escalatedTo: 'Team leader on duty',
      outcome: 'Referral accepted',
    });
  });

  it('emits safeguarding.raised for the desk to relay to team leaders', () => {
    const actor = createActor(interactionMachine);
    const heard: SafeguardingRaisedEmitted[] = [];
    actor.on('safeguarding.raised', (emitted) => heard.push(emitted));
    actor.start();
    actor.send({
      type: 'OFFERED',
      interactionId,
      channel: 'webchat',
      contactRef: 'chat-9',
      at: '2025-03-03T10:00:00Z',
    });
    actor.send({ type: 'ANSWER', at: '2025-03-03T10:00:05Z' });
    actor.send({
      type: 'RAISE_CONCERN',
      concernId,
      category: 'self_harm_suicide',
      whatWasSaid: 'Mentioned hurting themself',
      immediateRisk: true,
      at: '2025-03-03T10:04:00Z',
    });
    expect(heard).toEqual([
      {
        type: 'safeguarding.raised',
        concernId,
        interactionId,
        category: 'self_harm_suicide',
        immediateRisk: true,
        at: '2025-03-03T10:04:00Z',
      },
    ]);
  });
});

describe('a call that drops during the barriers stage', () => {
  it('records where it ended and can still be wrapped up', () => {
    const call = answeredCall().send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 16, withinRemit: true },
      { type: 'GO_TO_STAGE', stage: 'barriers' },
      { type: 'HOLD' },
      { type: 'CUSTOMER_DISCONNECTED', by: 'network' },
    );
    expect(contactPhase(call.snapshot)).toBe('wrapUp');
    expect(call.snapshot.context.call).toMatchObject({
      endedBy: 'network',
      endedDuringStage: 'barriers',
    });
    expect(call.snapshot.context.call.holds[0]?.to).toBe(call.snapshot.context.call.endedAt);

    call.send({
      type: 'NOTE',
      stage: 'barriers',
      text: 'Line dropped while talking about bus fares',
    });
    finishWithEverythingElseNotCovered(call).send(
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    expect(contactPhase(call.snapshot)).toBe('completed');
  });
});

describe('a teacher calling on behalf of a class', () => {
  it('takes the 4-6 week window when no single age applies', () => {
    const call = answeredCall('2025-01-15T14:00:00.000Z').send(
      { type: 'UPDATE_CALLER', callerType: 'teacher', age: 'not_given', withinRemit: true },
      {
        type: 'UPDATE_STARTING_POINT',
        status: 'school',
        schoolYear: 11,
        goals: 'Class wants to hear about T levels',
      },
      {
        type: 'BOOK_FOLLOW_UP',
        bookingId,
        slotStart: '2025-02-19T15:00:00.000Z',
        contactMethod: 'email',
        contactAddress: 'teacher@school.example',
        consentRecorded: true,
      },
    );
    expect(call.snapshot.context.followUp.decision).toBe('accepted');
    expect(stageStatus(call.snapshot.context, 'startingPoint')).toBe('done');
    expect(stageStatus(call.snapshot.context, 'callerEligibility')).toBe('done');
  });
});

describe('the machine never traps an adviser', () => {
  it('closes every gap by marking it not covered', () => {
    const call = answeredCall().send({ type: 'END_CALL' });
    finishWithEverythingElseNotCovered(call).send(
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    expect(contactPhase(call.snapshot)).toBe('completed');
  });

  it('ignores stage work before the call is answered and after it is completed', () => {
    const call = new ContactScript('2025-03-03T10:00:00Z').send(
      { type: 'OFFERED', interactionId, channel: 'voice', contactRef: 'call-2' },
      { type: 'NOTE', stage: 'barriers', text: 'too early' },
      { type: 'CUSTOMER_DISCONNECTED', by: 'customer' },
    );
    expect(contactPhase(call.snapshot)).toBe('missed');
    expect(call.snapshot.context.notes).toEqual({});
    expect(call.snapshot.status).toBe('done');
  });

  it('refuses a booking without consent, saying why', () => {
    const call = answeredCall().send({
      type: 'BOOK_FOLLOW_UP',
      bookingId,
      slotStart: '2025-04-07T16:00:00.000Z',
      contactMethod: 'phone',
      contactAddress: '07700 900123',
      consentRecorded: false,
    });
    expect(call.snapshot.context.followUpRefusal?.code).toBe('no_consent');
  });

  it('refuses a booking whose contact is not one usable number or address, saying why', () => {
    const call = answeredCall().send({
      type: 'BOOK_FOLLOW_UP',
      bookingId,
      slotStart: '2025-04-07T16:00:00.000Z',
      contactMethod: 'email',
      contactAddress: 'sam@example.com, boss@example.com',
      consentRecorded: true,
    });
    expect(call.snapshot.context.followUpRefusal).toMatchObject({
      code: 'contact_address',
      reason: expect.stringContaining('one email address'),
    });
    expect(call.snapshot.context.followUp.decision).not.toBe('accepted');
  });

  it('refuses an unusable transcript address', () => {
    const call = answeredCall().send({
      type: 'CHOOSE_TRANSCRIPT',
      decision: 'send',
      via: 'email',
      address: 'nope',
    });
    expect(call.snapshot.context.transcript.decision).toBe('not_offered');
  });

  it('keeps only the last keystroke of a run of typing in the journal, with the same result', () => {
    const call = answeredCall();
    const before = call.journal.length;
    for (const text of ['W', 'Wa', 'Wan', 'Want', 'Wants'])
      call.send({ type: 'NOTE', stage: 'startingPoint', text });
    call.send({ type: 'NOTE', stage: 'barriers', text: 'b' });
    expect(call.journal.length).toBe(before + 2);
    expect(replay(call.journal).context.notes).toEqual({ startingPoint: 'Wants', barriers: 'b' });
  });
});
