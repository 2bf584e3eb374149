// A review's life once it is assigned: the reviewer saves answers and
// publishes them (scored, or refused with every problem in words); the
// adviser acknowledges it and may dispute items within a window; another team
// leader resolves each disputed item, and a resolution that changes an answer
// makes a new version, scored again. Pure decisions over plain data: the
// server applies them in one transaction (whether the change came over HTTP or
// through a desk's outbox), and the desk checks a publish with the same rules
// before it queues one, so a review written offline is not refused later.
import { z } from 'zod';
import type { InteractionRecord } from '../interaction/record';
import { fail, ok, type Result } from '../result';
import { londonFormat } from '../time/london';
import { findItem, interactionFacts, type ScorecardForm } from './form';
import { overrideProblems, prefillReview } from './prefill';
import {
  reviewAnswerSchema,
  reviewProblems,
  scoreReview,
  type ReviewAnswer,
  type ReviewAnswerInput,
  type ReviewProblem,
  type ReviewScore,
} from './scoring';

/** Why a review exists: the weekly sample, an adviser's flag, a team leader's choice, or calibration. */
export const reviewPurposes = ['sample', 'flagged', 'adhoc', 'calibration'] as const;
export type ReviewPurpose = (typeof reviewPurposes)[number];

/**
 * Where a review stands. Advisers see a review from `published` on;
 * `disputed` holds until every disputed item is resolved.
 */
export const reviewStatuses = [
  'draft',
  'published',
  'acknowledged',
  'disputed',
  'resolved',
] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

/** A resolver's finding on one disputed item: the adviser was right, partly right, or not. */
export const disputeOutcomes = ['upheld', 'partly', 'rejected'] as const;
export type DisputeOutcome = (typeof disputeOutcomes)[number];

/** How long an adviser has to dispute a published review, unless the server is told otherwise. */
export const defaultDisputeWindowDays = 14;

export interface DisputeState {
  itemId: string;
  reason: string;
  raisedAt: string;
  /** Null while it waits for a resolver. */
  outcome: DisputeOutcome | null;
}

/** What the decisions read of a stored review. */
export interface ReviewState {
  adviserId: string;
  reviewerId: string;
  purpose: ReviewPurpose;
  status: ReviewStatus;
  answers: ReviewAnswer[];
  /** Published versions so far; 0 while a draft. */
  version: number;
  publishedAt: string | null;
  /** The version the adviser last acknowledged; null if none. */
  acknowledgedVersion: number | null;
  disputes: DisputeState[];
}

const count = (n: number, one: string, many: string) => (n === 1 ? `one ${one}` : `${n} ${many}`);

/**
 * Everything that stops a set of answers being published: the form's own
 * problems (unanswered, hidden or unknown items, failed items with no
 * comment) and proposals from the record overridden without a reason. A
 * record whose journal cannot be replayed has no proposals, so none can be
 * overridden.
 */
export function publishProblems(
  form: ScorecardForm,
  record: InteractionRecord,
  answers: readonly ReviewAnswer[],
): ReviewProblem[] {
  const problems = reviewProblems(form, answers, interactionFacts(record));
  const prefill = prefillReview(form, record);
  if (!prefill.ok) return problems;
  // One problem per item: an unanswered item is not also an override.
  const named = new Set(problems.map((problem) => problem.path));
  return [
    ...problems,
    ...overrideProblems(prefill.value, answers).filter((problem) => !named.has(problem.path)),
  ];
}

export interface SaveDecision {
  answers: ReviewAnswer[];
  status: 'draft' | 'published';
  /** The score once nothing stops publishing; null for a draft that is not complete. */
  score: ReviewScore | null;
  /** What still stops publishing (always empty for a publish). */
  problems: ReviewProblem[];
}

/**
 * The reviewer's answers saved as a draft, or published. A draft takes
 * anything that parses, so work in progress is never lost; a publish is
 * refused with every problem at once.
 */
export function decideSave(input: {
  review: ReviewState;
  form: ScorecardForm;
  record: InteractionRecord;
  by: string;
  answers: readonly ReviewAnswerInput[];
  publish: boolean;
}): Result<SaveDecision> {
  const { review, form, record, by, publish } = input;
  if (by !== review.reviewerId) {
    return fail('forbidden', 'Only the team leader this review is assigned to may change it');
  }
  if (review.status !== 'draft') {
    return fail(
      'conflict',
      'This review is already published: it changes now only through a dispute and its resolution',
    );
  }
  const parsed = z.array(reviewAnswerSchema).max(200).safeParse(input.answers);
  if (!parsed.success) {
    return fail(
      'invalid_input',
      'The answers are not valid',
      parsed.error.issues.slice(0, 20).map((issue) => ({
        path: ['answers', ...issue.path.map(String)].join('.'),
        message: issue.message,
      })),
    );
  }
  const answers = parsed.data;
  const problems = publishProblems(form, record, answers);
  if (publish && problems.length > 0) {
    return fail(
      'invalid_input',
      `The review cannot be published yet: ${count(problems.length, 'thing', 'things')} to put right.`,
      problems,
    );
  }
  const score = problems.length === 0 ? scoreReview(form, answers, interactionFacts(record)) : null;
  return ok({
    answers,
    status: publish ? 'published' : 'draft',
    score: score?.ok ? score.value : null,
    problems,
  });
}

/** The last moment an adviser may dispute a review published at `publishedAt`. */
export function disputeDeadline(publishedAt: string, windowDays: number): string {
  return new Date(Date.parse(publishedAt) + windowDays * 86_400_000).toISOString();
}

const dayWords = londonFormat({ dateStyle: 'long', timeStyle: 'short' });

function aboutThem(review: ReviewState, by: string, what: string): Result<null> {
  if (by !== review.adviserId) {
    return fail('forbidden', `Only the adviser the review is about may ${what} it`);
  }
  // Calibration measures reviewers, not the adviser: it is never given to them.
  if (review.purpose === 'calibration') {
    return fail('conflict', 'A calibration review is not given to the adviser');
  }
  if (review.status === 'draft') return fail('conflict', 'This review is not published yet');
  return ok(null);
}

/** The adviser has read the review (this version of it), with an optional comment. */
export function decideAcknowledge(input: {
  review: ReviewState;
  by: string;
}): Result<{ status: ReviewStatus; acknowledgedVersion: number }> {
  const { review } = input;
  const allowed = aboutThem(review, input.by, 'acknowledge');
  if (!allowed.ok) return allowed;
  if (review.status === 'disputed') {
    return fail(
      'conflict',
      'Part of this review is disputed: acknowledge it once the dispute is resolved',
    );
  }
  if (review.acknowledgedVersion === review.version) {
    return fail('conflict', 'You have already acknowledged this version of the review');
  }
  return ok({
    status: review.status === 'published' ? 'acknowledged' : review.status,
    acknowledgedVersion: review.version,
  });
}

/** The adviser disputes items: only answered items, within the window, once per review. */
export function decideDispute(input: {
  review: ReviewState;
  form: ScorecardForm;
  by: string;
  items: readonly { itemId: string; reason: string }[];
  at: string;
  windowDays: number;
}): Result<{ status: 'disputed'; disputes: DisputeState[] }> {
  const { review, form, at } = input;
  const allowed = aboutThem(review, input.by, 'dispute');
  if (!allowed.ok) return allowed;
  if (review.status === 'disputed') {
    return fail('conflict', 'This review is already disputed; wait for the resolution');
  }
  if (review.status === 'resolved') {
    return fail('conflict', 'This review’s dispute has been resolved; a review is disputed once');
  }
  const deadline = disputeDeadline(review.publishedAt ?? at, input.windowDays);
  if (Date.parse(at) > Date.parse(deadline)) {
    return fail(
      'conflict',
      `The time to dispute this review ended on ${dayWords.format(new Date(deadline))}`,
    );
  }
  const issues: ReviewProblem[] = [];
  const seen = new Set<string>();
  input.items.forEach(({ itemId }, index) => {
    const path = `items.${index}.itemId`;
    const item = findItem(form, itemId);
    if (!item) issues.push({ path, message: `The form has no item called “${itemId}”` });
    else if (seen.has(itemId))
      issues.push({ path, message: `“${item.prompt}” is disputed twice; keep one` });
    else if (!review.answers.some((answer) => answer.itemId === itemId))
      issues.push({
        path,
        message: `“${item.prompt}” was not scored: there is nothing to dispute`,
      });
    seen.add(itemId);
  });
  if (input.items.length === 0)
    issues.push({ path: 'items', message: 'Choose an item to dispute' });
  if (issues.length > 0) return fail('invalid_input', 'The dispute cannot be raised', issues);
  return ok({
    status: 'disputed',
    disputes: input.items.map(({ itemId, reason }) => ({
      itemId,
      reason,
      raisedAt: at,
      outcome: null,
    })),
  });
}

export interface ResolutionDecision {
  /** The answers after the resolution; the same as before unless `changed`. */
  answers: ReviewAnswer[];
  /** True when an answer changed: a new version is written and scored. */
  changed: boolean;
  score: ReviewScore | null;
  /** `resolved` once no disputed item is left open. */
  status: 'disputed' | 'resolved';
}

/**
 * Another team leader's finding on one disputed item. Upheld and partly
 * upheld come with the answer the resolver now gives; rejected leaves the
 * answer as it was. Neither the reviewer nor the adviser resolves.
 */
export function decideResolution(input: {
  review: ReviewState;
  form: ScorecardForm;
  record: InteractionRecord;
  by: string;
  itemId: string;
  outcome: DisputeOutcome;
  answer: Omit<ReviewAnswerInput, 'itemId'> | null;
}): Result<ResolutionDecision> {
  const { review, form, record, by, itemId, outcome } = input;
  if (by === review.reviewerId) {
    return fail(
      'forbidden',
      'A dispute is resolved by another team leader, not by the reviewer who wrote the review',
    );
  }
  if (by === review.adviserId) {
    return fail('forbidden', 'Nobody resolves a dispute about their own work');
  }
  if (review.status !== 'disputed') return fail('conflict', 'This review has no open dispute');
  const dispute = review.disputes.find((held) => held.itemId === itemId);
  if (!dispute) return fail('not_found', 'This item of the review is not disputed');
  if (dispute.outcome !== null) {
    return fail('conflict', 'This disputed item has already been resolved');
  }
  const item = findItem(form, itemId);
  const current = review.answers.find((answer) => answer.itemId === itemId);
  const stillOpen = review.disputes.filter(
    (held) => held.outcome === null && held.itemId !== itemId,
  ).length;
  const status = stillOpen === 0 ? 'resolved' : 'disputed';
  if (outcome === 'rejected') {
    if (input.answer !== null) {
      return fail('invalid_input', 'A rejected dispute leaves the answer as it was', [
        { path: 'answer', message: 'Leave the answer out, or choose upheld or partly upheld' },
      ]);
    }
    return ok({ answers: review.answers, changed: false, score: null, status });
  }
  if (input.answer === null) {
    return fail('invalid_input', 'Give the answer the item should have now', [
      { path: 'answer', message: 'An upheld dispute changes the answer: give the new one' },
    ]);
  }
  const parsed = reviewAnswerSchema.safeParse({ ...input.answer, itemId });
  if (!parsed.success) {
    return fail('invalid_input', 'The new answer is not valid', [
      { path: 'answer', message: parsed.error.issues[0]?.message ?? 'Not an answer' },
    ]);
  }
  // A disputed item is always an answered item of the form (decideDispute saw to it).
  if (!item || !current) return fail('not_found', 'This item is not in the review');
  const next = parsed.data;
  if (outcome === 'upheld' && next.value === current.value) {
    return fail('invalid_input', 'An upheld dispute changes the answer', [
      {
        path: 'answer.value',
        message: `Choose the answer you now agree with for “${item.prompt}”`,
      },
    ]);
  }
  if (outcome === 'partly' && next.value === current.value && next.comment === current.comment) {
    return fail('invalid_input', 'A partly upheld dispute changes the answer or its comment', [
      { path: 'answer', message: 'Change the answer or its comment, or reject the dispute' },
    ]);
  }
  const answers = review.answers.map((answer) => (answer.itemId === itemId ? next : answer));
  const score = scoreReview(form, answers, interactionFacts(record));
  if (!score.ok) return score;
  return ok({ answers, changed: true, score: score.value, status });
}

/**
 * Calibration is blind: a reviewer sees only their own reviews of a session
 * until it is closed or every reviewer has published.
 */
export function calibrationComplete(session: {
  closedAt: string | null;
  reviews: readonly { status: ReviewStatus }[];
}): boolean {
  return session.closedAt !== null || session.reviews.every((review) => review.status !== 'draft');
}

/** What a reassignment checks about the team leader a review would go to. */
export interface ReassignTarget {
  id: string;
  name: string;
  /** Holds the team-leader role: reviews are written by team leaders only. */
  isTeamLeader: boolean;
}

/**
 * A team leader passes a review still being written to another team leader
 * (who is away, or has too many this week, or knows the adviser too well).
 * Only a draft moves: once published, the review is its reviewer's record,
 * and a dispute already goes to someone else. Calibration reviews never move:
 * they measure the reviewer they were given to. The draft's answers go with
 * it, and nobody is given a review of their own work.
 */
export function decideReassign(input: {
  review: ReviewState;
  by: string;
  to: ReassignTarget;
}): Result<{ reviewerId: string }> {
  const { review, by, to } = input;
  if (by === review.adviserId) {
    return fail('forbidden', 'Nobody reassigns a review of their own work');
  }
  if (review.purpose === 'calibration') {
    return fail(
      'conflict',
      'A calibration review measures the reviewer it was given to, so it is not reassigned; close the session instead',
    );
  }
  if (review.status !== 'draft') {
    return fail(
      'conflict',
      'This review is already published: it stays with the team leader who wrote it',
    );
  }
  const issues: ReviewProblem[] = [];
  if (to.id === review.reviewerId) {
    issues.push({ path: 'reviewerId', message: `The review is already assigned to ${to.name}` });
  } else if (!to.isTeamLeader) {
    issues.push({
      path: 'reviewerId',
      message: `${to.name} is not a team leader: reviews are written by team leaders`,
    });
  } else if (to.id === review.adviserId) {
    issues.push({
      path: 'reviewerId',
      message: `${to.name} took this interaction, and nobody reviews their own work`,
    });
  }
  if (issues.length > 0) return fail('invalid_input', 'The review cannot go there', issues);
  return ok({ reviewerId: to.id });
}
