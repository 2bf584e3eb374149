// The completed interaction record: what the desk sends to the central server
// when an interaction is completed. It carries the event journal so the server
// (and trainers, and team leaders) can replay the interaction exactly.
import { z } from 'zod';
import {
  checkContactAddress,
  checkFollowUpContact,
  contactViaSchema,
} from '../domain/contact-address';
import { limits } from '../limits';
import { serviceHoursSchema } from '../time/service-hours';
import { articleLinkSchema } from '../knowledge/public-link';
import { outcomeCodeSchema } from './outcome-codes';
import { knowledgeRegions } from '../knowledge/article';
import {
  anyStageIds,
  barrierKinds,
  callerTypes,
  currentStatuses,
  heardFromOptions,
  improvementAnswers,
  safeguardingCategories,
  schoolYears,
  skillLevels,
} from './taxonomy';

export const channelSchema = z.enum(['voice', 'webchat']);
export type Channel = z.infer<typeof channelSchema>;

const isoTime = z.iso.datetime({ offset: true });
const shortText = z.string().max(500);
const noteText = z.string().max(limits.maxNoteChars);

/** One entry of an interaction's journal: an event that reached the machine, and when. */
export const journalEntrySchema = z.object({
  at: isoTime,
  event: z.looseObject({ type: z.string().min(1).max(100) }),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const contactMethodSchema = z.enum(['phone', 'text', 'email']);
export type ContactMethod = z.infer<typeof contactMethodSchema>;

/**
 * A stage of either variant of the machine: the guidance stages of a first
 * contact, or the stages of a follow-up call. Notes, gaps not covered and the
 * stage a call ended in are kept by it.
 */
export const stageIdSchema = z.enum(anyStageIds);

/** The young person's age in years, or 'not_given' when the caller did not say; null until asked. */
export const youngPersonAgeSchema = z
  .union([z.number().int().min(0).max(120), z.literal('not_given')])
  .nullable();
export type YoungPersonAge = z.infer<typeof youngPersonAgeSchema>;

/**
 * Where the young person lives: one of England's regions, as the knowledge
 * network names them (its "national" is for articles, not for people).
 */
export const customerRegions = knowledgeRegions.filter(
  (region): region is Exclude<(typeof knowledgeRegions)[number], 'national'> =>
    region !== 'national',
);
export const customerRegionSchema = z.enum(customerRegions);
export type CustomerRegion = z.infer<typeof customerRegionSchema>;

export const callerSchema = z.object({
  callerType: z.enum(callerTypes).nullable(),
  age: youngPersonAgeSchema,
  /** The adviser's decision; null until made. */
  withinRemit: z.boolean().nullable(),
  /** Where an out-of-remit customer was pointed instead. */
  signpostedTo: shortText.nullable(),
  /**
   * Where the young person lives; absent when not given (and on every record
   * made before it was asked), so an old record and its replay stay as they were.
   */
  region: customerRegionSchema.optional(),
});
export type Caller = z.infer<typeof callerSchema>;

export const startingPointSchema = z.object({
  status: z.enum(currentStatuses).nullable(),
  /** Only for status 'school'. */
  schoolYear: z
    .number()
    .int()
    .refine((year) => (schoolYears as readonly number[]).includes(year))
    .nullable(),
  goals: noteText,
  alreadyKnowsOrDone: noteText,
});
export type StartingPoint = z.infer<typeof startingPointSchema>;

export const barrierSchema = z.object({
  kind: z.enum(barrierKinds),
  notes: noteText,
  agreed: noteText,
  /** A specialist service the customer was referred to, if any. */
  referral: shortText.nullable(),
});
export type Barrier = z.infer<typeof barrierSchema>;

export const barriersSchema = z.object({
  noneIdentified: z.boolean(),
  identified: z.array(barrierSchema),
});

export const skillCheckSchema = z.object({
  level: z.enum(skillLevels).nullable(),
  /** Predicted grade, when still studying. */
  predicted: shortText,
  improvementMatters: z.enum(improvementAnswers).nullable(),
});
export type SkillCheck = z.infer<typeof skillCheckSchema>;

export const skillsCheckSchema = z.object({
  english: skillCheckSchema,
  maths: skillCheckSchema,
  digital: skillCheckSchema,
  discussed: z.boolean(),
});
export type SkillsCheck = z.infer<typeof skillsCheckSchema>;

export const agreedActionSchema = z.object({
  id: z.string().min(1).max(100),
  description: z.string().min(1).max(1000),
  owner: z.enum(['customer', 'adviser']),
  /** A calendar date (YYYY-MM-DD), optional. */
  due: z.iso.date().nullable(),
});
export type AgreedAction = z.infer<typeof agreedActionSchema>;

export const nextStepsSchema = z.object({
  mainPoints: noteText,
  actions: z.array(agreedActionSchema),
  /** Knowledge-network article ids pointed to. */
  articleIds: z.array(z.string().min(1).max(200)),
  /** Outside services pointed to, by name or id. */
  services: z.array(z.string().min(1).max(200)),
  /**
   * Each article pointed to as the young person is shown it (title and public
   * link as they stood when the adviser pointed to it), so the action plan
   * never changes with a later edit or retirement of the article. Absent from
   * records made before it existed, and left absent until an article comes
   * with its link, so those records (and their journals) stay as they were.
   */
  articleLinks: z.array(articleLinkSchema).optional(),
});
export type NextSteps = z.infer<typeof nextStepsSchema>;

export const followUpOfferSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('not_offered') }),
  z.object({ decision: z.literal('declined'), at: isoTime }),
  z
    .object({
      decision: z.literal('accepted'),
      bookingId: z.uuid(),
      slotStart: isoTime,
      contactMethod: contactMethodSchema,
      contactAddress: z.string().min(3).max(254),
      consentRecorded: z.literal(true),
      at: isoTime,
      /** The service hours the slot was checked against; absent in records made before them. */
      serviceHours: serviceHoursSchema.optional(),
    })
    .superRefine(checkFollowUpContact),
]);
export type FollowUpOffer = z.infer<typeof followUpOfferSchema>;

export const transcriptChoiceSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('not_offered') }),
  z.object({ decision: z.literal('declined') }),
  // Exactly one mailbox or one UK mobile, checked (never rewritten) by the
  // shared parser, so the record the server composes from holds nothing else.
  z
    .object({
      decision: z.literal('send'),
      via: contactViaSchema,
      address: z.string().min(3).max(254),
    })
    .superRefine(checkContactAddress),
]);
export type TranscriptChoice = z.infer<typeof transcriptChoiceSchema>;

export const serviceQuestionsSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('not_asked') }),
  z.object({
    outcome: z.literal('answered'),
    heardFrom: z.enum(heardFromOptions),
    detail: shortText,
  }),
  z.object({ outcome: z.literal('skipped'), reason: z.string().min(1).max(500) }),
]);
export type ServiceQuestions = z.infer<typeof serviceQuestionsSchema>;

export const safeguardingConcernSchema = z.object({
  id: z.uuid(),
  category: z.enum(safeguardingCategories),
  whatWasSaid: noteText,
  immediateRisk: z.boolean(),
  raisedAt: isoTime,
  raisedDuringStage: stageIdSchema.nullable(),
  escalatedTo: shortText.nullable(),
  escalatedAt: isoTime.nullable(),
  actions: z.array(
    z.object({ at: isoTime, action: z.string().min(1).max(2000), referral: shortText.nullable() }),
  ),
  resolvedAt: isoTime.nullable(),
  outcome: noteText.nullable(),
});
export type SafeguardingConcern = z.infer<typeof safeguardingConcernSchema>;

export const callTimelineSchema = z.object({
  /** Null only before the offer reaches the machine; every record has it. */
  offeredAt: isoTime.nullable(),
  connectedAt: isoTime.nullable(),
  /** Holds so far; an open hold has `to: null`. */
  holds: z.array(z.object({ from: isoTime, to: isoTime.nullable() })),
  endedAt: isoTime.nullable(),
  endedBy: z.enum(['adviser', 'customer', 'network']).nullable(),
  /** The stage on screen when the call or chat ended. */
  endedDuringStage: stageIdSchema.nullable(),
  wrapUpStartedAt: isoTime.nullable(),
});
export type CallTimeline = z.infer<typeof callTimelineSchema>;

/** One confirmed chat message, in the chat's own order (web chat only). */
export const chatLineSchema = z.object({
  /** The chat's sequence number on the server: the order both parties saw. */
  seq: z.number().int().positive(),
  from: z.enum(['customer', 'adviser']),
  /** Plain text exactly as typed (the chat's own limit is 2,000 characters). */
  text: z.string().max(2_000),
  at: isoTime,
});
export type ChatLine = z.infer<typeof chatLineSchema>;

/**
 * The wrap-up outcome code the adviser chose: its id (what reports count by)
 * and its label as the adviser read it then, so a later rename of the code
 * never changes what an earlier interaction says.
 */
export const outcomeCodeChoiceSchema = outcomeCodeSchema.extend({ at: isoTime });
export type OutcomeCodeChoice = z.infer<typeof outcomeCodeChoiceSchema>;

/**
 * What was captured, stage by stage. It is the machine's context minus its
 * working fields, so a record and a live interaction always agree.
 */
export const interactionSummarySchema = z.object({
  caller: callerSchema,
  startingPoint: startingPointSchema,
  barriers: barriersSchema,
  skillsCheck: skillsCheckSchema,
  nextSteps: nextStepsSchema,
  followUp: followUpOfferSchema,
  transcript: transcriptChoiceSchema,
  serviceQuestions: serviceQuestionsSchema,
  /** Free-text notes per stage, as typed. */
  notes: z.partialRecord(stageIdSchema, noteText),
  /** Gaps the adviser closed by saying why they were not covered. */
  notCovered: z.partialRecord(stageIdSchema, z.string().min(1).max(500)),
  safeguarding: z.array(safeguardingConcernSchema),
  call: callTimelineSchema,
  /** The chat log, for web chats; records written before it existed have none. */
  chat: z.array(chatLineSchema).default([]),
  /**
   * The wrap-up outcome code. Absent from records written before outcome codes
   * existed (machine version 1), so those parse and replay as they were.
   */
  outcomeCode: outcomeCodeChoiceSchema.optional(),
});
export type InteractionSummary = z.infer<typeof interactionSummarySchema>;

export const actionProgress = ['done', 'in_progress', 'not_started', 'no_longer_wanted'] as const;
export type ActionProgress = (typeof actionProgress)[number];
export const circumstanceChanges = ['better', 'same', 'worse'] as const;
export type CircumstanceChange = (typeof circumstanceChanges)[number];

/**
 * Which variant of the interaction machine an interaction runs through (and its
 * journal replays through): the guidance of a contact the customer made, or a
 * follow-up call the helpline made. Records made before follow-up interactions
 * existed name none, and are guidance.
 */
export const interactionVariants = ['guidance', 'follow_up'] as const;
export type InteractionVariant = (typeof interactionVariants)[number];

/**
 * What a follow-up interaction found: the booking it made, each action agreed
 * at the first contact and how far it got, the customer's status then and now,
 * and whether their circumstances changed. Only follow-up interactions carry it.
 */
export const followUpReviewSchema = z.object({
  bookingId: z.uuid(),
  firstInteractionId: z.uuid(),
  actions: z.array(
    z.object({
      actionId: z.string().min(1).max(100),
      description: z.string().min(1).max(1000),
      /** Who was to do it, as agreed at the first contact; absent where it was not known. */
      owner: z.enum(['customer', 'adviser']).optional(),
      progress: z.enum(actionProgress).nullable(),
    }),
  ),
  statusAtFirstContact: z.enum(currentStatuses).nullable(),
  statusNow: z.enum(currentStatuses).nullable(),
  change: z.enum(circumstanceChanges).nullable(),
});
export type FollowUpReview = z.infer<typeof followUpReviewSchema>;

export const interactionRecordSchema = z
  .object({
    id: z.uuid(),
    /** Version of the machine definition the journal replays through. */
    machineVersion: z.number().int().positive(),
    /**
     * The variant of that machine: absent on a guidance interaction (every record
     * made before follow-up interactions existed), 'follow_up' on a follow-up call.
     */
    machineVariant: z.enum(interactionVariants).optional(),
    channel: channelSchema,
    adviserId: z.string().min(1),
    deskId: z.uuid(),
    /** The telephony call id or chat id this interaction handled. */
    contactRef: z.string().min(1).max(200),
    startedAt: isoTime,
    completedAt: isoTime,
    /** What was captured, derived from the final snapshot (see docs/interaction-record.md). */
    summary: interactionSummarySchema,
    journal: z.array(journalEntrySchema).max(limits.maxJournalEvents),
    /** Present on a follow-up interaction: which booking it made, and what it found. */
    followUpOf: followUpReviewSchema.optional(),
  })
  // What a follow-up found and the machine its journal replays through go
  // together: a review on a guidance record (or none on a follow-up) would
  // close a booking, or replay, as something it is not.
  .refine(
    (record) => (record.machineVariant === 'follow_up') === (record.followUpOf !== undefined),
    {
      message: 'A follow-up review belongs to a follow-up interaction, and only there',
      path: ['followUpOf'],
    },
  );
export type InteractionRecord = z.infer<typeof interactionRecordSchema>;

export const followUpBookingSchema = z
  .object({
    id: z.uuid(),
    interactionId: z.uuid(),
    adviserId: z.string().min(1),
    /** Start of the booked slot. */
    slotStart: isoTime,
    contactMethod: contactMethodSchema,
    /** Phone number or email address the customer asked to be contacted on. */
    contactAddress: z.string().min(3).max(254),
    consentRecorded: z.literal(true),
    createdAt: isoTime,
  })
  // Checked like a transcript address: one mailbox, one UK mobile, or one UK number to call.
  .superRefine(checkFollowUpContact);
export type FollowUpBooking = z.infer<typeof followUpBookingSchema>;
