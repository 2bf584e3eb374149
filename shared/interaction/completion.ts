// What "done" means for each stage, and what is still missing before an
// interaction may complete. Pure functions of the machine's context, so the
// guard, the wrap-up list and the record all use the same rule.
import { checkFollowUpSlot } from './follow-up';
import type { Channel, FollowUpReview, InteractionSummary, InteractionVariant } from './record';
import {
  followUpStageIds,
  guidanceStages,
  skillAreaInSentence,
  skillAreas,
  stageIds,
  stageLabels,
  type AnyStageId,
} from './taxonomy';

/** The stages each variant of the machine guides the adviser through, in the navigator's order. */
export const variantStages: Record<InteractionVariant, readonly AnyStageId[]> = {
  guidance: stageIds,
  follow_up: followUpStageIds,
};

/** The machine's context: the summary that goes into the record, plus working fields. */
export interface InteractionContext extends InteractionSummary {
  /** Which variant of the machine this is; fixed when the machine starts. */
  variant: InteractionVariant;
  interactionId: string | null;
  channel: Channel | null;
  contactRef: string | null;
  /** 'open' until the interaction is completed, or the contact ends before it was answered. */
  outcome: 'open' | 'completed' | 'missed';
  completedAt: string | null;
  activeStage: AnyStageId;
  /** Why the last follow-up booking was refused, for the screen to show; cleared by a booking. */
  followUpRefusal: { code: string; reason: string } | null;
  /**
   * A follow-up interaction's review: the booking it made, the actions agreed
   * at the first contact with how far each got, the status then and now, and
   * the change. Null on a guidance interaction (and before a follow-up is dialled).
   */
  followUpOf: FollowUpReview | null;
}

export type StageStatus = 'done' | 'not_covered' | 'not_needed' | 'in_progress' | 'not_started';

export const stageStatusLabels: Record<StageStatus, string> = {
  done: 'done',
  not_covered: 'not covered',
  not_needed: 'not needed',
  in_progress: 'in progress',
  not_started: 'not started',
};

/** When the contact started, for the follow-up window: answered time, else offered time. */
export function contactTime(context: InteractionContext): string | null {
  return context.call.connectedAt ?? context.call.offeredAt;
}

const filled = (text: string) => text.trim().length > 0;

/** An action as a gap names it: its words, cut short enough for one line of the missing list. */
function actionInWords(description: string): string {
  const words = description.trim().replace(/\s+/g, ' ');
  return words.length > 60 ? `${words.slice(0, 57)}…` : words;
}

/** The first thing still to do in a stage, in the adviser's words; null when the stage is done. */
export function stageGap(context: InteractionContext, stage: AnyStageId): string | null {
  return stageGaps(context, stage)[0] ?? null;
}

/**
 * Everything still to do in a stage, in the order the form asks it; empty when
 * the stage is done. All of it at once, so an adviser is not shown one
 * required field, fills it, and only then learns of the next.
 */
export function stageGaps(context: InteractionContext, stage: AnyStageId): string[] {
  const gaps: string[] = [];
  const need = (missing: boolean, message: string) => {
    if (missing) gaps.push(message);
  };
  switch (stage) {
    case 'callerEligibility': {
      const { caller } = context;
      need(caller.callerType === null, 'Record who is calling');
      need(caller.age === null, "Record the young person's age, or that it was not given");
      need(caller.withinRemit === null, 'Decide whether the contact is within remit');
      need(
        caller.withinRemit === false && caller.signpostedTo === null,
        'Record where the customer was signposted',
      );
      break;
    }
    case 'startingPoint': {
      const { startingPoint } = context;
      need(startingPoint.status === null, 'Record their current status');
      need(
        startingPoint.status === 'school' && startingPoint.schoolYear === null,
        'Record their school year',
      );
      need(!filled(startingPoint.goals), 'Note their goals and career ideas in their words');
      break;
    }
    case 'barriers': {
      const { barriers } = context;
      if (barriers.noneIdentified) break;
      need(
        barriers.identified.length === 0,
        'Explore barriers, or record that none were identified',
      );
      for (const barrier of barriers.identified) {
        need(
          !filled(barrier.agreed),
          `Record what was agreed about the ${barrier.kind.replaceAll('_', ' ')} barrier`,
        );
      }
      break;
    }
    case 'skillsCheck': {
      const { skillsCheck } = context;
      for (const area of skillAreas) {
        const subject = skillAreaInSentence[area];
        need(skillsCheck[area].level === null, `Record their current ${subject} level`);
        need(
          skillsCheck[area].improvementMatters === null,
          `Record whether improving ${subject} matters for their goal`,
        );
      }
      need(!skillsCheck.discussed, 'Confirm the English, maths and digital check was discussed');
      break;
    }
    case 'nextSteps':
      need(!filled(context.nextSteps.mainPoints), 'Note the main points discussed');
      need(context.nextSteps.actions.length === 0, 'Agree at least one action');
      break;
    case 'followUp': {
      const { followUp } = context;
      need(followUp.decision === 'not_offered', 'Offer a follow-up call');
      if (followUp.decision === 'accepted') {
        const contactAt = contactTime(context);
        // The age may have changed since the booking: the slot must still fit the window.
        const check = contactAt
          ? checkFollowUpSlot(
              contactAt,
              context.caller.age,
              followUp.slotStart,
              followUp.serviceHours,
            )
          : null;
        if (check && !check.ok) gaps.push(`Rebook the follow-up: ${check.reason}`);
      }
      break;
    }
    case 'transcript':
      need(context.transcript.decision === 'not_offered', 'Offer a transcript');
      break;
    case 'serviceQuestions':
      need(
        context.serviceQuestions.outcome === 'not_asked',
        'Ask the service questions, or skip them with a reason',
      );
      break;
    case 'actionReview':
      for (const action of context.followUpOf?.actions ?? []) {
        need(action.progress === null, `Record how far “${actionInWords(action.description)}” got`);
      }
      break;
    case 'statusNow':
      need(context.followUpOf?.statusNow == null, 'Record their status now');
      break;
    case 'circumstances':
      need(context.followUpOf?.change == null, 'Record whether their circumstances changed');
      break;
  }
  return gaps;
}

function touched(context: InteractionContext, stage: AnyStageId): boolean {
  if (filled(context.notes[stage] ?? '')) return true;
  switch (stage) {
    case 'callerEligibility':
      return (
        context.caller.callerType !== null ||
        context.caller.age !== null ||
        context.caller.withinRemit !== null
      );
    case 'startingPoint':
      return context.startingPoint.status !== null || filled(context.startingPoint.goals);
    case 'barriers':
      return context.barriers.identified.length > 0;
    case 'skillsCheck':
      return skillAreas.some((area) => context.skillsCheck[area].level !== null);
    case 'nextSteps':
      return filled(context.nextSteps.mainPoints) || context.nextSteps.actions.length > 0;
    case 'followUp':
      return context.followUpRefusal !== null;
    case 'actionReview':
      return context.followUpOf?.actions.some((action) => action.progress !== null) ?? false;
    case 'transcript':
    case 'serviceQuestions':
    case 'statusNow':
    case 'circumstances':
      return false;
  }
}

/** Out of remit: the guidance and the service questions are not asked of someone we signpost elsewhere. */
export function stageNeeded(context: InteractionContext, stage: AnyStageId): boolean {
  // A follow-up call is made to a customer the service already helped: every stage is asked.
  if (context.variant === 'follow_up') return true;
  if (context.caller.withinRemit !== false) return true;
  return !(guidanceStages as readonly AnyStageId[]).includes(stage) && stage !== 'serviceQuestions';
}

export function stageStatus(context: InteractionContext, stage: AnyStageId): StageStatus {
  if (stageGap(context, stage) === null) return 'done';
  if (context.notCovered[stage] !== undefined) return 'not_covered';
  if (!stageNeeded(context, stage)) return 'not_needed';
  return touched(context, stage) ? 'in_progress' : 'not_started';
}

export interface MissingItem {
  /**
   * The stage to go to, or 'safeguarding' / 'call' / 'outcome' (the wrap-up
   * outcome code) for the parts outside the stages.
   */
  area: AnyStageId | 'safeguarding' | 'call' | 'outcome';
  message: string;
}

/** Gaps that only the context can show; the call's own state is added by `missingForCompletion`. */
export function contextGaps(context: InteractionContext): MissingItem[] {
  const missing: MissingItem[] = [];
  for (const stage of variantStages[context.variant]) {
    const status = stageStatus(context, stage);
    if (status === 'done' || status === 'not_covered' || status === 'not_needed') continue;
    for (const gap of stageGaps(context, stage))
      missing.push({ area: stage, message: `${stageLabels[stage]}: ${gap}` });
  }
  for (const concern of context.safeguarding) {
    if (concern.resolvedAt !== null) continue;
    const next =
      concern.escalatedAt === null
        ? 'escalate it'
        : concern.actions.length === 0
          ? 'record the actions taken'
          : 'record the outcome and resolve it';
    missing.push({ area: 'safeguarding', message: `Safeguarding concern open: ${next}` });
  }
  // Last, as it is the last thing done: the code says how the whole contact ended.
  if (!context.outcomeCode) {
    missing.push({ area: 'outcome', message: outcomeCodeGap });
  }
  return missing;
}

/** The missing-list line for an outcome code not yet chosen. */
export const outcomeCodeGap = 'Wrap-up: choose an outcome code';
