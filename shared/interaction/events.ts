// Every event the interaction machine accepts, as schemas: journals come back
// from IndexedDB, the outbox and the server, and each is parsed before replay,
// and where a completed record enters the desk services and the server
// (delivered-record.ts).
// Every event carries `at`, the moment it happened, so replay needs no clock.
import { z } from 'zod';
import { articleLinkSchema } from '../knowledge/public-link';
import { limits } from '../limits';
import { serviceHoursSchema } from '../time/service-hours';
import { outcomeCodeSchema } from './outcome-codes';
import {
  actionProgress,
  agreedActionSchema,
  channelSchema,
  circumstanceChanges,
  chatLineSchema,
  contactMethodSchema,
  customerRegionSchema,
  stageIdSchema,
  youngPersonAgeSchema,
} from './record';
import {
  barrierKinds,
  callerTypes,
  currentStatuses,
  heardFromOptions,
  improvementAnswers,
  safeguardingCategories,
  skillAreas,
  skillLevels,
} from './taxonomy';

const at = z.iso.datetime({ offset: true });
const note = z.string().max(limits.maxNoteChars);
const shortText = z.string().max(500);
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), at, ...shape });

export const interactionEventSchemas = [
  // The contact itself
  event('OFFERED', {
    interactionId: z.uuid(),
    channel: channelSchema,
    contactRef: z.string().min(1).max(200),
  }),
  event('ANSWER', {}),
  event('HOLD', {}),
  event('RESUME', {}),
  event('END_CALL', {}),
  event('CUSTOMER_DISCONNECTED', { by: z.enum(['customer', 'network']) }),
  event('COMPLETE', {
    // Set only by the migration of a version-1 journal (replay-timeline.ts):
    // that interaction completed before outcome codes existed, so none is asked of it.
    recordedBeforeOutcomeCodes: z.literal(true).optional(),
  }),
  // A chat message both parties have seen (confirmed by the server's sequence number).
  event('CHAT_MESSAGE', { line: chatLineSchema }),
  // Moving around and closing gaps
  event('GO_TO_STAGE', { stage: stageIdSchema }),
  event('NOTE', { stage: stageIdSchema, text: note }),
  event('MARK_NOT_COVERED', { stage: stageIdSchema, reason: z.string().trim().min(1).max(500) }),
  event('CLEAR_NOT_COVERED', { stage: stageIdSchema }),
  // Caller and eligibility
  event('UPDATE_CALLER', {
    callerType: z.enum(callerTypes).optional(),
    age: youngPersonAgeSchema.optional(),
    withinRemit: z.boolean().nullable().optional(),
    /** Where the young person lives; null takes it back to not given. */
    region: customerRegionSchema.nullable().optional(),
  }),
  event('SIGNPOST', { to: z.string().trim().min(1).max(500) }),
  // Starting point
  event('UPDATE_STARTING_POINT', {
    status: z.enum(currentStatuses).nullable().optional(),
    schoolYear: z.number().int().min(7).max(13).nullable().optional(),
    goals: note.optional(),
    alreadyKnowsOrDone: note.optional(),
  }),
  // Barriers
  event('IDENTIFY_BARRIER', { kind: z.enum(barrierKinds) }),
  event('REMOVE_BARRIER', { kind: z.enum(barrierKinds) }),
  event('UPDATE_BARRIER', {
    kind: z.enum(barrierKinds),
    notes: note.optional(),
    agreed: note.optional(),
    referral: shortText.nullable().optional(),
  }),
  event('SET_NO_BARRIERS', { noneIdentified: z.boolean() }),
  // English, maths and digital
  event('UPDATE_SKILL', {
    area: z.enum(skillAreas),
    level: z.enum(skillLevels).nullable().optional(),
    predicted: shortText.optional(),
    improvementMatters: z.enum(improvementAnswers).nullable().optional(),
  }),
  event('SET_SKILLS_DISCUSSED', { discussed: z.boolean() }),
  // Next steps: the skills action plan
  event('UPDATE_MAIN_POINTS', { text: note }),
  event('ADD_ACTION', { action: agreedActionSchema }),
  event('REMOVE_ACTION', { actionId: z.string().min(1).max(100) }),
  event('POINT_TO_ARTICLE', {
    articleId: z.string().min(1).max(200),
    // What the young person will be shown for it (shared/knowledge/public-link.ts),
    // fixed at this moment. Optional: journals written before it existed replay as before.
    shown: articleLinkSchema.omit({ articleId: true }).optional(),
  }),
  event('REMOVE_ARTICLE', { articleId: z.string().min(1).max(200) }),
  event('POINT_TO_SERVICE', { service: z.string().trim().min(1).max(200) }),
  event('REMOVE_SERVICE', { service: z.string().min(1).max(200) }),
  // Follow-up
  event('BOOK_FOLLOW_UP', {
    bookingId: z.uuid(),
    slotStart: at,
    contactMethod: contactMethodSchema,
    contactAddress: z.string().trim().min(3).max(254),
    consentRecorded: z.boolean(),
    // The helpline's hours the slot was checked against, as the desk had them
    // from the server. Optional: journals written before it replay against
    // the built-in hours, which were the only ones then.
    serviceHours: serviceHoursSchema.optional(),
  }),
  event('DECLINE_FOLLOW_UP', {}),
  event('REOPEN_FOLLOW_UP', {}),
  // Transcript
  event('CHOOSE_TRANSCRIPT', {
    decision: z.enum(['send', 'declined']),
    via: z.enum(['email', 'text']).nullable(),
    address: z.string().trim().max(254).nullable(),
  }),
  // Service-improvement questions
  event('ANSWER_SERVICE_QUESTIONS', { heardFrom: z.enum(heardFromOptions), detail: shortText }),
  event('SKIP_SERVICE_QUESTIONS', { reason: z.string().trim().min(1).max(500) }),
  event('REOPEN_SERVICE_QUESTIONS', {}),
  // Safeguarding
  event('RAISE_CONCERN', {
    concernId: z.uuid(),
    category: z.enum(safeguardingCategories),
    whatWasSaid: note,
    immediateRisk: z.boolean(),
  }),
  event('ESCALATE_CONCERN', {
    concernId: z.uuid(),
    escalatedTo: z.string().trim().min(1).max(500),
  }),
  event('RECORD_SAFEGUARDING_ACTION', {
    concernId: z.uuid(),
    action: z.string().trim().min(1).max(2000),
    referral: shortText.nullable(),
  }),
  event('RESOLVE_CONCERN', { concernId: z.uuid(), outcome: note }),
  // The follow-up variant. The call the helpline made to the customer, with
  // what the adviser rings about: the booking, and what was agreed at the
  // first contact (its actions and the status then), as the server held them.
  // Carried in the journal so a replay needs nothing but the journal.
  event('FOLLOW_UP_DIALLED', {
    interactionId: z.uuid(),
    contactRef: z.string().min(1).max(200),
    bookingId: z.uuid(),
    firstInteractionId: z.uuid(),
    statusAtFirstContact: z.enum(currentStatuses).nullable(),
    actions: z.array(agreedActionSchema).max(100),
  }),
  event('REVIEW_ACTION', {
    actionId: z.string().min(1).max(100),
    progress: z.enum(actionProgress),
  }),
  event('RECORD_STATUS_NOW', { status: z.enum(currentStatuses) }),
  event('RECORD_CHANGE', { change: z.enum(circumstanceChanges) }),
  // Wrap-up: the outcome code chosen, with its label as the adviser read it.
  event('CHOOSE_OUTCOME_CODE', { code: outcomeCodeSchema }),
] as const;

export const interactionEventSchema = z.discriminatedUnion('type', interactionEventSchemas);
export type InteractionEvent = z.infer<typeof interactionEventSchema>;
export type InteractionEventType = InteractionEvent['type'];
export type InteractionEventOf<T extends InteractionEventType> = Extract<
  InteractionEvent,
  { type: T }
>;

/** What the machine emits for the desk to relay: a concern raised is told to team leaders at once. */
export interface SafeguardingRaisedEmitted {
  type: 'safeguarding.raised';
  concernId: string;
  interactionId: string | null;
  category: InteractionEventOf<'RAISE_CONCERN'>['category'];
  immediateRisk: boolean;
  at: string;
}
