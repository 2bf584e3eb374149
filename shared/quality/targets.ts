// Improvement targets from performance reviews: a team leader agrees with an
// adviser a figure to reach by a date (an average score, the share of reviews
// passed, the next-steps-good rate, or one item's pass rate), and progress is
// read from the published reviews of that adviser's interactions completed in
// the target's period. Pure: the server keeps targets and reviews, and asks
// this what they add up to.
import { z } from 'zod';
import { findItem, formIdSchema, type ScorecardForm } from './form';
import type { ItemScore, ReviewScore } from './scoring';

/** What a target measures: each is a percentage, so a target is "at least N%". */
export const targetMeasures = [
  'average_score',
  'reviews_passed',
  'next_steps_good',
  'item_pass_rate',
] as const;
export type TargetMeasure = (typeof targetMeasures)[number];

/** The item the audit's "next steps good" figure reads. */
export const nextStepsItemId = 'next_steps_good';

/** A verdict at the due date needs this many reviews in the period; fewer say too little either way. */
export const minimumReviewsForVerdict = 3;

/** The longest period a target may run: a performance review's year. */
export const longestTargetDays = 366;

const daySchema = z.iso.date('Give the day as YYYY-MM-DD');

/** A target as a team leader sets it. */
export const improvementTargetInputSchema = z
  .object({
    adviserId: z.string().min(1, 'Choose the adviser').max(100),
    measure: z.enum(targetMeasures, 'Choose what the target measures'),
    /** The item whose pass rate is measured; only for `item_pass_rate`. */
    itemId: formIdSchema.nullable().default(null),
    /** The figure to reach, as a percentage. */
    targetPercent: z
      .number({ error: 'Give the figure to reach as a number' })
      .min(1, 'The figure to reach is between 1% and 100%')
      .max(100, 'The figure to reach is between 1% and 100%'),
    startsOn: daySchema,
    dueOn: daySchema,
    /** What was agreed at the performance review, in words the adviser will read. */
    note: z
      .string()
      .trim()
      .min(10, 'Say what was agreed at the performance review (at least 10 characters)')
      .max(2000, 'Keep the note to 2,000 characters'),
  })
  .superRefine((target, context) => {
    if (target.measure === 'item_pass_rate' && target.itemId === null) {
      context.addIssue({
        code: 'custom',
        path: ['itemId'],
        message: 'Choose the item whose pass rate is the target',
      });
    }
    if (target.measure !== 'item_pass_rate' && target.itemId !== null) {
      context.addIssue({
        code: 'custom',
        path: ['itemId'],
        message: 'Only an item’s pass rate names an item',
      });
    }
    if (target.dueOn <= target.startsOn) {
      context.addIssue({
        code: 'custom',
        path: ['dueOn'],
        message: 'The due date comes after the start',
      });
    } else if (daysFrom(target.startsOn, target.dueOn) > longestTargetDays) {
      context.addIssue({
        code: 'custom',
        path: ['dueOn'],
        message: `A target runs for at most ${longestTargetDays} days; agree a new one after that`,
      });
    }
  });
export type ImprovementTargetInput = z.input<typeof improvementTargetInputSchema>;
export type ImprovementTargetFields = z.output<typeof improvementTargetInputSchema>;

/**
 * Where a target stands: before its start, withdrawn, or (while it runs)
 * with no reviews yet, on track or behind; after its due date met, missed,
 * or with too few reviews to say.
 */
export const targetStates = [
  'not_started',
  'no_reviews',
  'on_track',
  'behind',
  'met',
  'missed',
  'too_few_reviews',
  'withdrawn',
] as const;
export type TargetState = (typeof targetStates)[number];

/** A measure's figure over some reviews: a percentage, and how many reviews it counts. */
export interface MeasureFigure {
  /** 0 to 100; null when no review counted. */
  value: number | null;
  counted: number;
}

export interface TargetProgress {
  state: TargetState;
  /** The period read so far: from the start to the due date, or to today while it runs. */
  from: string;
  to: string;
  figure: MeasureFigure;
  /** The same measure over as many days just before the start: where the adviser began. */
  baseline: MeasureFigure & { from: string; to: string };
}

/** One published review for progress: the London day its interaction was completed, and its current score. */
export interface TargetReview {
  completedOn: string;
  score: ReviewScore;
}

/** The form a review was scored against, found by id and version. */
export type FormLookup = (formId: string, version: number) => ScorecardForm | undefined;

/** Whole days from one YYYY-MM-DD to another. */
function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A YYYY-MM-DD moved by whole days. */
export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const share = (part: number, whole: number): MeasureFigure => ({
  value: whole === 0 ? null : (part / whole) * 100,
  counted: whole,
});

/**
 * Whether an item's score counts as "next steps good": the top two points of
 * its scale (3 or 4 of 4 on the default form). Null when it was not scored
 * on a scale (not shown, N/A, or a form without the item).
 */
export function nextStepsGood(item: ItemScore, form: ScorecardForm | undefined): boolean | null {
  if (typeof item.value !== 'number') return null;
  const formItem = form ? findItem(form, item.itemId) : undefined;
  const max = formItem?.answer.kind === 'scale' ? formItem.answer.max : 4;
  return item.value >= max - 1;
}

/** A measure over some reviews, the way reports count it. */
export function measureFigure(
  measure: TargetMeasure,
  itemId: string | null,
  reviews: readonly TargetReview[],
  formOf: FormLookup,
): MeasureFigure {
  switch (measure) {
    case 'average_score': {
      const scores = reviews.flatMap(({ score }) =>
        score.percentage === null ? [] : [score.percentage],
      );
      return {
        value:
          scores.length === 0
            ? null
            : scores.reduce((sum, value) => sum + value, 0) / scores.length,
        counted: scores.length,
      };
    }
    case 'reviews_passed':
      return share(reviews.filter(({ score }) => score.passed).length, reviews.length);
    case 'next_steps_good': {
      const judged = reviews.flatMap(({ score }) => {
        const item = score.items.find((held) => held.itemId === nextStepsItemId);
        const good = item ? nextStepsGood(item, formOf(score.formId, score.formVersion)) : null;
        return good === null ? [] : [good];
      });
      return share(judged.filter(Boolean).length, judged.length);
    }
    case 'item_pass_rate': {
      // As the report's pass rate: answered (not hidden, not N/A), and not failed.
      const answered = reviews.flatMap(({ score }) =>
        score.items.filter(
          (item) =>
            item.itemId === itemId &&
            item.outcome !== 'not_shown' &&
            item.outcome !== 'not_applicable',
        ),
      );
      return share(answered.filter((item) => item.outcome !== 'not_met').length, answered.length);
    }
  }
}

/**
 * How a target stands on `today` (a London day), from the adviser's
 * published reviews: those of interactions completed in the target's period
 * count towards it, those in as many days before it make the baseline.
 * Reviews outside both are ignored, so the caller may pass more.
 */
export function targetProgress(
  target: Pick<
    ImprovementTargetFields,
    'measure' | 'itemId' | 'targetPercent' | 'startsOn' | 'dueOn'
  > & { withdrawn: boolean },
  reviews: readonly TargetReview[],
  formOf: FormLookup,
  today: string,
): TargetProgress {
  const to = today < target.dueOn ? today : target.dueOn;
  const length = daysFrom(target.startsOn, target.dueOn) + 1;
  const baselineFrom = shiftDay(target.startsOn, -length);
  const baselineTo = shiftDay(target.startsOn, -1);
  const within = (from: string, until: string) =>
    reviews.filter((review) => review.completedOn >= from && review.completedOn <= until);
  const figure =
    today < target.startsOn
      ? { value: null, counted: 0 }
      : measureFigure(target.measure, target.itemId, within(target.startsOn, to), formOf);
  const baseline = {
    ...measureFigure(target.measure, target.itemId, within(baselineFrom, baselineTo), formOf),
    from: baselineFrom,
    to: baselineTo,
  };
  const reached = figure.value !== null && figure.value >= target.targetPercent;
  const ended = today > target.dueOn;
  const state: TargetState = target.withdrawn
    ? 'withdrawn'
    : today < target.startsOn
      ? 'not_started'
      : ended
        ? figure.counted < minimumReviewsForVerdict
          ? 'too_few_reviews'
          : reached
            ? 'met'
            : 'missed'
        : figure.counted === 0
          ? 'no_reviews'
          : reached
            ? 'on_track'
            : 'behind';
  return { state, from: target.startsOn, to, figure, baseline };
}
