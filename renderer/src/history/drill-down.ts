// A dashboard figure's drill-down: the history's own filters for the
// interactions behind one number, carried in the Find route's query string
// (#/history?from=...&to=...&figure=...) so the link can be opened, copied and
// gone Back from like any other. Parsed with the server's own query schema, as
// the hash is input like any other.
import { z } from 'zod';
import { historyQuerySchema } from '../../../shared/wire/history';

const drillFilters = historyQuerySchema
  .pick({
    from: true,
    to: true,
    adviserId: true,
    channel: true,
    followUpBooked: true,
    transcriptSent: true,
    notCovered: true,
    completedHour: true,
    statusCaptured: true,
    followUpOffered: true,
    transcriptOffered: true,
    serviceQuestionsSkipped: true,
    answeredWithinSeconds: true,
    followUpCall: true,
    ageGroup: true,
    region: true,
  })
  .extend({
    /** What the number was, shown above the results ("Answered within 20 s, 20 Nov 2026"). */
    figure: z.string().trim().min(1).max(200),
  });

export type DrillDown = z.output<typeof drillFilters>;

export function parseDrillDown(query: string): DrillDown | null {
  if (!query) return null;
  const parsed = drillFilters.safeParse(Object.fromEntries(new URLSearchParams(query)));
  return parsed.success ? parsed.data : null;
}

export function drillHash(drill: DrillDown): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(drill)) {
    if (value === undefined) continue;
    params.set(key, typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value));
  }
  return `#/history?${params.toString()}`;
}
