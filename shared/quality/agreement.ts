// How far reviewers agree: Krippendorff's alpha, and its use in calibration
// sessions, where several reviewers score the same interactions blind.
//
// Why alpha. It takes any number of reviewers, tolerates missing answers (a
// reviewer who said N/A, or left an item unscored, simply contributes no
// value for that interaction), and has a version for each kind of answer:
// nominal for yes/no, ordinal for a rating scale, interval for a percentage.
// Fleiss' kappa needs every unit rated by the same number of raters and is
// nominal only. Alpha is 1 for perfect agreement, 0 for agreement no better
// than chance, below 0 for systematic disagreement.
//
// The computation follows Krippendorff, "Computing Krippendorff's
// Alpha-Reliability" (University of Pennsylvania, Annenberg School for
// Communication, 2011): build the coincidence matrix from every pairable unit
// (a unit with at least two values), then alpha = 1 - D_o / D_e, where
//   o_ck = sum over units u of (number of c-k pairs in u) / (m_u - 1),
//   n_c  = sum over k of o_ck,   n = sum of n_c (the pairable values),
//   D_o  = (1 / n) * sum o_ck * delta2(c, k),
//   D_e  = (1 / (n (n - 1))) * sum n_c * n_k * delta2(c, k),
// with the difference function delta2 of the level of measurement:
//   nominal:  0 if c = k, else 1;
//   ordinal:  (sum of n_g for g from c to k  -  (n_c + n_k) / 2)^2;
//   interval: (c - k)^2.
import { z } from 'zod';
import { fail, ok, type Result } from '../result';
import { formItems, itemShown, type InteractionFacts, type ScorecardForm } from './form';
import { notApplicable, reviewAnswerSchema, scoreReview, type ReviewAnswerInput } from './scoring';

export type MeasurementLevel = 'nominal' | 'ordinal' | 'interval';

/** One reviewer's value for one unit; null or undefined is missing. */
export type Coding = string | number | null | undefined;

export interface AlphaResult {
  level: MeasurementLevel;
  /**
   * Null when alpha is undefined: `no_pairable_values` (no unit was coded by
   * two reviewers, so there is nothing to compare) or `no_variation` (every
   * value is the same: D_e = 0 and alpha = 0/0). Perfect agreement on a
   * single value says nothing about whether reviewers could tell a good
   * interaction from a poor one, so it is not reported as 1.
   */
  alpha: number | null;
  undefinedBecause: 'no_pairable_values' | 'no_variation' | null;
  /** Units with at least two values: the only ones alpha uses. */
  pairableUnits: number;
  /** n: the values in pairable units. */
  pairableValues: number;
  observedDisagreement: number;
  expectedDisagreement: number;
}

const missing = (value: Coding): value is null | undefined => value === null || value === undefined;

/**
 * Krippendorff's alpha for a reliability data matrix: one row per reviewer
 * (coder), one column per unit (an interaction, for one item). Rows may be
 * of different lengths; a value past a row's end is missing. Ordinal and
 * interval data must be finite numbers; ordinal uses only their order.
 */
export function krippendorffAlpha(
  data: readonly (readonly Coding[])[],
  level: MeasurementLevel,
): AlphaResult {
  const unitCount = Math.max(0, ...data.map((row) => row.length));
  // Distinct values, each given an index into the coincidence matrix.
  const values: (string | number)[] = [];
  const indexOf = new Map<string | number, number>();
  const units: number[][] = [];
  for (let unit = 0; unit < unitCount; unit += 1) {
    const coded: number[] = [];
    for (const row of data) {
      const value = row[unit];
      if (missing(value)) continue;
      if (level !== 'nominal' && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new TypeError(`${level} data must be finite numbers; got ${String(value)}`);
      }
      let index = indexOf.get(value);
      if (index === undefined) {
        index = values.length;
        values.push(value);
        indexOf.set(value, index);
      }
      coded.push(index);
    }
    if (coded.length >= 2) units.push(coded);
  }

  const size = values.length;
  const coincidences = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const coded of units) {
    const weight = 1 / (coded.length - 1);
    for (let i = 0; i < coded.length; i += 1) {
      for (let j = 0; j < coded.length; j += 1) {
        if (i === j) continue;
        const row = coincidences[coded[i] ?? 0];
        const k = coded[j] ?? 0;
        if (row) row[k] = (row[k] ?? 0) + weight;
      }
    }
  }
  const totals = coincidences.map((row) => row.reduce((sum, count) => sum + count, 0));
  const n = totals.reduce((sum, count) => sum + count, 0);
  const base = { level, pairableUnits: units.length };
  if (units.length === 0) {
    return {
      ...base,
      alpha: null,
      undefinedBecause: 'no_pairable_values',
      pairableValues: 0,
      observedDisagreement: 0,
      expectedDisagreement: 0,
    };
  }

  const delta2 = differenceFunction(level, values, totals);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < size; c += 1) {
    for (let k = 0; k < size; k += 1) {
      if (c === k) continue;
      const difference = delta2(c, k);
      observed += (coincidences[c]?.[k] ?? 0) * difference;
      expected += (totals[c] ?? 0) * (totals[k] ?? 0) * difference;
    }
  }
  const observedDisagreement = observed / n;
  const expectedDisagreement = expected / (n * (n - 1));
  const result = {
    ...base,
    // Counted values are sums of fractions 1/(m-1); round off the float dust.
    pairableValues: Math.round(n * 1e9) / 1e9,
    observedDisagreement,
    expectedDisagreement,
  };
  if (expectedDisagreement === 0)
    return { ...result, alpha: null, undefinedBecause: 'no_variation' };
  return {
    ...result,
    alpha: 1 - observedDisagreement / expectedDisagreement,
    undefinedBecause: null,
  };
}

function differenceFunction(
  level: MeasurementLevel,
  values: readonly (string | number)[],
  totals: readonly number[],
): (c: number, k: number) => number {
  switch (level) {
    case 'nominal':
      return (c, k) => (c === k ? 0 : 1);
    case 'interval':
      return (c, k) => (Number(values[c]) - Number(values[k])) ** 2;
    case 'ordinal': {
      // Ranks by numeric value; the distance between two ranks counts the
      // values that lie between them, halving the two ends.
      const order = values
        .map((_, index) => index)
        .sort((a, b) => Number(values[a]) - Number(values[b]));
      const rank = new Array<number>(values.length);
      order.forEach((valueIndex, position) => (rank[valueIndex] = position));
      const cumulative = [0];
      for (const valueIndex of order)
        cumulative.push((cumulative.at(-1) ?? 0) + (totals[valueIndex] ?? 0));
      return (c, k) => {
        const low = Math.min(rank[c] ?? 0, rank[k] ?? 0);
        const high = Math.max(rank[c] ?? 0, rank[k] ?? 0);
        const between = (cumulative[high + 1] ?? 0) - (cumulative[low] ?? 0);
        return (between - ((totals[c] ?? 0) + (totals[k] ?? 0)) / 2) ** 2;
      };
    }
  }
}

/**
 * Krippendorff's lowest acceptable alpha. In Content Analysis: An
 * Introduction to Its Methodology he advises relying on variables whose
 * alpha is at least .800, and using those between .667 and .800 only for
 * tentative conclusions. An item below .667 supports no conclusion at all,
 * so it is flagged for rewording.
 */
export const lowestAcceptableAlpha = 0.667;
/** Krippendorff's threshold for relying on a variable without reservation. */
export const reliableAlpha = 0.8;

export const calibrationReviewSchema = z.object({
  reviewerId: z.string().min(1).max(100),
  interactionId: z.string().min(1).max(100),
  answers: z.array(reviewAnswerSchema),
});
export type CalibrationReview = z.input<typeof calibrationReviewSchema>;

export interface CalibrationInteraction {
  id: string;
  /** What the conditions read, from the interaction's record (`interactionFacts`). */
  facts: InteractionFacts;
}

export interface ItemAgreement extends AlphaResult {
  itemId: string;
  /** Below the threshold: reviewers read this item differently; reword it or its guidance. */
  flagged: boolean;
}

export interface CalibrationAgreement {
  formId: string;
  formVersion: number;
  threshold: number;
  /** Reviewers and interactions in matrix order (sorted), for the calibration view. */
  reviewerIds: string[];
  interactionIds: string[];
  items: ItemAgreement[];
  /** Agreement on each review's overall percentage, as interval data. */
  form: AlphaResult & { flagged: boolean };
  /**
   * Per interaction, the lowest and highest percentage the reviewers gave and
   * the gap in points between them: the "10 to 20 points apart" complaint,
   * in figures. Null figures when fewer than two reviewers' reviews scored.
   */
  spread: {
    interactionId: string;
    lowest: number | null;
    highest: number | null;
    gap: number | null;
  }[];
  flaggedItemIds: string[];
  /** Reviews that could not be scored (incomplete), and why; their answers still count per item. */
  unscored: { reviewerId: string; interactionId: string; message: string }[];
}

/**
 * Agreement in a calibration session: per item (yes/no items as nominal
 * data, scales as ordinal, N/A, unanswered and hidden items as missing) and
 * for the form (each review's percentage, interval). Items whose alpha is
 * below `threshold` (default 0.667, Krippendorff's lowest for tentative
 * conclusions) are flagged; an item whose alpha is undefined is reported as
 * such and not flagged, since it shows no disagreement to act on.
 */
export function calibrationAgreement(
  form: ScorecardForm,
  session: {
    interactions: readonly CalibrationInteraction[];
    reviews: readonly CalibrationReview[];
  },
  options: { threshold?: number } = {},
): Result<CalibrationAgreement> {
  const threshold = options.threshold ?? lowestAcceptableAlpha;
  const reviews = z.array(calibrationReviewSchema).safeParse(session.reviews);
  if (!reviews.success) {
    return fail('invalid_input', 'The calibration reviews are not valid', [
      { path: 'reviews', message: reviews.error.issues[0]?.message ?? 'not valid' },
    ]);
  }
  const facts = new Map(
    session.interactions.map((interaction) => [interaction.id, interaction.facts]),
  );
  const interactionIds = [...facts.keys()].sort();
  const reviewerIds = [...new Set(reviews.data.map((review) => review.reviewerId))].sort();
  const byCell = new Map<string, ReviewAnswerInput[]>();
  for (const review of reviews.data) {
    if (!facts.has(review.interactionId)) {
      return fail(
        'invalid_input',
        `Interaction ${review.interactionId} is not in this calibration session`,
      );
    }
    const cell = `${review.reviewerId}\u0000${review.interactionId}`;
    if (byCell.has(cell)) {
      return fail(
        'invalid_input',
        `${review.reviewerId} has two reviews of interaction ${review.interactionId}; keep one`,
      );
    }
    byCell.set(cell, review.answers);
  }
  const answersOf = (reviewerId: string, interactionId: string) =>
    byCell.get(`${reviewerId}\u0000${interactionId}`);

  const items: ItemAgreement[] = formItems(form).map(({ item }) => {
    const matrix = reviewerIds.map((reviewerId) =>
      interactionIds.map((interactionId): Coding => {
        const interactionFacts = facts.get(interactionId);
        if (!interactionFacts || !itemShown(item, interactionFacts)) return null;
        const value = answersOf(reviewerId, interactionId)?.find(
          (answer) => answer.itemId === item.id,
        )?.value;
        if (value === undefined || value === notApplicable) return null;
        // A scale is ordinal: a word given to a scale item (a mistake) is no point on it.
        if (item.answer.kind === 'scale') return typeof value === 'number' ? value : null;
        return value;
      }),
    );
    const alpha = krippendorffAlpha(matrix, item.answer.kind === 'scale' ? 'ordinal' : 'nominal');
    return { itemId: item.id, ...alpha, flagged: alpha.alpha !== null && alpha.alpha < threshold };
  });

  const unscored: CalibrationAgreement['unscored'] = [];
  const percentages = reviewerIds.map((reviewerId) =>
    interactionIds.map((interactionId): number | null => {
      const answers = answersOf(reviewerId, interactionId);
      const interactionFacts = facts.get(interactionId);
      if (!answers || !interactionFacts) return null;
      const score = scoreReview(form, answers, interactionFacts);
      if (!score.ok) {
        unscored.push({ reviewerId, interactionId, message: score.error.message });
        return null;
      }
      return score.value.percentage;
    }),
  );
  const formAlpha = krippendorffAlpha(percentages, 'interval');
  const spread = interactionIds.map((interactionId, unit) => {
    const given = percentages
      .map((row) => row[unit])
      .filter((value): value is number => typeof value === 'number');
    if (given.length < 2) return { interactionId, lowest: null, highest: null, gap: null };
    const lowest = Math.min(...given);
    const highest = Math.max(...given);
    return { interactionId, lowest, highest, gap: highest - lowest };
  });

  return ok({
    formId: form.id,
    formVersion: form.version,
    threshold,
    reviewerIds,
    interactionIds,
    items,
    form: { ...formAlpha, flagged: formAlpha.alpha !== null && formAlpha.alpha < threshold },
    spread,
    flaggedItemIds: items.filter((item) => item.flagged).map((item) => item.itemId),
    unscored,
  });
}
