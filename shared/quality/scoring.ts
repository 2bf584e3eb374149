// Scoring a review against its form: points per item, N/A out of the
// maximum, weights, conditional items, and must-pass items kept to a separate
// critical result. Every rule a reviewer can break (a missing answer, a
// failed item with no comment) comes back in plain words, all at once.
import { z } from 'zod';
import { fail, ok, type Result, type ResultError } from '../result';
import {
  describeCondition,
  formItems,
  itemShown,
  type FormItem,
  type InteractionFacts,
  type ScorecardForm,
} from './form';
import { replayMomentRefSchema } from './moment';

export const notApplicable = 'not_applicable';

/** Yes, no or N/A for a yes/no item; a whole point (or N/A) for a scale. */
export const answerValueSchema = z.union([
  z.enum(['yes', 'no', notApplicable]),
  z.number().int().min(0).max(100),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

export const reviewAnswerSchema = z.object({
  itemId: z.string().min(1).max(64),
  value: answerValueSchema,
  comment: z.string().max(4000).default(''),
  /** The replay moment the answer is pinned to, if the reviewer pinned one. */
  moment: replayMomentRefSchema.nullable().default(null),
});
export type ReviewAnswer = z.infer<typeof reviewAnswerSchema>;
/** An answer as a caller writes it: comment and moment may be left out. */
export type ReviewAnswerInput = z.input<typeof reviewAnswerSchema>;

/**
 * How an item came out: met in full, partly (a scale between its ends), not
 * met (no, or the scale's lowest point), not applicable (N/A), or not shown
 * (its condition does not hold for this interaction).
 */
export type ItemOutcome = 'met' | 'partly' | 'not_met' | 'not_applicable' | 'not_shown';

export interface ItemScore {
  itemId: string;
  sectionId: string;
  mustPass: boolean;
  /** Null when the item is not shown. */
  value: AnswerValue | null;
  outcome: ItemOutcome;
  /** Points towards the percentage; always 0 for a must-pass item. */
  points: number;
  /** The item's weight when it counts towards the percentage, else 0. */
  maxPoints: number;
}

export interface SectionScore {
  sectionId: string;
  title: string;
  points: number;
  maxPoints: number;
  /** 0 to 100; null when nothing in the section counts (all N/A, not shown or must-pass). */
  percentage: number | null;
}

export interface ReviewScore {
  formId: string;
  formVersion: number;
  items: ItemScore[];
  sections: SectionScore[];
  points: number;
  maxPoints: number;
  /** 0 to 100, unrounded; null when no item counts. */
  percentage: number | null;
  critical: {
    /** Not applicable when no must-pass item was shown (or all were N/A). */
    result: 'pass' | 'fail' | 'not_applicable';
    failedItemIds: string[];
  };
  /** False when a must-pass item failed, whatever the percentage. */
  passed: boolean;
}

export type ReviewProblem = NonNullable<ResultError['issues']>[number];

const quoted = (item: FormItem) => `“${item.prompt}”`;

/** Whether an answer is a fail: "no", or the lowest point of a scale. */
export function isFailingAnswer(item: FormItem, value: AnswerValue): boolean {
  if (value === notApplicable) return false;
  return item.answer.kind === 'yes_no' ? value === 'no' : value === item.answer.min;
}

/** Why a value cannot answer this item, in the reviewer's words; null when it can. */
function valueProblem(item: FormItem, value: AnswerValue): string | null {
  const { answer } = item;
  if (value === notApplicable) {
    return answer.notApplicableAllowed ? null : `${quoted(item)} cannot be answered N/A.`;
  }
  if (answer.kind === 'yes_no') {
    return typeof value === 'number'
      ? `${quoted(item)} is answered yes or no, not a number.`
      : null;
  }
  if (typeof value !== 'number') return `${quoted(item)} is answered with a point on its scale.`;
  if (value < answer.min || value > answer.max)
    return `${quoted(item)} is scored from ${answer.min} to ${answer.max}; ${value} is outside that.`;
  return null;
}

/**
 * Everything wrong with a set of answers, all at once: answers to items the
 * form does not have or that are not shown for this interaction, two answers
 * to one item, unanswered items, values the item does not take, failed
 * items without a comment, and items that always take one without it. Empty when the review can be scored.
 */
export function reviewProblems(
  form: ScorecardForm,
  answers: readonly ReviewAnswer[],
  facts: InteractionFacts,
): ReviewProblem[] {
  const problems: ReviewProblem[] = [];
  const items = new Map(formItems(form).map(({ item }) => [item.id, item]));
  const seen = new Set<string>();
  for (const answer of answers) {
    const path = `answers.${answer.itemId}`;
    const item = items.get(answer.itemId);
    if (!item) {
      problems.push({
        path,
        message: `Version ${form.version} of this form has no item called “${answer.itemId}”.`,
      });
      continue;
    }
    if (seen.has(item.id)) {
      problems.push({ path, message: `${quoted(item)} is answered twice; keep one answer.` });
      continue;
    }
    seen.add(item.id);
    // Conditions read the record, which does not change: an answer to a
    // hidden item is a mistake somewhere, and silently dropping it would hide it.
    if (!itemShown(item, facts)) {
      const when = item.condition ? describeCondition(item.condition) : '';
      problems.push({
        path,
        message: `${quoted(item)} is asked only when ${when}, which is not so for this interaction; remove the answer.`,
      });
      continue;
    }
    const problem = valueProblem(item, answer.value);
    if (problem) {
      problems.push({ path, message: problem });
      continue;
    }
    if (answer.comment.trim() !== '') continue;
    if (isFailingAnswer(item, answer.value)) {
      problems.push({
        path,
        message: `${quoted(item)} was not met: say why in a comment, so the adviser knows what to change.`,
      });
    } else if (item.commentRequired === 'always') {
      problems.push({
        path,
        message: `${quoted(item)} takes a comment whatever the answer: say what you saw.`,
      });
    }
  }
  for (const [id, item] of items) {
    if (!seen.has(id) && itemShown(item, facts)) {
      problems.push({ path: `answers.${id}`, message: `Answer ${quoted(item)}.` });
    }
  }
  return problems;
}

function scoreItem(
  item: FormItem,
  value: AnswerValue,
): Pick<ItemScore, 'outcome' | 'points' | 'maxPoints'> {
  if (value === notApplicable) return { outcome: 'not_applicable', points: 0, maxPoints: 0 };
  const { answer } = item;
  // The share of the item's weight earned: all or nothing for yes/no, by point for a scale.
  const share =
    answer.kind === 'yes_no'
      ? value === 'yes'
        ? 1
        : 0
      : (Number(value) - answer.min) / (answer.max - answer.min);
  const outcome: ItemOutcome = share === 1 ? 'met' : share === 0 ? 'not_met' : 'partly';
  // Must-pass items make the critical result only: folding them into the
  // percentage would let a strong call hide a safeguarding failure, or a
  // weak one be blamed twice.
  if (item.mustPass) return { outcome, points: 0, maxPoints: 0 };
  return { outcome, points: share * item.weight, maxPoints: item.weight };
}

const percentageOf = (points: number, maxPoints: number) =>
  maxPoints === 0 ? null : (points / maxPoints) * 100;

/**
 * Scores a complete review. Refuses (invalid_input, each problem by item) a
 * review with any of `reviewProblems`; a draft is checked with that function
 * and scored once it has none.
 */
export function scoreReview(
  form: ScorecardForm,
  answers: readonly ReviewAnswerInput[],
  facts: InteractionFacts,
): Result<ReviewScore> {
  const parsed = z.array(reviewAnswerSchema).safeParse(answers);
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
  const problems = reviewProblems(form, parsed.data, facts);
  if (problems.length > 0) {
    const count = problems.length === 1 ? 'one thing' : `${problems.length} things`;
    return fail(
      'invalid_input',
      `The review cannot be scored yet: ${count} to put right.`,
      problems,
    );
  }
  const byItem = new Map(parsed.data.map((answer) => [answer.itemId, answer.value]));

  const items: ItemScore[] = formItems(form).map(({ section, item }) => {
    const value = byItem.get(item.id);
    const base = { itemId: item.id, sectionId: section.id, mustPass: item.mustPass };
    if (value === undefined) {
      // Only a hidden item can be unanswered here (reviewProblems checked the rest).
      return { ...base, value: null, outcome: 'not_shown', points: 0, maxPoints: 0 };
    }
    return { ...base, value, ...scoreItem(item, value) };
  });

  const sections: SectionScore[] = form.sections.map((section) => {
    const inSection = items.filter((score) => score.sectionId === section.id);
    const points = sum(inSection.map((score) => score.points));
    const maxPoints = sum(inSection.map((score) => score.maxPoints));
    return {
      sectionId: section.id,
      title: section.title,
      points,
      maxPoints,
      percentage: percentageOf(points, maxPoints),
    };
  });

  const critical = items.filter(
    (score) =>
      score.mustPass && score.outcome !== 'not_shown' && score.outcome !== 'not_applicable',
  );
  const failedItemIds = critical
    .filter((score) => score.outcome !== 'met')
    .map((score) => score.itemId);
  const points = sum(items.map((score) => score.points));
  const maxPoints = sum(items.map((score) => score.maxPoints));
  return ok({
    formId: form.id,
    formVersion: form.version,
    items,
    sections,
    points,
    maxPoints,
    percentage: percentageOf(points, maxPoints),
    critical: {
      result: critical.length === 0 ? 'not_applicable' : failedItemIds.length > 0 ? 'fail' : 'pass',
      failedItemIds,
    },
    passed: failedItemIds.length === 0,
  });
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
