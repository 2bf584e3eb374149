// How the desk's state reads to an adviser: connection, outbox and availability
// in plain words. Pure, so the wording is tested without a browser.
import type { ConnectionState, OutboxStatus } from '../../../shared/ipc/contract';
import type { AdviserAvailability, AdviserPresence } from '../../../shared/wire/chat';
import { londonDate, londonFormat } from '../../../shared/time/london';

export const connectionWords: Record<ConnectionState, string> = {
  online: 'Online',
  offline: 'Offline',
  reconnecting: 'Reconnecting',
  connecting: 'Connecting',
  signed_out: 'Signed out',
};

export interface Availability {
  /** Short label, e.g. for the idle panel's subheading. */
  label: string;
  /** One sentence on what this means for calls and for work already done. */
  explanation: string;
  available: boolean;
}

/**
 * The name of each availability, the one set of words for it: the header's
 * picker, the waiting panel and the missed-offer notice all say these, so the
 * desk never calls one state two things.
 */
export const availabilityLabels: Record<AdviserAvailability, string> = {
  available: 'Available',
  busy: 'Busy',
  'wrap-up': 'Wrap-up',
  break: 'Break',
  offline: 'Offline',
};

/** What routing has for the adviser, in the header's words and on the waiting panel. */
const routingWords: Record<AdviserAvailability, Availability> = {
  available: {
    label: availabilityLabels.available,
    explanation: 'Chats and calls offered to you will ring here.',
    available: true,
  },
  busy: {
    label: availabilityLabels.busy,
    explanation:
      'Nothing is offered to you while you are busy. Choose Available in the header when you are ready.',
    available: false,
  },
  'wrap-up': {
    label: availabilityLabels['wrap-up'],
    explanation:
      'Nothing is offered to you while you wrap up. Choose Available in the header when you are ready.',
    available: false,
  },
  break: {
    label: availabilityLabels.break,
    explanation:
      'Nothing is offered to you on a break. Choose Available in the header when you are back.',
    available: false,
  },
  offline: {
    label: availabilityLabels.offline,
    explanation:
      'Nothing is offered to you. Choose Available in the header to start taking chats and calls.',
    available: false,
  },
};

export interface MissedOfferWords {
  heading: string;
  /** What happened, and what the adviser's availability is now because of it. */
  explanation: string;
  /** The one action that makes the adviser available again. */
  makeAvailable: string;
  /** Keeps the availability routing set, and stops the notice. */
  keep: string;
}

/**
 * When routing set the adviser's availability because an offer ran out, the
 * words that tell them so; null when the availability is the adviser's own
 * choice. Without this, a missed offer changed the adviser to Busy with
 * nothing on screen saying why, and the next young person waited unseen.
 */
export function missedOfferWords(presence: AdviserPresence, now: Date): MissedOfferWords | null {
  const missed = presence.missedOffer;
  if (!missed) return null;
  const what = missed.kind === 'chat' ? 'chat' : 'call';
  const label = availabilityLabels[presence.availability];
  return {
    heading: `You missed a ${what}`,
    explanation:
      `A ${what} offered to you at ${clockTime(missed.at, now)} was not answered in time ` +
      `and has gone back to the queue for the next adviser. Your availability is now ${label}: ` +
      (presence.availability === 'available'
        ? 'chats and calls will ring here.'
        : 'nothing more is offered to you until you are Available again.'),
    makeAvailable: 'Make me available',
    keep: `Stay ${label}`,
  };
}

/**
 * One truth for whether work can reach the adviser: the desk's connection
 * first (nothing reaches a desk that cannot reach the server), then the
 * availability routing holds for them, the same the header shows.
 */
export function availability(
  connection: ConnectionState,
  routing: AdviserAvailability | null,
): Availability {
  switch (connection) {
    case 'online':
      return routing === null
        ? {
            label: 'Not yet available',
            explanation: 'The desk is asking the helpline server for your availability.',
            available: false,
          }
        : routingWords[routing];
    case 'connecting':
    case 'reconnecting':
      return {
        label: 'Not yet available',
        explanation:
          'The desk is connecting to the helpline server. Calls can reach you once it is online.',
        available: false,
      };
    case 'offline':
      return {
        label: 'Unavailable',
        explanation:
          'The desk cannot reach the helpline server, so calls cannot reach you. Completed work is kept in the outbox and sent when the connection returns.',
        available: false,
      };
    case 'signed_out':
      return {
        label: 'Signed out',
        explanation: 'Sign in to take calls.',
        available: false,
      };
  }
}

const statusClock = londonFormat({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const statusDay = londonFormat({ day: 'numeric', month: 'short' });

/** Clock time for a status line, London time: "10:42" today, "21 Nov 10:42" on another day. */
export function clockTime(iso: string, now: Date): string {
  const at = new Date(iso);
  const time = statusClock.format(at);
  return londonDate(at) === londonDate(now) ? time : `${statusDay.format(at)} ${time}`;
}

export interface OutboxWords {
  waiting: string;
  lastDelivered: string | null;
  failed: string | null;
  /** Why the waiting items have not gone yet, when the desk knows. */
  retry: string | null;
}

export function describeOutbox(outbox: OutboxStatus, now: Date): OutboxWords {
  const retryParts: string[] = [];
  if (outbox.waiting > 0 && outbox.nextAttemptAt) {
    retryParts.push(`next try ${clockTime(outbox.nextAttemptAt, now)}`);
  }
  if (outbox.waiting > 0 && outbox.lastError) retryParts.push(`last problem: ${outbox.lastError}`);
  return {
    waiting: outbox.waiting === 0 ? 'Outbox: nothing waiting' : `Outbox: ${outbox.waiting} waiting`,
    lastDelivered: outbox.lastDeliveredAt
      ? `Last delivered ${clockTime(outbox.lastDeliveredAt, now)}`
      : null,
    failed: outbox.failed === 0 ? null : `${outbox.failed} failed`,
    retry: retryParts.length > 0 ? capitalise(retryParts.join('; ')) : null,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
