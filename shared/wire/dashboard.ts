// The service dashboard for team leaders: the contact-centre and guidance
// figures the service is judged on, the live board, and the improvement plan.
// The central server computes every figure and answers with these over HTTP
// (the live board is also pushed on the desk socket); the desk parses every
// answer with them.
import { z } from 'zod';
import {
  channelSchema,
  customerRegions,
  type CustomerRegion,
  type YoungPersonAge,
} from '../interaction/record';

const day = z.iso.date();
const isoTime = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
/** A share from 0 to 1, or null when there is nothing to divide by. */
const share = z.number().min(0).max(1).nullable();
const seconds = z.number().nonnegative().nullable();

export const granularities = ['hour', 'day', 'week', 'month'] as const;
export type Granularity = (typeof granularities)[number];

/** Hours are for looking closely: at most this many days of them at once. */
export const maxHourDays = 31;
/** A dashboard question covers at most this many days (a year and a leap day). */
export const maxRangeDays = 366;

export const defaultTargetSeconds = 20;
export const defaultShortAbandonSeconds = 5;

/**
 * `GET /api/dashboard/figures`. Days are London's, `to` included. The target
 * answer time and the short-abandon threshold are the reader's to set, so the
 * page can show what the figures would be under another service standard.
 */
export const dashboardQuerySchema = z
  .object({
    from: day,
    to: day,
    granularity: z.enum(granularities).default('day'),
    adviserId: z.string().min(1).max(100).optional(),
    channel: channelSchema.optional(),
    targetSeconds: z.coerce.number().int().min(1).max(3600).default(defaultTargetSeconds),
    shortAbandonSeconds: z.coerce
      .number()
      .int()
      .min(0)
      .max(600)
      .default(defaultShortAbandonSeconds),
  })
  .superRefine((query, context) => {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 + 1;
    if (days < 1)
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The end date is before the start date',
      });
    else if (days > maxRangeDays)
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `Ask for at most ${maxRangeDays} days at once`,
      });
    else if (query.granularity === 'hour' && days > maxHourDays)
      context.addIssue({
        code: 'custom',
        path: ['granularity'],
        message: `Hours are shown for at most ${maxHourDays} days: choose days, weeks or months`,
      });
  });
export type DashboardQuery = z.infer<typeof dashboardQuerySchema>;
export type DashboardQueryInput = z.input<typeof dashboardQuerySchema>;

/**
 * The contact-centre figures of one bucket, adviser or total.
 *
 * - offered = answered + abandoned (every abandonment, short ones included)
 * - service level = answered within the target ÷ (offered − short abandons)
 * - average speed of answer = total seconds from offer to answer ÷ answered
 * - handle time = talk + hold + wrap-up, each an average per answered contact
 * - occupancy = handle time ÷ the adviser-hours in which that adviser completed
 *   at least one contact (no record of signed-in time is kept yet, so this is
 *   the share of their working hours spent handling contacts)
 */
export const contactFiguresSchema = z.object({
  offered: count,
  answered: count,
  abandoned: count,
  shortAbandoned: count,
  answeredInTarget: count,
  serviceLevel: share,
  averageSpeedOfAnswerSeconds: seconds,
  averageTalkSeconds: seconds,
  averageHoldSeconds: seconds,
  averageWrapSeconds: seconds,
  averageHandleSeconds: seconds,
  occupancy: share,
});
export type ContactFigures = z.infer<typeof contactFiguresSchema>;

/** The guidance figures: how many interactions did each thing the framework asks for. */
export const guidanceFiguresSchema = z.object({
  interactions: count,
  /** A status other than "not disclosed" was recorded at the starting point. */
  statusCaptured: count,
  followUpOffered: count,
  followUpTaken: count,
  transcriptOffered: count,
  transcriptSent: count,
  notCovered: count,
  serviceQuestionsSkipped: count,
});
export type GuidanceFigures = z.infer<typeof guidanceFiguresSchema>;

/**
 * Outcomes at follow-up, from the follow-up interactions completed in a
 * bucket (by when the follow-up call was completed):
 *
 * - positive change = follow-up calls in which the customer reported a change
 *   for the better ÷ follow-up calls completed (a call where the change was
 *   not recorded counts as not reporting one)
 * - left NEET = of the follow-up calls to customers NEET at first contact,
 *   those in education, employment or training at the follow-up (school,
 *   sixth form, college, apprenticeship, training, employment; not "other"
 *   or "not disclosed") ÷ those NEET at first contact
 *
 * Follow-up calls are left out of the contact-centre and guidance figures:
 * the helpline made them; the customer did not contact it.
 */
export const outcomeFiguresSchema = z.object({
  completed: count,
  better: count,
  same: count,
  worse: count,
  /** Completed with no change recorded (the stage marked not covered, with a reason). */
  changeNotRecorded: count,
  positiveChange: share,
  neetAtFirstContact: count,
  leftNeet: count,
  leftNeetShare: share,
});
export type OutcomeFigures = z.infer<typeof outcomeFiguresSchema>;

// ---------------------------------------------------------------------------
// Outcomes by who the customer was at first contact

/**
 * Age groups, from the young person's age at first contact. 16 is where
 * compulsory schooling ends (and where the follow-up is booked later, 12 to 14
 * weeks on); from 16 to 17 a young person must still be in education or
 * training; at 18 that duty ends. "15 and under" also takes the rare caller
 * younger than 13, who is outside the remit but still counted somewhere.
 */
export const ageGroups = ['15_and_under', '16_to_17', '18_and_over', 'not_given'] as const;
export type AgeGroup = (typeof ageGroups)[number];
export const ageGroupSchema = z.enum(ageGroups);

export const ageGroupLabels: Record<AgeGroup, string> = {
  '15_and_under': '15 and under',
  '16_to_17': '16 to 17',
  '18_and_over': '18 and over',
  not_given: 'Age not given',
};

/** The age group of an age as the caller stage records it (null: never asked). */
export function ageGroupOf(age: YoungPersonAge): AgeGroup {
  if (age === null || age === 'not_given') return 'not_given';
  if (age <= 15) return '15_and_under';
  return age <= 17 ? '16_to_17' : '18_and_over';
}

/** A region of England, or "not given" (the caller stage's region is optional). */
export const regionGroups = [...customerRegions, 'not_given'] as const;
export type RegionGroup = CustomerRegion | 'not_given';
export const regionGroupSchema = z.enum(regionGroups);

export function regionGroupOf(region: CustomerRegion | undefined): RegionGroup {
  return region ?? 'not_given';
}

/** One age group's or region's outcomes: counted from the follow-up calls completed in the range. */
export const outcomeGroupSchema = <Key extends z.ZodType<string>>(key: Key) =>
  z.object({ key, outcomes: outcomeFiguresSchema });

/**
 * Next steps good, as Quality reports count it: of the published quality
 * reviews of interactions completed in the range (calibration reviews left
 * out) whose next-steps item was scored, those judged good (the top two
 * points of its scale) ÷ those scored.
 */
export const nextStepsGoodSchema = z.object({
  scored: count,
  good: count,
  rate: share,
});
export type NextStepsGood = z.infer<typeof nextStepsGoodSchema>;

export const figureBucketSchema = z.object({
  /** 'YYYY-MM-DDTHH', 'YYYY-MM-DD', the week's Monday, or 'YYYY-MM'. */
  key: z.string(),
  label: z.string(),
  /** The London days it covers, clipped to the question: what a drill-down asks the history. */
  from: day,
  to: day,
  /** For an hour bucket: its hour, for the history's completedHour filter. */
  hour: z.string().nullable(),
  contact: contactFiguresSchema,
  guidance: guidanceFiguresSchema,
  outcomes: outcomeFiguresSchema,
});
export type FigureBucket = z.infer<typeof figureBucketSchema>;

export const adviserFiguresSchema = z.object({
  adviserId: z.string(),
  adviserName: z.string(),
  contact: contactFiguresSchema,
  guidance: guidanceFiguresSchema,
});
export type AdviserFigures = z.infer<typeof adviserFiguresSchema>;

export const channelFiguresSchema = z.object({
  channel: channelSchema,
  contact: contactFiguresSchema,
  guidance: guidanceFiguresSchema,
});
export type ChannelFigures = z.infer<typeof channelFiguresSchema>;

export const dashboardFiguresSchema = z.object({
  query: z.object({
    from: day,
    to: day,
    granularity: z.enum(granularities),
    adviserId: z.string().nullable(),
    channel: channelSchema.nullable(),
    targetSeconds: z.number().int(),
    shortAbandonSeconds: z.number().int(),
  }),
  buckets: z.array(figureBucketSchema),
  total: z.object({
    contact: contactFiguresSchema,
    guidance: guidanceFiguresSchema,
    outcomes: outcomeFiguresSchema,
  }),
  advisers: z.array(adviserFiguresSchema),
  channels: z.array(channelFiguresSchema),
  /** Every age group, in order, each counted by the customer's age at first contact. */
  outcomesByAgeGroup: z.array(outcomeGroupSchema(ageGroupSchema)),
  /** Every region, in order, each counted by where the customer lived at first contact. */
  outcomesByRegion: z.array(outcomeGroupSchema(regionGroupSchema)),
  nextStepsGood: nextStepsGoodSchema,
  followUps: z.object({
    /** Follow-up calls booked whose slot falls in the range (the follow_ups table). */
    bookedInRange: count,
    /** Follow-up calls completed (their follow-up interaction completed) in the range. */
    completed: count,
  }),
});
export type DashboardFigures = z.infer<typeof dashboardFiguresSchema>;

// ---------------------------------------------------------------------------
// The live board

export const boardAdviserStates = [
  'available',
  'on_call',
  'in_chat',
  'wrap_up',
  'break',
  'offline',
] as const;
export type BoardAdviserState = (typeof boardAdviserStates)[number];

export const liveBoardSchema = z.object({
  waiting: z.object({ voice: count, webchat: count }),
  longestWaitSeconds: z.object({ voice: count, webchat: count }),
  advisers: z.record(z.enum(boardAdviserStates), count),
  openSafeguardingConcerns: count,
  at: isoTime,
});
export type LiveBoard = z.infer<typeof liveBoardSchema>;

// ---------------------------------------------------------------------------
// The improvement plan

/** The figures an action may be set to move: each is a share or an average of the dashboard. */
export const planFigures = [
  'serviceLevel',
  'abandonRate',
  'averageSpeedOfAnswerSeconds',
  'averageHandleSeconds',
  'statusCaptured',
  'followUpOffered',
  'followUpTaken',
  'transcriptSent',
  'notCovered',
  'serviceQuestionsSkipped',
] as const;
export type PlanFigure = (typeof planFigures)[number];

export const improvementActionInputSchema = z.object({
  title: z.string().trim().min(3).max(300),
  ownerId: z.string().min(1).max(100),
  figure: z.enum(planFigures),
  startedOn: day,
  targetDate: day,
});
export type ImprovementActionInput = z.infer<typeof improvementActionInputSchema>;

export const improvementActionSchema = improvementActionInputSchema.extend({
  id: z.uuid(),
  ownerName: z.string(),
  createdAt: isoTime,
  /** The figure month by month since the action started (London months), oldest first. */
  trend: z.array(z.object({ month: z.string(), value: z.number().nullable() })),
});
export type ImprovementAction = z.infer<typeof improvementActionSchema>;

export const improvementPlanSchema = z.object({
  actions: z.array(improvementActionSchema),
  /** Who an action may be given to: the service's advisers and team leaders. */
  owners: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type ImprovementPlan = z.infer<typeof improvementPlanSchema>;
