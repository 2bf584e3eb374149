// A moment of an interaction's replay that a review points at: evidence for a
// pre-filled answer, or a pin on an answer or comment. The replay's address
// (`#/history/<id>?at=<index>`) opens at a moment by its index in the journal,
// or at `<offsetMs>ms` after the offer; a reference carries both, and the
// moment's own time for people and audits.
import { z } from 'zod';
import { limits } from '../limits';

export const replayMomentRefSchema = z.object({
  /** Position in the replay timeline, from 0: the value of `?at=`. */
  index: z.number().int().nonnegative().max(limits.maxJournalEvents),
  /** When the moment happened (the journal entry's `at`). */
  at: z.iso.datetime({ offset: true }),
  /** Milliseconds after the contact was offered: `?at=<offsetMs>ms`. */
  offsetMs: z.number().int().nonnegative(),
});
export type ReplayMomentRef = z.infer<typeof replayMomentRefSchema>;

/** The `at` parameter of the replay's address for this moment. */
export function replayAtParam(moment: Pick<ReplayMomentRef, 'index'>): string {
  return String(moment.index);
}

/** An offset as the replay's clock shows it: "5:20" into the contact, or "1:02:05" past an hour. */
export function clockOffset(offsetMs: number): string {
  const total = Math.max(0, Math.floor(offsetMs / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}
