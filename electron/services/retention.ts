// Delivered work leaves the desk after a retention period (a setting, 30 days
// unless set). The desk's database holds young people's records, some with
// safeguarding notes, and the central server is their home once it has
// acknowledged them; kept on a shared PC for ever, they only add to what a
// lost or copied disk gives away, and the file grew to 92 MB after 16,000
// interactions. Never pruned: anything not yet delivered (waiting or failed),
// and a record while any item of its stream is.
import type { DeskLogger } from './logging';
import type { LocalDb } from './local-db';

export const defaultRetentionDays = 30;
/** Pruned at start and then this often while the desk runs. */
export const pruneEveryMs = 6 * 60 * 60 * 1000;

export interface Pruned {
  outboxItems: number;
  interactions: number;
  followUps: number;
}

/**
 * Removes, in one transaction, the outbox items delivered before `cutoff` and
 * the local records (with their follow-up bookings) completed before it whose
 * stream has nothing left to deliver.
 */
export function pruneDelivered(db: LocalDb, cutoff: string): Pruned {
  // A record whose stream still has an item waiting or failed stays, whatever its age.
  const settled = `completed_at < @cutoff AND NOT EXISTS (
      SELECT 1 FROM outbox o WHERE o.stream = 'interaction:' || interactions.id AND o.state != 'delivered'
    )`;
  return db.transaction((): Pruned => {
    const outboxItems = db
      .prepare("DELETE FROM outbox WHERE state = 'delivered' AND delivered_at < @cutoff")
      .run({ cutoff }).changes;
    const followUps = db
      .prepare(
        `DELETE FROM follow_ups WHERE interaction_id IN (SELECT id FROM interactions WHERE ${settled})`,
      )
      .run({ cutoff }).changes;
    const interactions = db
      .prepare(`DELETE FROM interactions WHERE ${settled}`)
      .run({ cutoff }).changes;
    return { outboxItems, interactions, followUps };
  })();
}

export interface RetentionOptions {
  days: number;
  log: DeskLogger;
  now?: () => number;
}

/** Prunes at start and every few hours; a failure is logged and tried again next time. */
export class DeskRetention {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: LocalDb,
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.pruneNow();
    this.timer = setInterval(() => this.pruneNow(), pruneEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  pruneNow(): Pruned | null {
    const now = this.options.now?.() ?? Date.now();
    const cutoff = new Date(now - this.options.days * 86_400_000).toISOString();
    try {
      const pruned = pruneDelivered(this.db, cutoff);
      if (pruned.outboxItems + pruned.interactions + pruned.followUps > 0) {
        this.options.log.info({ cutoff, ...pruned }, 'delivered work past its retention removed');
      }
      return pruned;
    } catch (error) {
      this.options.log.warn(
        { err: error },
        'delivered work could not be pruned; trying again later',
      );
      return null;
    }
  }
}
