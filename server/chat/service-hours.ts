// What the chat page is told about service hours (shared/time/service-hours.ts):
// open or not, and when it next opens, worked out on the server's clock in
// London time (so British Summer Time is right), never the customer's device.
import { londonClock, londonInstant, SERVICE_TIME_ZONE } from '../../shared/time/london';
import {
  clockWords,
  defaultServiceHours,
  isOpen,
  minutesOf,
  type ServiceHours,
} from '../../shared/time/service-hours';
import type { ServiceStatus } from '../../shared/wire/chat';

export const emergencyContacts: ServiceStatus['emergency'] = [
  { name: 'Emergency services', how: 'If you are in danger now, call 999' },
  { name: 'Childline', how: 'Call 0800 1111, free, any time' },
  { name: 'Shout', how: 'Text SHOUT to 85258, free, any time' },
];

/** Midnight at the start of the UK day `at` falls in, as an instant. */
export function startOfServiceDay(at: number): number {
  const local = londonClock(at);
  // Midnight is never skipped or repeated by the UK clock changes (they happen at 01:00 and 02:00).
  return londonInstant({
    year: local.year,
    month: local.month,
    day: local.day,
    hour: 0,
    minute: 0,
  });
}

export function serviceStatus(
  at: number,
  hours: ServiceHours = defaultServiceHours,
): ServiceStatus {
  const { opensAt, closesAt } = hours;
  const local = londonClock(at);
  const open = isOpen(at, hours);
  let nextOpening = at;
  if (!open) {
    const beforeOpening = local.minutes < minutesOf(opensAt);
    // Today's opening, or tomorrow's (a day past the month's end rolls over).
    nextOpening = londonInstant({
      year: local.year,
      month: local.month,
      day: local.day + (beforeOpening ? 0 : 1),
      ...opensAt,
    });
  }
  return {
    open,
    opensAt: clockWords(opensAt),
    closesAt: clockWords(closesAt),
    timeZone: SERVICE_TIME_ZONE,
    nextOpening: new Date(nextOpening).toISOString(),
    now: new Date(at).toISOString(),
    emergency: emergencyContacts,
  };
}
