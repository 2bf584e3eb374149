// The durable outbox: everything the desk must tell the central server is
// written here in the same SQLite transaction as the local change, then
// delivered in order per stream, retried with backoff, and marked delivered
// only when the server acknowledges it after its own commit. A local write
// that fails (the database busy past its timeout) is retried the same way.
import { randomUUID } from 'node:crypto';
import type { OutboxStatus } from '../../shared/ipc/contract';
import { fail, ok, type ErrorCode, type Result } from '../../shared/result';
import {
  parseOutboxItem,
  type DeliveryReceipt,
  type OutboxItem,
  type OutboxKind,
} from '../../shared/wire/outbox';
import type { LocalDb } from './local-db';
import type { OutboxTransport } from './outbox-transport';
import { silentDeskLogger, type DeskLogger } from './logging';

/** What a domain asks the outbox to deliver; the outbox names and dates it. */
export type OutboxDraft = {
  [K in OutboxKind]: {
    stream: string;
    kind: K;
    payload: Extract<OutboxItem, { kind: K }>['payload'];
  };
}[OutboxKind];

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 500, capMs: 60_000 };

/**
 * Exponential backoff with full jitter: a uniform delay between 0 and
 * min(cap, base * 2^(attempt-1)), so many desks coming back at once spread out.
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(
    policy.capMs,
    policy.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)),
  );
  return Math.floor(random() * ceiling);
}

/** Answers that mean the item itself is wrong: retrying it unchanged would be refused again. */
const refusalCodes: readonly ErrorCode[] = ['invalid_input', 'forbidden', 'payload_too_large'];

export interface OutboxOptions {
  backoff?: BackoffPolicy;
  random?: () => number;
  /** How many streams may have a delivery in flight at once. */
  maxInFlight?: number;
  now?: () => Date;
  log?: DeskLogger;
}

interface StreamRetry {
  attempt: number;
  timer: ReturnType<typeof setTimeout> | null;
  at: number | null;
}

export class Outbox {
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly maxInFlight: number;
  private readonly now: () => Date;
  private readonly log: DeskLogger;
  /**
   * Undelivered item seqs per stream, oldest first, mirroring what SQLite has
   * committed. Map order roughly follows each stream's head, so older work goes first.
   */
  private readonly queues = new Map<string, number[]>();
  /** Streams whose head the server refused: nothing behind it may overtake it. */
  private readonly heldStreams = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly retries = new Map<string, StreamRetry>();
  /**
   * Acknowledgements (by seq) the local database could not record yet: the
   * retry records them without asking the server again.
   */
  private readonly unrecordedReceipts = new Map<number, DeliveryReceipt>();
  private readonly statusListeners = new Set<(status: OutboxStatus) => void>();
  private lastLoadedSeq = 0;
  private waitingCount = 0;
  private failedCount = 0;
  private lastDeliveredAt: string | null = null;
  private running = false;
  private syncScheduled = false;
  private lastError: string | null = null;
  private lastStatusJson = '';
  /**
   * Set when a delivery found no connection: every stream waits for the
   * connection (retryNow) instead of retrying on its own timer, so a long
   * outage with thousands of items queued costs nothing until it ends.
   */
  private awaitingConnection = false;
  /**
   * Every statement prepared once: preparing again on each call was a seventh
   * of the time of completing an interaction.
   */
  private readonly sql: ReturnType<typeof outboxStatements>;

  constructor(
    private readonly db: LocalDb,
    private readonly transport: OutboxTransport,
    options: OutboxOptions = {},
  ) {
    this.backoff = options.backoff ?? defaultBackoff;
    this.random = options.random ?? Math.random;
    this.maxInFlight = options.maxInFlight ?? 8;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? silentDeskLogger();
    this.sql = outboxStatements(db);
    this.lastDeliveredAt = this.sql.lastDelivered.get() as string | null;
    this.lastLoadedSeq = (this.sql.newestSeq.get() as number | null) ?? 0;
    this.loadCommitted(0);
  }

  /**
   * Writes an item inside the caller's open transaction, so it commits (or
   * rolls back) with the local change that caused it. Nothing in memory changes
   * here: committed rows are picked up after the transaction ends.
   */
  enqueue(draft: OutboxDraft): OutboxItem {
    if (!this.db.inTransaction) {
      throw new Error('Outbox.enqueue must run inside the transaction that makes the local change');
    }
    const item = {
      id: randomUUID(),
      stream: draft.stream,
      createdAt: this.now().toISOString(),
      kind: draft.kind,
      payload: draft.payload,
    } as OutboxItem;
    this.sql.insert.run(item.id, item.stream, item.kind, item.createdAt, JSON.stringify(item));
    // For callers that opened the transaction themselves: look again once it has ended.
    this.scheduleSync();
    return item;
  }

  /** Runs `change` in one immediate transaction; after it commits, status is refreshed and delivery woken. */
  transaction<T>(change: () => T): T {
    const result = this.db.transaction(change).immediate();
    this.afterCommit();
    return result;
  }

  onStatus(listener: (status: OutboxStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  status(): OutboxStatus {
    let next = Infinity;
    for (const retry of this.retries.values())
      if (retry.at !== null) next = Math.min(next, retry.at);
    return {
      waiting: this.waitingCount,
      failed: this.failedCount,
      lastDeliveredAt: this.lastDeliveredAt,
      lastError: this.lastError,
      nextAttemptAt: Number.isFinite(next) ? new Date(next).toISOString() : null,
    };
  }

  /** Resumes whatever was left undelivered (after a restart too) and keeps delivering. */
  start(): void {
    this.running = true;
    this.publishStatus();
    this.pump();
  }

  /** Retries every waiting stream at once: the connection has just come (back). */
  retryNow(): void {
    this.awaitingConnection = false;
    for (const retry of this.retries.values()) if (retry.timer) clearTimeout(retry.timer);
    this.retries.clear();
    this.publishStatus();
    this.pump();
  }

  /**
   * Stops starting deliveries and waits (up to `timeoutMs`) for those in
   * flight, so an acknowledgement on its way is recorded before shutdown.
   * Returns whether everything in flight finished.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.running = false;
    for (const retry of this.retries.values()) if (retry.timer) clearTimeout(retry.timer);
    this.retries.clear();
    if (this.inFlight.size === 0) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const settled = Promise.all(this.inFlight.values()).then(() => true as const);
    const finished = await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    return finished;
  }

  private afterCommit(): void {
    this.loadCommitted();
    this.publishStatus();
    this.pump();
  }

  private scheduleSync(): void {
    if (this.syncScheduled) return;
    this.syncScheduled = true;
    const check = () => {
      if (!this.db.open) return;
      // Still inside the caller's transaction: its rows are not committed yet.
      if (this.db.inTransaction) return void setImmediate(check);
      this.syncScheduled = false;
      this.afterCommit();
    };
    queueMicrotask(check);
  }

  /**
   * Brings the in-memory queues up to date with rows committed since the last
   * look (or, at start, every row not delivered). One query: a row is written
   * waiting and delivered only after it is loaded here, so the newest row read
   * is the newest there is.
   */
  private loadCommitted(after = this.lastLoadedSeq): void {
    const rows = this.sql.undeliveredAfter.all(after) as {
      seq: number;
      stream: string;
      state: 'waiting' | 'failed';
    }[];
    for (const row of rows) {
      const queue = this.queues.get(row.stream);
      if (queue) queue.push(row.seq);
      else this.queues.set(row.stream, [row.seq]);
      if (row.state === 'failed') {
        this.failedCount += 1;
        this.heldStreams.add(row.stream);
      } else {
        this.waitingCount += 1;
      }
    }
    this.lastLoadedSeq = Math.max(this.lastLoadedSeq, rows.at(-1)?.seq ?? 0);
  }

  /** Starts a delivery for the head of every stream that is free to go, up to the in-flight limit. */
  private pump(): void {
    if (!this.running || this.awaitingConnection) return;
    for (const [stream, queue] of this.queues) {
      if (this.inFlight.size >= this.maxInFlight) return;
      const head = queue[0];
      if (head === undefined || this.heldStreams.has(stream) || this.inFlight.has(stream)) continue;
      if (this.retries.get(stream)?.timer) continue;
      const delivery = this.deliverHead(stream, head).finally(() => {
        this.inFlight.delete(stream);
        this.pump();
      });
      this.inFlight.set(stream, delivery);
    }
  }

  /**
   * Never rejects: a delivery runs on no caller's stack, so anything thrown
   * here would be an uncaught error that ends the desk. A local write that
   * fails changes nothing in memory (each write comes before the state it
   * records), so the item stays queued and its stream backs off and tries again.
   */
  private async deliverHead(stream: string, seq: number): Promise<void> {
    try {
      await this.attemptHead(stream, seq);
    } catch (error) {
      if (!this.db.open) return;
      this.lastError = `local_database: ${error instanceof Error ? error.message : String(error)}`;
      this.log.error({ stream, seq, err: error }, 'outbox could not record a delivery locally');
      this.scheduleRetry(stream);
    }
    this.publishStatus();
  }

  private async attemptHead(stream: string, seq: number): Promise<void> {
    const item = this.load(stream, seq);
    if (!item) return;
    const recordedLater = this.unrecordedReceipts.get(seq);
    const answer = recordedLater
      ? ok(recordedLater)
      : await this.transport
          .deliver(item)
          .catch((error: unknown): Result<DeliveryReceipt> =>
            fail('unavailable', error instanceof Error ? error.message : 'Delivery failed'),
          );
    if (!this.db.open) return;
    if (answer.ok && answer.value.id === item.id) {
      this.unrecordedReceipts.set(seq, answer.value);
      const deliveredAt = this.now().toISOString();
      this.sql.markDelivered.run(deliveredAt, answer.value.status, seq);
      this.unrecordedReceipts.delete(seq);
      this.delivered(stream, deliveredAt);
      this.log.info(
        { itemId: item.id, kind: item.kind, stream, receipt: answer.value.status },
        'outbox item delivered',
      );
    } else if (!answer.ok && refusalCodes.includes(answer.error.code)) {
      this.markFailed(stream, seq, `${answer.error.code}: ${answer.error.message}`, 1);
    } else if (!answer.ok && answer.error.code === 'unavailable' && !this.transport.connected()) {
      // Not an attempt that reached anyone: nothing is written, and nothing
      // retries until the connection is back.
      this.lastError = `${answer.error.code}: ${answer.error.message}`;
      this.awaitingConnection = true;
    } else {
      const reason = answer.ok
        ? 'The central server acknowledged a different item'
        : `${answer.error.code}: ${answer.error.message}`;
      // One write per answer (attempts included): each is a full sync to disk.
      this.sql.recordAttempt.run(reason, seq);
      this.lastError = reason;
      this.log.warn(
        { itemId: item.id, kind: item.kind, stream, reason },
        'outbox delivery failed; will retry',
      );
      this.scheduleRetry(stream);
    }
  }

  /** Parses a stored item as it is loaded; one that no longer parses is failed, not sent. */
  private load(stream: string, seq: number): OutboxItem | null {
    const stored = this.sql.payload.get(seq) as string | undefined;
    let parsed: Result<OutboxItem>;
    try {
      parsed = parseOutboxItem(JSON.parse(stored ?? ''));
    } catch {
      parsed = fail('invalid_input', 'The stored item is not readable');
    }
    if (parsed.ok) return parsed.value;
    this.markFailed(stream, seq, `invalid_input: ${parsed.error.message}`);
    this.publishStatus();
    return null;
  }

  private delivered(stream: string, deliveredAt: string): void {
    const queue = this.queues.get(stream) ?? [];
    queue.shift();
    // Re-inserting moves the stream behind streams whose heads are older.
    this.queues.delete(stream);
    if (queue.length > 0) this.queues.set(stream, queue);
    this.waitingCount -= 1;
    this.retries.delete(stream);
    this.lastDeliveredAt = deliveredAt;
    this.lastError = null;
  }

  private markFailed(stream: string, seq: number, reason: string, attempted = 0): void {
    this.log.error({ stream, seq, reason }, 'outbox item refused; held for an operator');
    this.sql.markFailed.run(reason, attempted, seq);
    this.waitingCount -= 1;
    this.failedCount += 1;
    this.heldStreams.add(stream);
    this.retries.delete(stream);
    this.lastError = reason;
  }

  private scheduleRetry(stream: string): void {
    if (!this.running) return;
    const attempt = (this.retries.get(stream)?.attempt ?? 0) + 1;
    const delay = backoffDelay(attempt, this.backoff, this.random);
    // The entry outlives its timer so the next failure backs off further; only
    // an answer that is not transient (or a reconnect) clears it.
    const retry: StreamRetry = { attempt, at: Date.now() + delay, timer: null };
    retry.timer = setTimeout(() => {
      retry.timer = null;
      retry.at = null;
      this.publishStatus();
      this.pump();
    }, delay);
    this.retries.set(stream, retry);
  }

  private publishStatus(): void {
    const status = this.status();
    const json = JSON.stringify(status);
    if (json === this.lastStatusJson) return;
    this.lastStatusJson = json;
    for (const listener of this.statusListeners) listener(status);
  }
}

function outboxStatements(db: LocalDb) {
  return {
    lastDelivered: db
      .prepare(`SELECT MAX(delivered_at) FROM outbox WHERE state = 'delivered'`)
      .pluck(),
    newestSeq: db.prepare('SELECT MAX(seq) FROM outbox').pluck(),
    undeliveredAfter: db.prepare(
      `SELECT seq, stream, state FROM outbox WHERE seq > ? AND state != 'delivered' ORDER BY seq`,
    ),
    insert: db.prepare(
      'INSERT INTO outbox (id, stream, kind, created_at, payload) VALUES (?, ?, ?, ?, ?)',
    ),
    payload: db.prepare('SELECT payload FROM outbox WHERE seq = ?').pluck(),
    markDelivered: db.prepare(
      `UPDATE outbox SET state = 'delivered', delivered_at = ?, receipt = ?, last_error = NULL,
         attempts = attempts + 1 WHERE seq = ?`,
    ),
    recordAttempt: db.prepare(
      'UPDATE outbox SET last_error = ?, attempts = attempts + 1 WHERE seq = ?',
    ),
    markFailed: db.prepare(
      `UPDATE outbox SET state = 'failed', last_error = ?, attempts = attempts + ? WHERE seq = ?`,
    ),
  };
}
