// The weekly review sample: a seeded random sample of each adviser's
// completed interactions, plus every one with a safeguarding concern, every
// abandoned or dropped one and every one flagged for review, with the reviews
// spread evenly across reviewers and nobody reviewing their own work.
//
// Reproducible by construction: the output depends only on the seed, the
// rules and the set of interactions (not the order they arrive in), and it
// records all three, so anyone can draw it again and get the same sample.
import { z } from 'zod';
import { fail, ok, type Result } from '../result';

/** Bumped whenever a change here would draw a different sample from the same input. */
export const SAMPLING_RULES_VERSION = 1;

export const sampleCandidateSchema = z.object({
  id: z.string().min(1).max(100),
  adviserId: z.string().min(1).max(100),
  completedAt: z.iso.datetime({ offset: true }),
  safeguardingRaised: z.boolean(),
  /** The customer left, or the connection dropped, before the contact was finished. */
  abandonedOrDropped: z.boolean(),
  /** The adviser asked for this one to be reviewed. */
  flaggedForReview: z.boolean(),
});
export type SampleCandidate = z.infer<typeof sampleCandidateSchema>;

export const samplingRequestSchema = z.object({
  /** An unsigned 32-bit seed, chosen at random when the week is drawn and recorded with it. */
  seed: z.number().int().min(0).max(0xffff_ffff),
  /** The ISO week the interactions were completed in, e.g. 2025-W10. */
  week: z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'Give the week as 2025-W10'),
  /** Interactions drawn at random per adviser, on top of those always included. */
  perAdviser: z.number().int().min(0).max(1000),
  /** The week's completed interactions. */
  interactions: z.array(sampleCandidateSchema).max(1_000_000),
  /** Staff who review; a reviewer who is also an adviser has the same id in both. */
  reviewerIds: z.array(z.string().min(1).max(100)).max(10_000),
});
export type SamplingRequest = z.infer<typeof samplingRequestSchema>;

export const sampleReasons = ['safeguarding', 'abandoned_or_dropped', 'flagged', 'random'] as const;
export type SampleReason = (typeof sampleReasons)[number];

export interface SampledInteraction {
  interactionId: string;
  adviserId: string;
  /** Why it is in the sample; `random` only when nothing else put it there. */
  reasons: SampleReason[];
  /** Null when no reviewer may review it (the only reviewer is its adviser). */
  reviewerId: string | null;
}

export interface WeeklySample {
  week: string;
  seed: number;
  rules: {
    version: number;
    perAdviser: number;
    alwaysIncluded: Exclude<SampleReason, 'random'>[];
    /** The method in words, for an auditor who has only this record. */
    method: string;
  };
  /** FNV-1a (32-bit, hex) of the interactions as drawn from: a different set gives a different digest. */
  populationDigest: string;
  population: { interactions: number; advisers: number };
  reviewerIds: string[];
  /** By adviser, then interaction id. */
  selections: SampledInteraction[];
  /** Reviews per reviewer. */
  loads: { reviewerId: string; reviews: number }[];
}

const method =
  'Interactions are sorted by id. Every interaction with a safeguarding concern, abandoned or dropped, ' +
  'or flagged for review is included. From each adviser’s other interactions, perAdviser are drawn by a ' +
  'partial Fisher–Yates shuffle driven by mulberry32 seeded with FNV-1a of "<seed>:<adviserId>". ' +
  'Reviews go to the eligible reviewer (never the interaction’s own adviser) with fewest reviews, then ' +
  'fewest of that adviser’s, ties broken by mulberry32 seeded with FNV-1a of "<seed>:assign"; the ' +
  'interactions with fewest eligible reviewers are placed first, then the load is evened by moving ' +
  'reviews along chains of eligible reviewers until no reviewer has two more than another can take.';

/** FNV-1a, 32-bit, over UTF-16 code units: the same number in every JavaScript engine. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * mulberry32: a 32-bit generator, small enough to check by eye and the same
 * in every engine (Math.random is neither seedable nor reproducible). Returns
 * numbers in [0, 1). Not for secrets; a sample needs only to be fair and repeatable.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `count` of `pool`, chosen at random without replacement, in pool order. */
function drawWithout<T>(pool: readonly T[], count: number, random: () => number): T[] {
  const shuffled = [...pool];
  const take = Math.min(count, shuffled.length);
  for (let index = 0; index < take; index += 1) {
    const pick = index + Math.floor(random() * (shuffled.length - index));
    const chosen = shuffled[pick] as T;
    shuffled[pick] = shuffled[index] as T;
    shuffled[index] = chosen;
  }
  const chosen = new Set(shuffled.slice(0, take));
  return pool.filter((candidate) => chosen.has(candidate));
}

function reasonsFor(candidate: SampleCandidate): SampleReason[] {
  const reasons: SampleReason[] = [];
  if (candidate.safeguardingRaised) reasons.push('safeguarding');
  if (candidate.abandonedOrDropped) reasons.push('abandoned_or_dropped');
  if (candidate.flaggedForReview) reasons.push('flagged');
  return reasons;
}

/**
 * Gives each sampled interaction a reviewer: never its own adviser, as evenly
 * as the constraint allows. A greedy pass places the most constrained first;
 * then, while some reviewer has at least two more reviews than another, a
 * review moves along a chain of reviewers each of whom may take the one
 * before's (a shortest such chain, found breadth first). Each move lowers the
 * sum of squared loads, so it ends.
 */
function assignReviewers(
  selections: SampledInteraction[],
  reviewerIds: readonly string[],
  random: () => number,
): void {
  if (reviewerIds.length === 0) return;
  const eligible = (selection: SampledInteraction, reviewerId: string) =>
    reviewerId !== selection.adviserId;
  const load = new Map(reviewerIds.map((id) => [id, 0]));
  const loadForAdviser = new Map<string, number>();
  const pairKey = (reviewerId: string, adviserId: string) => `${reviewerId}\u0000${adviserId}`;

  const order = [...selections].sort((a, b) => {
    const choices = (s: SampledInteraction) => reviewerIds.filter((id) => eligible(s, id)).length;
    return (
      choices(a) - choices(b) ||
      compare(a.adviserId, b.adviserId) ||
      compare(a.interactionId, b.interactionId)
    );
  });
  for (const selection of order) {
    const candidates = reviewerIds.filter((id) => eligible(selection, id));
    if (candidates.length === 0) continue;
    // Fewest reviews first; then fewest of this adviser's, so one adviser's
    // feedback does not all come from one reviewer's reading of the form.
    const rank = (id: string) =>
      (load.get(id) ?? 0) * (selections.length + 1) +
      (loadForAdviser.get(pairKey(id, selection.adviserId)) ?? 0);
    const lowest = Math.min(...candidates.map(rank));
    const best = candidates.filter((id) => rank(id) === lowest);
    const chosen = best[Math.floor(random() * best.length)] ?? candidates[0];
    if (chosen === undefined) continue;
    selection.reviewerId = chosen;
    load.set(chosen, (load.get(chosen) ?? 0) + 1);
    const key = pairKey(chosen, selection.adviserId);
    loadForAdviser.set(key, (loadForAdviser.get(key) ?? 0) + 1);
  }

  for (;;) {
    const loads = reviewerIds.map((id) => load.get(id) ?? 0);
    const highest = Math.max(...loads);
    // Breadth first from every most-loaded reviewer to any with two fewer.
    const cameFrom = new Map<string, { from: string; selection: SampledInteraction } | null>();
    const queue = reviewerIds.filter((id) => load.get(id) === highest);
    for (const id of queue) cameFrom.set(id, null);
    let target: string | undefined;
    for (let head = 0; head < queue.length && target === undefined; head += 1) {
      const from = queue[head] as string;
      for (const selection of selections) {
        if (selection.reviewerId !== from) continue;
        for (const to of reviewerIds) {
          if (cameFrom.has(to) || !eligible(selection, to)) continue;
          cameFrom.set(to, { from, selection });
          if ((load.get(to) ?? 0) <= highest - 2) {
            target = to;
            break;
          }
          queue.push(to);
        }
        if (target !== undefined) break;
      }
    }
    if (target === undefined) return;
    // Move each review on the chain one step along it.
    let step = cameFrom.get(target);
    let to = target;
    while (step) {
      step.selection.reviewerId = to;
      to = step.from;
      step = cameFrom.get(to);
    }
    load.set(target, (load.get(target) ?? 0) + 1);
    load.set(to, (load.get(to) ?? 0) - 1);
  }
}

/**
 * Draws the week's sample. Refuses a request that does not parse, or that
 * names one interaction twice; an interaction no reviewer may take is kept
 * in the sample with no reviewer, for a team leader to place by hand.
 */
export function drawWeeklySample(request: SamplingRequest): Result<WeeklySample> {
  const parsed = samplingRequestSchema.safeParse(request);
  if (!parsed.success) {
    return fail(
      'invalid_input',
      'The sampling request is not valid',
      parsed.error.issues.slice(0, 20).map((issue) => ({
        path: issue.path.map(String).join('.') || '(root)',
        message: issue.message,
      })),
    );
  }
  const { seed, week, perAdviser } = parsed.data;
  // Sorted, so the order the interactions arrive in (a database's whim) cannot change the draw.
  const interactions = [...parsed.data.interactions].sort(byId);
  for (let index = 1; index < interactions.length; index += 1) {
    if (interactions[index]?.id === interactions[index - 1]?.id) {
      return fail('invalid_input', `Interaction ${interactions[index]?.id} is listed twice`);
    }
  }
  const reviewerIds = [...new Set(parsed.data.reviewerIds)].sort(compare);
  const adviserIds = [...new Set(interactions.map((candidate) => candidate.adviserId))].sort(
    compare,
  );

  const selections: SampledInteraction[] = [];
  for (const adviserId of adviserIds) {
    const theirs = interactions.filter((candidate) => candidate.adviserId === adviserId);
    const always = theirs.filter((candidate) => reasonsFor(candidate).length > 0);
    const rest = theirs.filter((candidate) => reasonsFor(candidate).length === 0);
    // One stream per adviser: an adviser's draw does not shift when another
    // adviser joins or leaves, so it can be checked from their interactions alone.
    const drawn = drawWithout(rest, perAdviser, mulberry32(fnv1a32(`${seed}:${adviserId}`)));
    const chosen = new Set([...always, ...drawn]);
    for (const candidate of theirs) {
      if (!chosen.has(candidate)) continue;
      const reasons = reasonsFor(candidate);
      selections.push({
        interactionId: candidate.id,
        adviserId,
        reasons: reasons.length > 0 ? reasons : ['random'],
        reviewerId: null,
      });
    }
  }
  assignReviewers(selections, reviewerIds, mulberry32(fnv1a32(`${seed}:assign`)));

  const population = interactions
    .map(
      (candidate) =>
        `${candidate.id}|${candidate.adviserId}|${candidate.completedAt}|${reasonsFor(candidate).join(',')}`,
    )
    .join('\n');
  return ok({
    week,
    seed,
    rules: {
      version: SAMPLING_RULES_VERSION,
      perAdviser,
      alwaysIncluded: ['safeguarding', 'abandoned_or_dropped', 'flagged'],
      method,
    },
    populationDigest: fnv1a32(population).toString(16).padStart(8, '0'),
    population: { interactions: interactions.length, advisers: adviserIds.length },
    reviewerIds,
    selections,
    loads: reviewerIds.map((reviewerId) => ({
      reviewerId,
      reviews: selections.filter((selection) => selection.reviewerId === reviewerId).length,
    })),
  });
}

/**
 * Draws the sample again from the request recorded with it and says whether
 * it comes out the same: an audit of a past week. Differences are named.
 */
export function checkSample(recorded: WeeklySample, request: SamplingRequest): Result<true> {
  const again = drawWeeklySample(request);
  if (!again.ok) return again;
  const differences: string[] = [];
  if (recorded.rules.version !== SAMPLING_RULES_VERSION) {
    differences.push(
      `it was drawn under sampling rules version ${recorded.rules.version}, and these are version ${SAMPLING_RULES_VERSION}`,
    );
  }
  if (recorded.seed !== again.value.seed) differences.push('the seed differs');
  if (recorded.populationDigest !== again.value.populationDigest)
    differences.push('the interactions differ from those it was drawn from');
  if (JSON.stringify(recorded.selections) !== JSON.stringify(again.value.selections))
    differences.push('the interactions chosen or their reviewers differ');
  if (differences.length === 0) return ok(true);
  return fail('conflict', `The sample does not reproduce: ${differences.join('; ')}.`);
}
