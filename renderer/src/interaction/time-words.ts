// Times as the adviser reads them: UK wall clock, and call durations.
import { londonFormat } from '../../../shared/time/london';

const dateTime = londonFormat({
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export const ukDateTime = (iso: string) => dateTime.format(new Date(iso));

/** "4:05" or "1:02:09" for a duration in milliseconds. */
export function duration(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}
