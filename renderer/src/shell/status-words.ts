// How the desk's state reads to an adviser: connection, outbox and availability
// in plain words. Pure, so the wording is tested without a browser.
import type { ConnectionState, OutboxStatus } from '../../../shared/ipc/contract';

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

export function availability(connection: ConnectionState): Availability {
  switch (connection) {
    case 'online':
      return {
        label: 'Available',
        explanation: 'Calls offered to you will ring here.',
        available: true,
      };
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

/** Clock time for a status line: "10:42" today, "21 Nov 10:42" on another day. */
export function clockTime(iso: string, now: Date, timeZone?: string): string {
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeZone });
  const time = new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
  if (day.format(at) === day.format(now)) return time;
  const date = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone,
  }).format(at);
  return `${date} ${time}`;
}

export interface OutboxWords {
  waiting: string;
  lastDelivered: string | null;
  failed: string | null;
  /** Why the waiting items have not gone yet, when the desk knows. */
  retry: string | null;
}

export function describeOutbox(outbox: OutboxStatus, now: Date, timeZone?: string): OutboxWords {
  const retryParts: string[] = [];
  if (outbox.waiting > 0 && outbox.nextAttemptAt) {
    retryParts.push(`next try ${clockTime(outbox.nextAttemptAt, now, timeZone)}`);
  }
  if (outbox.waiting > 0 && outbox.lastError) retryParts.push(`last problem: ${outbox.lastError}`);
  return {
    waiting: outbox.waiting === 0 ? 'Outbox: nothing waiting' : `Outbox: ${outbox.waiting} waiting`,
    lastDelivered: outbox.lastDeliveredAt
      ? `Last delivered ${clockTime(outbox.lastDeliveredAt, now, timeZone)}`
      : null,
    failed: outbox.failed === 0 ? null : `${outbox.failed} failed`,
    retry: retryParts.length > 0 ? capitalise(retryParts.join('; ')) : null,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
