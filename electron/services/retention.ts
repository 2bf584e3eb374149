// Delivered work leaves the desk after a retention period (a setting, 30 days
// unless set). The desk's database holds young people's records, some with
// safeguarding notes, and the central server is their home once it has
// acknowledged them; kept on a shared PC for ever, they only add to what a
// lost or copied disk gives away, and the file grew to 92 MB after 16,000
// interactions. Never pruned: anything not yet delivered (waiting or failed),
// and a record while any item of its stream (or holding it as its payload) is.
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
 * Rows removed in one transaction at most. The first pass on a desk upgraded
 * with months of records behind it has tens of thousands to remove; as one
 * transaction it would hold the desk services until all were gone, while in
 * batches each commit is short and other work runs between them.
 */
export const pruneBatch = 500;

const none: Pruned = { outboxItems: 0, interactions: 0, followUps: 0 };

/**
 * Removes, in one transaction, up to `limit` outbox items delivered before
 * `cutoff` and up to `limit` local records (with their follow-up bookings)
 * completed before it whose stream has nothing left to deliver. Called until
 * it removes fewer than `limit` of each.
 */
export function pruneDelivered(db: LocalDb, cutoff: string, limit = pruneBatch): Pruned {
  return db.transaction((): Pruned => {
    const outboxItems = db
      .prepare(
        `DELETE FROM outbox WHERE seq IN (
           SELECT seq FROM outbox WHERE state = 'delivered' AND delivered_at < ? LIMIT ?
         )`,
      )
      .run(cutoff, limit).changes;
    // A record whose stream still has an item waiting or failed stays, whatever its age.
    // Each list is read once per pass (the outbox keeps no index of what is
    // undelivered: desk migration 0006), not once per record.
    const settled = db
      .prepare(
        `SELECT id FROM interactions WHERE completed_at < ?
           AND 'interaction:' || id NOT IN (SELECT stream FROM outbox WHERE state != 'delivered')
           AND id NOT IN (
             SELECT payload_interaction FROM outbox
             WHERE state != 'delivered' AND payload_interaction IS NOT NULL
           )
         LIMIT ?`,
      )
      .all(cutoff, limit) as { id: string }[];
    let followUps = 0;
    let interactions = 0;
    const dropBooking = db.prepare('DELETE FROM follow_ups WHERE interaction_id = ?');
    const dropRecord = db.prepare('DELETE FROM interactions WHERE id = ?');
    for (const { id } of settled) {
      followUps += dropBooking.run(id).changes;
      interactions += dropRecord.run(id).changes;
    }
    return { outboxItems, interactions, followUps };
  })();
}

/** Prunes batch by batch, yielding between them, until nothing older than `cutoff` is left. */
export async function pruneAllDelivered(
  db: LocalDb,
  cutoff: string,
  limit = pruneBatch,
): Promise<Pruned> {
  let total = none;
  for (;;) {
    if (!db.open) return total;
    const pass = pruneDelivered(db, cutoff, limit);
    total = {
      outboxItems: total.outboxItems + pass.outboxItems,
      interactions: total.interactions + pass.interactions,
      followUps: total.followUps + pass.followUps,
    };
    if (pass.outboxItems < limit && pass.interactions < limit) return total;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface RetentionOptions {
  days: number;
  log: DeskLogger;
  now?: () => number;
}

/** Prunes at start and every few hours; a failure is logged and tried again next time. */
export class DeskRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<Pruned | null> | null = null;

  constructor(
    private readonly db: LocalDb,
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    void this.pruneNow();
    this.timer = setInterval(() => void this.pruneNow(), pruneEveryMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass under way, so the database can close after. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  pruneNow(): Promise<Pruned | null> {
    this.running ??= this.prune().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async prune(): Promise<Pruned | null> {
    const now = this.options.now?.() ?? Date.now();
    const cutoff = new Date(now - this.options.days * 86_400_000).toISOString();
    try {
      const pruned = await pruneAllDelivered(this.db, cutoff);
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
