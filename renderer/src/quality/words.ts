// Quality review in the helpline's words: purposes, statuses, answers,
// percentages and agreement figures, as every quality screen shows them.
import { clockOffset } from '../../../shared/quality/moment';
import type { CommentRule, FormItem, PrefillRuleId } from '../../../shared/quality/form';
import type { TargetMeasure, TargetState } from '../../../shared/quality/targets';
import type { DisputeOutcome, ReviewPurpose, ReviewStatus } from '../../../shared/quality/review';
import type { SampleReason } from '../../../shared/quality/sampling';
import type { AnswerValue } from '../../../shared/quality/scoring';
import type { AlphaResult } from '../../../shared/quality/agreement';

export const purposeWords: Record<ReviewPurpose, string> = {
  sample: 'Weekly sample',
  flagged: 'Asked for by the adviser',
  adhoc: 'Chosen by a team leader',
  calibration: 'Calibration',
};

export const statusWords: Record<ReviewStatus, string> = {
  draft: 'Draft',
  published: 'Published',
  acknowledged: 'Acknowledged',
  disputed: 'Disputed',
  resolved: 'Dispute resolved',
};

export const reasonWords: Record<SampleReason, string> = {
  safeguarding: 'Safeguarding concern',
  abandoned_or_dropped: 'Abandoned or dropped',
  flagged: 'Adviser asked',
  random: 'Random',
};

export const outcomeWords: Record<DisputeOutcome, string> = {
  upheld: 'Upheld',
  partly: 'Partly upheld',
  rejected: 'Rejected',
};

/** An answer as the reviewer chose it: "Yes", "N/A", "3: Good: specific, owned…". */
export function answerWords(item: FormItem, value: AnswerValue | null | undefined): string {
  if (value === null || value === undefined) return 'Not answered';
  if (value === 'not_applicable') return 'N/A';
  if (value === 'yes') return 'Yes';
  if (value === 'no') return 'No';
  if (item.answer.kind !== 'scale') return String(value);
  const label = item.answer.labels.find((held) => held.value === value)?.label;
  return `${value} of ${item.answer.max}${label ? `: ${label}` : ''}`;
}

/** A percentage to one decimal place, or a dash when nothing counted. */
export const percentWords = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${(Math.round(value * 10) / 10).toFixed(1)}%`;

/** A share (0 to 1) as a whole percentage. */
export const shareWords = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`;

/** Where a moment is, as the replay's clock shows it. */
export const momentWords = (offsetMs: number) => clockOffset(offsetMs);

/** Krippendorff's alpha to two decimal places, with what it lets one conclude. */
export function alphaWords(result: Pick<AlphaResult, 'alpha' | 'undefinedBecause'>): {
  figure: string;
  meaning: string;
} {
  if (result.alpha === null) {
    return {
      figure: '—',
      meaning:
        result.undefinedBecause === 'no_variation'
          ? 'Every reviewer gave the same answer: nothing to measure'
          : 'Not asked of two reviewers in any interaction of the session',
    };
  }
  const figure = result.alpha.toFixed(2);
  if (result.alpha >= 0.8) return { figure, meaning: 'Reliable' };
  if (result.alpha >= 0.667) return { figure, meaning: 'Tentative: reviewers mostly agree' };
  return { figure, meaning: 'Low agreement: reword the item or its guidance' };
}

/** What each pre-fill rule reads from the record, for the form editor. */
export const prefillRuleWords: Record<PrefillRuleId, string> = {
  status_recorded: 'A status was recorded',
  skills_covered: 'English and maths were covered, or why not was recorded',
  actions_agreed: 'The action plan has at least one action',
  follow_up_offered: 'A follow-up was offered',
  transcript_offered: 'A transcript was offered',
  service_questions_after_guidance: 'The service questions came after the guidance',
  concern_escalated: 'Every safeguarding concern was escalated',
};

export const commentRuleWords: Record<CommentRule, string> = {
  when_failed: 'When the item is not met',
  always: 'Always, whatever the answer',
};

/** What a target measures, in words: "Average score", "Pass rate of “…”". */
export function measureWords(measure: TargetMeasure, itemPrompt: string | null): string {
  switch (measure) {
    case 'average_score':
      return 'Average score';
    case 'reviews_passed':
      return 'Reviews passed (no must-pass item failed)';
    case 'next_steps_good':
      return 'Next steps good (3 or 4 of 4)';
    case 'item_pass_rate':
      return `Pass rate of “${itemPrompt ?? 'an item'}”`;
  }
}

export const targetStateWords: Record<TargetState, string> = {
  not_started: 'Not started yet',
  no_reviews: 'No reviews yet',
  on_track: 'On track',
  behind: 'Behind',
  met: 'Met',
  missed: 'Not met',
  too_few_reviews: 'Too few reviews to say',
  withdrawn: 'Withdrawn',
};
