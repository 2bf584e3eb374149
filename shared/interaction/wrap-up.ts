// What completing an interaction will do, in the adviser's words: the summary
// shown before "Complete interaction" is confirmed. Pure, from the machine's
// context, so the screen and its tests read the same sentences the record
// will bear out (what is sent, to whom, what is booked, what was raised).
import { calendarDayFormat, londonFormat } from '../time/london';
import type { InteractionContext } from './completion';
import { followUpWindow } from './follow-up';
import type { ContactMethod } from './record';
import { safeguardingCategoryLabels, stageLabels, anyStageIds, type AnyStageId } from './taxonomy';

export interface WrapUpSummary {
  /** The transcript and skills action plan: sent (how, to whom) or not, and why not. */
  transcript: string;
  /** The follow-up call: booked (when, in which window, how, to whom) or not. */
  followUp: string;
  /** Each safeguarding concern raised in this interaction, one line each; empty when none. */
  safeguarding: string[];
  /** The chosen outcome code's label; null until one is chosen. */
  outcomeCode: string | null;
  /** Stages marked not covered, with the adviser's reason, in the navigator's order. */
  notCovered: { stage: AnyStageId; label: string; reason: string }[];
}

const methodWords: Record<ContactMethod, string> = {
  phone: 'phone call',
  text: 'text message',
  email: 'email',
};

const slotFormat = londonFormat({
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const windowDay = calendarDayFormat({ day: 'numeric', month: 'long' });
const clockFormat = londonFormat({ hour: '2-digit', minute: '2-digit' });

/** "Monday 7 April 2025 at 16:00": the day as the action plan writes it, without a comma. */
const slotWords = (iso: string) => slotFormat.format(new Date(iso)).replace(',', '');

function transcriptWords(context: InteractionContext): string {
  const { transcript } = context;
  if (context.variant === 'follow_up') {
    return 'No transcript or action plan is sent after a follow-up call.';
  }
  if (transcript.decision === 'send') {
    const how = transcript.via === 'email' ? 'by email to' : 'by text message to';
    // Web chat customers receive the chat itself with their plan.
    const what =
      context.channel === 'webchat'
        ? 'The chat transcript and skills action plan'
        : 'The skills action plan';
    return `${what} will be sent ${how} ${transcript.address}.`;
  }
  if (transcript.decision === 'declined') {
    return 'Nothing will be sent: the customer declined a transcript.';
  }
  return context.notCovered.transcript !== undefined
    ? 'Nothing will be sent: the transcript was marked not covered.'
    : 'Nothing will be sent: a transcript was not offered.';
}

function followUpWords(context: InteractionContext): string {
  const { followUp } = context;
  if (context.variant === 'follow_up') {
    return 'No new follow-up call is booked from a follow-up call.';
  }
  if (followUp.decision === 'accepted') {
    const contactAt = context.call.connectedAt ?? context.call.offeredAt;
    const window = contactAt ? followUpWindow(contactAt, context.caller.age) : null;
    const within = window
      ? `, within the ${window.weeks.replace('-', ' to ')} week window (${windowDay(window.earliest)} to ${windowDay(window.latest)})`
      : '';
    return `A follow-up is booked for ${slotWords(followUp.slotStart)} (UK time)${within}, by ${methodWords[followUp.contactMethod]} to ${followUp.contactAddress}.`;
  }
  if (followUp.decision === 'declined') {
    return 'No follow-up call is booked: the customer declined one.';
  }
  return context.notCovered.followUp !== undefined
    ? 'No follow-up call is booked: the follow-up was marked not covered.'
    : 'No follow-up call is booked: one was not offered.';
}

function concernWords(concern: InteractionContext['safeguarding'][number]): string {
  const parts = [
    `${safeguardingCategoryLabels[concern.category]}${concern.immediateRisk ? ' (immediate risk)' : ''}, raised at ${clockFormat.format(new Date(concern.raisedAt))}`,
  ];
  if (concern.escalatedTo) parts.push(`escalated to ${concern.escalatedTo}`);
  if (concern.actions.length > 0) {
    parts.push(
      `${concern.actions.length} action${concern.actions.length === 1 ? '' : 's'} recorded`,
    );
  }
  parts.push(concern.resolvedAt ? 'resolved' : 'still open');
  return parts.join('; ');
}

export function wrapUpSummary(context: InteractionContext): WrapUpSummary {
  return {
    transcript: transcriptWords(context),
    followUp: followUpWords(context),
    safeguarding: context.safeguarding.map(concernWords),
    outcomeCode: context.outcomeCode?.label ?? null,
    notCovered: anyStageIds.flatMap((stage) => {
      const reason = context.notCovered[stage];
      return reason === undefined ? [] : [{ stage, label: stageLabels[stage], reason }];
    }),
  };
}
