// How safeguarding concerns are described on screen, said once for the team
// leader's list, the history and the adviser's notices.
import { londonFormat } from '../../../shared/time/london';
import { safeguardingCategoryLabels } from '../../../shared/interaction/taxonomy';
import {
  safeguardingAcknowledgementActionLabels,
  type SafeguardingAcknowledged,
  type SafeguardingAlert,
} from '../../../shared/wire/safeguarding';

export const clockTime = londonFormat({ hour: '2-digit', minute: '2-digit' });

export const dayAndTime = londonFormat({
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** Interaction ids are UUIDs; the first block is enough to tell them apart on screen. */
export const shortInteraction = (interactionId: string) => interactionId.slice(0, 8);

export function describeConcern(alert: SafeguardingAlert): string {
  return `${safeguardingCategoryLabels[alert.category]}${alert.immediateRisk ? ', immediate risk' : ''}, raised by ${alert.adviser.displayName}`;
}

/** "Waiting 12 minutes": how long a concern has gone unacknowledged, in whole minutes. */
export function waitingFor(receivedAt: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(receivedAt)) / 60_000));
  if (minutes < 1) return 'Waiting less than a minute';
  if (minutes < 120) return `Waiting ${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `Waiting ${Math.floor(minutes / 60)} hours`;
}

/** What was done, as one sentence: the action chosen (if any) and the note, ending in a full stop. */
export function whatWasDone(acknowledged: SafeguardingAcknowledged): string {
  const action = acknowledged.action
    ? safeguardingAcknowledgementActionLabels[acknowledged.action]
    : null;
  const note = acknowledged.note ?? 'No note (acknowledged before notes were kept)';
  const said = action ? `${action}: ${note}` : note;
  return /[.!?]$/.test(said) ? said : `${said}.`;
}
