// Quality reports over time: the report's figures per week (Monday to Sunday)
// or per month on London's calendar, for the team and for one adviser. Counted
// exactly as the report counts them (lineOf), so a period's figures and the
// whole range's agree; a period with no reviews has no figures rather than
// zeros. Calibration reviews never reach here (the store leaves them out).
import type { ScorecardForm } from '../../shared/quality/form';
import { shiftDay } from '../../shared/quality/targets';
import type {
  PeriodFigures,
  ReportLine,
  ReportPeriodKind,
  ReportTrend,
  StaffRef,
} from '../../shared/wire/quality';
import type { ReportReview } from '../storage/types';
import { promptsOf } from './agreement-trend';
import { lineOf } from './reports';
import { londonDate } from '../../shared/time/london';
import { isoWeekOf } from './weeks';

type Period = ReportTrend['periods'][number];

/** The Monday (YYYY-MM-DD) of the week a day is in. */
function mondayOf(day: string): string {
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return shiftDay(day, -weekday);
}

/** The first day of the month after the one a day is in. */
function nextMonthStart(day: string): string {
  const [year, month] = day.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, month ?? 1, 1)).toISOString().slice(0, 10);
}

/** The period (its key) a London day falls in. */
function periodKeyOf(day: string, by: ReportPeriodKind): string {
  // Noon UTC is the same calendar day in London whatever the clocks do.
  return by === 'month' ? day.slice(0, 7) : isoWeekOf(new Date(`${mondayOf(day)}T12:00:00Z`));
}

/** The weeks or months from one London day to another (both included), the ends cut to the range. */
export function reportPeriods(from: string, to: string, by: ReportPeriodKind): Period[] {
  const periods: Period[] = [];
  let start = by === 'month' ? `${from.slice(0, 7)}-01` : mondayOf(from);
  while (start <= to) {
    const next = by === 'month' ? nextMonthStart(start) : shiftDay(start, 7);
    const last = shiftDay(next, -1);
    periods.push({
      key: periodKeyOf(start, by),
      from: start < from ? from : start,
      to: last > to ? to : last,
      partial: start < from || last > to,
    });
    start = next;
  }
  return periods;
}

function figuresOf(line: ReportLine): PeriodFigures {
  const share = (met: number, counted: number) => ({
    counted,
    met,
    rate: counted === 0 ? null : met / counted,
  });
  const any = line.reviews > 0;
  return {
    reviews: line.reviews,
    averagePercentage: line.averagePercentage,
    criticalFails: any ? line.criticalFails : null,
    passed: any ? share(line.passed, line.reviews) : null,
    nextStepsGood:
      line.nextStepsGood.scored > 0
        ? share(line.nextStepsGood.good, line.nextStepsGood.scored)
        : null,
    items: line.items.map(({ itemId, answered, failed, passRate }) => ({
      itemId,
      answered,
      failed,
      passRate,
    })),
  };
}

function seriesOf(
  periods: readonly Period[],
  reviews: readonly ReportReview[],
  by: ReportPeriodKind,
  forms: ReadonlyMap<string, ScorecardForm>,
): PeriodFigures[] {
  const byPeriod = new Map<string, ReportReview[]>(periods.map((period) => [period.key, []]));
  for (const review of reviews) {
    byPeriod.get(periodKeyOf(londonDate(review.completedAt), by))?.push(review);
  }
  return periods.map((period) => figuresOf(lineOf(null, byPeriod.get(period.key) ?? [], forms)));
}

export function reportTrend(input: {
  from: string;
  to: string;
  by: ReportPeriodKind;
  /** The team's reviews in the range. */
  reviews: readonly ReportReview[];
  forms: readonly ScorecardForm[];
  /** The adviser asked for, if any: their line is drawn from the team's reviews. */
  adviser: StaffRef | null;
}): ReportTrend {
  const periods = reportPeriods(input.from, input.to, input.by);
  const forms = new Map(input.forms.map((form) => [`${form.id}@${form.version}`, form]));
  const prompts = promptsOf(input.forms);
  const scored = new Set<string>();
  for (const review of input.reviews) {
    for (const item of review.score.items) {
      if (item.outcome !== 'not_shown' && item.outcome !== 'not_applicable')
        scored.add(item.itemId);
    }
  }
  // In the newest form's order; an item no held form has last.
  const itemIds = [
    ...[...prompts.keys()].filter((itemId) => scored.has(itemId)),
    ...[...scored].filter((itemId) => !prompts.has(itemId)),
  ];
  const adviser = input.adviser;
  return {
    from: input.from,
    to: input.to,
    by: input.by,
    periods,
    items: itemIds.map((itemId) => ({ itemId, prompt: prompts.get(itemId) ?? itemId })),
    team: seriesOf(periods, input.reviews, input.by, forms),
    adviser: adviser
      ? {
          adviser,
          periods: seriesOf(
            periods,
            input.reviews.filter((review) => review.adviser.id === adviser.id),
            input.by,
            forms,
          ),
        }
      : null,
  };
}
