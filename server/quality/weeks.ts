// ISO weeks as the service's own calendar reads them: the weekly sample takes
// the interactions completed from Monday 00:00 to the next Monday 00:00 in
// London, whatever the clocks did in between.
import { londonClock, londonDayStart } from '../../shared/time/london';

/** The Monday (YYYY-MM-DD) an ISO week (2026-W47) begins on. */
export function isoWeekMonday(week: string): string {
  const [yearText, weekText] = week.split('-W');
  const year = Number(yearText);
  const number = Number(weekText);
  // ISO 8601: week 1 is the week with the year's first Thursday, so 4 January is always in it.
  const fourth = Date.UTC(year, 0, 4);
  const weekday = (new Date(fourth).getUTCDay() + 6) % 7;
  const monday = fourth - weekday * 86_400_000 + (number - 1) * 7 * 86_400_000;
  return new Date(monday).toISOString().slice(0, 10);
}

/** The UTC instants a week begins and ends at in London: [from, to). */
export function isoWeekRange(week: string): { from: string; to: string } {
  const monday = isoWeekMonday(week);
  return { from: londonDayStart(monday), to: londonDayStart(monday, 7) };
}

/** The ISO week an instant falls in, in London. */
export function isoWeekOf(instant: Date): string {
  const utc = londonClock(instant).dayNumber * 86_400_000;
  const weekday = (new Date(utc).getUTCDay() + 6) % 7;
  // The Thursday of this week decides its year; its day of that year, its number.
  const thursday = new Date(utc + (3 - weekday) * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const dayOfYear = (thursday.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000;
  const number = Math.floor(dayOfYear / 7) + 1;
  return `${isoYear}-W${String(number).padStart(2, '0')}`;
}
