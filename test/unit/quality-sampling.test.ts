// The weekly review sample: reproducible from its seed and rules, always
// including what must be reviewed, spread evenly across reviewers, and never
// giving an adviser their own work.
import { describe, expect, it } from 'vitest';
import {
  checkSample,
  drawWeeklySample,
  fnv1a32,
  mulberry32,
  type SampleCandidate,
  type SamplingRequest,
  type WeeklySample,
} from '../../shared/quality/sampling';

/** `count` interactions for an adviser, ids like "alex-03", completed through the week. */
function interactionsOf(adviserId: string, count: number): SampleCandidate[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `${adviserId}-${String(index + 1).padStart(2, '0')}`,
    adviserId,
    completedAt: `2025-03-0${3 + (index % 5)}T1${index % 10}:00:00.000Z`,
    safeguardingRaised: false,
    abandonedOrDropped: false,
    flaggedForReview: false,
  }));
}

function week(): SamplingRequest {
  const interactions = [
    ...interactionsOf('alex', 12),
    ...interactionsOf('bo', 9),
    ...interactionsOf('cam', 2),
  ].map((candidate) => {
    // alex-02 raised a concern; bo-04 dropped; bo-05 was flagged and dropped; cam-01 flagged.
    if (candidate.id === 'alex-02') return { ...candidate, safeguardingRaised: true };
    if (candidate.id === 'bo-04') return { ...candidate, abandonedOrDropped: true };
    if (candidate.id === 'bo-05')
      return { ...candidate, abandonedOrDropped: true, flaggedForReview: true };
    if (candidate.id === 'cam-01') return { ...candidate, flaggedForReview: true };
    return candidate;
  });
  // alex is an adviser who also reviews.
  return {
    seed: 20250303,
    week: '2025-W10',
    perAdviser: 3,
    interactions,
    reviewerIds: ['tl-1', 'tl-2', 'alex'],
  };
}

function drawn(request: SamplingRequest): WeeklySample {
  const result = drawWeeklySample(request);
  if (!result.ok) throw new Error(`${result.error.message} ${JSON.stringify(result.error.issues)}`);
  return result.value;
}

describe('the generator and hash the sample rests on', () => {
  it('FNV-1a gives the published 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('mulberry32 gives the same numbers it always has (a change would redraw every past sample)', () => {
    const random = mulberry32(1);
    expect([random(), random(), random()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
    const again = mulberry32(1);
    expect(again()).toBe(0.6270739405881613);
  });
});

describe('the weekly sample', () => {
  it('includes every concern, dropped and flagged interaction, plus perAdviser drawn at random', () => {
    const sample = drawn(week());
    const reasons = Object.fromEntries(sample.selections.map((s) => [s.interactionId, s.reasons]));
    expect(reasons['alex-02']).toEqual(['safeguarding']);
    expect(reasons['bo-04']).toEqual(['abandoned_or_dropped']);
    expect(reasons['bo-05']).toEqual(['abandoned_or_dropped', 'flagged']);
    expect(reasons['cam-01']).toEqual(['flagged']);
    const randomOf = (adviserId: string) =>
      sample.selections.filter((s) => s.adviserId === adviserId && s.reasons.includes('random'));
    // alex: 11 others, 3 drawn. bo: 7 others, 3 drawn. cam: 1 other, all of it (fewer than 3).
    expect(randomOf('alex')).toHaveLength(3);
    expect(randomOf('bo')).toHaveLength(3);
    expect(randomOf('cam').map((s) => s.interactionId)).toEqual(['cam-02']);
    expect(sample.selections).toHaveLength(4 + 3 + 3 + 1);
    expect(sample.population).toEqual({ interactions: 23, advisers: 3 });
  });

  it('records the seed, week and rules it was drawn under', () => {
    const sample = drawn(week());
    expect(sample).toMatchObject({
      week: '2025-W10',
      seed: 20250303,
      rules: {
        version: 1,
        perAdviser: 3,
        alwaysIncluded: ['safeguarding', 'abandoned_or_dropped', 'flagged'],
      },
      reviewerIds: ['alex', 'tl-1', 'tl-2'],
    });
    expect(sample.rules.method).toContain('mulberry32');
    expect(sample.populationDigest).toMatch(/^[0-9a-f]{8}$/);
  });

  it('comes out the same from the same input, whatever order the interactions arrive in', () => {
    const first = drawn(week());
    expect(drawn(week())).toEqual(first);
    const shuffled = { ...week(), interactions: [...week().interactions].reverse() };
    expect(drawn(shuffled)).toEqual(first);
    const reviewersReordered = { ...week(), reviewerIds: ['alex', 'tl-2', 'tl-1'] };
    expect(drawn(reviewersReordered)).toEqual(first);
  });

  it('draws differently under another seed', () => {
    const random = (sample: WeeklySample) =>
      sample.selections.filter((s) => s.reasons.includes('random')).map((s) => s.interactionId);
    expect(random(drawn({ ...week(), seed: 1 }))).not.toEqual(random(drawn(week())));
  });

  it('keeps the draw it recorded: this seed picks these interactions', () => {
    // Pinned once from the rules above; if it changes, a past week's sample no
    // longer reproduces, and the rules version must be bumped.
    const sample = drawn(week());
    expect(sample.selections.map((s) => [s.interactionId, s.reviewerId])).toEqual([
      ['alex-02', 'tl-1'],
      ['alex-03', 'tl-2'],
      ['alex-09', 'tl-2'],
      ['alex-10', 'tl-1'],
      ['bo-04', 'alex'],
      ['bo-05', 'alex'],
      ['bo-07', 'tl-2'],
      ['bo-08', 'tl-1'],
      ['bo-09', 'alex'],
      ['cam-01', 'alex'],
      ['cam-02', 'tl-1'],
    ]);
    expect(sample.populationDigest).toBe('a591fb52');
  });

  it('keeps one adviser’s draw when another adviser’s interactions change', () => {
    const alexOnly = (sample: WeeklySample) =>
      sample.selections.filter((s) => s.adviserId === 'alex').map((s) => s.interactionId);
    const withoutBo = {
      ...week(),
      interactions: week().interactions.filter((c) => c.adviserId !== 'bo'),
    };
    expect(alexOnly(drawn(withoutBo))).toEqual(alexOnly(drawn(week())));
  });

  it('never gives an adviser their own work, and spreads reviews within one of each other', () => {
    const sample = drawn(week());
    for (const selection of sample.selections) {
      expect(selection.reviewerId).not.toBeNull();
      expect(selection.reviewerId).not.toBe(selection.adviserId);
    }
    const loads = sample.loads.map((load) => load.reviews);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(11);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
  });

  it('evens out loads that a first greedy pass would leave uneven', () => {
    // Three reviewers who are all advisers: A's three interactions may go to B
    // or C, B's three to A or C, and C has none. An even split (2, 2, 2) exists;
    // placing one at a time can reach (2, 1, 3), which only a chain of moves fixes.
    const candidates = ['A', 'B'].flatMap((adviserId) =>
      interactionsOf(adviserId, 3).map((c) => ({ ...c, flaggedForReview: true })),
    );
    for (let seed = 0; seed < 40; seed += 1) {
      const sample = drawn({
        seed,
        week: '2025-W10',
        perAdviser: 0,
        interactions: candidates,
        reviewerIds: ['A', 'B', 'C'],
      });
      expect(sample.loads.map((load) => load.reviews)).toEqual([2, 2, 2]);
      for (const selection of sample.selections) {
        expect(selection.reviewerId).not.toBe(selection.adviserId);
      }
    }
  });

  it('leaves an interaction unassigned when its adviser is the only reviewer', () => {
    const sample = drawn({
      seed: 7,
      week: '2025-W10',
      perAdviser: 1,
      interactions: interactionsOf('solo', 3),
      reviewerIds: ['solo'],
    });
    expect(sample.selections).toHaveLength(1);
    expect(sample.selections[0]?.reviewerId).toBeNull();
    expect(sample.loads).toEqual([{ reviewerId: 'solo', reviews: 0 }]);
  });

  it('refuses an interaction listed twice, and a week not written as an ISO week', () => {
    const twice = drawWeeklySample({
      ...week(),
      interactions: [...week().interactions, ...interactionsOf('bo', 1)],
    });
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.error.message).toBe('Interaction bo-01 is listed twice');
    const badWeek = drawWeeklySample({ ...week(), week: '2025-03-03' });
    expect(badWeek.ok).toBe(false);
    if (!badWeek.ok)
      expect(badWeek.error.issues?.[0]).toEqual({
        path: 'week',
        message: 'Give the week as 2025-W10',
      });
  });
});

describe('auditing a past sample', () => {
  it('reproduces from the request recorded with it', () => {
    const sample = drawn(week());
    const stored = JSON.parse(JSON.stringify(sample)) as WeeklySample;
    expect(checkSample(stored, week())).toEqual({ ok: true, value: true });
  });

  it('names what differs when the population or the seed is not the one it was drawn from', () => {
    const sample = drawn(week());
    const changed = {
      ...week(),
      interactions: week().interactions.map((c) =>
        c.id === 'alex-07' ? { ...c, flaggedForReview: true } : c,
      ),
    };
    const result = checkSample(sample, changed);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('conflict');
      expect(result.error.message).toContain(
        'the interactions differ from those it was drawn from',
      );
    }
    const otherSeed = checkSample(sample, { ...week(), seed: 1 });
    expect(!otherSeed.ok && otherSeed.error.message).toContain('the seed differs');
  });
});
