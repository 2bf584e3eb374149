// Chat text and figures as the adviser reads them. Pure, so the wording and
// the handling of whatever a customer types are tested without a browser.
import { webAddressSegments, type WebTextSegment } from '../../../shared/knowledge/external-link';
import { chatLimits } from '../../../shared/wire/chat';

/**
 * The availability words live with the rest of the desk's state words
 * (../shell/status-words.ts), so the picker and the waiting panel cannot drift
 * apart; kept here under the name the chat area has always used.
 */
export { availabilityLabels as availabilityWords } from '../shell/status-words';

/**
 * A piece of a chat message: text to show as typed, or a secure web address
 * the desk may open after its check. Split by the same code the customer's
 * page and the transcript use (shared/knowledge/external-link.ts).
 */
export type ChatTextSegment = WebTextSegment;
export const chatTextSegments: (text: string) => ChatTextSegment[] = webAddressSegments;

export interface MessageLength {
  /** Characters as the server counts them (UTF-16 code units, like the browser). */
  count: number;
  over: boolean;
  /** The words under the message box. */
  counter: string;
  /** Why it cannot be sent, when it is too long. */
  problem: string | null;
}

const number = new Intl.NumberFormat('en-GB');

export function messageLength(
  text: string,
  limit: number = chatLimits.maxMessageChars,
): MessageLength {
  const count = text.length;
  const over = count > limit;
  return {
    count,
    over,
    counter: `${number.format(count)} of ${number.format(limit)} characters`,
    problem: over
      ? `This message is too long to send: ${number.format(count)} characters, and the most is ${number.format(limit)}. Remove ${number.format(count - limit)} characters, or send it in two parts.`
      : null,
  };
}

/** What a key press in the message box does: Enter sends, Shift+Enter starts a new line. */
export function composerKey(event: {
  key: string;
  shiftKey: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  isComposing?: boolean;
}): 'send' | 'type' {
  if (event.key !== 'Enter' || event.isComposing) return 'type';
  if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return 'type';
  return 'send';
}

/** "45 seconds", "3 minutes", "1 hour 5 minutes": a wait read at a glance. */
export function waitWords(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} second${whole === 1 ? '' : 's'}`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} hour${hours === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''}`;
}

/** Whole seconds left before a deadline, never below zero. */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
