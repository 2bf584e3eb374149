// The durable outbox: everything the desk must tell the central server is
// written here in the same SQLite transaction as the local change, then
// delivered in order per stream, retried with backoff, and marked delivered
// only when the server acknowledges it after its own commit. A local write
// that fails (the database busy past its timeout) is retried the same way.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { OutboxStatus } from '../../shared/ipc/contract';
import { fail, ok, type ErrorCode, type Result } from '../../shared/result';
import {
  maxOutboxBatchBytes,
  maxOutboxBatchItems,
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
  /**
   * How many deliveries may be in flight at once. Each carries the heads of
   * up to `batchItems` streams; the server takes one desk's deliveries one at
   * a time, so a second in flight only keeps the line busy while the first commits.
   */
  maxInFlight?: number;
  /** Items in one delivery, at most `maxOutboxBatchItems`. */
  batchItems?: number;
  /** Bytes of JSON in one delivery, at most `maxOutboxBatchBytes`. */
  batchBytes?: number;
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
  private readonly batchItems: number;
  private readonly batchBytes: number;
  private readonly now: () => Date;
  private readonly log: DeskLogger;
  /**
   * Undelivered item seqs per stream, oldest first, mirroring what SQLite has
   * committed. Map order roughly follows each stream's head, so older work goes first.
   */
  private readonly queues = new Map<string, number[]>();
  /** Streams whose head the server refused: nothing behind it may overtake it. */
  private readonly heldStreams = new Set<string>();
  /** Streams whose head is in a delivery now, with that delivery. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private deliveries = 0;
  private readonly retries = new Map<string, StreamRetry>();
  /**
   * Acknowledgements (by seq) the local database could not record yet: the
   * retry records them without asking the server again.
   */
  private readonly unrecordedReceipts = new Map<number, DeliveryReceipt>();
  private readonly statusListeners = new Set<(status: OutboxStatus) => void>();
  private lastLoadedSeq = 0;
  /**
   * Items written inside a transaction some caller opened with the database
   * itself: whether it committed is known only by looking (loadCommitted).
   */
  private enqueuedSinceLoad = 0;
  /**
   * Items written inside the outermost transaction this outbox runs, oldest
   * first: once it commits they are queued from here, with no query. A
   * transaction (or savepoint) of ours that rolls back drops its own.
   */
  private readonly writtenInTransaction: QueuedRow[] = [];
  /** Whether the transaction open now is one this outbox began as the outermost. */
  private ownsTransaction = false;
  private waitingCount = 0;
  private failedCount = 0;
  private lastDeliveredAt: string | null = null;
  private running = false;
  private syncScheduled = false;
  private lastError: string | null = null;
  /** The status last published: listeners hear of a change only. */
  private lastStatus: OutboxStatus | null = null;
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
  /** One wrapper for every transaction: making one per call was a cost of each completion. */
  private readonly runInTransaction: Database.Transaction<(change: () => unknown) => unknown>;

  constructor(
    private readonly db: LocalDb,
    private readonly transport: OutboxTransport,
    options: OutboxOptions = {},
  ) {
    this.backoff = options.backoff ?? defaultBackoff;
    this.random = options.random ?? Math.random;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.batchItems = Math.min(options.batchItems ?? maxOutboxBatchItems, maxOutboxBatchItems);
    this.batchBytes = Math.min(options.batchBytes ?? maxOutboxBatchBytes, maxOutboxBatchBytes);
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? silentDeskLogger();
    this.sql = outboxStatements(db);
    this.runInTransaction = db.transaction((change: () => unknown) => change());
    this.lastDeliveredAt = this.sql.lastDelivered.get() as string | null;
    this.lastLoadedSeq = (this.sql.newestSeq.get() as number | null) ?? 0;
    this.loadCommitted(0);
  }

  /**
   * Writes an item inside the caller's open transaction, so it commits (or
   * rolls back) with the local change that caused it. Nothing in memory changes
   * here: committed rows are picked up after the transaction ends.
   *
   * `payloadIsRecordOf` names the desk's local interaction whose stored record
   * is this item's payload, written in the same transaction: the item then
   * keeps a reference, not a second copy of the record (migration 0005). The
   * record must be the payload exactly, and stays while the item is
   * undelivered (records are never changed, and pruning keeps them).
   *
   * Inside `transaction`, nest further work with `transaction` too, not with
   * the database's own: a savepoint of ours that rolls back forgets its items
   * at once, while one opened on the database directly is noticed only later
   * (by the next item's seq, or by loadHead finding no row).
   */
  enqueue(
    draft: OutboxDraft,
    { payloadIsRecordOf }: { payloadIsRecordOf?: string } = {},
  ): OutboxItem {
    if (!this.db.inTransaction) {
      throw new Error('Outbox.enqueue must run inside the transaction that makes the local change');
    }
    // Unique because it is drawn here for every item: the table keeps no
    // index of ids (migration 0004), and the server holds a desk to them.
    const envelope = {
      id: randomUUID(),
      stream: draft.stream,
      createdAt: this.now().toISOString(),
      kind: draft.kind,
    };
    const item = { ...envelope, payload: draft.payload } as OutboxItem;
    const written = this.sql.insert.run(
      // Above every seq loaded: the table's own next rowid (one above its
      // newest row) would give out again the seq of a newest item pruned
      // while the desk runs, and loadCommitted would never see that row.
      this.lastLoadedSeq + 1,
      item.id,
      item.stream,
      item.kind,
      item.createdAt,
      JSON.stringify(payloadIsRecordOf === undefined ? item : envelope),
      payloadIsRecordOf ?? null,
    );
    if (this.ownsTransaction) {
      // seq is the rowid: the insert reports it. Seqs rise within a
      // transaction, so one given out again means the items written after it
      // were rolled back by a database savepoint (see above): drop them.
      const seq = Number(written.lastInsertRowid);
      while ((this.writtenInTransaction.at(-1)?.seq ?? 0) >= seq) this.writtenInTransaction.pop();
      this.writtenInTransaction.push({ seq, stream: item.stream, state: 'waiting' });
    } else {
      this.enqueuedSinceLoad += 1;
      // A transaction the caller opened itself: look once it has ended.
      this.scheduleSync();
    }
    return item;
  }

  /** Runs `change` in one immediate transaction; after it commits, status is refreshed and delivery woken. */
  transaction<T>(change: () => T): T {
    // Inside another transaction this is a savepoint, not a commit: the rows
    // are queued when the outermost transaction commits (ours), or looked for
    // once it has ended (a caller's, through scheduleSync).
    const outermost = !this.db.inTransaction;
    const before = this.writtenInTransaction.length;
    if (outermost) this.ownsTransaction = true;
    let result: T;
    try {
      result = this.runInTransaction.immediate(change) as T;
    } catch (error) {
      // Rolled back, whole or to this savepoint: what it wrote never commits.
      this.writtenInTransaction.length = before;
      throw error;
    } finally {
      if (outermost) this.ownsTransaction = false;
    }
    if (outermost) this.afterCommit();
    return result;
  }

  /** The seq of the newest item of `stream` not yet delivered (waiting or failed), as committed. */
  newestUndelivered(stream: string): number | undefined {
    return this.queues.get(stream)?.at(-1);
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
    const settled = Promise.all(new Set(this.inFlight.values())).then(() => true as const);
    const finished = await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    return finished;
  }

  private afterCommit(): void {
    // Rows from a caller's own transaction are looked for; the query finds
    // this transaction's rows too, since they come after them.
    if (this.enqueuedSinceLoad > 0) this.loadCommitted();
    else this.queueRows(this.writtenInTransaction);
    this.writtenInTransaction.length = 0;
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
      // The transaction() that wrote them has loaded them already.
      if (this.enqueuedSinceLoad > 0) this.afterCommit();
    };
    queueMicrotask(check);
  }

  /**
   * Brings the in-memory queues up to date with rows committed since the last
   * look (or, at start, every row not delivered). One query, by seq (the
   * rowid): a row is written waiting and delivered only after it is loaded
   * here, so the newest row read is the newest there is. At start it reads
   * the whole table, which pruning keeps to the retention period.
   */
  private loadCommitted(after = this.lastLoadedSeq): void {
    this.enqueuedSinceLoad = 0;
    this.queueRows(this.sql.undeliveredAfter.all(after) as QueuedRow[]);
  }

  /** Puts committed rows, oldest first, at the back of their streams' queues. */
  private queueRows(rows: readonly QueuedRow[]): void {
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

  /**
   * Starts deliveries, up to the in-flight limit, each of the heads of as many
   * streams free to go as one batch holds.
   */
  private pump(): void {
    while (this.running && !this.awaitingConnection && this.deliveries < this.maxInFlight) {
      const batch = this.nextBatch();
      if (batch.length === 0) return;
      this.deliveries += 1;
      const delivery = this.deliverBatch(batch).finally(() => {
        this.deliveries -= 1;
        for (const { stream } of batch) this.inFlight.delete(stream);
        this.pump();
      });
      for (const { stream } of batch) this.inFlight.set(stream, delivery);
    }
  }

  /** The heads of streams free to go, oldest streams first, within the batch's bounds. */
  private nextBatch(): Head[] {
    const batch: Head[] = [];
    let bytes = 0;
    for (const [stream, queue] of this.queues) {
      if (batch.length >= this.batchItems) break;
      const seq = queue[0];
      if (seq === undefined || this.heldStreams.has(stream) || this.inFlight.has(stream)) continue;
      if (this.retries.get(stream)?.timer) continue;
      const head = this.loadHead(stream, seq);
      if (!head) continue;
      // A batch stays well under the server's largest event; an item larger
      // than a batch on its own still goes, alone.
      if (batch.length > 0 && bytes + head.bytes > this.batchBytes) break;
      batch.push(head);
      bytes += head.bytes;
    }
    return batch;
  }

  /**
   * Parses a stored item as it is loaded; one that no longer parses is failed,
   * not sent, and a seq with no row is forgotten. A local read or write that
   * fails leaves the stream to back off.
   */
  private loadHead(stream: string, seq: number): Head | null {
    try {
      const stored = this.sql.payload.get(seq) as StoredItem | undefined;
      if (!stored) {
        this.forget(stream, seq);
      } else {
        const parsed = parseStored(stored);
        if (parsed.ok) return { stream, seq, item: parsed.value, bytes: storedBytes(stored) };
        this.markFailed(stream, seq, `invalid_input: ${parsed.error.message}`);
      }
    } catch (error) {
      this.localFailure([stream], error);
    }
    this.publishStatus();
    return null;
  }

  /**
   * Never rejects: a delivery runs on no caller's stack, so anything thrown
   * here would be an uncaught error that ends the desk. What the answers mean
   * for the items is written in one local transaction (one sync to disk for the
   * batch); if that write fails, nothing in memory changes (each write comes
   * before the state it records), so the items stay queued and their streams
   * back off and try again, without asking the server again for an
   * acknowledgement already received.
   */
  private async deliverBatch(batch: readonly Head[]): Promise<void> {
    const toSend = batch.filter((head) => !this.unrecordedReceipts.has(head.seq));
    const answers =
      toSend.length === 0
        ? []
        : await this.transport
            .deliver(toSend.map((head) => head.item))
            .catch((error: unknown): Result<DeliveryReceipt>[] =>
              toSend.map(() =>
                fail('unavailable', error instanceof Error ? error.message : 'Delivery failed'),
              ),
            );
    if (!this.db.open) return;
    const sent = new Map(toSend.map((head, index) => [head.seq, answers[index]]));
    const deliveredAt = this.now().toISOString();
    const outcomes = batch.map((head) => {
      const kept = this.unrecordedReceipts.get(head.seq);
      const answer: Result<DeliveryReceipt> = kept
        ? ok(kept)
        : (sent.get(head.seq) ?? fail('internal', 'The central server left an item unanswered'));
      return { head, outcome: outcomeOf(answer, head.item.id, this.transport.connected()) };
    });
    for (const { head, outcome } of outcomes)
      if (outcome.is === 'delivered') this.unrecordedReceipts.set(head.seq, outcome.receipt);
    try {
      this.db
        .transaction(() => {
          for (const { head, outcome } of outcomes) {
            if (outcome.is === 'delivered')
              this.sql.markDelivered.run(deliveredAt, outcome.receipt.status, head.seq);
            else if (outcome.is === 'refused') this.sql.markFailed.run(outcome.reason, 1, head.seq);
            // One write per answer (attempts included): each is a full sync to disk.
            else if (outcome.is === 'retry') this.sql.recordAttempt.run(outcome.reason, head.seq);
          }
        })
        .immediate();
    } catch (error) {
      if (!this.db.open) return;
      this.localFailure(
        outcomes.filter(({ outcome }) => outcome.is !== 'offline').map(({ head }) => head.stream),
        error,
      );
      this.publishStatus();
      return;
    }
    const deliveredIds: string[] = [];
    for (const { head, outcome } of outcomes) {
      const { stream, seq, item } = head;
      if (outcome.is === 'delivered') {
        this.unrecordedReceipts.delete(seq);
        this.delivered(stream, deliveredAt);
        deliveredIds.push(item.id);
      } else if (outcome.is === 'refused') {
        this.failed(stream, seq, outcome.reason);
      } else if (outcome.is === 'offline') {
        // Not an attempt that reached anyone: nothing is written, and nothing
        // retries until the connection is back.
        this.lastError = outcome.reason;
        this.awaitingConnection = true;
      } else {
        this.lastError = outcome.reason;
        this.log.warn(
          { itemId: item.id, kind: item.kind, stream, reason: outcome.reason },
          'outbox delivery failed; will retry',
        );
        this.scheduleRetry(stream);
      }
    }
    if (deliveredIds.length > 0)
      this.log.info({ itemIds: deliveredIds }, `outbox delivered ${deliveredIds.length} item(s)`);
    this.publishStatus();
  }

  /** A local read or write failed: the streams back off and try again. */
  private localFailure(streams: readonly string[], error: unknown): void {
    this.lastError = `local_database: ${error instanceof Error ? error.message : String(error)}`;
    this.log.error({ streams, err: error }, 'outbox could not record a delivery locally');
    for (const stream of streams) this.scheduleRetry(stream);
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

  /**
   * A queued seq with no row: written in a savepoint the database rolled back
   * under a transaction of ours (see enqueue), so it never existed. Nothing is
   * written; the stream goes on with its next item.
   */
  private forget(stream: string, seq: number): void {
    this.log.warn({ stream, seq }, 'outbox item queued in memory was never committed; forgotten');
    const queue = this.queues.get(stream) ?? [];
    if (queue[0] === seq) queue.shift();
    if (queue.length === 0) this.queues.delete(stream);
    this.waitingCount -= 1;
  }

  private markFailed(stream: string, seq: number, reason: string): void {
    this.sql.markFailed.run(reason, 0, seq);
    this.failed(stream, seq, reason);
  }

  /** In memory, once the item is written as failed. */
  private failed(stream: string, seq: number, reason: string): void {
    this.log.error({ stream, seq, reason }, 'outbox item refused; held for an operator');
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
    if (this.lastStatus && sameStatus(status, this.lastStatus)) return;
    this.lastStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

/** Every field of the status; the type makes a new field join the comparison. */
const statusFields = Object.keys({
  waiting: true,
  failed: true,
  lastDeliveredAt: true,
  lastError: true,
  nextAttemptAt: true,
} satisfies Record<keyof OutboxStatus, true>) as (keyof OutboxStatus)[];

/** Field by field: comparing the two as JSON cost a string per completed interaction. */
const sameStatus = (a: OutboxStatus, b: OutboxStatus) =>
  statusFields.every((field) => a[field] === b[field]);

/** An undelivered item as queued in memory. */
interface QueuedRow {
  seq: number;
  stream: string;
  state: 'waiting' | 'failed';
}

/** An item's row as loaded: its JSON, and the record that is its payload when it holds one by reference. */
interface StoredItem {
  payload: string;
  payload_interaction: string | null;
  record: string | null;
}

/** The item a row holds, its payload put back from the local record it names. */
function storedItem({ payload, payload_interaction, record }: StoredItem): unknown {
  const item: unknown = JSON.parse(payload);
  if (payload_interaction === null || record === null) return item;
  return { ...(item as object), payload: JSON.parse(record) };
}

/** A stored item parsed as it is loaded; refused if it no longer parses or its record is gone. */
function parseStored(stored: StoredItem): Result<OutboxItem> {
  if (stored.payload_interaction !== null && stored.record === null)
    return fail('invalid_input', 'The record this item carries is no longer on the desk');
  try {
    return parseOutboxItem(storedItem(stored));
  } catch {
    return fail('invalid_input', 'The stored item is not readable');
  }
}

/** About the JSON sent for the item: what is stored, with its record. */
const storedBytes = (stored: StoredItem) =>
  Buffer.byteLength(stored.payload) + Buffer.byteLength(stored.record ?? '');

/** A stream's head, loaded and parsed for a delivery. */
interface Head {
  stream: string;
  seq: number;
  item: OutboxItem;
  /** Its JSON as stored, which is what is sent. */
  bytes: number;
}

type Outcome =
  | { is: 'delivered'; receipt: DeliveryReceipt }
  | { is: 'refused'; reason: string }
  | { is: 'offline'; reason: string }
  | { is: 'retry'; reason: string };

/** What an answer means for the item it answers. */
function outcomeOf(answer: Result<DeliveryReceipt>, itemId: string, connected: boolean): Outcome {
  if (answer.ok && answer.value.id === itemId) return { is: 'delivered', receipt: answer.value };
  if (answer.ok) return { is: 'retry', reason: 'The central server acknowledged a different item' };
  const reason = `${answer.error.code}: ${answer.error.message}`;
  if (refusalCodes.includes(answer.error.code)) return { is: 'refused', reason };
  if (answer.error.code === 'unavailable' && !connected) return { is: 'offline', reason };
  return { is: 'retry', reason };
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
      `INSERT INTO outbox (seq, id, stream, kind, created_at, payload, payload_interaction)
       VALUES (MAX(?, (SELECT IFNULL(MAX(seq), 0) + 1 FROM outbox)), ?, ?, ?, ?, ?, ?)`,
    ),
    payload: db.prepare(
      `SELECT o.payload, o.payload_interaction, i.record FROM outbox o
         LEFT JOIN interactions i ON i.id = o.payload_interaction WHERE o.seq = ?`,
    ),
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
