// Service hours: 08:00 to 22:00 UK time, every day, by default; a setting
// (`--service-hours`) for a helpline that changes them. Worked out on the
// server's clock in Europe/London (so British Summer Time is right), never the
// customer's device.
import type { ServiceStatus } from '../../shared/wire/chat';

export const serviceTimeZone = 'Europe/London';

interface WallClock {
  hour: number;
  minute: number;
}

/** Opening and closing time each day; closing at 24:00 means midnight. */
export interface ServiceHours {
  opensAt: WallClock;
  closesAt: WallClock;
}

export const defaultServiceHours: ServiceHours = {
  opensAt: { hour: 8, minute: 0 },
  closesAt: { hour: 22, minute: 0 },
};

/** Parses `HH:MM-HH:MM` (for example `08:00-22:00`, or `00:00-24:00` for always open). */
export function parseServiceHours(text: string): ServiceHours | null {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [opensHour, opensMinute, closesHour, closesMinute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const hours = {
    opensAt: { hour: opensHour, minute: opensMinute },
    closesAt: { hour: closesHour, minute: closesMinute },
  };
  const valid =
    opensMinute < 60 &&
    closesMinute < 60 &&
    minutesOf(hours.opensAt) < minutesOf(hours.closesAt) &&
    minutesOf(hours.closesAt) <= 24 * 60;
  return valid ? hours : null;
}

export const emergencyContacts: ServiceStatus['emergency'] = [
  { name: 'Emergency services', how: 'If you are in danger now, call 999' },
  { name: 'Childline', how: 'Call 0800 1111, free, any time' },
  { name: 'Shout', how: 'Text SHOUT to 85258, free, any time' },
];

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: serviceTimeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function londonTime(at: number): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of londonParts.formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The instant a London wall-clock time happens (the clock changes at 01:00/02:00, never at 08:00). */
function londonInstant(local: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // London is UTC or UTC+1: read the offset at the guess and correct once, then check it.
  let guess = asUtc;
  for (let round = 0; round < 2; round += 1) {
    const seen = londonTime(guess);
    const seenAsUtc = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    guess += asUtc - seenAsUtc;
  }
  return guess;
}

const minutesOf = (time: { hour: number; minute: number }) => time.hour * 60 + time.minute;
const clock = (time: { hour: number; minute: number }) =>
  `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;

/** Midnight at the start of the UK day `at` falls in, as an instant. */
export function startOfServiceDay(at: number): number {
  const local = londonTime(at);
  // Midnight is never skipped or repeated by the UK clock changes (they happen at 01:00 and 02:00).
  return londonInstant({
    year: local.year,
    month: local.month,
    day: local.day,
    hour: 0,
    minute: 0,
  });
}

export function isOpen(at: number, hours: ServiceHours = defaultServiceHours): boolean {
  const local = londonTime(at);
  const minute = minutesOf(local);
  return minute >= minutesOf(hours.opensAt) && minute < minutesOf(hours.closesAt);
}

export function serviceStatus(
  at: number,
  hours: ServiceHours = defaultServiceHours,
): ServiceStatus {
  const { opensAt, closesAt } = hours;
  const local = londonTime(at);
  const open = isOpen(at, hours);
  let nextOpening = at;
  if (!open) {
    const beforeOpening = minutesOf(local) < minutesOf(opensAt);
    // Noon on the day, moved a day on if need be: safe from clock changes.
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day, 12));
    if (!beforeOpening) day.setUTCDate(day.getUTCDate() + 1);
    nextOpening = londonInstant({
      year: day.getUTCFullYear(),
      month: day.getUTCMonth() + 1,
      day: day.getUTCDate(),
      ...opensAt,
    });
  }
  return {
    open,
    opensAt: clock(opensAt),
    closesAt: clock(closesAt),
    timeZone: serviceTimeZone,
    nextOpening: new Date(nextOpening).toISOString(),
    now: new Date(at).toISOString(),
    emergency: emergencyContacts,
  };
}
