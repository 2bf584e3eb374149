// Quality reports over time against a hand-worked example: three published
// reviews over three weeks and a bit, broken down by London week (Monday to
// Sunday) and by month, for the team and for one adviser. A review completed
// just after midnight on a Monday in British Summer Time belongs to that
// Monday's week, not to the Sunday that UTC would put it in; a week with no
// review has no figures at all, rather than zeros.
import { describe, expect, it } from 'vitest';
import { reportPeriods, reportTrend } from '../../server/quality/report-trend';
import type { ReportReview } from '../../server/storage/types';
import { defaultForm } from '../../shared/quality/form';
import type { ItemOutcome, ItemScore, ReviewScore } from '../../shared/quality/scoring';
import { reportTrendQuerySchema, reportTrendSchema } from '../../shared/wire/quality';

const item = (itemId: string, outcome: ItemOutcome, value: ItemScore['value']): ItemScore => ({
  itemId,
  sectionId: 's',
  mustPass: itemId === 'safeguarding_handled',
  value,
  outcome,
  points: 0,
  maxPoints: 0,
});

const alex = { id: 'adviser-alex', name: 'Alex Adviser' };
const sam = { id: 'adviser-sam', name: 'Sam Adviser' };

function review(
  adviser: typeof alex,
  completedAt: string,
  percentage: number,
  passed: boolean,
  items: ItemScore[],
): ReportReview {
  const score: ReviewScore = {
    formId: defaultForm.id,
    formVersion: defaultForm.version,
    items,
    sections: [],
    points: 0,
    maxPoints: 0,
    percentage,
    critical: {
      result: passed ? 'pass' : 'fail',
      failedItemIds: passed ? [] : ['safeguarding_handled'],
    },
    passed,
  };
  return { adviser, completedAt, formId: defaultForm.id, formVersion: defaultForm.version, score };
}

/**
 * The range: Wednesday 14 October to Tuesday 3 November 2026 (the clocks go
 * back on Sunday 25 October).
 *
 * | review | adviser | completed (London)         | score | must-pass | next steps | status captured |
 * | 1      | Alex    | Mon 19 Oct 00:30 BST (W43) | 80    | passed    | 4 (good)   | yes             |
 * | 2      | Sam     | Tue 20 Oct 11:00 BST (W43) | 60    | failed    | 1          | no              |
 * | 3      | Alex    | Mon 2 Nov 09:00 GMT (W45)  | 90    | passed    | 3 (good)   | yes (and N/A: the transcript) |
 *
 * By week: W42 (14 to 18 Oct, cut) none; W43 two reviews, average 70, one
 * must-pass failure, 1 of 2 passed, next steps good 1 of 2, status captured
 * 1 of 2; W44 none; W45 (2 to 3 Nov, cut) one review, 90, none failed, 1 of
 * 1, 1 of 1. Alex alone: W43 80, 1 of 1; W45 90.
 * By month: October (14 to 31, cut) reviews 1 and 2; November (1 to 3, cut) review 3.
 */
const reviews = [
  review(alex, '2026-10-18T23:30:00.000Z', 80, true, [
    item('status_captured', 'met', 'yes'),
    item('next_steps_good', 'met', 4),
    item('safeguarding_handled', 'met', 'yes'),
  ]),
  review(sam, '2026-10-20T10:00:00.000Z', 60, false, [
    item('status_captured', 'not_met', 'no'),
    item('next_steps_good', 'partly', 1),
    item('safeguarding_handled', 'not_met', 'no'),
  ]),
  review(alex, '2026-11-02T09:00:00.000Z', 90, true, [
    item('status_captured', 'met', 'yes'),
    item('next_steps_good', 'partly', 3),
    item('transcript_offered', 'not_applicable', 'not_applicable'),
  ]),
];

const range = { from: '2026-10-14', to: '2026-11-03' };

describe('quality reports over time', () => {
  it('breaks a range into London weeks, Monday to Sunday, cutting the ends to the range', () => {
    expect(reportPeriods(range.from, range.to, 'week')).toEqual([
      { key: '2026-W42', from: '2026-10-14', to: '2026-10-18', partial: true },
      { key: '2026-W43', from: '2026-10-19', to: '2026-10-25', partial: false },
      { key: '2026-W44', from: '2026-10-26', to: '2026-11-01', partial: false },
      { key: '2026-W45', from: '2026-11-02', to: '2026-11-03', partial: true },
    ]);
    // A week of 2020 that runs into the next year keeps its ISO year; a whole month is not cut.
    expect(reportPeriods('2020-12-28', '2021-01-03', 'week')).toEqual([
      { key: '2020-W53', from: '2020-12-28', to: '2021-01-03', partial: false },
    ]);
    expect(reportPeriods('2026-02-01', '2026-03-01', 'month')).toEqual([
      { key: '2026-02', from: '2026-02-01', to: '2026-02-28', partial: false },
      { key: '2026-03', from: '2026-03-01', to: '2026-03-01', partial: true },
    ]);
  });

  it('counts each week as the report counts the range, and a week with no reviews as none', () => {
    const trend = reportTrendSchema.parse(
      reportTrend({ ...range, by: 'week', reviews, forms: [defaultForm], adviser: null }),
    );
    expect(trend.adviser).toBeNull();
    expect(trend.items.map((held) => held.itemId)).toEqual([
      'status_captured',
      'next_steps_good',
      'safeguarding_handled',
    ]);
    expect(trend.items[0]?.prompt).toBe(
      defaultForm.sections[0]?.items.find((held) => held.id === 'status_captured')?.prompt,
    );
    const [w42, w43, w44, w45] = trend.team;
    const none = {
      reviews: 0,
      averagePercentage: null,
      criticalFails: null,
      passed: null,
      nextStepsGood: null,
      items: [],
    };
    expect(w42).toEqual(none);
    expect(w44).toEqual(none);
    expect(w43).toMatchObject({
      reviews: 2,
      averagePercentage: 70,
      criticalFails: 1,
      passed: { counted: 2, met: 1, rate: 0.5 },
      nextStepsGood: { counted: 2, met: 1, rate: 0.5 },
    });
    expect(w43?.items).toEqual(
      expect.arrayContaining([
        { itemId: 'status_captured', answered: 2, failed: 1, passRate: 0.5 },
        { itemId: 'safeguarding_handled', answered: 2, failed: 1, passRate: 0.5 },
      ]),
    );
    expect(w45).toMatchObject({
      reviews: 1,
      averagePercentage: 90,
      criticalFails: 0,
      passed: { counted: 1, met: 1, rate: 1 },
      nextStepsGood: { counted: 1, met: 1, rate: 1 },
    });
    // N/A is not scored: the transcript item is in no period.
    expect(w45?.items.map((held) => held.itemId).sort()).toEqual([
      'next_steps_good',
      'status_captured',
    ]);
  });

  it('draws one adviser’s line from the same reviews, beside the team’s', () => {
    const trend = reportTrend({
      ...range,
      by: 'week',
      reviews,
      forms: [defaultForm],
      adviser: alex,
    });
    expect(trend.adviser?.adviser).toEqual(alex);
    expect(trend.adviser?.periods.map((period) => period.reviews)).toEqual([0, 1, 0, 1]);
    expect(trend.adviser?.periods.map((period) => period.averagePercentage)).toEqual([
      null,
      80,
      null,
      90,
    ]);
    expect(trend.adviser?.periods[1]).toMatchObject({
      criticalFails: 0,
      passed: { counted: 1, met: 1, rate: 1 },
      nextStepsGood: { counted: 1, met: 1, rate: 1 },
    });
    // The team's line is unchanged by asking for an adviser.
    expect(trend.team.map((period) => period.reviews)).toEqual([0, 2, 0, 1]);
  });

  it('breaks the same range down by month', () => {
    const trend = reportTrend({
      ...range,
      by: 'month',
      reviews,
      forms: [defaultForm],
      adviser: sam,
    });
    expect(trend.periods).toEqual([
      { key: '2026-10', from: '2026-10-14', to: '2026-10-31', partial: true },
      { key: '2026-11', from: '2026-11-01', to: '2026-11-03', partial: true },
    ]);
    expect(trend.team.map((period) => period.averagePercentage)).toEqual([70, 90]);
    expect(trend.adviser?.periods.map((period) => period.criticalFails)).toEqual([1, null]);
  });

  it('refuses a range that runs backwards, over two years, or broken down by anything else', () => {
    const message = (query: Record<string, string>) =>
      reportTrendQuerySchema.safeParse(query).error?.issues[0]?.message;
    expect(message({ from: '2026-11-03', to: '2026-10-14', by: 'week' })).toBe(
      'The end of the range comes before its start',
    );
    expect(message({ from: '2024-01-01', to: '2026-01-01', by: 'month' })).toBe(
      'Choose a range of at most two years',
    );
    expect(message({ from: '2026-10-14', to: '2026-11-03', by: 'day' })).toBe(
      'Break the range down by week or by month',
    );
    expect(reportTrendQuerySchema.safeParse({ ...range, by: 'week' }).success).toBe(true);
  });
});
