// The helpline's clock. Service hours, follow-up windows, report days and
// every time shown to a person are UK time (GMT, or BST in summer), whatever
// zone the server or a desk's PC is set to. Every reading of London's clock,
// and every wall-clock time turned back into an instant, goes through here.

/** The service's time zone: windows, days and service hours are UK local time. */
export const SERVICE_TIME_ZONE = 'Europe/London';

/** Formatting options for London's clock; the zone is this module's to set. */
export type LondonFormatOptions = Omit<Intl.DateTimeFormatOptions, 'timeZone'>;

/**
 * A formatter of instants as London's clock shows them, in British English.
 * Build it once per shape at module level: constructing an Intl.DateTimeFormat
 * costs far more than formatting with one.
 */
export function londonFormat(options: LondonFormatOptions): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: SERVICE_TIME_ZONE });
}

/**
 * A formatter of calendar days (YYYY-MM-DD), which are London dates already:
 * each is read as UTC midnight and formatted in UTC, so it never shifts a day.
 */
export function calendarDayFormat(options: LondonFormatOptions): (day: string) => string {
  const format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
  return (day) => format.format(new Date(`${day}T00:00:00Z`));
}

const wallClockParts = londonFormat({
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A moment as London's clock shows it. */
export interface LondonClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** The calendar date, YYYY-MM-DD. */
  date: string;
  /** Days since 1970-01-01 of the calendar date, for whole-day arithmetic. */
  dayNumber: number;
  /** Minutes past midnight. */
  minutes: number;
}

/** London's clock at an instant (a Date, epoch milliseconds or an ISO string). */
export function londonClock(instant: Date | number | string): LondonClock {
  const at = instant instanceof Date ? instant : new Date(instant);
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of wallClockParts.formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const pad = (value: number) => String(value).padStart(2, '0');
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    date: `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`,
    dayNumber: Date.UTC(year, month - 1, day) / 86_400_000,
    minutes: hour * 60 + minute,
  };
}

/** London's calendar date of an instant, YYYY-MM-DD: the service's own day. */
export const londonDate = (instant: Date | number | string): string => londonClock(instant).date;

/** The hour on London's clock an instant falls in, as 'YYYY-MM-DDTHH'. */
export function londonHour(instant: Date | number | string): string {
  const clock = londonClock(instant);
  return `${clock.date}T${String(clock.hour).padStart(2, '0')}`;
}

/** A wall-clock time on London's clock. */
export interface LondonWallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * The instant (epoch milliseconds) London's clock shows a wall-clock time.
 * London is UTC or UTC+1: the offset is read at a first guess and read again
 * at the corrected one, so a time on either side of a change of clocks lands
 * right. (The clocks change at 01:00 and 02:00, so midnight and any service
 * hour is neither skipped nor repeated.) A day beyond the month's last rolls
 * over, as Date.UTC does, so `day + n` counts days on.
 */
export function londonInstant(wall: LondonWallTime): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsetAt = (instant: number) => {
    const seen = londonClock(instant);
    return (
      Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) -
      Math.floor(instant / 60_000) * 60_000
    );
  };
  return asUtc - offsetAt(asUtc - offsetAt(asUtc));
}

/**
 * The instant, as ISO, that London's day `day` (YYYY-MM-DD) begins, plus
 * `addDays`. A day the clocks change on is 23 or 25 hours long; each end is
 * local midnight.
 */
export function londonDayStart(day: string, addDays = 0): string {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(
    londonInstant({ year, month, day: date + addDays, hour: 0, minute: 0 }),
  ).toISOString();
}

/**
 * The instant of a UK date (YYYY-MM-DD) and time (HH:MM), as an adviser types
 * them, in ISO form; null when either is not in that form.
 */
export function londonWallToIso(date: string, time: string): string | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const clock = /^(\d{2}):(\d{2})$/.exec(time);
  if (!day || !clock) return null;
  const instant = londonInstant({
    year: Number(day[1]),
    month: Number(day[2]),
    day: Number(day[3]),
    hour: Number(clock[1]),
    minute: Number(clock[2]),
  });
  return Number.isNaN(instant) ? null : new Date(instant).toISOString();
}
