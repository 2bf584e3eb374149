// Replay is exact: whatever events reach the machine, in whatever order,
// replaying the journal reproduces the persisted snapshot to the last field.
import fc from 'fast-check';
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import {
  appendToJournal,
  interactionEventSchema,
  interactionMachine,
  replay,
  type InteractionEvent,
} from '../../shared/interaction/machine';
import type { JournalEntry } from '../../shared/interaction/record';
import { barrierKinds, skillAreas, skillLevels, stageIds } from '../../shared/interaction/taxonomy';

const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const stage = fc.constantFrom(...stageIds);
const text = fc.string({ maxLength: 20 });

/** Events without their time; the generator stamps them in order. */
const unstampedEvent: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ type: 'ANSWER' }),
  fc.constant({ type: 'HOLD' }),
  fc.constant({ type: 'RESUME' }),
  fc.constant({ type: 'END_CALL' }),
  fc.constant({ type: 'COMPLETE' }),
  fc.constant({
    type: 'CHOOSE_OUTCOME_CODE',
    code: { id: 'guidance_given', label: 'Guidance given' },
  }),
  fc.constantFrom('customer', 'network').map((by) => ({ type: 'CUSTOMER_DISCONNECTED', by })),
  stage.map((s) => ({ type: 'GO_TO_STAGE', stage: s })),
  fc.tuple(stage, text).map(([s, t]) => ({ type: 'NOTE', stage: s, text: t })),
  stage.map((s) => ({ type: 'MARK_NOT_COVERED', stage: s, reason: 'No time' })),
  stage.map((s) => ({ type: 'CLEAR_NOT_COVERED', stage: s })),
  fc.tuple(fc.option(fc.integer({ min: 10, max: 30 })), fc.boolean()).map(([age, withinRemit]) => ({
    type: 'UPDATE_CALLER',
    callerType: 'young_person',
    age,
    withinRemit,
  })),
  fc.constant({ type: 'SIGNPOST', to: 'Adult careers service' }),
  text.map((goals) => ({ type: 'UPDATE_STARTING_POINT', status: 'neet', goals })),
  fc.constantFrom(...barrierKinds).map((kind) => ({ type: 'IDENTIFY_BARRIER', kind })),
  fc.constantFrom(...barrierKinds).map((kind) => ({ type: 'REMOVE_BARRIER', kind })),
  fc
    .tuple(fc.constantFrom(...barrierKinds), text)
    .map(([kind, agreed]) => ({ type: 'UPDATE_BARRIER', kind, agreed })),
  fc.boolean().map((noneIdentified) => ({ type: 'SET_NO_BARRIERS', noneIdentified })),
  fc
    .tuple(fc.constantFrom(...skillAreas), fc.constantFrom(...skillLevels))
    .map(([area, level]) => ({ type: 'UPDATE_SKILL', area, level, improvementMatters: 'yes' })),
  text.map((t) => ({ type: 'UPDATE_MAIN_POINTS', text: t })),
  fc.integer({ min: 1, max: 3 }).map((n) => ({
    type: 'ADD_ACTION',
    action: { id: `a${n}`, description: 'Do it', owner: 'customer', due: null },
  })),
  fc.integer({ min: 1, max: 3 }).map((n) => ({ type: 'REMOVE_ACTION', actionId: `a${n}` })),
  fc.integer({ min: 0, max: 120 }).map((days) => ({
    type: 'BOOK_FOLLOW_UP',
    bookingId: uuidOf(days + 1),
    slotStart: new Date(Date.UTC(2025, 2, 3, 12) + days * 86_400_000).toISOString(),
    contactMethod: 'phone',
    contactAddress: '07700 900123',
    consentRecorded: true,
  })),
  fc.constant({ type: 'DECLINE_FOLLOW_UP' }),
  fc.constant({
    type: 'CHOOSE_TRANSCRIPT',
    decision: 'send',
    via: 'email',
    address: 'a@example.com',
  }),
  fc.constant({ type: 'SKIP_SERVICE_QUESTIONS', reason: 'Customer short of time' }),
  fc.integer({ min: 1, max: 3 }).map((n) => ({
    type: 'RAISE_CONCERN',
    concernId: uuidOf(n),
    category: 'bullying',
    whatWasSaid: 'x',
    immediateRisk: false,
  })),
  fc
    .integer({ min: 1, max: 3 })
    .map((n) => ({ type: 'ESCALATE_CONCERN', concernId: uuidOf(n), escalatedTo: 'TL' })),
  fc.integer({ min: 1, max: 3 }).map((n) => ({
    type: 'RECORD_SAFEGUARDING_ACTION',
    concernId: uuidOf(n),
    action: 'Called',
    referral: null,
  })),
  fc
    .integer({ min: 1, max: 3 })
    .map((n) => ({ type: 'RESOLVE_CONCERN', concernId: uuidOf(n), outcome: 'Safe' })),
);

/** Most generated contacts are answered at once, so the stages get a real workout. */
const steps = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(unstampedEvent, fc.integer({ min: 0, max: 600 })), { maxLength: 60 }),
  )
  .map(([answered, rest]) => (answered ? [[{ type: 'ANSWER' }, 5] as const, ...rest] : rest));

const contact = steps.map((steps) => {
  let clock = Date.UTC(2025, 2, 3, 10);
  const offer = {
    type: 'OFFERED',
    interactionId: uuidOf(999),
    channel: 'voice',
    contactRef: 'call-1',
    at: new Date(clock).toISOString(),
  };
  const events = [
    offer,
    ...steps.map(([event, gap]) => ({
      ...event,
      at: new Date((clock += gap * 1000)).toISOString(),
    })),
  ];
  return events.map((event) => interactionEventSchema.parse(event));
});

describe('replay', () => {
  it('reproduces the persisted snapshot of any generated contact exactly', () => {
    fc.assert(
      fc.property(contact, (events: InteractionEvent[]) => {
        const live = createActor(interactionMachine).start();
        let journal: JournalEntry[] = [];
        for (const event of events) {
          // A finished interaction takes no more events; the desk stops sending them.
          if (live.getSnapshot().status !== 'active') break;
          journal = appendToJournal(journal, event);
          live.send(event);
        }
        const rebuilt = createActor(interactionMachine, { snapshot: replay(journal) }).start();
        expect(JSON.parse(JSON.stringify(rebuilt.getPersistedSnapshot()))).toEqual(
          JSON.parse(JSON.stringify(live.getPersistedSnapshot())),
        );
      }),
      { numRuns: 300 },
    );
  });
});
