// How the dashboard writes its numbers and days.
import { londonDate } from '../../../shared/time/london';

/** A share as a percentage to one place; a dash when there was nothing to divide by. */
export function percent(value: number | null): string {
  return value === null ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/** Seconds as "45 s" or "4 min 05 s"; a dash when unknown. */
export function seconds(value: number | null): string {
  if (value === null) return '—';
  const whole = Math.round(value);
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** Today's date on London's clock, YYYY-MM-DD: the service's own day. */
export function londonToday(now: Date = new Date()): string {
  return londonDate(now);
}

export function shiftDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
