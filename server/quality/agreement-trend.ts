// Reviewers' agreement over time: one point per complete calibration session,
// oldest first, placed in the ISO week it started (London time), with alpha
// on the review's score and on each item. Sessions still being scored are
// blind, so they are counted but not shown.
import type { CalibrationAgreement } from '../../shared/quality/agreement';
import { lowestAcceptableAlpha, reliableAlpha } from '../../shared/quality/agreement';
import { formItems, type ScorecardForm } from '../../shared/quality/form';
import type { AgreementTrend } from '../../shared/wire/quality';
import type { StoredCalibration } from '../storage/types';
import { isoWeekOf } from './weeks';

export interface TrendSession {
  stored: StoredCalibration;
  complete: boolean;
  /** Null while the session is blind, or when its form is missing. */
  agreement: CalibrationAgreement | null;
}

/** Each item's words from the newest version of a form that has it. */
export function promptsOf(forms: readonly ScorecardForm[]): Map<string, string> {
  const prompts = new Map<string, string>();
  const newestFirst = [...forms].sort((a, b) => b.version - a.version);
  for (const form of newestFirst) {
    for (const { item } of formItems(form)) {
      if (!prompts.has(item.id)) prompts.set(item.id, item.prompt);
    }
  }
  return prompts;
}

export function agreementTrend(input: {
  from: string;
  to: string;
  sessions: readonly TrendSession[];
  forms: readonly ScorecardForm[];
}): AgreementTrend {
  const points = input.sessions
    .filter((session) => session.complete && session.agreement !== null)
    .sort(
      (a, b) =>
        a.stored.createdAt.localeCompare(b.stored.createdAt) ||
        a.stored.id.localeCompare(b.stored.id),
    );
  const prompts = promptsOf(input.forms);
  const itemIds: string[] = [];
  for (const { agreement } of points) {
    for (const item of agreement?.items ?? []) {
      if (!itemIds.includes(item.itemId)) itemIds.push(item.itemId);
    }
  }
  return {
    from: input.from,
    to: input.to,
    threshold: lowestAcceptableAlpha,
    reliable: reliableAlpha,
    items: itemIds.map((itemId) => ({ itemId, prompt: prompts.get(itemId) ?? itemId })),
    sessions: points.flatMap(({ stored, agreement }) =>
      agreement
        ? [
            {
              id: stored.id,
              title: stored.title,
              startedAt: stored.createdAt,
              week: isoWeekOf(new Date(stored.createdAt)),
              formVersion: stored.formVersion,
              reviewers: agreement.reviewerIds.length,
              interactions: agreement.interactionIds.length,
              form: {
                alpha: agreement.form.alpha,
                undefinedBecause: agreement.form.undefinedBecause,
                flagged: agreement.form.flagged,
              },
              items: agreement.items.map((item) => ({
                itemId: item.itemId,
                alpha: item.alpha,
                undefinedBecause: item.undefinedBecause,
                flagged: item.flagged,
              })),
            },
          ]
        : [],
    ),
    incomplete: input.sessions.filter((session) => !session.complete).length,
  };
}
