// The helpline's opening hours, on London's clock: 08:00 to 22:00 every day
// unless the operator sets others (`--service-hours`). One setting decides
// when web chat is open and when a follow-up call may be booked, so the two
// can never disagree; the desk learns it from the server.
import { z } from 'zod';
import { londonClock } from './london';

const wallClockSchema = z.object({
  hour: z.number().int().min(0).max(24),
  minute: z.number().int().min(0).max(59),
});
type WallClock = z.infer<typeof wallClockSchema>;

/** Minutes past midnight of a wall-clock time. */
export const minutesOf = (time: WallClock) => time.hour * 60 + time.minute;

/** Opening and closing time each day; closing at 24:00 means midnight. */
export const serviceHoursSchema = z
  .object({ opensAt: wallClockSchema, closesAt: wallClockSchema })
  .refine(
    (hours) =>
      minutesOf(hours.opensAt) < minutesOf(hours.closesAt) && minutesOf(hours.closesAt) <= 24 * 60,
    { message: 'Service hours open before they close, and close by 24:00' },
  );
export type ServiceHours = z.infer<typeof serviceHoursSchema>;

export const defaultServiceHours: ServiceHours = {
  opensAt: { hour: 8, minute: 0 },
  closesAt: { hour: 22, minute: 0 },
};

/** "08:00": a wall-clock time as the helpline writes it. */
export const clockWords = (time: WallClock) =>
  `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;

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
  const parsed = serviceHoursSchema.safeParse({
    opensAt: { hour: opensHour, minute: opensMinute },
    closesAt: { hour: closesHour, minute: closesMinute },
  });
  return parsed.success ? parsed.data : null;
}

/** Whether a time of day (minutes past midnight, London) falls within the hours. */
export const withinServiceHours = (minutes: number, hours: ServiceHours): boolean =>
  minutes >= minutesOf(hours.opensAt) && minutes < minutesOf(hours.closesAt);

/** Whether the helpline is open at an instant (epoch milliseconds). */
export function isOpen(at: number, hours: ServiceHours = defaultServiceHours): boolean {
  return withinServiceHours(londonClock(at).minutes, hours);
}

/** The service hours as a desk holds them: cached from the server, or the built-in hours. */
export const serviceHoursSettingSchema = z.object({
  hours: serviceHoursSchema,
  source: z.enum(['server', 'built_in']),
  /** When the desk last had them from the server; null for the built-in hours. */
  fetchedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type ServiceHoursSetting = z.infer<typeof serviceHoursSettingSchema>;
