// The follow-up booking rule: when a follow-up call may be booked, as UK
// calendar dates and service hours, whatever the clock of the desk says.
import type { YoungPersonAge } from './record';

/** The helpline's clock: windows and service hours are UK local time, GMT or BST. */
export const SERVICE_TIME_ZONE = 'Europe/London';
export const SERVICE_OPENS_AT_MINUTES = 8 * 60;
/** A follow-up call must start before closing time; a slot at 22:00 would ring a closed helpline. */
export const SERVICE_CLOSES_AT_MINUTES = 22 * 60;

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

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: SERVICE_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

interface LocalTime {
  date: string;
  /** Days since 1970-01-01 of the local calendar date, for whole-day arithmetic. */
  dayNumber: number;
  minutes: number;
}

function toLondon(instant: Date): LocalTime {
  const parts = Object.fromEntries(
    londonParts.formatToParts(instant).map((part) => [part.type, part.value]),
  );
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    dayNumber: Date.UTC(year, month - 1, day) / 86_400_000,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The UK calendar date (YYYY-MM-DD) and minutes past midnight of an instant; null if it is not a time. */
export function ukLocalTime(
  iso: string,
): { date: string; dayNumber: number; minutes: number } | null {
  const instant = parseInstant(iso);
  return instant ? toLondon(instant) : null;
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
  const contactDay = toLondon(contact).dayNumber;
  return {
    earliest: dateOfDayNumber(contactDay + fromWeeks * 7),
    latest: dateOfDayNumber(contactDay + toWeeks * 7),
    weeks: older ? '12-14' : '4-6',
  };
}

const formatMinutes = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** Whether a follow-up may start at `slotStart`, and if not, a reason an adviser can read out. */
export function checkFollowUpSlot(
  contactAt: string,
  age: YoungPersonAge,
  slotStart: string,
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
  const local = toLondon(slot);
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
  if (local.minutes < SERVICE_OPENS_AT_MINUTES || local.minutes >= SERVICE_CLOSES_AT_MINUTES) {
    return {
      ok: false,
      code: 'outside_service_hours',
      reason: `Outside service hours: ${formatMinutes(local.minutes)} UK time; follow-ups start from ${formatMinutes(SERVICE_OPENS_AT_MINUTES)} and before ${formatMinutes(SERVICE_CLOSES_AT_MINUTES)}.`,
      window,
    };
  }
  return { ok: true, window };
}

/**
 * The instant of a UK wall-clock date and time (as an adviser types them), in
 * ISO form. Around the clock change the offset is read at that very moment.
 */
export function ukLocalToIso(date: string, time: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const clock = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match || !clock) return null;
  const wall = Date.UTC(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    Number(clock[1]),
    Number(clock[2]),
  );
  // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess.
  const offsetAt = (instant: number) => {
    const local = toLondon(new Date(instant));
    return Date.UTC(1970, 0, 1 + local.dayNumber, 0, local.minutes) - instant;
  };
  const guess = wall - offsetAt(wall);
  const instant = wall - offsetAt(guess);
  return Number.isNaN(instant) ? null : new Date(instant).toISOString();
}
