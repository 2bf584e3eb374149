// Pre-filling a review from the guided record: for the items the record can
// answer objectively (was a status recorded, was a follow-up offered, how fast
// was a concern escalated), a proposed answer, the reason in plain words, and
// the replay moments that show it. The reviewer confirms or overrides each
// with a reason. Judgement items (how good the next steps were, rapport,
// accuracy) get no proposal: the record says what was done, not how well.
//
// Evidence moments come from replaying the journal through the machine
// (buildReplayTimeline), so an index here is the replay's own `?at=` index
// and the moment shows exactly the state the proposal describes.
import type { InteractionContext } from '../interaction/completion';
import { initialInteractionContext, stageGaps } from '../interaction/machine';
import type { InteractionRecord } from '../interaction/record';
import {
  buildReplayTimeline,
  type ReplayMoment,
  type ReplayTimeline,
} from '../interaction/replay-timeline';
import {
  currentStatusLabels,
  skillAreaLabels,
  skillAreas,
  skillLevelLabels,
  stageLabels,
  type StageId,
} from '../interaction/taxonomy';
import { ok, type Result } from '../result';
import {
  formItems,
  interactionFacts,
  itemShown,
  type FormItem,
  type PrefillRuleId,
  type ScorecardForm,
} from './form';
import { clockOffset, type ReplayMomentRef } from './moment';
import {
  notApplicable,
  type ReviewAnswer,
  type ReviewAnswerInput,
  type ReviewProblem,
} from './scoring';

/** A replay moment that shows what a proposal says, with the timeline's words for it. */
export interface PrefillEvidence extends ReplayMomentRef {
  label: string;
}

export type ProposedAnswer = 'yes' | 'no' | typeof notApplicable;

export interface PrefillProposal {
  itemId: string;
  rule: PrefillRuleId;
  /** Null: the record cannot settle it, and `reason` says what the reviewer should look at. */
  answer: ProposedAnswer | null;
  reason: string;
  /** The moments to open the replay at, most telling first; may be empty. */
  evidence: PrefillEvidence[];
}

/** How one safeguarding concern was escalated, timed from the journal. */
export interface ConcernEscalation {
  concernId: string;
  raised: PrefillEvidence | null;
  escalated: PrefillEvidence | null;
  escalatedTo: string | null;
  /** From the moment it was raised to the moment it was escalated; null if never escalated. */
  secondsToEscalate: number | null;
}

export interface ReviewPrefill {
  interactionId: string;
  formId: string;
  formVersion: number;
  /** One per shown item that has a rule, in form order. */
  proposals: PrefillProposal[];
  /** Shown items with no rule: the reviewer answers these by hand. */
  judgementItemIds: string[];
  escalations: ConcernEscalation[];
}

interface Evaluation {
  answer: ProposedAnswer | null;
  reason: string;
  evidence: PrefillEvidence[];
}

/** What the rules read: the record's summary as a context, and its replay. */
class RecordEvidence {
  readonly context: InteractionContext;
  private readonly lastIndex: number;

  constructor(
    readonly record: InteractionRecord,
    readonly timeline: ReplayTimeline,
  ) {
    // The record's summary is the machine's context minus working fields; the
    // completion rules (stageGaps) read a context, so give them one.
    this.context = {
      ...initialInteractionContext(),
      ...record.summary,
      interactionId: record.id,
      channel: record.channel,
      contactRef: record.contactRef,
      outcome: 'completed',
      completedAt: record.completedAt,
    };
    this.lastIndex = timeline.moments.length - 1;
  }

  evidence(moment: ReplayMoment | undefined): PrefillEvidence[] {
    return moment
      ? [{ index: moment.index, at: moment.at, offsetMs: moment.offsetMs, label: moment.label }]
      : [];
  }

  /**
   * The moment a part of the interaction took the value it ended with: the
   * start of the final run of moments with that value. Undefined when it had
   * that value from the start (it was never recorded at all).
   */
  settled(select: (context: InteractionContext) => unknown): ReplayMoment | undefined {
    const valueAt = (index: number) =>
      JSON.stringify(select(this.timeline.snapshotAt(index).context) ?? null);
    const final = valueAt(this.lastIndex);
    let index = this.lastIndex;
    while (index > 0 && valueAt(index - 1) === final) index -= 1;
    return index === 0 ? undefined : this.timeline.moments[index];
  }

  settledEvidence(select: (context: InteractionContext) => unknown): PrefillEvidence[] {
    return this.evidence(this.settled(select));
  }

  /** What the adviser recorded when closing a stage as not covered, with the moment. */
  notCovered(stage: StageId): { reason: string; evidence: PrefillEvidence[] } | null {
    const reason = this.record.summary.notCovered[stage];
    if (reason === undefined) return null;
    return {
      reason,
      evidence: this.settledEvidence((context) => context.notCovered[stage] ?? null),
    };
  }
}

const when = (moment: { offsetMs: number }) => `${clockOffset(moment.offsetMs)} into the contact`;

/** A "no" with the not-covered reason when there is one. */
function notDone(view: RecordEvidence, stage: StageId, missing: string): Evaluation {
  const notCovered = view.notCovered(stage);
  if (!notCovered) return { answer: 'no', reason: `${missing}.`, evidence: [] };
  return {
    answer: 'no',
    reason: `${missing}; the ${stageLabels[stage]} stage was marked not covered: “${notCovered.reason}”.`,
    evidence: notCovered.evidence,
  };
}

const rules: Record<PrefillRuleId, (view: RecordEvidence) => Evaluation> = {
  status_recorded(view) {
    const { status, schoolYear } = view.record.summary.startingPoint;
    if (status === null) return notDone(view, 'startingPoint', 'No current status was recorded');
    const evidence = view.settledEvidence((context) => context.startingPoint.status);
    if (status === 'not_disclosed') {
      return {
        answer: 'yes',
        reason:
          'The status was recorded as not disclosed: the adviser asked. Whether it could have been drawn out is yours to judge.',
        evidence,
      };
    }
    const year = status === 'school' && schoolYear !== null ? `, year ${schoolYear}` : '';
    return {
      answer: 'yes',
      reason: `The status was recorded: ${currentStatusLabels[status]}${year}.`,
      evidence,
    };
  },

  skills_covered(view) {
    const { skillsCheck } = view.record.summary;
    if (stageGaps(view.context, 'skillsCheck').length === 0) {
      const levels = skillAreas
        .map((area) => {
          const level = skillsCheck[area].level;
          return `${skillAreaLabels[area]}: ${level === null ? 'none' : skillLevelLabels[level]}`;
        })
        .join('; ');
      return {
        answer: 'yes',
        reason: `Levels recorded (${levels}), with whether improving each matters, and marked discussed.`,
        evidence: view.settledEvidence((context) => context.skillsCheck),
      };
    }
    const notCovered = view.notCovered('skillsCheck');
    if (notCovered) {
      // The criterion is "explored, or why not": a recorded reason meets it on
      // its face; whether the reason is a real one is the reviewer's call.
      return {
        answer: 'yes',
        reason: `Not covered, with the reason “${notCovered.reason}”. Check it is a reason the check was not appropriate, not only a reason it was left out.`,
        evidence: notCovered.evidence,
      };
    }
    return notDone(
      view,
      'skillsCheck',
      `The check was left incomplete (${stageGaps(view.context, 'skillsCheck').join('; ')})`,
    );
  },

  actions_agreed(view) {
    const { actions } = view.record.summary.nextSteps;
    if (actions.length === 0) return notDone(view, 'nextSteps', 'No action was agreed');
    const listed = actions
      .slice(0, 3)
      .map((action) => `“${action.description}” (${action.owner})`)
      .join('; ');
    const more = actions.length > 3 ? `, and ${actions.length - 3} more` : '';
    return {
      answer: 'yes',
      reason: `${actions.length === 1 ? 'One action' : `${actions.length} actions`} agreed: ${listed}${more}.`,
      // The moment each action took its final wording, in the order agreed.
      evidence: actions
        .flatMap((action) =>
          view.settledEvidence(
            (context) => context.nextSteps.actions.find((a) => a.id === action.id) ?? null,
          ),
        )
        .sort((a, b) => a.index - b.index),
    };
  },

  follow_up_offered(view) {
    const { followUp } = view.record.summary;
    const evidence = view.settledEvidence((context) => context.followUp);
    switch (followUp.decision) {
      case 'accepted':
        return {
          answer: 'yes',
          reason: `Offered and accepted: a follow-up was booked, to reach the customer by ${followUp.contactMethod}.`,
          evidence,
        };
      case 'declined':
        return { answer: 'yes', reason: 'Offered, and the customer declined.', evidence };
      case 'not_offered':
        return notDone(view, 'followUp', 'No follow-up was offered');
    }
  },

  transcript_offered(view) {
    const { transcript } = view.record.summary;
    const evidence = view.settledEvidence((context) => context.transcript);
    switch (transcript.decision) {
      case 'send':
        return {
          answer: 'yes',
          reason: `Offered, and the customer asked for it by ${transcript.via === 'email' ? 'email' : 'text'}.`,
          evidence,
        };
      case 'declined':
        return { answer: 'yes', reason: 'Offered, and the customer declined.', evidence };
      case 'not_offered':
        return notDone(view, 'transcript', 'No transcript was offered');
    }
  },

  service_questions_after_guidance(view) {
    const { serviceQuestions } = view.record.summary;
    const asked = view.settled((context) => context.serviceQuestions);
    if (serviceQuestions.outcome === 'not_asked') {
      const notCovered = view.notCovered('serviceQuestions');
      return {
        answer: 'yes',
        reason: `They were not asked${notCovered ? ` (marked not covered: “${notCovered.reason}”)` : ''}, so they cannot have held up the guidance.`,
        evidence: notCovered?.evidence ?? [],
      };
    }
    if (serviceQuestions.outcome === 'skipped') {
      return {
        answer: 'yes',
        reason: `They were skipped (“${serviceQuestions.reason}”): the customer was not made to answer them.`,
        evidence: view.evidence(asked),
      };
    }
    // Answered. The journal times when things were recorded, not said: it can
    // show the answers came after guidance was recorded, but an answer recorded
    // first may still have been asked after the customer had what they came for.
    const guidance = view.timeline.moments.find((moment) =>
      ['ADD_ACTION', 'UPDATE_MAIN_POINTS', 'POINT_TO_ARTICLE', 'POINT_TO_SERVICE'].includes(
        moment.event.type,
      ),
    );
    const ended = view.settled((context) => context.call.endedAt);
    if (!asked) {
      return {
        answer: null,
        reason: 'The journal does not show when the answers were recorded; listen to the contact.',
        evidence: [],
      };
    }
    if (ended && asked.index > ended.index) {
      return {
        answer: null,
        reason: `The answers were recorded after the contact ended (${when(asked)}), so the journal cannot show when they were asked; listen to the contact.`,
        evidence: [...view.evidence(ended), ...view.evidence(asked)],
      };
    }
    if (guidance && guidance.index < asked.index) {
      return {
        answer: 'yes',
        reason: `Answered ${when(asked)}, after the guidance was under way (the first next step was recorded ${when(guidance)}).`,
        evidence: [...view.evidence(asked), ...view.evidence(guidance)],
      };
    }
    return {
      answer: null,
      reason: `Answered ${when(asked)}, before anything was recorded in next steps; the journal cannot show whether the customer had their answer first. Listen from this moment.`,
      evidence: view.evidence(asked),
    };
  },

  concern_escalated(view) {
    const escalations = concernEscalations(view);
    if (escalations.length === 0) {
      return { answer: notApplicable, reason: 'No safeguarding concern was raised.', evidence: [] };
    }
    const parts = escalations.map((escalation) => {
      const raised = escalation.raised ? `raised ${when(escalation.raised)}` : 'raised';
      if (escalation.secondsToEscalate === null) return `${raised} and never escalated`;
      const seconds =
        escalation.secondsToEscalate === 1 ? '1 second' : `${escalation.secondsToEscalate} seconds`;
      return `${raised} and escalated to ${escalation.escalatedTo ?? 'someone unnamed'} ${seconds} later`;
    });
    const sentence = parts.join('; ');
    const evidence = escalations.flatMap((escalation) =>
      [escalation.raised, escalation.escalated].filter((moment) => moment !== null),
    );
    if (escalations.some((escalation) => escalation.secondsToEscalate === null)) {
      return { answer: 'no', reason: `A concern was ${sentence}.`, evidence };
    }
    return {
      answer: 'yes',
      reason: `${escalations.length === 1 ? 'The concern was' : 'Each concern was'} ${sentence}. Whether that was prompt enough, and the action taken right, is yours to judge.`,
      evidence,
    };
  },
};

function concernEscalations(view: RecordEvidence): ConcernEscalation[] {
  return view.record.summary.safeguarding.map((concern) => {
    const find = (context: InteractionContext) =>
      context.safeguarding.find((candidate) => candidate.id === concern.id);
    const raised = view.evidence(view.settled((context) => (find(context) ? concern.id : null)))[0];
    const escalated = view.evidence(
      view.settled((context) => find(context)?.escalatedAt ?? null),
    )[0];
    // Timed between the two journal moments (each the event's own `at`).
    const seconds =
      concern.escalatedAt === null
        ? null
        : Math.round(
            (Date.parse(escalated?.at ?? concern.escalatedAt) -
              Date.parse(raised?.at ?? concern.raisedAt)) /
              1000,
          );
    return {
      concernId: concern.id,
      raised: raised ?? null,
      escalated: concern.escalatedAt === null ? null : (escalated ?? null),
      escalatedTo: concern.escalatedTo,
      secondsToEscalate: seconds,
    };
  });
}

/** An N/A the item does not take becomes a question for the reviewer. */
function fitToItem(item: FormItem, evaluation: Evaluation): Evaluation {
  if (evaluation.answer !== notApplicable || item.answer.notApplicableAllowed) return evaluation;
  return { ...evaluation, answer: null };
}

/**
 * Proposals for every shown item of `form` that has a rule, from a completed
 * interaction's record. Refuses a record whose journal cannot be replayed
 * (an unknown machine version, say), since its evidence could not be opened.
 */
export function prefillReview(
  form: ScorecardForm,
  record: InteractionRecord,
): Result<ReviewPrefill> {
  const timeline = buildReplayTimeline(record);
  if (!timeline.ok) return timeline;
  const view = new RecordEvidence(record, timeline.value);
  const facts = interactionFacts(record);
  const proposals: PrefillProposal[] = [];
  const judgementItemIds: string[] = [];
  for (const { item } of formItems(form)) {
    if (!itemShown(item, facts)) continue;
    if (item.prefill === undefined) {
      judgementItemIds.push(item.id);
      continue;
    }
    const evaluation = fitToItem(item, rules[item.prefill](view));
    proposals.push({ itemId: item.id, rule: item.prefill, ...evaluation });
  }
  return ok({
    interactionId: record.id,
    formId: form.id,
    formVersion: form.version,
    proposals,
    judgementItemIds,
    escalations: concernEscalations(view),
  });
}

/**
 * A review's first draft: each proposed answer, pinned to its first evidence
 * moment. Comments start empty; a "no" still needs the reviewer's own words.
 */
export function draftAnswersFromPrefill(prefill: ReviewPrefill): ReviewAnswerInput[] {
  return prefill.proposals.flatMap((proposal) => {
    if (proposal.answer === null) return [];
    const [first] = proposal.evidence;
    return [
      {
        itemId: proposal.itemId,
        value: proposal.answer,
        comment: '',
        moment: first ? { index: first.index, at: first.at, offsetMs: first.offsetMs } : null,
      },
    ];
  });
}

/** Answers that override a proposal without saying why: the reviewer owes the adviser a reason. */
export function overrideProblems(
  prefill: ReviewPrefill,
  answers: readonly Pick<ReviewAnswer, 'itemId' | 'value' | 'comment'>[],
): ReviewProblem[] {
  const problems: ReviewProblem[] = [];
  for (const proposal of prefill.proposals) {
    if (proposal.answer === null) continue;
    const answer = answers.find((candidate) => candidate.itemId === proposal.itemId);
    if (!answer || answer.value === proposal.answer || answer.comment.trim() !== '') continue;
    problems.push({
      path: `answers.${proposal.itemId}`,
      message: `The record suggested “${proposal.answer === notApplicable ? 'N/A' : proposal.answer}”: ${proposal.reason} Say why you answered differently.`,
    });
  }
  return problems;
}
