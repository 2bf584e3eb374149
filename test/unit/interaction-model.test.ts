// Model-based test: walk every reachable state of the interaction machine from
// its own graph, with one representative payload per event, and check that every
// state node and every transition in the definition is exercised, that each
// path replays to the same state, and that invariants hold everywhere.
import { createTestModel } from '@xstate/graph';
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { contextGaps } from '../../shared/interaction/completion';
import {
  contactPhase,
  interactionMachine,
  missingForCompletion,
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
import { stageIds } from '../../shared/interaction/taxonomy';

const at = '2025-03-03T10:00:00.000Z';
const interactionId = '6f1d7a3e-2b4c-4d5e-8f90-123456789abc';
const concernIdFor = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** One representative of every event, shaped by the state it is sent in. */
function representativeEvents(snapshot: InteractionSnapshot): InteractionEvent[] {
  const { context } = snapshot;
  const open = context.safeguarding.find((concern) => concern.resolvedAt === null);
  const concernId = open?.id ?? concernIdFor(context.safeguarding.length + 1);
  return [
    { type: 'OFFERED', at, interactionId, channel: 'voice', contactRef: 'call-1' },
    { type: 'ANSWER', at },
    { type: 'HOLD', at },
    { type: 'RESUME', at },
    { type: 'END_CALL', at },
    { type: 'CUSTOMER_DISCONNECTED', at, by: 'customer' },
    { type: 'CHOOSE_OUTCOME_CODE', at, code: { id: 'guidance_given', label: 'Guidance given' } },
    { type: 'COMPLETE', at },
    { type: 'CHAT_MESSAGE', at, line: { seq: 1, from: 'customer', text: 'Hi', at } },
    ...stageIds.map((stage): InteractionEvent => ({ type: 'GO_TO_STAGE', at, stage })),
    ...stageIds.map((stage): InteractionEvent => ({
      type: 'MARK_NOT_COVERED',
      at,
      stage,
      reason: 'Ran out of time',
    })),
    { type: 'CLEAR_NOT_COVERED', at, stage: 'barriers' },
    { type: 'NOTE', at, stage: 'barriers', text: 'Bus fares are a worry' },
    { type: 'UPDATE_CALLER', at, callerType: 'young_person', age: 24, withinRemit: false },
    { type: 'SIGNPOST', at, to: 'Adult careers service' },
    { type: 'UPDATE_STARTING_POINT', at, status: 'college', goals: 'Engineering' },
    { type: 'IDENTIFY_BARRIER', at, kind: 'transport' },
    { type: 'UPDATE_BARRIER', at, kind: 'transport', agreed: 'Apply for a bus pass' },
    { type: 'REMOVE_BARRIER', at, kind: 'transport' },
    { type: 'SET_NO_BARRIERS', at, noneIdentified: true },
    { type: 'UPDATE_SKILL', at, area: 'maths', level: 'gcse_4', improvementMatters: 'yes' },
    { type: 'SET_SKILLS_DISCUSSED', at, discussed: true },
    { type: 'UPDATE_MAIN_POINTS', at, text: 'Routes into engineering' },
    {
      type: 'ADD_ACTION',
      at,
      action: { id: 'a1', description: 'Visit open day', owner: 'customer', due: null },
    },
    { type: 'REMOVE_ACTION', at, actionId: 'a1' },
    { type: 'POINT_TO_ARTICLE', at, articleId: 'engineering-routes' },
    { type: 'REMOVE_ARTICLE', at, articleId: 'engineering-routes' },
    { type: 'POINT_TO_SERVICE', at, service: 'Local college' },
    { type: 'REMOVE_SERVICE', at, service: 'Local college' },
    {
      type: 'BOOK_FOLLOW_UP',
      at,
      bookingId: '0b7c1e8a-9d2f-4e3a-8b1c-abcdefabcdef',
      slotStart: '2025-04-07T16:00:00.000Z',
      contactMethod: 'phone',
      contactAddress: '07700 900123',
      consentRecorded: true,
    },
    { type: 'DECLINE_FOLLOW_UP', at },
    { type: 'REOPEN_FOLLOW_UP', at },
    { type: 'CHOOSE_TRANSCRIPT', at, decision: 'send', via: 'text', address: '07700 900123' },
    { type: 'ANSWER_SERVICE_QUESTIONS', at, heardFrom: 'friend', detail: '' },
    { type: 'SKIP_SERVICE_QUESTIONS', at, reason: 'Customer short of time' },
    { type: 'REOPEN_SERVICE_QUESTIONS', at },
    {
      type: 'RAISE_CONCERN',
      at,
      concernId,
      category: 'bullying',
      whatWasSaid: 'Bullied online',
      immediateRisk: false,
    },
    { type: 'ESCALATE_CONCERN', at, concernId, escalatedTo: 'Team leader' },
    {
      type: 'RECORD_SAFEGUARDING_ACTION',
      at,
      concernId,
      action: 'Gave Childline number',
      referral: 'Childline',
    },
    { type: 'RESOLVE_CONCERN', at, concernId, outcome: 'Customer safe at home' },
  ];
}

/**
 * Abstract state: where the machine is, how many gaps remain, whether it is
 * over, and whether an open concern has actions recorded (resolving needs them).
 * The gap count (not which gaps) keeps the graph small while still reaching
 * "nothing missing", so COMPLETE is exercised.
 */
function serializeState(snapshot: InteractionSnapshot): string {
  const { context } = snapshot;
  const open = context.safeguarding.find((concern) => concern.resolvedAt === null);
  const concernActed = open ? open.actions.length > 0 : null;
  return JSON.stringify([
    snapshot.value,
    contextGaps(context).length,
    context.outcome,
    concernActed,
  ]);
}

const valueOfPath = (path: string[]): unknown =>
  path.length === 0
    ? undefined
    : path.reduceRight<unknown>((inner, key) => (inner === null ? key : { [key]: inner }), null);

const isIn = (snapshot: InteractionSnapshot, path: string[]) =>
  path.length === 0 ||
  snapshot.matches(valueOfPath(path) as Parameters<InteractionSnapshot['matches']>[0]);

const pathOf = new Map(allStateNodes(interactionMachine).map((node) => [node.id, node.path]));

function checkInvariants(snapshot: InteractionSnapshot) {
  const { context } = snapshot;
  const openConcern = context.safeguarding.some((concern) => concern.resolvedAt === null);
  expect(snapshot.matches({ safeguarding: 'concernOpen' })).toBe(openConcern);
  const phase = contactPhase(snapshot);
  if (phase === 'completed') {
    expect(openConcern).toBe(false);
    expect(contextGaps(context)).toEqual([]);
    const record = toInteractionRecord(snapshot, {
      adviserId: 'demo-adviser',
      deskId: '11111111-2222-4333-8444-555555555555',
      journal: [],
    });
    expect(record.ok && interactionRecordSchema.safeParse(record.value.record).success).toBe(true);
  }
  if (phase === 'completed' || phase === 'missed') {
    expect(snapshot.status).toBe('done');
    expect(missingForCompletion(snapshot)).toEqual([]);
  } else {
    expect(snapshot.status).toBe('active');
  }
  if (snapshot.matches({ contact: 'engaged' })) {
    expect(snapshot.matches({ contact: { engaged: { stage: context.activeStage } } })).toBe(true);
  }
  const openHolds = context.call.holds.filter((hold) => hold.to === null).length;
  expect(openHolds).toBe(phase === 'onHold' ? 1 : 0);
}

describe('the interaction machine as a model', () => {
  const model = createTestModel(interactionMachine, {
    events: representativeEvents,
    serializeState,
  });
  const adjacency = model.getAdjacencyMap();
  type Step = { event: InteractionEvent; state: InteractionSnapshot };
  const steps = Object.values(adjacency).flatMap((vertex) =>
    Object.values(vertex.transitions as Record<string, Step>).map((transition) => ({
      from: vertex.state,
      event: transition.event,
      to: transition.state,
    })),
  );

  it('reaches every state node of the definition', () => {
    const reached = Object.values(adjacency).map((vertex) => vertex.state);
    const unreached = allStateNodes(interactionMachine).filter(
      (node) => !reached.some((snapshot) => isIn(snapshot, node.path)),
    );
    expect(unreached.map((node) => node.id)).toEqual([]);
  });

  it('takes every transition of the definition', () => {
    const taken = new Set<string>();
    for (const { from, event, to } of steps) {
      for (const definition of interactionMachine.getTransitionData(from, event))
        taken.add(transitionKey(definition));
      // Eventless transitions run after the event: seen as a move between their states.
      for (const transition of allTransitions(interactionMachine).filter(
        (t) => t.event === 'always',
      )) {
        const [target] = transition.targets;
        if (
          target &&
          isIn(from, pathOf.get(transition.source) ?? []) &&
          isIn(to, pathOf.get(target) ?? [])
        ) {
          taken.add(transition.key);
        }
      }
    }
    const untaken = allTransitions(interactionMachine).filter(
      (transition) => !taken.has(transition.key),
    );
    expect(untaken.map((t) => `${t.key}${t.guard ? ` [${t.guard}]` : ''}`)).toEqual([]);
  });

  it('replays the shortest path to every reachable state and finds the invariants hold on the way', () => {
    const paths = model.getShortestPaths({ allowDuplicatePaths: true });
    expect(paths.length).toBe(Object.keys(adjacency).length);
    for (const path of paths) {
      const actor = createActor(interactionMachine).start();
      checkInvariants(actor.getSnapshot());
      for (const step of path.steps) {
        actor.send(step.event);
        checkInvariants(actor.getSnapshot());
      }
      expect(serializeState(actor.getSnapshot())).toBe(serializeState(path.state));
      actor.stop();
    }
  });
});
