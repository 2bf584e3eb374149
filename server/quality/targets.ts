// Improvement targets on the wire: each stored target with its progress read
// today (shared/quality/targets.ts) from the published reviews of its
// adviser's interactions. One query fetches the reviews every listed target
// needs, its baseline included.
import { findItem, type ScorecardForm } from '../../shared/quality/form';
import { shiftDay, targetProgress, type TargetReview } from '../../shared/quality/targets';
import type { ImprovementTarget } from '../../shared/wire/quality';
import { londonDate, londonDayStart } from '../../shared/time/london';
import type { QualityStore, StoredTarget } from '../storage/types';

/** The days a target's progress reads: its baseline (as many days before it) to its due date. */
function window(target: StoredTarget): { from: string; to: string } {
  const length =
    Math.round(
      (Date.parse(`${target.dueOn}T00:00:00Z`) - Date.parse(`${target.startsOn}T00:00:00Z`)) /
        86_400_000,
    ) + 1;
  return { from: shiftDay(target.startsOn, -length), to: target.dueOn };
}

/** Finds a form version by id and version, and an item's words in the newest version that has it. */
function formLookups(forms: readonly ScorecardForm[]) {
  const byVersion = new Map(forms.map((form) => [`${form.id}@${form.version}`, form]));
  const newestFirst = [...forms].sort((a, b) => b.version - a.version);
  return {
    formOf: (formId: string, version: number) => byVersion.get(`${formId}@${version}`),
    promptOf: (itemId: string) =>
      newestFirst.map((form) => findItem(form, itemId)).find((item) => item !== undefined)
        ?.prompt ?? null,
  };
}

/** Each target with where it stands on `today`, from the reviews the store holds. */
export async function targetsWithProgress(
  quality: Pick<QualityStore, 'reportReviews' | 'forms'>,
  stored: readonly StoredTarget[],
  today: string,
): Promise<ImprovementTarget[]> {
  if (stored.length === 0) return [];
  const windows = stored.map(window);
  const from = windows.map((held) => held.from).sort()[0] ?? today;
  const to =
    windows
      .map((held) => held.to)
      .sort()
      .at(-1) ?? today;
  const advisers = new Set(stored.map((target) => target.adviserId));
  const [reviews, forms] = await Promise.all([
    quality.reportReviews(
      londonDayStart(from),
      londonDayStart(to, 1),
      advisers.size === 1 ? (stored[0]?.adviserId ?? null) : null,
    ),
    quality.forms(),
  ]);
  const byAdviser = new Map<string, TargetReview[]>();
  for (const review of reviews) {
    const held = byAdviser.get(review.adviser.id) ?? [];
    held.push({ completedOn: londonDate(review.completedAt), score: review.score });
    byAdviser.set(review.adviser.id, held);
  }
  const { formOf, promptOf } = formLookups(forms);
  return stored.map((target) => ({
    id: target.id,
    adviser: { id: target.adviserId, name: target.adviserName },
    measure: target.measure,
    itemId: target.itemId,
    itemPrompt: target.itemId === null ? null : (promptOf(target.itemId) ?? target.itemId),
    targetPercent: target.targetPercent,
    startsOn: target.startsOn,
    dueOn: target.dueOn,
    note: target.note,
    setBy: target.setBy,
    setAt: target.setAt,
    withdrawal: target.withdrawal,
    progress: targetProgress(
      { ...target, withdrawn: target.withdrawal !== null },
      byAdviser.get(target.adviserId) ?? [],
      formOf,
      today,
    ),
  }));
}
