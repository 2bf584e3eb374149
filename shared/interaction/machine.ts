// The interaction machine: one live voice call or web chat from ringing to
// completed, with free movement between stages and safeguarding alongside.
// Pure: no I/O and no clock; every event carries `at`, so replay is exact.
//
// It comes in two variants built from one definition (`defineInteractionMachine`):
// the guidance of a contact the customer made (eight stages), and the follow-up
// call the helpline makes weeks later (the action plan reviewed, the status
// now, the change). Both share the contact's course, notes, "not covered",
// safeguarding, wrap-up and completion; only the stages and their work differ.
import { and, assertEvent, assign, createActor, emit, setup, type SnapshotFrom } from 'xstate';
import { fail, ok, type Result } from '../result';
import { contactAddressProblem, followUpContactProblem } from '../domain/contact-address';
import {
  contactTime,
  contextGaps,
  variantStages,
  type InteractionContext,
  type MissingItem,
} from './completion';
import type { InteractionEvent, InteractionEventOf, SafeguardingRaisedEmitted } from './events';
import { checkFollowUpSlot } from './follow-up';
import {
  interactionSummarySchema,
  type FollowUpBooking,
  type InteractionRecord,
  type InteractionSummary,
  type InteractionVariant,
  type JournalEntry,
  type SafeguardingConcern,
  type SkillCheck,
} from './record';
import type { AnyStageId } from './taxonomy';

export type {
  InteractionEvent,
  InteractionEventOf,
  InteractionEventType,
  SafeguardingRaisedEmitted,
} from './events';
export { interactionEventSchema } from './events';
export type { InteractionContext, MissingItem, StageStatus } from './completion';
export {
  stageStatus,
  stageGap,
  stageGaps,
  stageNeeded,
  stageStatusLabels,
  contactTime,
  variantStages,
} from './completion';
export type { InteractionVariant } from './record';

/**
 * Bumped whenever a change to the definition could replay an old journal
 * differently. Records carry it so the server replays through the right one.
 */
export const INTERACTION_MACHINE_VERSION = 2;

const emptySkill = (): SkillCheck => ({ level: null, predicted: '', improvementMatters: null });

/** The stage on screen when each variant's contact is answered: the first in its navigator. */
const firstStage: Record<InteractionVariant, AnyStageId> = {
  guidance: 'callerEligibility',
  follow_up: 'actionReview',
};

export function initialInteractionContext(
  variant: InteractionVariant = 'guidance',
): InteractionContext {
  return {
    variant,
    interactionId: null,
    channel: null,
    contactRef: null,
    outcome: 'open',
    completedAt: null,
    activeStage: firstStage[variant],
    followUpRefusal: null,
    followUpOf: null,
    caller: { callerType: null, age: null, withinRemit: null, signpostedTo: null },
    startingPoint: { status: null, schoolYear: null, goals: '', alreadyKnowsOrDone: '' },
    barriers: { noneIdentified: false, identified: [] },
    skillsCheck: {
      english: emptySkill(),
      maths: emptySkill(),
      digital: emptySkill(),
      discussed: false,
    },
    nextSteps: { mainPoints: '', actions: [], articleIds: [], services: [] },
    followUp: { decision: 'not_offered' },
    transcript: { decision: 'not_offered' },
    serviceQuestions: { outcome: 'not_asked' },
    notes: {},
    notCovered: {},
    safeguarding: [],
    chat: [],
    call: {
      offeredAt: null,
      connectedAt: null,
      holds: [],
      endedAt: null,
      endedBy: null,
      endedDuringStage: null,
      wrapUpStartedAt: null,
    },
  };
}

const openConcern = (context: InteractionContext): SafeguardingConcern | undefined =>
  context.safeguarding.find((concern) => concern.resolvedAt === null);

const updateOpenConcern = (
  context: InteractionContext,
  concernId: string,
  change: (concern: SafeguardingConcern) => SafeguardingConcern,
) => context.safeguarding.map((concern) => (concern.id === concernId ? change(concern) : concern));

/** Closes a hold still open when the call ends: hold time must not run on after the customer has gone. */
const closeHolds = (context: InteractionContext, at: string) =>
  context.call.holds.map((hold) => (hold.to === null ? { ...hold, to: at } : hold));

function followUpCheck(context: InteractionContext, event: InteractionEventOf<'BOOK_FOLLOW_UP'>) {
  if (!event.consentRecorded) {
    return {
      ok: false as const,
      code: 'no_consent',
      reason: 'Record the customer’s consent to be called back.',
    };
  }
  // The booking's contact goes to the server and is used to reach the customer:
  // one mailbox, one UK mobile for a text, or one UK number for a call.
  const contactProblem = followUpContactProblem(event.contactMethod, event.contactAddress.trim());
  if (contactProblem) {
    return { ok: false as const, code: 'contact_address', reason: contactProblem };
  }
  const contactAt = contactTime(context) ?? event.at;
  return checkFollowUpSlot(contactAt, context.caller.age, event.slotStart, event.serviceHours);
}

/**
 * Why a transcript address cannot be used, or null when it can. The screen
 * shows it before sending; the machine and the record ask the same shared
 * check, so an address the machine accepts is never refused at completion.
 */
export function transcriptAddressProblem(via: 'email' | 'text', address: string): string | null {
  return contactAddressProblem(via, address);
}

const stageGuard = (stage: AnyStageId) => ({ type: 'isStage' as const, params: { stage } });
const stageState = (stage: AnyStageId) => ({
  entry: { type: 'rememberStage' as const, params: { stage } },
});

/** Every guard and action either variant uses, named once; each variant's states refer to them by name. */
const interactionSetup = setup({
  types: {
    context: {} as InteractionContext,
    events: {} as InteractionEvent,
    emitted: {} as SafeguardingRaisedEmitted,
  },
  guards: {
    isStage: ({ event }, params: { stage: AnyStageId }) =>
      event.type === 'GO_TO_STAGE' && event.stage === params.stage,
    // A version-1 journal completed before outcome codes existed: its migrated
    // COMPLETE says so, and only that one gap is let pass (replay-timeline.ts).
    canComplete: ({ context, event }) =>
      contextGaps(context).every(
        (gap) =>
          gap.area === 'outcome' &&
          event.type === 'COMPLETE' &&
          event.recordedBeforeOutcomeCodes === true,
      ),
    followUpSlotAcceptable: ({ context, event }) => {
      assertEvent(event, 'BOOK_FOLLOW_UP');
      return followUpCheck(context, event).ok;
    },
    transcriptChoiceUsable: ({ event }) => {
      assertEvent(event, 'CHOOSE_TRANSCRIPT');
      if (event.decision === 'declined') return true;
      return (
        event.via !== null &&
        event.address !== null &&
        transcriptAddressProblem(event.via, event.address) === null
      );
    },
    interactionLive: ({ context }) =>
      context.call.connectedAt !== null && context.outcome === 'open',
    contactClosed: ({ context }) => context.outcome !== 'open',
    isOpenConcern: ({ context, event }) =>
      'concernId' in event && openConcern(context)?.id === event.concernId,
    concernReadyToResolve: ({ context, event }) => {
      const concern = openConcern(context);
      return (
        'concernId' in event &&
        concern?.id === event.concernId &&
        concern.escalatedAt !== null &&
        concern.actions.length > 0
      );
    },
    concernIdIsNew: ({ context, event }) =>
      'concernId' in event &&
      !context.safeguarding.some((concern) => concern.id === event.concernId),
    signpostingAllowed: ({ context }) => context.caller.withinRemit === false,
  },
  actions: {
    rememberStage: assign((_, params: { stage: AnyStageId }) => ({ activeStage: params.stage })),
    recordOffer: assign(({ event }) => {
      assertEvent(event, 'OFFERED');
      return {
        interactionId: event.interactionId,
        channel: event.channel,
        contactRef: event.contactRef,
        call: { ...initialInteractionContext().call, offeredAt: event.at },
      };
    }),
    recordFollowUpDialled: assign(({ event }) => {
      assertEvent(event, 'FOLLOW_UP_DIALLED');
      return {
        interactionId: event.interactionId,
        // The helpline rings the customer: a follow-up is a voice call.
        channel: 'voice' as const,
        contactRef: event.contactRef,
        call: { ...initialInteractionContext('follow_up').call, offeredAt: event.at },
        followUpOf: {
          bookingId: event.bookingId,
          firstInteractionId: event.firstInteractionId,
          actions: event.actions.map((action) => ({
            actionId: action.id,
            description: action.description,
            owner: action.owner,
            progress: null,
          })),
          statusAtFirstContact: event.statusAtFirstContact,
          statusNow: null,
          change: null,
        },
      };
    }),
    reviewAction: assign(({ context, event }) => {
      assertEvent(event, 'REVIEW_ACTION');
      const review = context.followUpOf;
      if (!review) return {};
      return {
        followUpOf: {
          ...review,
          actions: review.actions.map((action) =>
            action.actionId === event.actionId ? { ...action, progress: event.progress } : action,
          ),
        },
      };
    }),
    recordStatusNow: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_STATUS_NOW');
      return context.followUpOf
        ? { followUpOf: { ...context.followUpOf, statusNow: event.status } }
        : {};
    }),
    recordChange: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_CHANGE');
      return context.followUpOf
        ? { followUpOf: { ...context.followUpOf, change: event.change } }
        : {};
    }),
    recordAnswer: assign(({ context, event }) => ({
      call: { ...context.call, connectedAt: event.at },
    })),
    recordMissed: assign(({ context, event }) => {
      assertEvent(event, 'CUSTOMER_DISCONNECTED');
      return {
        outcome: 'missed' as const,
        call: { ...context.call, endedAt: event.at, endedBy: event.by },
      };
    }),
    startHold: assign(({ context, event }) => ({
      call: { ...context.call, holds: [...context.call.holds, { from: event.at, to: null }] },
    })),
    endHold: assign(({ context, event }) => ({
      call: { ...context.call, holds: closeHolds(context, event.at) },
    })),
    recordCallEnded: assign(({ context, event }) => {
      assertEvent(event, ['END_CALL', 'CUSTOMER_DISCONNECTED']);
      return {
        call: {
          ...context.call,
          holds: closeHolds(context, event.at),
          endedAt: event.at,
          endedBy: event.type === 'END_CALL' ? ('adviser' as const) : event.by,
          endedDuringStage: context.activeStage,
          wrapUpStartedAt: event.at,
        },
      };
    }),
    chooseOutcomeCode: assign(({ event }) => {
      assertEvent(event, 'CHOOSE_OUTCOME_CODE');
      // The label is kept as the adviser read it: a later rename leaves this record as it was.
      return { outcomeCode: { id: event.code.id, label: event.code.label.trim(), at: event.at } };
    }),
    recordCompleted: assign(({ event }) => ({
      outcome: 'completed' as const,
      completedAt: event.at,
    })),
    recordNote: assign(({ context, event }) => {
      assertEvent(event, 'NOTE');
      return { notes: { ...context.notes, [event.stage]: event.text } };
    }),
    markNotCovered: assign(({ context, event }) => {
      assertEvent(event, 'MARK_NOT_COVERED');
      return { notCovered: { ...context.notCovered, [event.stage]: event.reason.trim() } };
    }),
    clearNotCovered: assign(({ context, event }) => {
      assertEvent(event, 'CLEAR_NOT_COVERED');
      const notCovered = { ...context.notCovered };
      delete notCovered[event.stage];
      return { notCovered };
    }),
    updateCaller: assign(({ context, event }) => {
      assertEvent(event, 'UPDATE_CALLER');
      const caller = { ...context.caller };
      if (event.callerType !== undefined) caller.callerType = event.callerType;
      if (event.age !== undefined) caller.age = event.age;
      if (event.withinRemit !== undefined) caller.withinRemit = event.withinRemit;
      // Not given is the field's absence, as on records made before it was asked.
      if (event.region === null) delete caller.region;
      else if (event.region !== undefined) caller.region = event.region;
      // Signposting belongs to an out-of-remit decision; coming back into remit drops it.
      if (caller.withinRemit !== false) caller.signpostedTo = null;
      return { caller };
    }),
    recordSignposting: assign(({ context, event }) => {
      assertEvent(event, 'SIGNPOST');
      return { caller: { ...context.caller, signpostedTo: event.to.trim() } };
    }),
    updateStartingPoint: assign(({ context, event }) => {
      assertEvent(event, 'UPDATE_STARTING_POINT');
      const startingPoint = { ...context.startingPoint };
      if (event.status !== undefined) startingPoint.status = event.status;
      if (event.schoolYear !== undefined) startingPoint.schoolYear = event.schoolYear;
      if (event.goals !== undefined) startingPoint.goals = event.goals;
      if (event.alreadyKnowsOrDone !== undefined)
        startingPoint.alreadyKnowsOrDone = event.alreadyKnowsOrDone;
      if (startingPoint.status !== 'school') startingPoint.schoolYear = null;
      return { startingPoint };
    }),
    identifyBarrier: assign(({ context, event }) => {
      assertEvent(event, 'IDENTIFY_BARRIER');
      if (context.barriers.identified.some((barrier) => barrier.kind === event.kind)) return {};
      return {
        barriers: {
          noneIdentified: false,
          identified: [
            ...context.barriers.identified,
            { kind: event.kind, notes: '', agreed: '', referral: null },
          ],
        },
      };
    }),
    removeBarrier: assign(({ context, event }) => {
      assertEvent(event, 'REMOVE_BARRIER');
      return {
        barriers: {
          ...context.barriers,
          identified: context.barriers.identified.filter((barrier) => barrier.kind !== event.kind),
        },
      };
    }),
    updateBarrier: assign(({ context, event }) => {
      assertEvent(event, 'UPDATE_BARRIER');
      return {
        barriers: {
          ...context.barriers,
          identified: context.barriers.identified.map((barrier) =>
            barrier.kind === event.kind
              ? {
                  ...barrier,
                  notes: event.notes ?? barrier.notes,
                  agreed: event.agreed ?? barrier.agreed,
                  referral: event.referral === undefined ? barrier.referral : event.referral,
                }
              : barrier,
          ),
        },
      };
    }),
    setNoBarriers: assign(({ context, event }) => {
      assertEvent(event, 'SET_NO_BARRIERS');
      // "None identified" and a list of barriers contradict each other; the latest word wins.
      return {
        barriers: {
          noneIdentified: event.noneIdentified,
          identified: event.noneIdentified ? [] : context.barriers.identified,
        },
      };
    }),
    updateSkill: assign(({ context, event }) => {
      assertEvent(event, 'UPDATE_SKILL');
      const current = context.skillsCheck[event.area];
      const next: SkillCheck = {
        level: event.level === undefined ? current.level : event.level,
        predicted: event.predicted ?? current.predicted,
        improvementMatters:
          event.improvementMatters === undefined
            ? current.improvementMatters
            : event.improvementMatters,
      };
      return { skillsCheck: { ...context.skillsCheck, [event.area]: next } };
    }),
    setSkillsDiscussed: assign(({ context, event }) => {
      assertEvent(event, 'SET_SKILLS_DISCUSSED');
      return { skillsCheck: { ...context.skillsCheck, discussed: event.discussed } };
    }),
    updateMainPoints: assign(({ context, event }) => {
      assertEvent(event, 'UPDATE_MAIN_POINTS');
      return { nextSteps: { ...context.nextSteps, mainPoints: event.text } };
    }),
    addAction: assign(({ context, event }) => {
      assertEvent(event, 'ADD_ACTION');
      const actions = context.nextSteps.actions.filter((action) => action.id !== event.action.id);
      return { nextSteps: { ...context.nextSteps, actions: [...actions, event.action] } };
    }),
    removeAction: assign(({ context, event }) => {
      assertEvent(event, 'REMOVE_ACTION');
      return {
        nextSteps: {
          ...context.nextSteps,
          actions: context.nextSteps.actions.filter((action) => action.id !== event.actionId),
        },
      };
    }),
    recordChatLine: assign(({ context, event }) => {
      assertEvent(event, 'CHAT_MESSAGE');
      // Only a web chat has a chat log. A message seen again (a resend after a
      // reconnect) changes nothing; the log stays in chat order.
      if (context.channel !== 'webchat') return {};
      if (context.chat.some((line) => line.seq === event.line.seq)) return {};
      return { chat: [...context.chat, event.line].sort((a, b) => a.seq - b.seq) };
    }),
    pointToArticle: assign(({ context, event }) => {
      assertEvent(event, 'POINT_TO_ARTICLE');
      if (context.nextSteps.articleIds.includes(event.articleId)) return {};
      const { articleLinks } = context.nextSteps;
      return {
        nextSteps: {
          ...context.nextSteps,
          articleIds: [...context.nextSteps.articleIds, event.articleId],
          // Kept as it was shown; an event without it (an older journal) adds
          // nothing, so an older journal replays to exactly its old summary.
          ...(event.shown
            ? {
                articleLinks: [
                  ...(articleLinks ?? []),
                  { articleId: event.articleId, ...event.shown },
                ],
              }
            : {}),
        },
      };
    }),
    removeArticle: assign(({ context, event }) => {
      assertEvent(event, 'REMOVE_ARTICLE');
      const { articleLinks } = context.nextSteps;
      return {
        nextSteps: {
          ...context.nextSteps,
          articleIds: context.nextSteps.articleIds.filter((id) => id !== event.articleId),
          ...(articleLinks
            ? { articleLinks: articleLinks.filter((link) => link.articleId !== event.articleId) }
            : {}),
        },
      };
    }),
    pointToService: assign(({ context, event }) => {
      assertEvent(event, 'POINT_TO_SERVICE');
      const service = event.service.trim();
      if (context.nextSteps.services.includes(service)) return {};
      return {
        nextSteps: { ...context.nextSteps, services: [...context.nextSteps.services, service] },
      };
    }),
    removeService: assign(({ context, event }) => {
      assertEvent(event, 'REMOVE_SERVICE');
      return {
        nextSteps: {
          ...context.nextSteps,
          services: context.nextSteps.services.filter((s) => s !== event.service),
        },
      };
    }),
    bookFollowUp: assign(({ event }) => {
      assertEvent(event, 'BOOK_FOLLOW_UP');
      return {
        followUpRefusal: null,
        followUp: {
          decision: 'accepted' as const,
          bookingId: event.bookingId,
          slotStart: event.slotStart,
          contactMethod: event.contactMethod,
          contactAddress: event.contactAddress.trim(),
          consentRecorded: true as const,
          at: event.at,
          ...(event.serviceHours ? { serviceHours: event.serviceHours } : {}),
        },
      };
    }),
    refuseFollowUp: assign(({ context, event }) => {
      assertEvent(event, 'BOOK_FOLLOW_UP');
      const check = followUpCheck(context, event);
      return { followUpRefusal: check.ok ? null : { code: check.code, reason: check.reason } };
    }),
    declineFollowUp: assign(({ event }) => ({
      followUpRefusal: null,
      followUp: { decision: 'declined' as const, at: event.at },
    })),
    reopenFollowUp: assign(() => ({
      followUpRefusal: null,
      followUp: { decision: 'not_offered' as const },
    })),
    chooseTranscript: assign(({ event }) => {
      assertEvent(event, 'CHOOSE_TRANSCRIPT');
      if (event.decision === 'declined' || event.via === null || event.address === null) {
        return { transcript: { decision: 'declined' as const } };
      }
      return {
        transcript: { decision: 'send' as const, via: event.via, address: event.address.trim() },
      };
    }),
    answerServiceQuestions: assign(({ event }) => {
      assertEvent(event, 'ANSWER_SERVICE_QUESTIONS');
      return {
        serviceQuestions: {
          outcome: 'answered' as const,
          heardFrom: event.heardFrom,
          detail: event.detail,
        },
      };
    }),
    skipServiceQuestions: assign(({ event }) => {
      assertEvent(event, 'SKIP_SERVICE_QUESTIONS');
      return { serviceQuestions: { outcome: 'skipped' as const, reason: event.reason.trim() } };
    }),
    reopenServiceQuestions: assign(() => ({ serviceQuestions: { outcome: 'not_asked' as const } })),
    raiseConcern: assign(({ context, event }) => {
      assertEvent(event, 'RAISE_CONCERN');
      const concern: SafeguardingConcern = {
        id: event.concernId,
        category: event.category,
        whatWasSaid: event.whatWasSaid,
        immediateRisk: event.immediateRisk,
        raisedAt: event.at,
        raisedDuringStage: context.activeStage,
        escalatedTo: null,
        escalatedAt: null,
        actions: [],
        resolvedAt: null,
        outcome: null,
      };
      return { safeguarding: [...context.safeguarding, concern] };
    }),
    announceConcern: emit(({ context, event }) => {
      assertEvent(event, 'RAISE_CONCERN');
      return {
        type: 'safeguarding.raised' as const,
        concernId: event.concernId,
        interactionId: context.interactionId,
        category: event.category,
        immediateRisk: event.immediateRisk,
        at: event.at,
      };
    }),
    escalateConcern: assign(({ context, event }) => {
      assertEvent(event, 'ESCALATE_CONCERN');
      return {
        safeguarding: updateOpenConcern(context, event.concernId, (concern) => ({
          ...concern,
          escalatedTo: event.escalatedTo.trim(),
          escalatedAt: event.at,
        })),
      };
    }),
    recordSafeguardingAction: assign(({ context, event }) => {
      assertEvent(event, 'RECORD_SAFEGUARDING_ACTION');
      return {
        safeguarding: updateOpenConcern(context, event.concernId, (concern) => ({
          ...concern,
          actions: [
            ...concern.actions,
            { at: event.at, action: event.action.trim(), referral: event.referral },
          ],
        })),
      };
    }),
    resolveConcern: assign(({ context, event }) => {
      assertEvent(event, 'RESOLVE_CONCERN');
      return {
        safeguarding: updateOpenConcern(context, event.concernId, (concern) => ({
          ...concern,
          resolvedAt: event.at,
          outcome: event.outcome,
        })),
      };
    }),
  },
});

/**
 * One variant of the machine. The contact's course, safeguarding, notes, "not
 * covered", wrap-up and completion are the same in each; the stages, the work
 * recorded in them and the event that starts the contact are the variant's.
 * Built by one function so both variants are one type: a snapshot, an actor or
 * a replay is handled the same way whichever variant it runs.
 */
function defineInteractionMachine(variant: InteractionVariant) {
  const stages = variantStages[variant];
  const followUp = variant === 'follow_up';
  return interactionSetup.createMachine({
    id: 'interaction',
    type: 'parallel',
    context: () => initialInteractionContext(variant),
    states: {
      contact: {
        initial: 'idle',
        states: {
          idle: {
            // A contact the customer made is offered; a follow-up is dialled by the helpline.
            on: followUp
              ? { FOLLOW_UP_DIALLED: { target: 'ringing', actions: 'recordFollowUpDialled' } }
              : { OFFERED: { target: 'ringing', actions: 'recordOffer' } },
          },
          ringing: {
            on: {
              ANSWER: { target: 'engaged', actions: 'recordAnswer' },
              CUSTOMER_DISCONNECTED: { target: 'missed', actions: 'recordMissed' },
            },
          },
          engaged: {
            type: 'parallel',
            on: followUp
              ? {
                  NOTE: { actions: 'recordNote' },
                  MARK_NOT_COVERED: { actions: 'markNotCovered' },
                  CLEAR_NOT_COVERED: { actions: 'clearNotCovered' },
                  REVIEW_ACTION: { actions: 'reviewAction' },
                  RECORD_STATUS_NOW: { actions: 'recordStatusNow' },
                  RECORD_CHANGE: { actions: 'recordChange' },
                }
              : {
                  NOTE: { actions: 'recordNote' },
                  CHAT_MESSAGE: { actions: 'recordChatLine' },
                  MARK_NOT_COVERED: { actions: 'markNotCovered' },
                  CLEAR_NOT_COVERED: { actions: 'clearNotCovered' },
                  UPDATE_CALLER: { actions: 'updateCaller' },
                  SIGNPOST: { guard: 'signpostingAllowed', actions: 'recordSignposting' },
                  UPDATE_STARTING_POINT: { actions: 'updateStartingPoint' },
                  IDENTIFY_BARRIER: { actions: 'identifyBarrier' },
                  REMOVE_BARRIER: { actions: 'removeBarrier' },
                  UPDATE_BARRIER: { actions: 'updateBarrier' },
                  SET_NO_BARRIERS: { actions: 'setNoBarriers' },
                  UPDATE_SKILL: { actions: 'updateSkill' },
                  SET_SKILLS_DISCUSSED: { actions: 'setSkillsDiscussed' },
                  UPDATE_MAIN_POINTS: { actions: 'updateMainPoints' },
                  ADD_ACTION: { actions: 'addAction' },
                  REMOVE_ACTION: { actions: 'removeAction' },
                  POINT_TO_ARTICLE: { actions: 'pointToArticle' },
                  REMOVE_ARTICLE: { actions: 'removeArticle' },
                  POINT_TO_SERVICE: { actions: 'pointToService' },
                  REMOVE_SERVICE: { actions: 'removeService' },
                  BOOK_FOLLOW_UP: [
                    { guard: 'followUpSlotAcceptable', actions: 'bookFollowUp' },
                    { actions: 'refuseFollowUp' },
                  ],
                  DECLINE_FOLLOW_UP: { actions: 'declineFollowUp' },
                  REOPEN_FOLLOW_UP: { actions: 'reopenFollowUp' },
                  CHOOSE_TRANSCRIPT: {
                    guard: 'transcriptChoiceUsable',
                    actions: 'chooseTranscript',
                  },
                  ANSWER_SERVICE_QUESTIONS: { actions: 'answerServiceQuestions' },
                  SKIP_SERVICE_QUESTIONS: { actions: 'skipServiceQuestions' },
                  REOPEN_SERVICE_QUESTIONS: { actions: 'reopenServiceQuestions' },
                },
            states: {
              phase: {
                initial: 'connected',
                states: {
                  connected: {
                    initial: 'live',
                    on: {
                      END_CALL: { target: 'wrapUp', actions: 'recordCallEnded' },
                      CUSTOMER_DISCONNECTED: { target: 'wrapUp', actions: 'recordCallEnded' },
                    },
                    states: {
                      live: { on: { HOLD: { target: 'onHold', actions: 'startHold' } } },
                      onHold: { on: { RESUME: { target: 'live', actions: 'endHold' } } },
                    },
                  },
                  // No timer here: after-contact notes take as long as they take.
                  wrapUp: {
                    on: {
                      CHOOSE_OUTCOME_CODE: { actions: 'chooseOutcomeCode' },
                      COMPLETE: {
                        guard: 'canComplete',
                        target: '#interaction.contact.completed',
                        actions: 'recordCompleted',
                      },
                    },
                  },
                },
              },
              stage: {
                initial: firstStage[variant],
                on: {
                  GO_TO_STAGE: stages.map((stage) => ({
                    guard: stageGuard(stage),
                    target: `.${stage}`,
                  })),
                },
                states: Object.fromEntries(stages.map((stage) => [stage, stageState(stage)])),
              },
            },
          },
          completed: { type: 'final' },
          missed: { type: 'final' },
        },
      },
      safeguarding: {
        initial: 'noConcern',
        states: {
          noConcern: {
            always: { guard: 'contactClosed', target: 'closed' },
            on: {
              RAISE_CONCERN: {
                guard: and(['interactionLive', 'concernIdIsNew']),
                target: 'concernOpen',
                actions: ['raiseConcern', 'announceConcern'],
              },
            },
          },
          concernOpen: {
            initial: 'raised',
            on: {
              RECORD_SAFEGUARDING_ACTION: {
                guard: 'isOpenConcern',
                actions: 'recordSafeguardingAction',
              },
              RESOLVE_CONCERN: {
                guard: 'concernReadyToResolve',
                target: 'noConcern',
                actions: 'resolveConcern',
              },
            },
            states: {
              raised: {
                on: {
                  ESCALATE_CONCERN: {
                    guard: 'isOpenConcern',
                    target: 'escalated',
                    actions: 'escalateConcern',
                  },
                },
              },
              escalated: {},
            },
          },
          closed: { type: 'final' },
        },
      },
    },
  });
}

/** The guidance of a contact the customer made: the eight stages. */
export const interactionMachine = defineInteractionMachine('guidance');
/** A follow-up call the helpline made: the action plan reviewed, the status now, the change. */
export const followUpInteractionMachine = defineInteractionMachine('follow_up');

export type InteractionMachine = typeof interactionMachine;

const machines: Record<InteractionVariant, InteractionMachine> = {
  guidance: interactionMachine,
  follow_up: followUpInteractionMachine,
};

/** The definition an interaction of this variant runs (and replays) through. */
export function machineFor(variant: InteractionVariant): InteractionMachine {
  return machines[variant];
}

/** The variant a record names; a record that names none is guidance (every record before follow-ups). */
export function variantOf(record: { machineVariant?: InteractionVariant | undefined }) {
  return record.machineVariant ?? 'guidance';
}

export type InteractionSnapshot = SnapshotFrom<typeof interactionMachine>;

/** The stage on screen, read from the state (the context mirrors it for the record). */
export function activeStage(snapshot: InteractionSnapshot): AnyStageId {
  return snapshot.context.activeStage;
}

/** Where the contact is, in the words the screen uses. */
export function contactPhase(
  snapshot: InteractionSnapshot,
): 'idle' | 'ringing' | 'live' | 'onHold' | 'wrapUp' | 'completed' | 'missed' {
  if (snapshot.matches({ contact: 'idle' })) return 'idle';
  if (snapshot.matches({ contact: 'ringing' })) return 'ringing';
  if (snapshot.matches({ contact: 'completed' })) return 'completed';
  if (snapshot.matches({ contact: 'missed' })) return 'missed';
  if (snapshot.matches({ contact: { engaged: { phase: 'wrapUp' } } })) return 'wrapUp';
  if (snapshot.matches({ contact: { engaged: { phase: { connected: 'onHold' } } } }))
    return 'onHold';
  return 'live';
}

/** Everything still to do before "Complete interaction" is accepted, in the order the adviser meets it. */
export function missingForCompletion(snapshot: InteractionSnapshot): MissingItem[] {
  const phase = contactPhase(snapshot);
  if (phase === 'completed' || phase === 'missed') return [];
  const missing = contextGaps(snapshot.context);
  if (phase === 'live' || phase === 'onHold' || phase === 'ringing' || phase === 'idle') {
    missing.unshift({ area: 'call', message: 'End the call or chat to wrap up' });
  }
  return missing;
}

/** Rebuilds an interaction by sending every journal event through the same definition. */
export function replay(
  journal: readonly JournalEntry[],
  variant: InteractionVariant = 'guidance',
): InteractionSnapshot {
  const actor = createActor(machineFor(variant));
  actor.start();
  for (const entry of journal) {
    // Nothing reaches a finished interaction; a stray entry after the end changes nothing.
    if (actor.getSnapshot().status !== 'active') break;
    actor.send(entry.event as InteractionEvent);
  }
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

/** The part of the context that is the record's summary, parsed so nothing working leaks in. */
export function summaryOf(context: InteractionContext): InteractionSummary {
  return interactionSummarySchema.parse({
    caller: context.caller,
    startingPoint: context.startingPoint,
    barriers: context.barriers,
    skillsCheck: context.skillsCheck,
    nextSteps: context.nextSteps,
    followUp: context.followUp,
    transcript: context.transcript,
    serviceQuestions: context.serviceQuestions,
    notes: context.notes,
    notCovered: context.notCovered,
    safeguarding: context.safeguarding,
    call: context.call,
    chat: context.chat,
    // Left out until chosen, so a version-1 interaction's summary is exactly as it was.
    ...(context.outcomeCode ? { outcomeCode: context.outcomeCode } : {}),
  });
}

export interface RecordMeta {
  adviserId: string;
  deskId: string;
  journal: readonly JournalEntry[];
}

/** The record (and the booking, when the customer accepted one) for a completed interaction. */
export function toInteractionRecord(
  snapshot: InteractionSnapshot,
  meta: RecordMeta,
): Result<{ record: InteractionRecord; followUp: FollowUpBooking | null }> {
  const { context } = snapshot;
  if (contactPhase(snapshot) !== 'completed' || context.completedAt === null) {
    return fail('conflict', 'The interaction is not completed yet');
  }
  if (context.interactionId === null || context.channel === null || context.contactRef === null) {
    return fail('conflict', 'The interaction was never offered');
  }
  const followUpOf = context.variant === 'follow_up' ? context.followUpOf : null;
  if (context.variant === 'follow_up' && !followUpOf) {
    return fail('conflict', 'The follow-up call was never dialled');
  }
  const record: InteractionRecord = {
    id: context.interactionId,
    machineVersion: INTERACTION_MACHINE_VERSION,
    // Named only on a follow-up, so a guidance record is exactly as it always was.
    ...(followUpOf ? { machineVariant: 'follow_up' as const } : {}),
    channel: context.channel,
    adviserId: meta.adviserId,
    deskId: meta.deskId,
    contactRef: context.contactRef,
    startedAt: context.call.offeredAt ?? context.completedAt,
    completedAt: context.completedAt,
    summary: summaryOf(context),
    journal: [...meta.journal],
    ...(followUpOf ? { followUpOf } : {}),
  };
  const followUp: FollowUpBooking | null =
    context.followUp.decision === 'accepted'
      ? {
          id: context.followUp.bookingId,
          interactionId: context.interactionId,
          adviserId: meta.adviserId,
          slotStart: context.followUp.slotStart,
          contactMethod: context.followUp.contactMethod,
          contactAddress: context.followUp.contactAddress,
          consentRecorded: true,
          createdAt: context.followUp.at,
        }
      : null;
  return ok({ record, followUp });
}

/** A journal entry for an event: the entry's time is the event's own. */
export function journalEntryFor(event: InteractionEvent): JournalEntry {
  return { at: event.at, event };
}

/** Events that overwrite a whole text, keyed by the fields that hold it. */
const textOverwrites: Partial<Record<InteractionEvent['type'], readonly string[]>> = {
  NOTE: ['text'],
  UPDATE_MAIN_POINTS: ['text'],
  UPDATE_STARTING_POINT: ['goals', 'alreadyKnowsOrDone'],
  UPDATE_BARRIER: ['notes', 'agreed', 'referral'],
  UPDATE_SKILL: ['predicted'],
};

/**
 * Appends to a journal. A run of keystrokes in one text field arrives as one
 * event per keystroke, each carrying the whole text; only the last of the run
 * is kept. The final snapshot is the same (each overwrites the one before, and
 * nothing else happens in between), and a long call stays within the journal limit.
 */
export function appendToJournal(
  journal: readonly JournalEntry[],
  event: InteractionEvent,
): JournalEntry[] {
  const last = journal.at(-1);
  const entry = journalEntryFor(event);
  if (last && continuesTyping(last.event, event)) return [...journal.slice(0, -1), entry];
  return [...journal, entry];
}

function continuesTyping(previous: JournalEntry['event'], next: InteractionEvent): boolean {
  const textKeys = textOverwrites[next.type];
  if (!textKeys || previous.type !== next.type) return false;
  const before = previous as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  const keys = Object.keys(after).filter((key) => key !== 'at');
  if (keys.length !== Object.keys(before).filter((key) => key !== 'at').length) return false;
  return keys.every(
    (key) => key in before && (textKeys.includes(key) || before[key] === after[key]),
  );
}
