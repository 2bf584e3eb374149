// The follow-up booking rule: when a follow-up call may be booked, as UK
// calendar dates and service hours, whatever the clock of the desk says.
import { londonClock, type LondonClock } from '../time/london';
import {
  clockWords,
  defaultServiceHours,
  withinServiceHours,
  type ServiceHours,
} from '../time/service-hours';
import type { YoungPersonAge } from './record';

export interface FollowUpWindow {
  /** First and last UK calendar dates (YYYY-MM-DD) a follow-up may fall on, inclusive. */
  earliest: string;
  latest: string;
  weeks: '4-6' | '12-14';
}

export type FollowUpRefusalCode =
  'invalid_time' | 'before_window' | 'after_window' | 'outside_service_hours';

export type FollowUpSlotCheck =
  | { ok: true; window: FollowUpWindow }
  | { ok: false; code: FollowUpRefusalCode; reason: string; window: FollowUpWindow | null };

/** The UK calendar date (YYYY-MM-DD) and minutes past midnight of an instant; null if it is not a time. */
export function ukLocalTime(iso: string): LondonClock | null {
  const instant = parseInstant(iso);
  return instant ? londonClock(instant) : null;
}

/** Whole UK calendar days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

function dateOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * 86_400_000).toISOString().slice(0, 10);
}

function parseInstant(iso: string): Date | null {
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/**
 * The young person's window: 12-14 weeks when they are 16 or over, otherwise
 * 4-6 weeks. An unknown age ('not_given', or not yet asked) gets 4-6 weeks: the
 * earlier call reaches a younger customer in time and an older one still
 * benefits, while a 12-week wait could miss a 13-year-old's decisions entirely.
 */
export function followUpWindow(contactAt: string, age: YoungPersonAge): FollowUpWindow | null {
  const contact = parseInstant(contactAt);
  if (!contact) return null;
  const older = typeof age === 'number' && age >= 16;
  const [fromWeeks, toWeeks] = older ? [12, 14] : [4, 6];
  const contactDay = londonClock(contact).dayNumber;
  return {
    earliest: dateOfDayNumber(contactDay + fromWeeks * 7),
    latest: dateOfDayNumber(contactDay + toWeeks * 7),
    weeks: older ? '12-14' : '4-6',
  };
}

/**
 * Whether a follow-up may start at `slotStart`, and if not, a reason an
 * adviser can read out. A call must start within the service hours (the same
 * setting as web chat's): a slot at closing time would ring a closed helpline.
 */
export function checkFollowUpSlot(
  contactAt: string,
  age: YoungPersonAge,
  slotStart: string,
  hours: ServiceHours = defaultServiceHours,
): FollowUpSlotCheck {
  const window = followUpWindow(contactAt, age);
  const slot = parseInstant(slotStart);
  if (!window || !slot) {
    return {
      ok: false,
      code: 'invalid_time',
      reason: 'The contact time or the slot is not a valid time.',
      window,
    };
  }
  const local = londonClock(slot);
  if (local.date < window.earliest) {
    return {
      ok: false,
      code: 'before_window',
      reason: `Too early: follow-ups for this customer fall ${window.weeks} weeks after the contact, from ${window.earliest} to ${window.latest}.`,
      window,
    };
  }
  if (local.date > window.latest) {
    return {
      ok: false,
      code: 'after_window',
      reason: `Too late: follow-ups for this customer fall ${window.weeks} weeks after the contact, from ${window.earliest} to ${window.latest}.`,
      window,
    };
  }
  if (!withinServiceHours(local.minutes, hours)) {
    return {
      ok: false,
      code: 'outside_service_hours',
      reason: `Outside service hours: ${clockWords(local)} UK time; follow-ups start from ${clockWords(hours.opensAt)} and before ${clockWords(hours.closesAt)}.`,
      window,
    };
  }
  return { ok: true, window };
}
