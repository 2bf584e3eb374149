// Quality review over HTTP: scorecard forms, reviews (the reviewer's answers,
// their versions, the adviser's acknowledgement and disputes, and each
// dispute's resolution), the weekly sample, calibration sessions with their
// agreement, and reports. The central server answers with these and the desk
// parses every answer with them. The rules themselves are in shared/quality/.
import { z } from 'zod';
import { channelSchema } from '../interaction/record';
import type { CalibrationAgreement } from '../quality/agreement';
import { formIdSchema, prefillRuleIds, scorecardFormSchema } from '../quality/form';
import { replayMomentRefSchema } from '../quality/moment';
import type { ReviewPrefill } from '../quality/prefill';
import { disputeOutcomes, reviewPurposes, reviewStatuses } from '../quality/review';
import { sampleReasons } from '../quality/sampling';
import { answerValueSchema, reviewAnswerSchema, type ReviewScore } from '../quality/scoring';
import { historyDaySchema, historyRowSchema, historyViewSchema } from './history';

const isoTime = z.iso.datetime({ offset: true });
const staffRefSchema = z.object({ id: z.string().min(1), name: z.string() });
export type StaffRef = z.infer<typeof staffRefSchema>;
const problemSchema = z.object({ path: z.string(), message: z.string() });

/** An ISO week as `<input type="week">` writes it: 2026-W47. */
export const isoWeekSchema = z
  .string()
  .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'Give the week as 2026-W47');

// ---------------------------------------------------------------------------
// Scores and pre-fill, as the pure rules make them (shared/quality), on the wire

const itemScoreSchema = z.object({
  itemId: z.string(),
  sectionId: z.string(),
  mustPass: z.boolean(),
  value: answerValueSchema.nullable(),
  outcome: z.enum(['met', 'partly', 'not_met', 'not_applicable', 'not_shown']),
  points: z.number(),
  maxPoints: z.number(),
});

export const reviewScoreSchema: z.ZodType<ReviewScore> = z.object({
  formId: z.string(),
  formVersion: z.number().int(),
  items: z.array(itemScoreSchema),
  sections: z.array(
    z.object({
      sectionId: z.string(),
      title: z.string(),
      points: z.number(),
      maxPoints: z.number(),
      percentage: z.number().nullable(),
    }),
  ),
  points: z.number(),
  maxPoints: z.number(),
  percentage: z.number().nullable(),
  critical: z.object({
    result: z.enum(['pass', 'fail', 'not_applicable']),
    failedItemIds: z.array(z.string()),
  }),
  passed: z.boolean(),
});

const evidenceSchema = replayMomentRefSchema.extend({ label: z.string() });

// Typed as the rules' own type: a change to one that the other lacks fails the type-check.
export const reviewPrefillSchema: z.ZodType<ReviewPrefill> = z.object({
  interactionId: z.string(),
  formId: z.string(),
  formVersion: z.number().int(),
  proposals: z.array(
    z.object({
      itemId: z.string(),
      rule: z.enum(prefillRuleIds),
      answer: z.enum(['yes', 'no', 'not_applicable']).nullable(),
      reason: z.string(),
      evidence: z.array(evidenceSchema),
    }),
  ),
  judgementItemIds: z.array(z.string()),
  escalations: z.array(
    z.object({
      concernId: z.string(),
      raised: evidenceSchema.nullable(),
      escalated: evidenceSchema.nullable(),
      escalatedTo: z.string().nullable(),
      secondsToEscalate: z.number().nullable(),
    }),
  ),
});

const alphaSchema = z.object({
  level: z.enum(['nominal', 'ordinal', 'interval']),
  alpha: z.number().nullable(),
  undefinedBecause: z.enum(['no_pairable_values', 'no_variation']).nullable(),
  pairableUnits: z.number().int(),
  pairableValues: z.number(),
  observedDisagreement: z.number(),
  expectedDisagreement: z.number(),
});

export const calibrationAgreementSchema: z.ZodType<CalibrationAgreement> = z.object({
  formId: z.string(),
  formVersion: z.number().int(),
  threshold: z.number(),
  reviewerIds: z.array(z.string()),
  interactionIds: z.array(z.string()),
  items: z.array(alphaSchema.extend({ itemId: z.string(), flagged: z.boolean() })),
  form: alphaSchema.extend({ flagged: z.boolean() }),
  spread: z.array(
    z.object({
      interactionId: z.string(),
      lowest: z.number().nullable(),
      highest: z.number().nullable(),
      gap: z.number().nullable(),
    }),
  ),
  flaggedItemIds: z.array(z.string()),
  unscored: z.array(
    z.object({ reviewerId: z.string(), interactionId: z.string(), message: z.string() }),
  ),
});

// ---------------------------------------------------------------------------
// Forms

/** `GET /api/quality/forms`: every version of every form, newest version first. */
export const formListSchema = z.object({ forms: z.array(scorecardFormSchema) });
export type FormList = z.infer<typeof formListSchema>;

// ---------------------------------------------------------------------------
// Reviews

/** One review in a list: what it is about, who wrote it, where it stands. */
export const reviewSummarySchema = z.object({
  id: z.uuid(),
  interaction: historyRowSchema,
  adviser: staffRefSchema,
  reviewer: staffRefSchema,
  formId: z.string(),
  formVersion: z.number().int().positive(),
  purpose: z.enum(reviewPurposes),
  status: z.enum(reviewStatuses),
  calibrationSessionId: z.uuid().nullable(),
  /** The ISO week of the sample that chose it, and why; null and empty otherwise. */
  sampleWeek: z.string().nullable(),
  sampleReasons: z.array(z.enum(sampleReasons)),
  /** Published versions so far; 0 while a draft. */
  version: z.number().int().nonnegative(),
  /** The current version's figures; null while a draft. */
  percentage: z.number().nullable(),
  passed: z.boolean().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  publishedAt: isoTime.nullable(),
  openDisputes: z.number().int().nonnegative(),
});
export type ReviewSummary = z.infer<typeof reviewSummarySchema>;

/**
 * `GET /api/quality/reviews`: `assigned` (a team leader's own to write),
 * `all` (every review a team leader may see), `about_me` (an adviser's
 * published reviews). Without a scope: assigned for a team leader, about_me
 * for anyone else.
 */
export const reviewScopes = ['assigned', 'all', 'about_me'] as const;
export type ReviewScope = (typeof reviewScopes)[number];
export const reviewQuerySchema = z.object({
  scope: z.enum(reviewScopes).optional(),
  status: z.enum(reviewStatuses).optional(),
  purpose: z.enum(reviewPurposes).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ReviewQuery = z.infer<typeof reviewQuerySchema>;
export type ReviewQueryInput = z.input<typeof reviewQuerySchema>;

export const reviewListSchema = z.object({ reviews: z.array(reviewSummarySchema) });
export type ReviewList = z.infer<typeof reviewListSchema>;

/** `POST /api/quality/reviews`: a team leader reviews an interaction outside the sample. */
export const newReviewSchema = z.object({ interactionId: z.uuid() });
export type NewReview = z.infer<typeof newReviewSchema>;

/** `POST /api/quality/reviews/:id/draft` and `/publish`: the reviewer's answers. */
export const reviewAnswersInputSchema = z.object({
  answers: z.array(reviewAnswerSchema).max(200),
});
export type ReviewAnswersInput = z.input<typeof reviewAnswersInputSchema>;

/**
 * The outbox payload (`quality.review.saved`): a reviewer's answers written
 * on a desk, to save as the draft or to publish. Delivered in order per
 * review, and applied once.
 */
export const qualityReviewSaveSchema = z.object({
  reviewId: z.uuid(),
  answers: z.array(reviewAnswerSchema).max(200),
  publish: z.boolean(),
  savedAt: isoTime,
});
export type QualityReviewSave = z.infer<typeof qualityReviewSaveSchema>;

/** `POST /api/quality/reviews/:id/acknowledgement`: the adviser has read it. */
export const acknowledgementInputSchema = z.object({
  comment: z.string().trim().max(2000).default(''),
});
export type AcknowledgementInput = z.input<typeof acknowledgementInputSchema>;

const disputeReasonSchema = z
  .string()
  .trim()
  .min(10, 'Say why you disagree (at least 10 characters), so the resolver can weigh it')
  .max(2000);

/** `POST /api/quality/reviews/:id/disputes`: the items the adviser disputes, each with why. */
export const disputeInputSchema = z.object({
  items: z
    .array(z.object({ itemId: formIdSchema, reason: disputeReasonSchema }))
    .min(1, 'Choose an item to dispute')
    .max(50),
});
export type DisputeInput = z.input<typeof disputeInputSchema>;

/**
 * `POST /api/quality/reviews/:id/disputes/:itemId/resolution`: another team
 * leader's finding, with the answer the item should have now when upheld or
 * partly upheld.
 */
export const resolutionInputSchema = z
  .object({
    outcome: z.enum(disputeOutcomes),
    reason: z
      .string()
      .trim()
      .min(10, 'Say why (at least 10 characters): the adviser and reviewer both read it')
      .max(2000),
    answer: z
      .object({
        value: answerValueSchema,
        comment: z.string().max(4000).default(''),
        moment: replayMomentRefSchema.nullable().default(null),
      })
      .nullable()
      .default(null),
  })
  .refine((input) => input.outcome === 'rejected' || input.answer !== null, {
    path: ['answer'],
    message: 'Give the answer the item should have now',
  })
  .refine((input) => input.outcome !== 'rejected' || input.answer === null, {
    path: ['answer'],
    message: 'A rejected dispute leaves the answer as it was',
  });
export type ResolutionInput = z.input<typeof resolutionInputSchema>;

export const reviewVersionSchema = z.object({
  version: z.number().int().positive(),
  kind: z.enum(['published', 'resolution']),
  answers: z.array(reviewAnswerSchema),
  percentage: z.number().nullable(),
  passed: z.boolean(),
  writtenBy: staffRefSchema,
  writtenAt: isoTime,
  /** Why this version exists: "Published", or the resolution's reason. */
  reason: z.string(),
});
export type ReviewVersion = z.infer<typeof reviewVersionSchema>;

export const disputeSchema = z.object({
  itemId: z.string(),
  reason: z.string(),
  raisedBy: staffRefSchema,
  raisedAt: isoTime,
  resolution: z
    .object({
      outcome: z.enum(disputeOutcomes),
      reason: z.string(),
      by: staffRefSchema,
      at: isoTime,
      /** The version the resolution wrote; null when it changed no answer. */
      version: z.number().int().positive().nullable(),
    })
    .nullable(),
});
export type Dispute = z.infer<typeof disputeSchema>;

/**
 * `GET /api/quality/reviews/:id`: a review opened beside its replay. The
 * interaction is always redacted here; the pre-fill is made from the held
 * record (redacted before it leaves the server, so its reasons quote only
 * what the view shows).
 */
export const reviewViewSchema = z.object({
  review: reviewSummarySchema,
  form: scorecardFormSchema,
  view: historyViewSchema,
  facts: z.object({
    channel: channelSchema,
    withinRemit: z.boolean(),
    barrierRecorded: z.boolean(),
    safeguardingRaised: z.boolean(),
  }),
  /** Null when the interaction's journal cannot be replayed; `prefillProblem` says why. */
  prefill: reviewPrefillSchema.nullable(),
  prefillProblem: z.string().nullable(),
  answers: z.array(reviewAnswerSchema),
  /** The current score: the published version's, or a complete draft's. */
  score: reviewScoreSchema.nullable(),
  /** What stops a draft being published, in words; empty once published. */
  problems: z.array(problemSchema),
  versions: z.array(reviewVersionSchema),
  disputes: z.array(disputeSchema),
  acknowledgement: z
    .object({ at: isoTime, version: z.number().int(), comment: z.string() })
    .nullable(),
  /** The last moment the adviser may dispute it; null before it is published. */
  disputeUntil: isoTime.nullable(),
  may: z.object({
    edit: z.boolean(),
    acknowledge: z.boolean(),
    dispute: z.boolean(),
    resolve: z.boolean(),
  }),
});
export type ReviewView = z.infer<typeof reviewViewSchema>;

// ---------------------------------------------------------------------------
// Flags

/** `POST /api/quality/flags`: an adviser asks for one of their interactions to be reviewed. */
export const flagInputSchema = z.object({
  interactionId: z.uuid(),
  note: z
    .string()
    .trim()
    .min(3, 'Say what you would like looked at (at least 3 characters)')
    .max(1000),
});
export type FlagInput = z.input<typeof flagInputSchema>;

export const flagSchema = z.object({
  interactionId: z.uuid(),
  note: z.string(),
  flaggedAt: isoTime,
});
export type Flag = z.infer<typeof flagSchema>;

// ---------------------------------------------------------------------------
// The weekly sample

/**
 * `POST /api/quality/samples`: draw a week's sample. Without a seed the
 * server chooses one at random; `dryRun` draws without recording anything
 * (to see a draw, or to check a recorded one from its seed).
 */
export const drawSampleInputSchema = z.object({
  week: isoWeekSchema,
  perAdviser: z.number().int().min(0).max(50).optional(),
  seed: z.number().int().min(0).max(0xffff_ffff).optional(),
  dryRun: z.boolean().default(false),
});
export type DrawSampleInput = z.input<typeof drawSampleInputSchema>;

export const sampleItemSchema = z.object({
  interaction: historyRowSchema,
  reasons: z.array(z.enum(sampleReasons)),
  /** Null when only its own adviser could have reviewed it. */
  reviewer: staffRefSchema.nullable(),
  /** The draft review made for it; null on a dry run, or when it already had a review. */
  reviewId: z.uuid().nullable(),
});

export const sampleSchema = z.object({
  /** Null for a dry run, which records nothing. */
  id: z.uuid().nullable(),
  week: isoWeekSchema,
  seed: z.number().int().nonnegative(),
  perAdviser: z.number().int().nonnegative(),
  rulesVersion: z.number().int().positive(),
  method: z.string(),
  populationDigest: z.string(),
  population: z.object({ interactions: z.number().int(), advisers: z.number().int() }),
  drawnBy: staffRefSchema,
  drawnAt: isoTime,
  items: z.array(sampleItemSchema),
  loads: z.array(z.object({ reviewer: staffRefSchema, reviews: z.number().int() })),
});
export type Sample = z.infer<typeof sampleSchema>;

/** `GET /api/quality/samples/:id`: a recorded sample, drawn again from what was recorded. */
export const sampleCheckSchema = z.object({
  sample: sampleSchema,
  reproduces: z.boolean(),
  /** In words: that it draws the same again, or what differs. */
  check: z.string(),
});
export type SampleCheck = z.infer<typeof sampleCheckSchema>;

export const sampleListSchema = z.object({
  samples: z.array(
    z.object({
      id: z.uuid(),
      week: isoWeekSchema,
      seed: z.number().int().nonnegative(),
      drawnBy: staffRefSchema,
      drawnAt: isoTime,
      items: z.number().int().nonnegative(),
    }),
  ),
});
export type SampleList = z.infer<typeof sampleListSchema>;

// ---------------------------------------------------------------------------
// Calibration

/** `POST /api/quality/calibration`: the same interactions scored blind by several team leaders. */
export const newCalibrationSchema = z.object({
  title: z.string().trim().min(3, 'Give the session a title (at least 3 characters)').max(120),
  interactionIds: z
    .array(z.uuid())
    .min(1, 'Choose at least one interaction')
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'An interaction is listed twice'),
  reviewerIds: z
    .array(z.string().min(1).max(100))
    .min(2, 'Agreement needs at least two reviewers')
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, 'A reviewer is listed twice'),
});
export type NewCalibration = z.input<typeof newCalibrationSchema>;

export const calibrationSessionSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  formId: z.string(),
  formVersion: z.number().int().positive(),
  createdBy: staffRefSchema,
  createdAt: isoTime,
  closedAt: isoTime.nullable(),
  interactions: z.array(historyRowSchema),
  reviewers: z.array(staffRefSchema),
  /** Every review of the session this reader may see: their own until it is complete, then all. */
  reviews: z.array(
    z.object({
      id: z.uuid(),
      interactionId: z.uuid(),
      reviewer: staffRefSchema,
      status: z.enum(reviewStatuses),
      percentage: z.number().nullable(),
    }),
  ),
  /** How many of the session's reviews are published, of how many. */
  published: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Closed, or every reviewer has published: the reviews are no longer blind. */
  complete: z.boolean(),
  /** Once complete: reviewers' agreement per item and for the form. */
  agreement: calibrationAgreementSchema.nullable(),
});
export type CalibrationSession = z.infer<typeof calibrationSessionSchema>;

/** `GET /api/quality/calibration`: sessions, newest first, with their form's agreement over time. */
export const calibrationListSchema = z.object({
  sessions: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      createdAt: isoTime,
      closedAt: isoTime.nullable(),
      complete: z.boolean(),
      interactions: z.number().int(),
      reviewers: z.number().int(),
      /** Agreement on the form's percentage; null until complete, or when undefined. */
      formAlpha: z.number().nullable(),
      flaggedItems: z.number().int(),
    }),
  ),
});
export type CalibrationList = z.infer<typeof calibrationListSchema>;

/** `GET /api/quality/reviewers`: the team leaders, who review and calibrate. */
export const reviewerListSchema = z.object({ reviewers: z.array(staffRefSchema) });
export type ReviewerList = z.infer<typeof reviewerListSchema>;

// ---------------------------------------------------------------------------
// Reports

/** `GET /api/quality/reports`: reviews of interactions completed from `from` to `to` (London days, both included). */
export const reportQuerySchema = z
  .object({
    from: historyDaySchema,
    to: historyDaySchema,
    adviserId: z.string().min(1).max(100).optional(),
  })
  .refine((query) => query.from <= query.to, {
    path: ['to'],
    message: 'The end of the range comes before its start',
  });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const reportLineSchema = z.object({
  /** Null for the team line. */
  adviser: staffRefSchema.nullable(),
  reviews: z.number().int().nonnegative(),
  averagePercentage: z.number().nullable(),
  /** Reviews with a failed must-pass item. */
  criticalFails: z.number().int().nonnegative(),
  /** Reviews that passed (no must-pass item failed). */
  passed: z.number().int().nonnegative(),
  /** Reviews whose next steps scored good (3 or 4 of 4), of those where it was scored. */
  nextStepsGood: z.object({
    scored: z.number().int().nonnegative(),
    good: z.number().int().nonnegative(),
    rate: z.number().nullable(),
  }),
  /** Per item: how often it was answered, failed, and the share not failed. */
  items: z.array(
    z.object({
      itemId: z.string(),
      prompt: z.string(),
      answered: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      passRate: z.number().nullable(),
    }),
  ),
});
export type ReportLine = z.infer<typeof reportLineSchema>;

export const qualityReportSchema = z.object({
  from: historyDaySchema,
  to: historyDaySchema,
  team: reportLineSchema,
  advisers: z.array(reportLineSchema),
});
export type QualityReport = z.infer<typeof qualityReportSchema>;
