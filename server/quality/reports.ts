// Quality reports: per adviser and for the team, the reviews of interactions
// completed in a range. Read from each review's current score, so a dispute
// upheld changes the figures; calibration reviews are never here (the store
// leaves them out), since they measure reviewers, not advisers.
import { findItem, type ScorecardForm } from '../../shared/quality/form';
import { nextStepsGood, nextStepsItemId } from '../../shared/quality/targets';
import type {
  ImprovementTarget,
  QualityReport,
  ReportLine,
  StaffRef,
} from '../../shared/wire/quality';
import type { ReportReview } from '../storage/types';

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

export function lineOf(
  adviser: StaffRef | null,
  reviews: readonly ReportReview[],
  forms: ReadonlyMap<string, ScorecardForm>,
): ReportLine {
  const items = new Map<string, { prompt: string; answered: number; failed: number }>();
  let scored = 0;
  let good = 0;
  for (const review of reviews) {
    const form = forms.get(`${review.formId}@${review.formVersion}`);
    for (const item of review.score.items) {
      if (item.outcome === 'not_shown' || item.outcome === 'not_applicable') continue;
      const formItem = form ? findItem(form, item.itemId) : undefined;
      const held = items.get(item.itemId) ?? {
        prompt: formItem?.prompt ?? item.itemId,
        answered: 0,
        failed: 0,
      };
      held.answered += 1;
      if (item.outcome === 'not_met') held.failed += 1;
      items.set(item.itemId, held);
      // "Good" is the top two points of the item's scale (3 or 4 of 4 on the default form).
      const judged = item.itemId === nextStepsItemId ? nextStepsGood(item, form) : null;
      if (judged !== null) {
        scored += 1;
        if (judged) good += 1;
      }
    }
  }
  const percentages = reviews
    .map((review) => review.score.percentage)
    .filter((value): value is number => value !== null);
  return {
    adviser,
    reviews: reviews.length,
    averagePercentage: mean(percentages),
    criticalFails: reviews.filter((review) => review.score.critical.result === 'fail').length,
    passed: reviews.filter((review) => review.score.passed).length,
    nextStepsGood: { scored, good, rate: scored === 0 ? null : good / scored },
    items: [...items].map(([itemId, held]) => ({
      itemId,
      prompt: held.prompt,
      answered: held.answered,
      failed: held.failed,
      passRate: held.answered === 0 ? null : (held.answered - held.failed) / held.answered,
    })),
  };
}

export function qualityReport(
  range: { from: string; to: string },
  reviews: readonly ReportReview[],
  forms: readonly ScorecardForm[],
  targets: readonly ImprovementTarget[] = [],
): QualityReport {
  const byForm = new Map(forms.map((form) => [`${form.id}@${form.version}`, form]));
  const byAdviser = new Map<string, ReportReview[]>();
  for (const review of reviews) {
    const held = byAdviser.get(review.adviser.id) ?? [];
    held.push(review);
    byAdviser.set(review.adviser.id, held);
  }
  return {
    from: range.from,
    to: range.to,
    team: lineOf(null, reviews, byForm),
    advisers: [...byAdviser.values()]
      .map((theirs) => lineOf(theirs[0]?.adviser ?? null, theirs, byForm))
      .sort((a, b) => (a.adviser?.name ?? '').localeCompare(b.adviser?.name ?? '')),
    targets: [...targets],
  };
}
