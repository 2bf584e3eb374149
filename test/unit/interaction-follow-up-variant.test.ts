// The follow-up variant of the interaction machine: a follow-up call guided
// through its own stages (the action plan reviewed action by action, the status
// now beside the status at first contact, the change in circumstances), with
// the contact's course, notes, "not covered", safeguarding and completion the
// guidance variant has. Scenarios first, then the variant walked as a model
// from its own graph, then its record and its replay.
import { createTestModel } from '@xstate/graph';
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { contextGaps } from '../../shared/interaction/completion';
import {
  contactPhase,
  followUpInteractionMachine,
  interactionMachine,
  machineFor,
  missingForCompletion,
  replay,
  stageStatus,
  summaryOf,
  toInteractionRecord,
  type InteractionEvent,
  type InteractionSnapshot,
} from '../../shared/interaction/machine';
import {
  allStateNodes,
  allTransitions,
  transitionKey,
} from '../../shared/interaction/machine-graph';
import { interactionRecordSchema } from '../../shared/interaction/record';
import { buildReplayTimeline } from '../../shared/interaction/replay-timeline';
import { ContactScript } from '../../shared/interaction/script';
import { followUpStageIds } from '../../shared/interaction/taxonomy';
import { followUpIds, followUpRecord, scriptedFollowUpCall } from './follow-up-call-script';

const concernId = '9b1d3f5a-7c2e-4a6b-8d0f-2e4c6a8b0d1f';

/** A follow-up call dialled and answered, stopped there for each scenario to go on. */
function answeredCall(): ContactScript {
  const call = new ContactScript('2025-05-27T09:30:00.000Z', 10, 'follow_up');
  call.send({
    type: 'FOLLOW_UP_DIALLED',
    interactionId: followUpIds.interactionId,
    contactRef: 'call-77',
    bookingId: followUpIds.bookingId,
    firstInteractionId: followUpIds.firstInteractionId,
    statusAtFirstContact: 'neet',
    actions: [
      { id: 'a1', description: 'Look at the college open day', owner: 'customer', due: null },
      { id: 'a2', description: 'Apply for a bus pass', owner: 'customer', due: null },
    ],
  });
  call.send({ type: 'ANSWER' });
  return call;
}

const messages = (snapshot: InteractionSnapshot) =>
  missingForCompletion(snapshot).map((item) => item.message);

describe('a follow-up call, guided', () => {
  it('starts on the action plan review, with the plan and the status at first contact from the dial', () => {
    const call = answeredCall();
    const { context } = call.snapshot;
    expect(contactPhase(call.snapshot)).toBe('live');
    expect(context.variant).toBe('follow_up');
    expect(context.activeStage).toBe('actionReview');
    expect(context.channel).toBe('voice');
    expect(context.followUpOf).toEqual({
      bookingId: followUpIds.bookingId,
      firstInteractionId: followUpIds.firstInteractionId,
      actions: [
        {
          actionId: 'a1',
          description: 'Look at the college open day',
          owner: 'customer',
          progress: null,
        },
        { actionId: 'a2', description: 'Apply for a bus pass', owner: 'customer', progress: null },
      ],
      statusAtFirstContact: 'neet',
      statusNow: null,
      change: null,
    });
    expect(context.call.offeredAt).toBe('2025-05-27T09:30:00.000Z');
    expect(context.call.connectedAt).toBe('2025-05-27T09:30:10.000Z');
  });

  it('lists what is missing in its own stages, action by action, and refuses to complete until done', () => {
    const call = answeredCall();
    call.send({ type: 'END_CALL' });
    expect(messages(call.snapshot)).toEqual([
      'Action plan review: Record how far “Look at the college open day” got',
      'Action plan review: Record how far “Apply for a bus pass” got',
      'Status now: Record their status now',
      'Change in circumstances: Record whether their circumstances changed',
      'Wrap-up: choose an outcome code',
    ]);
    call.send({
      type: 'CHOOSE_OUTCOME_CODE',
      code: { id: 'guidance_given', label: 'Guidance given' },
    });
    call.send({ type: 'COMPLETE' });
    expect(contactPhase(call.snapshot)).toBe('wrapUp');

    call.send({ type: 'REVIEW_ACTION', actionId: 'a1', progress: 'in_progress' });
    expect(stageStatus(call.snapshot.context, 'actionReview')).toBe('in_progress');
    call.send({ type: 'REVIEW_ACTION', actionId: 'a2', progress: 'not_started' });
    expect(stageStatus(call.snapshot.context, 'actionReview')).toBe('done');
    call.send({ type: 'RECORD_STATUS_NOW', status: 'neet' });
    call.send({ type: 'RECORD_CHANGE', change: 'same' });
    expect(messages(call.snapshot)).toEqual([]);
    call.send({
      type: 'CHOOSE_OUTCOME_CODE',
      code: { id: 'guidance_given', label: 'Guidance given' },
    });
    call.send({ type: 'COMPLETE' });
    expect(contactPhase(call.snapshot)).toBe('completed');
    expect(call.snapshot.status).toBe('done');
  });

  it('lets a stage be closed as not covered, with a reason, and records no change then', () => {
    const call = answeredCall();
    call.send(
      { type: 'REVIEW_ACTION', actionId: 'a1', progress: 'done' },
      { type: 'REVIEW_ACTION', actionId: 'a2', progress: 'done' },
      { type: 'RECORD_STATUS_NOW', status: 'college' },
      { type: 'MARK_NOT_COVERED', stage: 'circumstances', reason: 'Customer had to go' },
      { type: 'END_CALL' },
      { type: 'CHOOSE_OUTCOME_CODE', code: { id: 'guidance_given', label: 'Guidance given' } },
      { type: 'COMPLETE' },
    );
    expect(contactPhase(call.snapshot)).toBe('completed');
    expect(call.snapshot.context.followUpOf?.change).toBeNull();
    expect(call.snapshot.context.notCovered).toEqual({ circumstances: 'Customer had to go' });
  });

  it('changes an answer when the customer corrects it, and ignores an action it was not given', () => {
    const call = answeredCall();
    call.send({ type: 'REVIEW_ACTION', actionId: 'a1', progress: 'not_started' });
    call.send({ type: 'REVIEW_ACTION', actionId: 'a1', progress: 'done' });
    call.send({ type: 'REVIEW_ACTION', actionId: 'made-up', progress: 'done' });
    call.send({ type: 'RECORD_STATUS_NOW', status: 'other' });
    call.send({ type: 'RECORD_STATUS_NOW', status: 'training' });
    expect(call.snapshot.context.followUpOf?.actions.map((action) => action.progress)).toEqual([
      'done',
      null,
    ]);
    expect(call.snapshot.context.followUpOf?.statusNow).toBe('training');
  });

  it('moves between its own stages only, and takes none of the guidance stages’ work', () => {
    const call = answeredCall();
    call.send({ type: 'GO_TO_STAGE', stage: 'circumstances' });
    expect(call.snapshot.context.activeStage).toBe('circumstances');
    call.send({ type: 'GO_TO_STAGE', stage: 'barriers' });
    expect(call.snapshot.context.activeStage).toBe('circumstances');
    const before = summaryOf(call.snapshot.context);
    call.send(
      { type: 'UPDATE_CALLER', callerType: 'young_person', age: 15, withinRemit: true },
      { type: 'UPDATE_MAIN_POINTS', text: 'New plan' },
      {
        type: 'BOOK_FOLLOW_UP',
        bookingId: '0b7c1e8a-9d2f-4e3a-8b1c-abcdefabcdef',
        slotStart: '2025-07-07T16:00:00.000Z',
        contactMethod: 'phone',
        contactAddress: '07700 900123',
        consentRecorded: true,
      },
      { type: 'CHOOSE_TRANSCRIPT', decision: 'declined', via: null, address: null },
    );
    expect(summaryOf(call.snapshot.context)).toEqual(before);
  });

  it('keeps guidance and follow-up apart: each variant ignores the other’s start', () => {
    const guidance = createActor(interactionMachine).start();
    guidance.send({
      type: 'FOLLOW_UP_DIALLED',
      at: '2025-05-27T09:30:00.000Z',
      interactionId: followUpIds.interactionId,
      contactRef: 'call-77',
      bookingId: followUpIds.bookingId,
      firstInteractionId: followUpIds.firstInteractionId,
      statusAtFirstContact: null,
      actions: [],
    });
    expect(contactPhase(guidance.getSnapshot())).toBe('idle');
    const followUp = createActor(followUpInteractionMachine).start();
    followUp.send({
      type: 'OFFERED',
      at: '2025-05-27T09:30:00.000Z',
      interactionId: followUpIds.interactionId,
      channel: 'voice',
      contactRef: 'call-77',
    });
    expect(contactPhase(followUp.getSnapshot())).toBe('idle');
  });

  it('raises, escalates and resolves a safeguarding concern as any interaction does', () => {
    const call = answeredCall();
    call.send({ type: 'GO_TO_STAGE', stage: 'statusNow' });
    call.send({
      type: 'RAISE_CONCERN',
      concernId,
      category: 'homelessness',
      whatWasSaid: 'Says he has been sofa surfing since March',
      immediateRisk: false,
    });
    expect(call.snapshot.context.safeguarding[0]?.raisedDuringStage).toBe('statusNow');
    call.send({ type: 'END_CALL' });
    expect(messages(call.snapshot)).toContain('Safeguarding concern open: escalate it');
    call.send(
      { type: 'ESCALATE_CONCERN', concernId, escalatedTo: 'Taylor Leader' },
      { type: 'RECORD_SAFEGUARDING_ACTION', concernId, action: 'Shelter helpline', referral: null },
      { type: 'RESOLVE_CONCERN', concernId, outcome: 'Referred to the council' },
    );
    expect(call.snapshot.matches({ safeguarding: 'noConcern' })).toBe(true);
    expect(call.snapshot.context.call.endedDuringStage).toBe('statusNow');
  });

  it('a call that ends before the customer answers is missed, with nothing to record', () => {
    const call = new ContactScript('2025-05-27T09:30:00.000Z', 10, 'follow_up');
    call.send({
      type: 'FOLLOW_UP_DIALLED',
      interactionId: followUpIds.interactionId,
      contactRef: 'call-77',
      bookingId: followUpIds.bookingId,
      firstInteractionId: followUpIds.firstInteractionId,
      statusAtFirstContact: null,
      actions: [],
    });
    expect(contactPhase(call.snapshot)).toBe('ringing');
    call.send({ type: 'CUSTOMER_DISCONNECTED', by: 'network' });
    expect(contactPhase(call.snapshot)).toBe('missed');
    const record = toInteractionRecord(call.snapshot, {
      adviserId: 'demo-adviser',
      deskId: followUpIds.deskId,
      journal: call.journal,
    });
    expect(record.ok).toBe(false);
  });

  it('with no actions agreed, the review has nothing to ask', () => {
    const call = new ContactScript('2025-05-27T09:30:00.000Z', 10, 'follow_up');
    call.send(
      {
        type: 'FOLLOW_UP_DIALLED',
        interactionId: followUpIds.interactionId,
        contactRef: 'call-77',
        bookingId: followUpIds.bookingId,
        firstInteractionId: followUpIds.firstInteractionId,
        statusAtFirstContact: null,
        actions: [],
      },
      { type: 'ANSWER' },
    );
    expect(stageStatus(call.snapshot.context, 'actionReview')).toBe('done');
  });
});

describe('the follow-up record', () => {
  it('names its variant, carries what the call found, and parses as a record', () => {
    const record = followUpRecord();
    expect(interactionRecordSchema.parse(record)).toEqual(record);
    expect(record.machineVariant).toBe('follow_up');
    expect(record.followUpOf).toEqual({
      bookingId: followUpIds.bookingId,
      firstInteractionId: followUpIds.firstInteractionId,
      actions: [
        {
          actionId: 'a1',
          description: 'Look at the college open day',
          owner: 'customer',
          progress: 'done',
        },
        {
          actionId: 'a2',
          description: 'Send details of the bus pass scheme',
          owner: 'adviser',
          progress: 'no_longer_wanted',
        },
      ],
      statusAtFirstContact: 'neet',
      statusNow: 'college',
      change: 'better',
    });
    // A follow-up books nothing and offers no transcript: its summary's guidance parts are empty.
    expect(record.summary.followUp).toEqual({ decision: 'not_offered' });
    expect(record.summary.notes).toEqual({ actionReview: 'Went to the open day with her mum' });
    expect(record.journal[0]?.event.type).toBe('FOLLOW_UP_DIALLED');
  });

  it('is refused when its variant and its review disagree', () => {
    const record = followUpRecord();
    const { machineVariant: _dropped, ...unnamed } = record;
    expect(interactionRecordSchema.safeParse(unnamed).success).toBe(false);
    const { followUpOf: _none, ...reviewless } = record;
    expect(interactionRecordSchema.safeParse(reviewless).success).toBe(false);
  });

  it('replays through the variant it names to the same summary and review', () => {
    const record = followUpRecord();
    const timeline = buildReplayTimeline(record);
    if (!timeline.ok) throw new Error(timeline.error.message);
    expect(timeline.value.machineVariant).toBe('follow_up');
    const last = timeline.value.snapshotAt(timeline.value.moments.length - 1);
    expect(contactPhase(last)).toBe('completed');
    expect(summaryOf(last.context)).toEqual(record.summary);
    expect(last.context.followUpOf).toEqual(record.followUpOf);
    expect(timeline.value.moments.map((moment) => moment.label)).toContain(
      'Action reviewed: no longer wanted',
    );
    expect(timeline.value.moments[0]?.label).toBe('Follow-up call dialled');
    // Through the guidance machine the same journal never even starts: the variant matters.
    expect(contactPhase(replay(record.journal))).toBe('idle');
    expect(contactPhase(replay(record.journal, 'follow_up'))).toBe('completed');
  });
});

/** One representative of every event the follow-up variant takes, and a few it does not. */
function representativeEvents(snapshot: InteractionSnapshot): InteractionEvent[] {
  const at = '2025-05-27T09:30:00.000Z';
  const { context } = snapshot;
  const open = context.safeguarding.find((concern) => concern.resolvedAt === null);
  const id =
    open?.id ??
    `00000000-0000-4000-8000-${String(context.safeguarding.length + 1).padStart(12, '0')}`;
  return [
    {
      type: 'FOLLOW_UP_DIALLED',
      at,
      interactionId: followUpIds.interactionId,
      contactRef: 'call-77',
      bookingId: followUpIds.bookingId,
      firstInteractionId: followUpIds.firstInteractionId,
      statusAtFirstContact: 'neet',
      actions: [{ id: 'a1', description: 'Visit open day', owner: 'customer', due: null }],
    },
    {
      type: 'OFFERED',
      at,
      interactionId: followUpIds.interactionId,
      channel: 'voice',
      contactRef: 'x',
    },
    { type: 'ANSWER', at },
    { type: 'HOLD', at },
    { type: 'RESUME', at },
    { type: 'END_CALL', at },
    { type: 'CUSTOMER_DISCONNECTED', at, by: 'customer' },
    { type: 'CHOOSE_OUTCOME_CODE', at, code: { id: 'guidance_given', label: 'Guidance given' } },
    { type: 'COMPLETE', at },
    ...followUpStageIds.map((stage): InteractionEvent => ({ type: 'GO_TO_STAGE', at, stage })),
    { type: 'MARK_NOT_COVERED', at, stage: 'circumstances', reason: 'Customer had to go' },
    { type: 'CLEAR_NOT_COVERED', at, stage: 'circumstances' },
    { type: 'NOTE', at, stage: 'statusNow', text: 'Started at college in September' },
    { type: 'REVIEW_ACTION', at, actionId: 'a1', progress: 'done' },
    { type: 'RECORD_STATUS_NOW', at, status: 'college' },
    { type: 'RECORD_CHANGE', at, change: 'better' },
    { type: 'UPDATE_CALLER', at, withinRemit: false },
    {
      type: 'RAISE_CONCERN',
      at,
      concernId: id,
      category: 'bullying',
      whatWasSaid: 'Bullied at college',
      immediateRisk: false,
    },
    { type: 'ESCALATE_CONCERN', at, concernId: id, escalatedTo: 'Team leader' },
    {
      type: 'RECORD_SAFEGUARDING_ACTION',
      at,
      concernId: id,
      action: 'Talked it through',
      referral: null,
    },
    { type: 'RESOLVE_CONCERN', at, concernId: id, outcome: 'Safe' },
  ];
}

function serializeState(snapshot: InteractionSnapshot): string {
  const { context } = snapshot;
  const open = context.safeguarding.find((concern) => concern.resolvedAt === null);
  return JSON.stringify([
    snapshot.value,
    contextGaps(context).length,
    context.outcome,
    open ? open.actions.length > 0 : null,
  ]);
}

const valueOfPath = (path: string[]): unknown =>
  path.reduceRight<unknown>((inner, key) => (inner === null ? key : { [key]: inner }), null);

const isIn = (snapshot: InteractionSnapshot, path: string[]) =>
  path.length === 0 ||
  snapshot.matches(valueOfPath(path) as Parameters<InteractionSnapshot['matches']>[0]);

describe('the follow-up variant as a model', () => {
  const model = createTestModel(followUpInteractionMachine, {
    events: representativeEvents,
    serializeState,
  });
  const adjacency = model.getAdjacencyMap();
  const vertices = Object.values(adjacency);
  type Step = { event: InteractionEvent; state: InteractionSnapshot };
  const steps = vertices.flatMap((vertex) =>
    Object.values(vertex.transitions as Record<string, Step>).map((transition) => ({
      from: vertex.state,
      event: transition.event,
      to: transition.state,
    })),
  );

  it('reaches every state node of its definition, its own stages among them', () => {
    const unreached = allStateNodes(followUpInteractionMachine).filter(
      (node) => !vertices.some((vertex) => isIn(vertex.state, node.path)),
    );
    expect(unreached.map((node) => node.id)).toEqual([]);
    const stages = allStateNodes(followUpInteractionMachine)
      .filter((node) => node.path.at(-2) === 'stage')
      .map((node) => node.key);
    expect(stages).toEqual([...followUpStageIds]);
  });

  it('takes every transition of its definition, eventless ones aside', () => {
    const taken = new Set<string>();
    for (const { from, event } of steps) {
      for (const definition of followUpInteractionMachine.getTransitionData(from, event))
        taken.add(transitionKey(definition));
    }
    const untaken = allTransitions(followUpInteractionMachine)
      .filter((transition) => transition.event !== 'always')
      .filter((transition) => !taken.has(transition.key));
    expect(untaken.map((transition) => transition.key)).toEqual([]);
  });

  it('keeps its invariants in every state, and a completed one always makes a valid record', () => {
    for (const { state } of vertices) {
      const phase = contactPhase(state);
      if (phase === 'completed') {
        expect(contextGaps(state.context)).toEqual([]);
        const built = toInteractionRecord(state, {
          adviserId: 'demo-adviser',
          deskId: followUpIds.deskId,
          journal: [],
        });
        expect(built.ok).toBe(true);
        if (built.ok) {
          expect(interactionRecordSchema.safeParse(built.value.record).success).toBe(true);
          expect(built.value.followUp).toBeNull();
        }
      }
      // Guidance never creeps in: the summary's guidance stages stay as a follow-up starts them.
      expect(state.context.caller.withinRemit).toBeNull();
      if (state.matches({ contact: 'engaged' })) {
        expect(followUpStageIds).toContain(state.context.activeStage);
      }
    }
  });

  it('is one definition with the guidance variant: the same contact course and safeguarding', () => {
    const shared = (machine: typeof interactionMachine) =>
      allTransitions(machine)
        .filter((t) => !t.source.includes('.stage') && !t.source.endsWith('.idle'))
        .filter((t) => !t.source.endsWith('.engaged'))
        .map((t) => `${t.source} ${t.event} ${t.guard ?? ''}`);
    expect(shared(machineFor('follow_up'))).toEqual(shared(machineFor('guidance')));
  });

  it('a scripted follow-up call replays step for step to the live snapshot', () => {
    const call = scriptedFollowUpCall();
    expect(replay(call.journal, 'follow_up').context).toEqual(call.snapshot.context);
  });
});
