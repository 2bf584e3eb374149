// Improvement targets against hand-worked examples: each measure counted the
// way reports count it, the baseline over as many days before the start,
// where a target stands while it runs and once it is due, and the rules a
// target must keep to be set at all.
import { describe, expect, it } from 'vitest';
import { defaultForm, scorecardFormSchema } from '../../shared/quality/form';
import type { ItemOutcome, ItemScore, ReviewScore } from '../../shared/quality/scoring';
import {
  improvementTargetInputSchema,
  measureFigure,
  nextStepsGood,
  targetProgress,
  type FormLookup,
  type TargetReview,
} from '../../shared/quality/targets';

const item = (
  itemId: string,
  outcome: ItemOutcome,
  value: ItemScore['value'] = null,
): ItemScore => ({
  itemId,
  sectionId: 's',
  mustPass: false,
  value,
  outcome,
  points: 0,
  maxPoints: 0,
});

function review(
  completedOn: string,
  figures: { percentage: number | null; passed?: boolean; items?: ItemScore[] },
): TargetReview {
  const score: ReviewScore = {
    formId: defaultForm.id,
    formVersion: defaultForm.version,
    items: figures.items ?? [],
    sections: [],
    points: 0,
    maxPoints: 0,
    percentage: figures.percentage,
    critical: { result: figures.passed === false ? 'fail' : 'not_applicable', failedItemIds: [] },
    passed: figures.passed ?? true,
  };
  return { completedOn, score };
}

const formOf: FormLookup = (formId, version) =>
  formId === defaultForm.id && version === defaultForm.version ? defaultForm : undefined;

/**
 * An average score of at least 75% over the four weeks from Monday 2 November
 * to Sunday 29 November 2026; the baseline is the 28 days before, 5 October
 * to 1 November.
 */
const target = {
  measure: 'average_score' as const,
  itemId: null,
  targetPercent: 75,
  startsOn: '2026-11-02',
  dueOn: '2026-11-29',
  withdrawn: false,
};
const reviews = [
  review('2026-09-01', { percentage: 0 }), // before the baseline: not read
  review('2026-10-10', { percentage: 60 }),
  review('2026-10-20', { percentage: 70 }),
  review('2026-11-05', { percentage: 70 }),
  review('2026-11-12', { percentage: 80 }),
  review('2026-11-20', { percentage: 85 }),
  review('2026-11-30', { percentage: 100 }), // after the due date: not read
];

describe('a target’s progress', () => {
  it('reads the period and, for the baseline, as many days before it', () => {
    const progress = targetProgress(target, reviews, formOf, '2026-12-01');
    // (70 + 80 + 85) / 3 = 78.33…; baseline (60 + 70) / 2 = 65.
    expect(progress.figure.value).toBeCloseTo(235 / 3, 12);
    expect(progress.figure.counted).toBe(3);
    expect(progress.baseline).toEqual({
      value: 65,
      counted: 2,
      from: '2026-10-05',
      to: '2026-11-01',
    });
    expect(progress).toMatchObject({ state: 'met', from: '2026-11-02', to: '2026-11-29' });
  });

  it('is on track or behind while it runs, reading only up to today', () => {
    // To 15 November: 70 and 80, 75 exactly, which reaches the target.
    expect(targetProgress(target, reviews, formOf, '2026-11-15')).toMatchObject({
      state: 'on_track',
      to: '2026-11-15',
      figure: { value: 75, counted: 2 },
    });
    expect(targetProgress(target, reviews, formOf, '2026-11-10')).toMatchObject({
      state: 'behind',
      figure: { value: 70, counted: 1 },
    });
    expect(targetProgress(target, reviews, formOf, '2026-11-03')).toMatchObject({
      state: 'no_reviews',
      figure: { value: null, counted: 0 },
    });
  });

  it('is not met when due below the figure, and says too little on too few reviews', () => {
    expect(
      targetProgress({ ...target, targetPercent: 80 }, reviews, formOf, '2026-12-01').state,
    ).toBe('missed');
    const two = reviews.filter((held) => held.completedOn !== '2026-11-20');
    expect(targetProgress(target, two, formOf, '2026-12-01')).toMatchObject({
      state: 'too_few_reviews',
      figure: { value: 75, counted: 2 },
    });
  });

  it('has not started before its start, and stays withdrawn once withdrawn', () => {
    expect(targetProgress(target, reviews, formOf, '2026-11-01')).toMatchObject({
      state: 'not_started',
      figure: { value: null, counted: 0 },
      baseline: { value: 65, counted: 2 },
    });
    expect(
      targetProgress({ ...target, withdrawn: true }, reviews, formOf, '2026-12-01').state,
    ).toBe('withdrawn');
  });
});

describe('each measure, counted as reports count it', () => {
  const mixed = [
    review('2026-11-05', {
      percentage: 90,
      passed: true,
      items: [item('next_steps_good', 'met', 4), item('transcript_offered', 'met', 'yes')],
    }),
    review('2026-11-06', {
      percentage: 40,
      passed: false,
      items: [item('next_steps_good', 'partly', 3), item('transcript_offered', 'not_met', 'no')],
    }),
    review('2026-11-07', {
      percentage: null,
      passed: true,
      items: [
        item('next_steps_good', 'partly', 2),
        item('transcript_offered', 'not_applicable', 'not_applicable'),
      ],
    }),
    review('2026-11-08', {
      percentage: 70,
      passed: true,
      // Out of remit: next steps not shown, so not judged.
      items: [item('next_steps_good', 'not_shown'), item('transcript_offered', 'not_shown')],
    }),
  ];

  it('averages the score over reviews that have one', () => {
    // (90 + 40 + 70) / 3; the review with no percentage is not counted.
    expect(measureFigure('average_score', null, mixed, formOf)).toEqual({
      value: 200 / 3,
      counted: 3,
    });
  });

  it('counts the share of reviews passed', () => {
    expect(measureFigure('reviews_passed', null, mixed, formOf)).toEqual({ value: 75, counted: 4 });
  });

  it('counts next steps as good at the top two points of the scale, where judged', () => {
    // 4 and 3 are good, 2 is not; the hidden one is not judged: 2 of 3.
    const figure = measureFigure('next_steps_good', null, mixed, formOf);
    expect(figure.value).toBeCloseTo(200 / 3, 12);
    expect(figure.counted).toBe(3);
  });

  it('counts an item’s pass rate over the reviews that answered it, N/A left out', () => {
    expect(measureFigure('item_pass_rate', 'transcript_offered', mixed, formOf)).toEqual({
      value: 50,
      counted: 2,
    });
  });

  it('reads "good" from the review’s own form: the top two points of a longer scale', () => {
    const tenPoint = scorecardFormSchema.parse({
      ...defaultForm,
      version: 9,
      sections: defaultForm.sections.map((section) => ({
        ...section,
        items: section.items.map((held) =>
          held.id === 'next_steps_good'
            ? { ...held, answer: { kind: 'scale', min: 1, max: 10, notApplicableAllowed: false } }
            : held,
        ),
      })),
    });
    expect(nextStepsGood(item('next_steps_good', 'partly', 8), tenPoint)).toBe(false);
    expect(nextStepsGood(item('next_steps_good', 'partly', 9), tenPoint)).toBe(true);
    expect(nextStepsGood(item('next_steps_good', 'partly', 3), defaultForm)).toBe(true);
    expect(nextStepsGood(item('next_steps_good', 'not_shown'), defaultForm)).toBeNull();
  });
});

describe('setting a target', () => {
  const valid = {
    adviserId: 'alex',
    measure: 'item_pass_rate',
    itemId: 'follow_up_offered',
    targetPercent: 90,
    startsOn: '2026-11-02',
    dueOn: '2027-01-31',
    note: 'Offer every customer a follow-up, as agreed in November.',
  };
  const messages = (input: unknown) => {
    const parsed = improvementTargetInputSchema.safeParse(input);
    return parsed.success
      ? []
      : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
  };

  it('takes a target with an item, a figure, a period and what was agreed', () => {
    expect(messages(valid)).toEqual([]);
  });

  it('needs the item for an item’s pass rate, and no item otherwise', () => {
    expect(messages({ ...valid, itemId: null })).toEqual([
      ['itemId', 'Choose the item whose pass rate is the target'],
    ]);
    expect(messages({ ...valid, measure: 'average_score' })).toEqual([
      ['itemId', 'Only an item’s pass rate names an item'],
    ]);
  });

  it('runs forwards, for at most a year, to a figure between 1% and 100%, with what was agreed', () => {
    expect(messages({ ...valid, dueOn: '2026-11-02' })).toEqual([
      ['dueOn', 'The due date comes after the start'],
    ]);
    expect(messages({ ...valid, dueOn: '2027-11-05' })).toEqual([
      ['dueOn', 'A target runs for at most 366 days; agree a new one after that'],
    ]);
    expect(messages({ ...valid, targetPercent: 120, note: 'Be better' })).toEqual([
      ['targetPercent', 'The figure to reach is between 1% and 100%'],
      ['note', 'Say what was agreed at the performance review (at least 10 characters)'],
    ]);
  });
});
