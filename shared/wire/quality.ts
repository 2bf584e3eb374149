// Quality review over HTTP: scorecard forms, reviews (the reviewer's answers,
// their versions, the adviser's acknowledgement and disputes, and each
// dispute's resolution), the weekly sample, calibration sessions with their
// agreement, and reports. The central server answers with these and the desk
// parses every answer with them. The rules themselves are in shared/quality/.
import { z } from 'zod';
import { channelSchema } from '../interaction/record';
import type { CalibrationAgreement } from '../quality/agreement';
import {
  formContentSchema,
  formIdSchema,
  prefillRuleIds,
  scorecardFormSchema,
} from '../quality/form';
import { replayMomentRefSchema } from '../quality/moment';
import type { ReviewPrefill } from '../quality/prefill';
import { disputeOutcomes, reviewPurposes, reviewStatuses } from '../quality/review';
import { sampleReasons } from '../quality/sampling';
import { improvementTargetInputSchema, targetMeasures, targetStates } from '../quality/targets';
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

/** Who saved and published a version of a form, and when (null for versions kept before this was recorded). */
export const formVersionNoteSchema = z.object({
  formId: z.string(),
  version: z.number().int().positive(),
  savedBy: staffRefSchema.nullable(),
  savedAt: isoTime.nullable(),
  publishedBy: staffRefSchema.nullable(),
  publishedAt: isoTime.nullable(),
});
export type FormVersionNote = z.infer<typeof formVersionNoteSchema>;

/**
 * `GET /api/quality/forms`: every version of every form, newest version
 * first, with who saved and published each. Drafts are for team leaders:
 * anyone else sees published versions only.
 */
export const formListSchema = z.object({
  forms: z.array(scorecardFormSchema),
  notes: z.array(formVersionNoteSchema),
});
export type FormList = z.infer<typeof formListSchema>;

/**
 * `POST /api/quality/forms/:formId/draft`: the form's next version as the
 * editor has it. `basedOn` is the version the editor started from (the
 * newest when it opened): a published one makes a new draft one version up,
 * a draft is changed in place, and anything newer saved meanwhile is a
 * conflict rather than silently overwritten.
 */
export const formDraftInputSchema = formContentSchema.extend({
  basedOn: z.number().int().positive(),
});
export type FormDraftInput = z.input<typeof formDraftInputSchema>;

/** A version of a form with who saved and published it. */
export const formVersionSchema = z.object({
  form: scorecardFormSchema,
  note: formVersionNoteSchema,
});
export type FormVersion = z.infer<typeof formVersionSchema>;

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

/** `POST /api/quality/reviews/:id/reassignment`: a draft review passed to another team leader. */
export const reassignInputSchema = z.object({
  reviewerId: z.string().min(1, 'Choose the team leader to pass it to').max(100),
  reason: z
    .string()
    .trim()
    .min(10, 'Say why it moves (at least 10 characters): both team leaders read it')
    .max(2000),
});
export type ReassignInput = z.input<typeof reassignInputSchema>;

/** One reassignment of a review, as recorded. */
export const reassignmentSchema = z.object({
  from: staffRefSchema,
  to: staffRefSchema,
  by: staffRefSchema,
  at: isoTime,
  reason: z.string(),
});
export type Reassignment = z.infer<typeof reassignmentSchema>;

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
  /** Every time it was passed from one team leader to another, oldest first. */
  reassignments: z.array(reassignmentSchema),
  may: z.object({
    edit: z.boolean(),
    acknowledge: z.boolean(),
    dispute: z.boolean(),
    resolve: z.boolean(),
    reassign: z.boolean(),
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

const alphaFigureSchema = z.object({
  alpha: z.number().nullable(),
  undefinedBecause: z.enum(['no_pairable_values', 'no_variation']).nullable(),
  flagged: z.boolean(),
});

/**
 * `GET /api/quality/agreement?from&to`: reviewers' agreement over time, one
 * point per complete calibration session started in the range (London days),
 * oldest first: alpha on the review's score, and per item.
 */
export const agreementTrendQuerySchema = z
  .object({ from: historyDaySchema, to: historyDaySchema })
  .refine((query) => query.from <= query.to, {
    path: ['to'],
    message: 'The end of the range comes before its start',
  });
export type AgreementTrendQuery = z.infer<typeof agreementTrendQuerySchema>;

export const agreementTrendSchema = z.object({
  from: historyDaySchema,
  to: historyDaySchema,
  threshold: z.number(),
  reliable: z.number(),
  /** Every item any session measured, with the words of its newest form version. */
  items: z.array(z.object({ itemId: z.string(), prompt: z.string() })),
  sessions: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      startedAt: isoTime,
      /** The ISO week the session started in, London time: 2026-W47. */
      week: isoWeekSchema,
      formVersion: z.number().int().positive(),
      reviewers: z.number().int().nonnegative(),
      interactions: z.number().int().nonnegative(),
      form: alphaFigureSchema,
      items: z.array(alphaFigureSchema.extend({ itemId: z.string() })),
    }),
  ),
  /** Sessions started in the range that are still being scored: not yet a point. */
  incomplete: z.number().int().nonnegative(),
});
export type AgreementTrend = z.infer<typeof agreementTrendSchema>;

/** `GET /api/quality/reviewers`: the team leaders, who review and calibrate. */
export const reviewerListSchema = z.object({ reviewers: z.array(staffRefSchema) });
export type ReviewerList = z.infer<typeof reviewerListSchema>;

/** `GET /api/quality/advisers`: the advisers, whose work is reviewed and who are set targets. */
export const adviserListSchema = z.object({ advisers: z.array(staffRefSchema) });
export type AdviserList = z.infer<typeof adviserListSchema>;

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

/** The periods a report over time is broken into: London weeks (Monday to Sunday) or months. */
export const reportPeriodKinds = ['week', 'month'] as const;
export type ReportPeriodKind = (typeof reportPeriodKinds)[number];

/** The longest range a report over time covers: two years. */
export const longestTrendDays = 731;

/**
 * `GET /api/quality/reports/trend`: the report's figures per week or month
 * for the reviews of interactions completed from `from` to `to` (London days,
 * both included), for the team and, with `adviserId`, for one adviser.
 */
export const reportTrendQuerySchema = z
  .object({
    from: historyDaySchema,
    to: historyDaySchema,
    by: z.enum(reportPeriodKinds, 'Break the range down by week or by month'),
    adviserId: z.string().min(1).max(100).optional(),
  })
  .refine((query) => query.from <= query.to, {
    path: ['to'],
    message: 'The end of the range comes before its start',
  })
  .refine(
    (query) =>
      (Date.parse(`${query.to}T00:00:00Z`) - Date.parse(`${query.from}T00:00:00Z`)) / 86_400_000 <
      longestTrendDays,
    { path: ['to'], message: 'Choose a range of at most two years' },
  );
export type ReportTrendQuery = z.infer<typeof reportTrendQuerySchema>;

const shareOfSchema = z.object({
  counted: z.number().int().nonnegative(),
  met: z.number().int().nonnegative(),
  rate: z.number().nullable(),
});

/**
 * One period's figures. With no reviews in the period, every figure is null
 * (none, not zero): a week nobody was reviewed is not a week of failures.
 */
export const periodFiguresSchema = z.object({
  reviews: z.number().int().nonnegative(),
  averagePercentage: z.number().nullable(),
  criticalFails: z.number().int().nonnegative().nullable(),
  /** Reviews passed (no must-pass item failed) of the reviews. */
  passed: shareOfSchema.nullable(),
  /** Reviews whose next steps scored good, of those where it was scored. */
  nextStepsGood: shareOfSchema.nullable(),
  /** Per item scored in the period: how often, how often failed, the share not failed. */
  items: z.array(
    z.object({
      itemId: z.string(),
      answered: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      passRate: z.number().nullable(),
    }),
  ),
});
export type PeriodFigures = z.infer<typeof periodFiguresSchema>;

export const reportTrendSchema = z.object({
  from: historyDaySchema,
  to: historyDaySchema,
  by: z.enum(reportPeriodKinds),
  /** Oldest first. The first and last are cut to the range (`partial`). */
  periods: z.array(
    z.object({
      /** 2026-W47 for a week, 2026-11 for a month. */
      key: z.string(),
      from: historyDaySchema,
      to: historyDaySchema,
      partial: z.boolean(),
    }),
  ),
  /** Every item scored in the range, with the words of the newest form version that has it. */
  items: z.array(z.object({ itemId: z.string(), prompt: z.string() })),
  /** The team's figures, one per period. */
  team: z.array(periodFiguresSchema),
  /** One adviser's, one per period, when asked for. */
  adviser: z.object({ adviser: staffRefSchema, periods: z.array(periodFiguresSchema) }).nullable(),
});
export type ReportTrend = z.infer<typeof reportTrendSchema>;

// ---------------------------------------------------------------------------
// Improvement targets

/** `POST /api/quality/targets`: a target agreed at a performance review. */
export const targetInputSchema = improvementTargetInputSchema;
export type TargetInput = z.input<typeof targetInputSchema>;

/** `POST /api/quality/targets/:id/withdrawal`: a target set in error, or overtaken. */
export const targetWithdrawalSchema = z.object({
  reason: z.string().trim().min(10, 'Say why it is withdrawn (at least 10 characters)').max(2000),
});
export type TargetWithdrawal = z.input<typeof targetWithdrawalSchema>;

const measureFigureSchema = z.object({ value: z.number().nullable(), counted: z.number().int() });

/** A target with where it stands today. */
export const targetSchema = z.object({
  id: z.uuid(),
  adviser: staffRefSchema,
  measure: z.enum(targetMeasures),
  itemId: z.string().nullable(),
  /** The item's prompt, for an item's pass rate; null otherwise. */
  itemPrompt: z.string().nullable(),
  targetPercent: z.number(),
  startsOn: historyDaySchema,
  dueOn: historyDaySchema,
  note: z.string(),
  setBy: staffRefSchema,
  setAt: isoTime,
  withdrawal: z.object({ by: staffRefSchema, at: isoTime, reason: z.string() }).nullable(),
  progress: z.object({
    state: z.enum(targetStates),
    from: historyDaySchema,
    to: historyDaySchema,
    figure: measureFigureSchema,
    baseline: measureFigureSchema.extend({ from: historyDaySchema, to: historyDaySchema }),
  }),
});
export type ImprovementTarget = z.infer<typeof targetSchema>;

/**
 * `GET /api/quality/targets`: a team leader's view of every adviser's targets
 * (or one adviser's, with `adviserId`); an adviser sees their own. Newest due
 * date first; withdrawn ones only when asked for.
 */
export const targetQuerySchema = z.object({
  adviserId: z.string().min(1).max(100).optional(),
  includeWithdrawn: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
});
export type TargetQuery = z.input<typeof targetQuerySchema>;

export const targetListSchema = z.object({
  /** The London day progress is read on. */
  today: historyDaySchema,
  targets: z.array(targetSchema),
});
export type TargetList = z.infer<typeof targetListSchema>;

export const qualityReportSchema = z.object({
  from: historyDaySchema,
  to: historyDaySchema,
  team: reportLineSchema,
  advisers: z.array(reportLineSchema),
  /**
   * Improvement targets whose period overlaps the range, each with its
   * progress over its own period (not the report's range), read today.
   */
  targets: z.array(targetSchema),
});
export type QualityReport = z.infer<typeof qualityReportSchema>;
