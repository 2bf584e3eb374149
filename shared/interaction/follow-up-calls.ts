// The rules of making a booked follow-up call: when it is due, who it belongs
// to, when another attempt may be made, and when the customer gets a message
// instead. Pure: every rule takes the time it is asked at, so the server's
// clock (and a test's) decides, never the machine running it.
import { daysBetween, ukLocalTime, type FollowUpWindow } from './follow-up';
import type { ContactMethod } from './record';

/** Three tries, each at a different time of day, then a message (when the customer agreed to one). */
export const maxCallAttempts = 3;

/**
 * Within this many days of the window's last day the follow-up is offered to
 * the whole team, whoever booked it: a follow-up made late still measures the
 * outcome; one never made measures nothing.
 */
export const windowClosingDays = 2;

/** A reminder goes this long before the booked slot (the day before, at the same time). */
export const reminderLeadMs = 24 * 60 * 60 * 1000;

export const dayParts = ['morning', 'afternoon', 'evening'] as const;
export type DayPart = (typeof dayParts)[number];

/**
 * The times of day the helpline's hours divide into, UK time. Someone at
 * school or work at 10:00 may well answer at 18:00, so attempts are spread over them.
 */
const dayPartStarts: readonly [DayPart, number][] = [
  ['evening', 17 * 60],
  ['afternoon', 12 * 60],
  ['morning', 8 * 60],
];
const closesAt = 22 * 60;

export const dayPartWords: Record<DayPart, string> = {
  morning: 'morning (08:00 to 12:00)',
  afternoon: 'afternoon (12:00 to 17:00)',
  evening: 'evening (17:00 to 22:00)',
};

/** The time of day of an instant, UK time; null outside service hours (or not a time). */
export function dayPartOf(iso: string): DayPart | null {
  const local = ukLocalTime(iso);
  if (!local || local.minutes >= closesAt) return null;
  return dayPartStarts.find(([, from]) => local.minutes >= from)?.[0] ?? null;
}

export type FollowUpDue = 'upcoming' | 'due' | 'overdue';

/** Due on the slot's UK day; overdue on every day after it until it is made or closed. */
export function dueState(slotStart: string, now: string): FollowUpDue {
  const slot = ukLocalTime(slotStart);
  const today = ukLocalTime(now);
  if (!slot || !today) return 'upcoming';
  if (slot.date === today.date) return 'due';
  return slot.date < today.date ? 'overdue' : 'upcoming';
}

/** Days left in the window, counting today; 0 or fewer once it has passed. */
export function daysLeftInWindow(window: FollowUpWindow, now: string): number | null {
  const today = ukLocalTime(now);
  return today ? daysBetween(today.date, window.latest) + 1 : null;
}

/**
 * Whether the team sees this follow-up as well as the adviser who booked it:
 * when that adviser is away (no desk signed in), or the window is closing.
 */
export function offeredToTeam(
  window: FollowUpWindow | null,
  now: string,
  bookingAdviserAway: boolean,
): boolean {
  if (bookingAdviserAway) return true;
  if (!window) return false;
  const left = daysLeftInWindow(window, now);
  return left !== null && left <= windowClosingDays;
}

export interface CallAttemptSoFar {
  at: string;
  answered: boolean;
}

export type CallAttemptRefusalCode =
  | 'no_number'
  | 'not_due'
  | 'outside_service_hours'
  | 'attempts_used'
  | 'same_time_of_day'
  | 'already_answered';

export type CallAttemptCheck =
  | { ok: true; dayPart: DayPart; attemptNumber: number }
  | { ok: false; code: CallAttemptRefusalCode; reason: string };

/** Whether an adviser may ring the customer now, given the attempts made so far. */
export function checkCallAttempt(
  method: ContactMethod,
  slotStart: string,
  attempts: readonly CallAttemptSoFar[],
  now: string,
): CallAttemptCheck {
  if (method === 'email') {
    return {
      ok: false,
      code: 'no_number',
      reason: 'The customer asked to be contacted by email and gave no number to ring.',
    };
  }
  if (attempts.some((attempt) => attempt.answered)) {
    return {
      ok: false,
      code: 'already_answered',
      reason: 'The customer has already answered this follow-up.',
    };
  }
  if (dueState(slotStart, now) === 'upcoming') {
    return { ok: false, code: 'not_due', reason: 'This follow-up is not due yet.' };
  }
  const part = dayPartOf(now);
  if (!part) {
    return {
      ok: false,
      code: 'outside_service_hours',
      reason: 'Follow-up calls are made from 08:00 and before 22:00 UK time.',
    };
  }
  if (attempts.length >= maxCallAttempts) {
    return {
      ok: false,
      code: 'attempts_used',
      reason: `All ${maxCallAttempts} attempts have been made.`,
    };
  }
  const used = new Set(attempts.map((attempt) => dayPartOf(attempt.at)));
  if (used.has(part)) {
    const free = dayParts.filter((candidate) => !used.has(candidate));
    return {
      ok: false,
      code: 'same_time_of_day',
      reason: `An attempt was already made this ${part}; try in the ${free.map((p) => dayPartWords[p]).join(' or ')}.`,
    };
  }
  return { ok: true, dayPart: part, attemptNumber: attempts.length + 1 };
}

/**
 * Where a message to the customer may go: only where they asked to be
 * contacted by text or email when they booked (their recorded consent names
 * that channel). A number given for a call is not consent to be texted.
 */
export function messageChannel(method: ContactMethod): 'text' | 'email' | null {
  return method === 'phone' ? null : method;
}

/**
 * Whether the customer should now get the "we tried to call" message: every
 * attempt made, none answered, they agreed to messages, and none sent yet.
 */
export function fallbackMessageDue(
  method: ContactMethod,
  attempts: readonly CallAttemptSoFar[],
  alreadySent: boolean,
): boolean {
  return (
    !alreadySent &&
    messageChannel(method) !== null &&
    attempts.length >= maxCallAttempts &&
    attempts.every((attempt) => !attempt.answered)
  );
}

/** Whether the reminder before the call is due now: within a day of the slot, not after it. */
export function reminderDue(
  method: ContactMethod,
  slotStart: string,
  now: string,
  alreadySent: boolean,
): boolean {
  if (alreadySent || messageChannel(method) === null) return false;
  const slot = Date.parse(slotStart);
  const at = Date.parse(now);
  return at < slot && slot - at <= reminderLeadMs;
}
