// Krippendorff's alpha against the worked examples Krippendorff published in
// "Computing Krippendorff's Alpha-Reliability" (2011), then against small
// matrices worked by hand, and calibration agreement over the default form.
import { describe, expect, it } from 'vitest';
import {
  calibrationAgreement,
  krippendorffAlpha,
  lowestAcceptableAlpha,
  type Coding,
} from '../../shared/quality/agreement';
import { defaultForm, type InteractionFacts } from '../../shared/quality/form';
import { scoreReview, type ReviewAnswerInput } from '../../shared/quality/scoring';

const _ = null;

/**
 * Section C of the paper, "nominal data, any number of observers, missing
 * data": observers A to D (rows) and units 1 to 12 (columns), values 1 to 5,
 * a dot (here null) where an observer gave no value. Unit 12 has one value
 * only, so it is not pairable and drops out; n = 40 pairable values. The same
 * data illustrate the other metrics in the paper.
 */
const sectionC: Coding[][] = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];

describe("Krippendorff's published examples", () => {
  // Coincidence matrix of section C, worked unit by unit (each ordered pair of
  // values in a unit of m values adds 1/(m-1)):
  //
  //          1     2     3     4     5   | n_c
  //     1    7    4/3   1/3   1/3    .   |  9
  //     2   4/3   10    4/3   1/3    .   | 13
  //     3   1/3   4/3    8    1/3    .   | 10
  //     4   1/3   1/3   1/3    4     .   |  5
  //     5    .     .     .     .     3   |  3
  //                                         n = 40
  it('gives alpha nominal = 0.743 for section C', () => {
    // Off-diagonal coincidences sum to 8; sum over c != k of n_c n_k is
    // 40^2 - (9^2 + 13^2 + 10^2 + 5^2 + 3^2) = 1600 - 384 = 1216.
    // alpha = 1 - (n - 1) * 8 / 1216 = 1 - 312 / 1216 = 113/152 = 0.74342...
    const result = krippendorffAlpha(sectionC, 'nominal');
    expect(result.alpha).toBeCloseTo(113 / 152, 12);
    expect(result.alpha?.toFixed(3)).toBe('0.743');
    expect(result.pairableValues).toBe(40);
    expect(result.pairableUnits).toBe(11);
    expect(result.undefinedBecause).toBeNull();
  });

  it('gives alpha interval = 0.849 for the same data', () => {
    // delta2 = (c - k)^2. Sum of o_ck (c - k)^2 = 52/3; sum of n_c n_k (c - k)^2 = 4480.
    // alpha = 1 - 39 * (52/3) / 4480 = 1 - 676/4480 = 951/1120 = 0.84910...
    const result = krippendorffAlpha(sectionC, 'interval');
    expect(result.alpha).toBeCloseTo(951 / 1120, 12);
    expect(result.alpha?.toFixed(3)).toBe('0.849');
    expect(result.observedDisagreement).toBeCloseTo(52 / 3 / 40, 12);
    expect(result.expectedDisagreement).toBeCloseTo(4480 / (40 * 39), 12);
  });

  it('gives alpha ordinal = 0.815 for the same data', () => {
    // delta2(c, k) = (n_c + ... + n_k - (n_c + n_k)/2)^2, e.g. delta2(1, 2) =
    // (9 + 13 - 11)^2 = 121 and delta2(1, 5) = (40 - 6)^2 = 1156.
    // Sum of o_ck delta2 = 1891; sum of n_c n_k delta2 = 399480.
    // alpha = 1 - 39 * 1891 / 399480 = 108577/133160 = 0.81538...
    expect(krippendorffAlpha(sectionC, 'ordinal').alpha).toBeCloseTo(108577 / 133160, 12);
    expect(krippendorffAlpha(sectionC, 'ordinal').alpha?.toFixed(3)).toBe('0.815');
  });

  it('gives alpha = 0.095 for section A (binary data, two observers)', () => {
    // Observer A: 0 1 0 0 0 0 0 0 1 0; observer B: 1 1 1 0 0 1 0 0 0 0.
    // o_00 = 10, o_01 = o_10 = 4, o_11 = 2; n_0 = 14, n_1 = 6, n = 20.
    // alpha = 1 - 19 * 4 / (14 * 6) = 1 - 76/84 = 2/21 = 0.0952...
    const result = krippendorffAlpha(
      [
        [0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
        [1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
      ],
      'nominal',
    );
    expect(result.alpha).toBeCloseTo(2 / 21, 12);
    expect(result.alpha?.toFixed(3)).toBe('0.095');
  });

  it('gives alpha = 0.692 for section B (nominal data, two observers, no missing data)', () => {
    // Observer A: a a b b d c c c e d d a; observer B: b a b b b c c c e d d d.
    // Two values per unit, so each ordered pair adds 1. n_a = 4, n_b = 6,
    // n_c = 6, n_d = 6, n_e = 2 (n = 24). Units 1 (a/b), 5 (d/b) and 12 (a/d)
    // differ: 6 off-diagonal coincidences. Sum over c != k of n_c n_k =
    // 24^2 - (16 + 36 + 36 + 36 + 4) = 448.
    // alpha = 1 - 23 * 6 / 448 = 155/224 = 0.69196...
    const result = krippendorffAlpha(
      ['aabbdcccedda'.split(''), 'babbbccceddd'.split('')],
      'nominal',
    );
    expect(result.alpha).toBeCloseTo(155 / 224, 12);
    expect(result.alpha?.toFixed(3)).toBe('0.692');
  });
});

describe('alpha on matrices worked by hand', () => {
  it('is 1 when every pair agrees and the values vary', () => {
    expect(
      krippendorffAlpha(
        [
          ['yes', 'no', 'yes'],
          ['yes', 'no', 'yes'],
        ],
        'nominal',
      ).alpha,
    ).toBe(1);
  });

  it('goes below 0 when reviewers disagree systematically', () => {
    // Units (1, 2) and (2, 1): o_12 = o_21 = 2, n_1 = n_2 = 2, n = 4.
    // alpha = 1 - 3 * 4 / (2 * 2 * 2) = 1 - 12/8 = -0.5.
    expect(
      krippendorffAlpha(
        [
          [1, 2],
          [2, 1],
        ],
        'nominal',
      ).alpha,
    ).toBeCloseTo(-0.5, 12);
  });

  it('is the same whichever order the reviewers and units come in', () => {
    const reviewersReversed = [...sectionC].reverse();
    const unitsReversed = sectionC.map((row) => [...row].reverse());
    for (const level of ['nominal', 'ordinal', 'interval'] as const) {
      const alpha = krippendorffAlpha(sectionC, level).alpha;
      expect(krippendorffAlpha(reviewersReversed, level).alpha).toBeCloseTo(alpha ?? NaN, 12);
      expect(krippendorffAlpha(unitsReversed, level).alpha).toBeCloseTo(alpha ?? NaN, 12);
    }
  });

  it('ordinal uses only the order of the values, interval their distances', () => {
    // Relabel 1..5 as 10, 20, 30, 40, 1000: same order, different distances.
    const relabel = (value: Coding) =>
      value === null || value === undefined
        ? value
        : ([10, 20, 30, 40, 1000][Number(value) - 1] ?? null);
    const relabelled = sectionC.map((row) => row.map(relabel));
    expect(krippendorffAlpha(relabelled, 'ordinal').alpha).toBeCloseTo(108577 / 133160, 12);
    expect(krippendorffAlpha(relabelled, 'interval').alpha).not.toBeCloseTo(951 / 1120, 3);
  });

  it('is undefined, with the reason, when no unit has two values', () => {
    const result = krippendorffAlpha(
      [
        [1, _, 3],
        [_, 2, _],
      ],
      'nominal',
    );
    expect(result).toMatchObject({
      alpha: null,
      undefinedBecause: 'no_pairable_values',
      pairableUnits: 0,
      pairableValues: 0,
    });
    expect(krippendorffAlpha([], 'ordinal').undefinedBecause).toBe('no_pairable_values');
    expect(krippendorffAlpha([[1, 2, 3]], 'interval').undefinedBecause).toBe('no_pairable_values');
  });

  it('is undefined, with the reason, when every value is the same', () => {
    // D_e = 0: alpha would be 0/0. Reported as undefined, not as 1.
    const result = krippendorffAlpha(
      [
        ['yes', 'yes', _],
        ['yes', 'yes', 'yes'],
      ],
      'nominal',
    );
    expect(result).toMatchObject({
      alpha: null,
      undefinedBecause: 'no_variation',
      pairableUnits: 2,
      pairableValues: 4,
    });
  });

  it('refuses words as ordinal or interval data', () => {
    expect(() => krippendorffAlpha([['low'], ['high']], 'ordinal')).toThrow(TypeError);
    expect(() => krippendorffAlpha([[Number.NaN], [1]], 'interval')).toThrow(TypeError);
  });

  it("flags below Krippendorff's lowest acceptable 0.667 by default", () => {
    expect(lowestAcceptableAlpha).toBe(0.667);
  });
});

describe('calibration agreement over the default form', () => {
  const facts: InteractionFacts = {
    channel: 'voice',
    withinRemit: true,
    barrierRecorded: false,
    safeguardingRaised: false,
  };
  const interactions = ['i1', 'i2', 'i3', 'i4'].map((id) => ({ id, facts }));

  /**
   * A review where everything shown is met in full (18 of 18 points: the
   * shown, weighted items are status 2, skills 2, action plan 1, next steps
   * good 4, follow-up 2, transcript 1, rapport 2, service questions 1,
   * accuracy 3), changed by `overrides`.
   */
  function review(overrides: Record<string, ReviewAnswerInput['value']>): ReviewAnswerInput[] {
    const base: Record<string, ReviewAnswerInput['value']> = {
      status_captured: 'yes',
      skills_explored: 'yes',
      action_plan_recorded: 'yes',
      next_steps_good: 4,
      follow_up_offered: 'yes',
      transcript_offered: 'yes',
      open_questions_rapport: 4,
      service_questions_kept_apart: 'yes',
      information_accurate: 4,
    };
    return Object.entries({ ...base, ...overrides }).map(([itemId, value]) => ({
      itemId,
      value,
      comment: value === 'no' || value === 0 ? 'Not done' : '',
    }));
  }

  // next steps good by reviewer (r1, r2, r3) for i1..i4: 3 3 4 | 1 2 1 | 4 4 3 | 2 2 2
  // transcript offered: yes yes no | no yes yes | yes yes yes | yes no yes
  // follow-up offered: "no" from everyone on i2, "yes" elsewhere.
  const nextSteps = { r1: [3, 1, 4, 2], r2: [3, 2, 4, 2], r3: [4, 1, 3, 2] } as const;
  const transcript = {
    r1: ['yes', 'no', 'yes', 'yes'],
    r2: ['yes', 'yes', 'yes', 'no'],
    r3: ['no', 'yes', 'yes', 'yes'],
  } as const;
  const reviews = (['r1', 'r2', 'r3'] as const).flatMap((reviewerId) =>
    interactions.map(({ id }, unit) => ({
      reviewerId,
      interactionId: id,
      answers: review({
        next_steps_good: nextSteps[reviewerId][unit] ?? 4,
        transcript_offered: transcript[reviewerId][unit] ?? 'yes',
        follow_up_offered: id === 'i2' ? 'no' : 'yes',
      }),
    })),
  );

  function agreement() {
    const result = calibrationAgreement(defaultForm, { interactions, reviews });
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  }

  it('measures a yes/no item as nominal data and flags it below 0.667', () => {
    // Transcript: each unit has 3 values, so each ordered pair adds 1/2.
    // i1, i2, i4 (two yes, one no): o_yy += 1, o_yn += 1, o_ny += 1 each.
    // i3 (three yes): o_yy += 3. So o_yy = 6, o_yn = o_ny = 3; n_yes = 9, n_no = 3, n = 12.
    // alpha = 1 - 11 * 6 / (2 * 9 * 3) = 1 - 66/54 = -0.2222...
    const item = agreement().items.find((candidate) => candidate.itemId === 'transcript_offered');
    expect(item?.level).toBe('nominal');
    expect(item?.alpha).toBeCloseTo(1 - 66 / 54, 12);
    expect(item?.flagged).toBe(true);
    expect(agreement().flaggedItemIds).toContain('transcript_offered');
  });

  it('measures a scale item as ordinal data, from the reviewers × interactions matrix', () => {
    const item = agreement().items.find((candidate) => candidate.itemId === 'next_steps_good');
    const matrix = [nextSteps.r1, nextSteps.r2, nextSteps.r3].map((row) => [...row]);
    expect(item?.level).toBe('ordinal');
    expect(item?.alpha).toBeCloseTo(krippendorffAlpha(matrix, 'ordinal').alpha ?? NaN, 12);
    expect(item?.pairableValues).toBe(12);
  });

  it('gives 1 where reviewers agree on answers that vary, and no figure where nothing varies', () => {
    const items = agreement().items;
    const followUp = items.find((candidate) => candidate.itemId === 'follow_up_offered');
    expect(followUp).toMatchObject({ alpha: 1, flagged: false });
    const status = items.find((candidate) => candidate.itemId === 'status_captured');
    expect(status).toMatchObject({ alpha: null, undefinedBecause: 'no_variation', flagged: false });
    // Hidden for every interaction (no barrier, no concern): nothing to pair.
    const safeguarding = items.find((candidate) => candidate.itemId === 'safeguarding_handled');
    expect(safeguarding).toMatchObject({ alpha: null, undefinedBecause: 'no_pairable_values' });
  });

  it('measures the form by each review’s percentage, and shows how far apart the reviewers were', () => {
    const result = agreement();
    // i2 (follow-up "no" costs 2 of 18 points for everyone):
    //   r1: next steps 1 (loses 3), transcript no (loses 1): 18 - 6 = 12 -> 66.67%
    //   r2: next steps 2 (loses 2):                          18 - 4 = 14 -> 77.78%
    //   r3: next steps 1 (loses 3):                          18 - 5 = 13 -> 72.22%
    // The gap is 2 points of 18: 11.11 percentage points.
    const i2 = result.spread.find((row) => row.interactionId === 'i2');
    expect(i2?.lowest).toBeCloseTo((12 / 18) * 100, 9);
    expect(i2?.highest).toBeCloseTo((14 / 18) * 100, 9);
    expect(i2?.gap).toBeCloseTo((2 / 18) * 100, 9);
    // i1: 17, 17, 17 of 18 (one point lost each, in different places): no gap.
    expect(result.spread.find((row) => row.interactionId === 'i1')?.gap).toBeCloseTo(0, 9);

    const percentages = ['r1', 'r2', 'r3'].map((reviewerId) =>
      ['i1', 'i2', 'i3', 'i4'].map((interactionId) => {
        const answers = reviews.find(
          (r) => r.reviewerId === reviewerId && r.interactionId === interactionId,
        )?.answers;
        const score = scoreReview(defaultForm, answers ?? [], facts);
        return score.ok ? score.value.percentage : null;
      }),
    );
    expect(result.form.level).toBe('interval');
    expect(result.form.alpha).toBeCloseTo(
      krippendorffAlpha(percentages, 'interval').alpha ?? NaN,
      12,
    );
    expect(result.reviewerIds).toEqual(['r1', 'r2', 'r3']);
    expect(result.unscored).toEqual([]);
  });

  it('counts an incomplete review’s answers per item but leaves it out of the form figure', () => {
    const partial = {
      reviewerId: 'r4',
      interactionId: 'i3',
      answers: [{ itemId: 'next_steps_good', value: 0 }],
    };
    const result = calibrationAgreement(defaultForm, {
      interactions,
      reviews: [...reviews, partial],
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.unscored).toEqual([
      expect.objectContaining({ reviewerId: 'r4', interactionId: 'i3' }),
    ]);
    const item = result.value.items.find((candidate) => candidate.itemId === 'next_steps_good');
    expect(item?.pairableValues).toBe(13);
  });

  it('refuses two reviews of one interaction by the same reviewer, and unknown interactions', () => {
    const twice = calibrationAgreement(defaultForm, {
      interactions,
      reviews: [...reviews, { reviewerId: 'r1', interactionId: 'i1', answers: [] }],
    });
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.error.message).toContain('two reviews');
    const stranger = calibrationAgreement(defaultForm, {
      interactions,
      reviews: [{ reviewerId: 'r1', interactionId: 'i9', answers: [] }],
    });
    expect(stranger.ok).toBe(false);
  });

  it('takes a stricter threshold when asked', () => {
    const result = calibrationAgreement(
      defaultForm,
      { interactions, reviews },
      { threshold: 1.01 },
    );
    if (!result.ok) throw new Error(result.error.message);
    // Even perfect agreement (alpha 1) is below 1.01; undefined figures are never flagged.
    expect(result.value.flaggedItemIds).toContain('follow_up_offered');
    expect(result.value.flaggedItemIds).not.toContain('status_captured');
  });
});
