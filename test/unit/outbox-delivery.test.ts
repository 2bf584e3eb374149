// The durable outbox: delivered only on an ok acknowledgement, FIFO per
// stream, transient failures retried with bounded backoff, refused items kept
// as failed, undelivered items resumed after a restart, a database locked by
// another connection survived, and a property test over random failures and
// acknowledgements.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxStatus } from '../../shared/ipc/contract';
import {
  DESK_BUSY_TIMEOUT_MS,
  LOCAL_DB_FILE,
  openLocalDb,
  type LocalDb,
} from '../../electron/services/local-db';
import {
  backoffDelay,
  Outbox,
  type OutboxDraft,
  type OutboxOptions,
} from '../../electron/services/outbox';
import type { OutboxTransport } from '../../electron/services/outbox-transport';
import { InteractionStore } from '../../electron/services/interactions';
import { limits } from '../../shared/limits';
import { ok } from '../../shared/result';
import {
  FakeServerTransport,
  type DeliveryOutcome,
} from '../../electron/services/outbox-transport.testing';
import { completedRecord, followUpFor, tempDataDir } from './desk-fixtures';

const deskId = randomUUID();
const open: { db: LocalDb; outbox: Outbox }[] = [];

// Backoff of zero: retries happen on the next turn, so tests wait on events, not time.
const immediate: OutboxOptions = { backoff: { baseMs: 1, capMs: 1 }, random: () => 0 };

function startOutbox(transport: OutboxTransport, dataDir = tempDataDir(), options = immediate) {
  const db = openLocalDb(dataDir);
  const outbox = new Outbox(db, transport, options);
  open.push({ db, outbox });
  return { db, outbox, dataDir };
}

afterEach(async () => {
  for (const { db, outbox } of open.splice(0)) {
    await outbox.drain(1_000);
    if (db.open) db.close();
  }
});

function recordDraft(stream: string): OutboxDraft {
  return { stream, kind: 'interaction.completed', payload: completedRecord(deskId) };
}

function queue(outbox: Outbox, drafts: OutboxDraft[]): string[] {
  return outbox.transaction(() => drafts.map((draft) => outbox.enqueue(draft).id));
}

/** Resolves with the first status (current or pushed) that satisfies `test`. */
function statusWhere(
  outbox: Outbox,
  test: (status: OutboxStatus) => boolean,
): Promise<OutboxStatus> {
  return new Promise((resolve) => {
    const current = outbox.status();
    if (test(current)) return resolve(current);
    const stop = outbox.onStatus((status) => {
      if (!test(status)) return;
      stop();
      resolve(status);
    });
  });
}

const rowStates = (db: LocalDb) =>
  db.prepare('SELECT id, state FROM outbox ORDER BY seq').all() as { id: string; state: string }[];

describe('the outbox', () => {
  it('refuses to enqueue outside a transaction, so no item is written apart from its change', () => {
    const { outbox } = startOutbox(new FakeServerTransport());
    expect(() => outbox.enqueue(recordDraft('s'))).toThrow(/inside the transaction/);
  });

  it('writes nothing when the local change rolls back with it', () => {
    const { db, outbox } = startOutbox(new FakeServerTransport());
    expect(() =>
      outbox.transaction(() => {
        outbox.enqueue(recordDraft('s'));
        throw new Error('the local change failed');
      }),
    ).toThrow('the local change failed');
    expect(rowStates(db)).toEqual([]);
    expect(outbox.status().waiting).toBe(0);
  });

  it('picks up items written in a transaction the caller opened, only once it has committed', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport);
    outbox.start();
    const rolledBack = db.transaction(() => {
      outbox.enqueue(recordDraft('s'));
      throw new Error('the local change failed');
    });
    expect(() => rolledBack()).toThrow();
    const [id] = db.transaction(() => [outbox.enqueue(recordDraft('s')).id])();
    expect(outbox.status().waiting).toBe(0);
    await statusWhere(outbox, (status) => status.lastDeliveredAt !== null && status.waiting === 0);
    expect(transport.applied.map((item) => item.id)).toEqual([id]);
  });

  it('queues what its own commit wrote, leaving out a savepoint of its own that rolled back', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport);
    const kept = outbox.transaction(() => {
      const first = outbox.enqueue(recordDraft('s')).id;
      expect(() =>
        outbox.transaction(() => {
          outbox.enqueue(recordDraft('s'));
          throw new Error('this part failed');
        }),
      ).toThrow('this part failed');
      return [first, outbox.enqueue(recordDraft('s')).id];
    });
    expect(outbox.status().waiting).toBe(2);
    outbox.start();
    await statusWhere(outbox, (status) => status.waiting === 0);
    expect(transport.applied.map((item) => item.id)).toEqual(kept);
    expect(rowStates(db)).toEqual(kept.map((id) => ({ id, state: 'delivered' })));
  });

  it('queues nothing from its transaction inside a caller transaction that rolls back', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport);
    outbox.start();
    const rolledBack = db.transaction(() => {
      outbox.transaction(() => outbox.enqueue(recordDraft('s')));
      throw new Error('the caller failed');
    });
    expect(() => rolledBack()).toThrow('the caller failed');
    const id = db.transaction(() =>
      outbox.transaction(() => outbox.enqueue(recordDraft('s')).id),
    )();
    await statusWhere(outbox, (status) => status.lastDeliveredAt !== null && status.waiting === 0);
    expect(transport.applied.map((item) => item.id)).toEqual([id]);
    expect(outbox.status().failed).toBe(0);
  });

  it('forgets items of a database savepoint that rolled back inside its transaction, and goes on', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport);
    // Against enqueue's advice: a savepoint opened on the database itself.
    const failedPart = db.transaction(() => {
      outbox.enqueue(recordDraft('s'));
      throw new Error('this part failed');
    });
    const kept = outbox.transaction(() => {
      const first = outbox.enqueue(recordDraft('s')).id;
      expect(() => failedPart()).toThrow('this part failed');
      return [first, outbox.enqueue(recordDraft('s')).id];
    });
    // The rolled-back item last in its transaction, with nothing after it.
    outbox.transaction(() => {
      kept.push(outbox.enqueue(recordDraft('s')).id);
      expect(() => failedPart()).toThrow('this part failed');
    });
    outbox.start();
    await statusWhere(outbox, (status) => status.waiting === 0);
    // Each sent once: a rolled-back item's seq, given out again, is not queued twice.
    expect(transport.attempts).toEqual(kept);
    expect(outbox.status()).toMatchObject({ waiting: 0, failed: 0 });
  });

  it('delivers queued items and marks them delivered on an ok acknowledgement', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport);
    const record = completedRecord(deskId);
    const ids = queue(outbox, [
      { stream: 'interaction:1', kind: 'interaction.completed', payload: record },
      { stream: 'interaction:1', kind: 'followup.booked', payload: followUpFor(record) },
    ]);
    expect(outbox.status().waiting).toBe(2);
    outbox.start();
    const done = await statusWhere(outbox, (status) => status.waiting === 0);
    expect(done.lastDeliveredAt).not.toBeNull();
    expect(transport.applied.map((item) => item.id)).toEqual(ids);
    expect(rowStates(db).map((row) => row.state)).toEqual(['delivered', 'delivered']);
  });

  it('keeps a completed record once, the item naming it, and delivers the item whole', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport);
    const record = completedRecord(deskId);
    const store = new InteractionStore(db, outbox, deskId);
    expect(store.complete({ record, followUp: followUpFor(record) })).toEqual(ok({ queued: 2 }));
    const stored = db
      .prepare('SELECT kind, payload, payload_interaction FROM outbox ORDER BY seq')
      .all() as { kind: string; payload: string; payload_interaction: string | null }[];
    // The record's own text is in the commit once: in the local record, not in its item.
    expect(stored[0]).toMatchObject({
      kind: 'interaction.completed',
      payload_interaction: record.id,
    });
    expect(stored[0]?.payload).not.toContain(record.contactRef);
    expect(JSON.parse(stored[0]?.payload ?? '{}')).not.toHaveProperty('payload');
    // Other items carry their payload themselves.
    expect(stored[1]).toMatchObject({ kind: 'followup.booked', payload_interaction: null });
    outbox.start();
    await statusWhere(outbox, (status) => status.waiting === 0);
    expect(transport.applied.map((item) => item.kind)).toEqual([
      'interaction.completed',
      'followup.booked',
    ]);
    expect(transport.applied[0]?.payload).toEqual(record);
  });

  it('fails, without sending, an item whose record is no longer on the desk', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport);
    const record = completedRecord(deskId);
    new InteractionStore(db, outbox, deskId).complete({ record, followUp: null });
    db.prepare('DELETE FROM interactions WHERE id = ?').run(record.id);
    outbox.start();
    const failed = await statusWhere(outbox, (status) => status.failed === 1);
    expect(failed.lastError).toMatch(/^invalid_input: The record this item carries/);
    expect(transport.attempts).toEqual([]);
  });

  it('keeps an item waiting while the server does not acknowledge, and retries it', async () => {
    let answers = 0;
    const transport = new FakeServerTransport(() => (++answers <= 3 ? 'unavailable' : 'ack'));
    const { db, outbox } = startOutbox(transport);
    const [id] = queue(outbox, [recordDraft('s')]);
    outbox.start();
    const failing = await statusWhere(outbox, (status) => status.lastError !== null);
    expect(failing.waiting).toBe(1);
    await statusWhere(outbox, (status) => status.waiting === 0);
    expect(transport.attempts.filter((attempt) => attempt === id)).toHaveLength(4);
    expect(rowStates(db)).toEqual([{ id, state: 'delivered' }]);
  });

  it('treats a lost acknowledgement as not delivered; the repeat is answered as a duplicate', async () => {
    const transport = new FakeServerTransport((_item, attempt) =>
      attempt === 1 ? 'lost_ack' : 'ack',
    );
    const { db, outbox } = startOutbox(transport);
    queue(outbox, [recordDraft('s')]);
    outbox.start();
    await statusWhere(outbox, (status) => status.waiting === 0);
    expect(transport.applied).toHaveLength(1);
    expect(db.prepare('SELECT receipt FROM outbox').pluck().get()).toBe('duplicate');
  });

  it('moves an item the server refuses as invalid to failed, and holds the rest of its stream', async () => {
    const transport = new FakeServerTransport((item) =>
      item.kind === 'interaction.completed' ? 'invalid' : 'ack',
    );
    const { db, outbox } = startOutbox(transport);
    const record = completedRecord(deskId);
    queue(outbox, [
      { stream: 'held', kind: 'interaction.completed', payload: record },
      { stream: 'held', kind: 'followup.booked', payload: followUpFor(record) },
    ]);
    const other = completedRecord(deskId);
    queue(outbox, [{ stream: 'other', kind: 'followup.booked', payload: followUpFor(other) }]);
    outbox.start();
    await statusWhere(outbox, (s) => s.failed === 1 && s.waiting === 1);
    expect(
      db.prepare(`SELECT last_error FROM outbox WHERE state = 'failed'`).pluck().get(),
    ).toMatch(/^invalid_input/);
    expect(rowStates(db).map((row) => row.state)).toEqual(['failed', 'waiting', 'delivered']);
    // Refused once, never retried blindly.
    expect(transport.attempts).toHaveLength(2);
  });

  it('fails an item that no longer parses when loaded, without sending it', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport);
    queue(outbox, [recordDraft('s')]);
    db.prepare(
      `UPDATE outbox SET payload = json_set(payload, '$.payload.deskId', 'not-a-uuid')`,
    ).run();
    outbox.start();
    await statusWhere(outbox, (status) => status.failed === 1);
    expect(transport.attempts).toEqual([]);
  });

  it('resumes undelivered items after a restart, in order', async () => {
    const stalled = new FakeServerTransport(() => 'unavailable');
    const first = startOutbox(stalled, tempDataDir(), {
      backoff: { baseMs: 60_000, capMs: 60_000 },
      random: () => 1,
    });
    const ids = queue(first.outbox, [recordDraft('a'), recordDraft('a'), recordDraft('b')]);
    first.outbox.start();
    await statusWhere(first.outbox, (status) => status.nextAttemptAt !== null);
    await first.outbox.drain(1_000);
    first.db.close();

    const transport = new FakeServerTransport();
    const again = startOutbox(transport, first.dataDir);
    expect(again.outbox.status().waiting).toBe(3);
    again.outbox.start();
    await statusWhere(again.outbox, (status) => status.waiting === 0);
    expect(transport.applied.map((item) => item.id).sort()).toEqual([...ids].sort());
    const streamA = transport.applied.filter((item) => item.stream === 'a').map((item) => item.id);
    expect(streamA).toEqual(ids.slice(0, 2));
  });

  it('waits for the connection instead of retrying each stream while there is none', async () => {
    const transport = new FakeServerTransport();
    transport.online = false;
    const { db, outbox } = startOutbox(transport);
    queue(
      outbox,
      Array.from({ length: 50 }, (_, index) => recordDraft(`interaction:${index}`)),
    );
    outbox.start();
    await statusWhere(outbox, (status) => status.lastError !== null);
    // Let many zero-delay retry turns pass: with no connection none may happen.
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
    const attemptsWhileOffline = transport.attempts.length;
    expect(attemptsWhileOffline).toBeLessThanOrEqual(8);
    expect(outbox.status().nextAttemptAt).toBeNull();
    const written = db.prepare('SELECT SUM(attempts) FROM outbox').pluck().get();
    expect(written).toBe(0);

    transport.online = true;
    outbox.retryNow();
    await statusWhere(outbox, (status) => status.waiting === 0);
    expect(transport.applied).toHaveLength(50);
  });

  it('retries a backing-off stream at once when the connection comes back', async () => {
    let online = false;
    const transport = new FakeServerTransport(() => (online ? 'ack' : 'unavailable'));
    // Long enough that only retryNow can explain a delivery within the wait
    // below, and well inside the test's time limit, so a failure is an
    // assertion and not a timeout.
    const backoffMs = 20_000;
    const { db, outbox } = startOutbox(transport, tempDataDir(), {
      backoff: { baseMs: backoffMs, capMs: backoffMs },
      random: () => 1,
    });
    const [id] = queue(outbox, [recordDraft('s')]);
    outbox.start();
    const backingOff = await statusWhere(outbox, (status) => status.nextAttemptAt !== null);
    const retryDueAt = Date.parse(backingOff.nextAttemptAt ?? '');
    expect(retryDueAt - Date.now()).toBeGreaterThan(backoffMs / 2);

    online = true;
    outbox.retryNow();
    const delivered = await Promise.race([
      statusWhere(outbox, (status) => status.waiting === 0).then(() => Date.now()),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000)),
    ]);
    expect(delivered).not.toBeNull();
    expect(delivered ?? Infinity).toBeLessThan(retryDueAt);
    expect(transport.attempts).toEqual([id, id]);
    expect(rowStates(db)).toEqual([{ id, state: 'delivered' }]);
    expect(outbox.status()).toMatchObject({ nextAttemptAt: null, lastError: null });
  });

  it('drain waits for a delivery in flight and records its acknowledgement', async () => {
    const transport = new FakeServerTransport();
    transport.hold();
    const { db, outbox } = startOutbox(transport);
    const [id] = queue(outbox, [recordDraft('s')]);
    outbox.start();
    expect(transport.attempts).toEqual([id]);
    const drained = outbox.drain(10_000);
    transport.release();
    expect(await drained).toBe(true);
    expect(rowStates(db)).toEqual([{ id, state: 'delivered' }]);
  });

  it('delivers different streams independently while one is held back', async () => {
    const transport = new FakeServerTransport((item) =>
      item.stream === 'slow' ? 'unavailable' : 'ack',
    );
    const { outbox } = startOutbox(transport, tempDataDir(), {
      backoff: { baseMs: 60_000, capMs: 60_000 },
      random: () => 1,
    });
    queue(outbox, [recordDraft('slow'), recordDraft('fast'), recordDraft('fast')]);
    outbox.start();
    await statusWhere(outbox, (status) => status.waiting === 1);
    expect(transport.applied.map((item) => item.stream)).toEqual(['fast', 'fast']);
  });
});

describe('the outbox in batches', () => {
  it('sends the heads of many streams together, within the batch size, and marks them in one commit', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox } = startOutbox(transport, tempDataDir(), {
      ...immediate,
      maxInFlight: 1,
      batchItems: 4,
    });
    const ids = queue(
      outbox,
      Array.from({ length: 10 }, (_, n) => recordDraft(`stream-${n}`)),
    );
    outbox.start();
    await statusWhere(outbox, (status) => status.waiting === 0);
    expect(transport.batches).toEqual([4, 4, 2]);
    expect(transport.applied.map((item) => item.id)).toEqual(ids);
    expect(rowStates(db).every((row) => row.state === 'delivered')).toBe(true);
    // Each batch's items are marked together, with one time: ten items, at most three times.
    const markedTimes = db
      .prepare(`SELECT COUNT(DISTINCT delivered_at) FROM outbox WHERE state = 'delivered'`)
      .pluck()
      .get();
    expect(markedTimes).toBeLessThanOrEqual(3);
  });

  it('answers each item of a batch on its own: one refused, one lost, the rest delivered', async () => {
    const transport = new FakeServerTransport((item, attempt) => {
      if (item.stream === 'bad') return 'invalid';
      if (item.stream === 'lost' && attempt === 1) return 'lost_ack';
      return 'ack';
    });
    const { db, outbox } = startOutbox(transport);
    const [bad, lost, good, behindBad] = queue(outbox, [
      recordDraft('bad'),
      recordDraft('lost'),
      recordDraft('good'),
      recordDraft('bad'),
    ]);
    outbox.start();
    const done = await statusWhere(outbox, (status) => status.waiting === 1 && status.failed === 1);
    expect(done.lastError).toBeNull();
    expect(transport.batches[0]).toBe(3);
    // The lost acknowledgement was asked again (answered as a duplicate); the good one was not.
    expect(transport.attempts.filter((id) => id === lost)).toHaveLength(2);
    expect(transport.attempts.filter((id) => id === good)).toHaveLength(1);
    // Nothing behind the refused item overtook it.
    expect(transport.attempts).not.toContain(behindBad);
    expect(rowStates(db)).toEqual([
      { id: bad, state: 'failed' },
      { id: lost, state: 'delivered' },
      { id: good, state: 'delivered' },
      { id: behindBad, state: 'waiting' },
    ]);
  });

  it('keeps a batch under its byte bound, and sends an item larger than the bound alone', async () => {
    const transport = new FakeServerTransport();
    const draft = (stream: string, notes = ''): OutboxDraft => ({
      stream,
      kind: 'interaction.completed',
      payload: (() => {
        const record = completedRecord(deskId);
        return { ...record, summary: { ...record.summary, notes: { startingPoint: notes } } };
      })(),
    });
    const itemBytes = (d: OutboxDraft) =>
      Buffer.byteLength(
        JSON.stringify({
          id: randomUUID(),
          stream: d.stream,
          createdAt: new Date().toISOString(),
          kind: d.kind,
          payload: d.payload,
        }),
      );
    const small = ['a', 'b', 'c'].map((stream) => draft(stream));
    const big = draft('big', 'n'.repeat(limits.maxNoteChars));
    // Room for two small items and not a third; the big one is over the bound on its own.
    const batchBytes = Math.max(...small.map(itemBytes)) * 2 + 10;
    expect(itemBytes(big)).toBeGreaterThan(batchBytes);
    const { outbox } = startOutbox(transport, tempDataDir(), {
      ...immediate,
      maxInFlight: 1,
      batchBytes,
    });
    queue(outbox, [...small, big, draft('d')]);
    outbox.start();
    await statusWhere(outbox, (status) => status.waiting === 0);
    expect(transport.batches).toEqual([2, 1, 1, 1]);
    expect(transport.applied.map((item) => item.stream)).toEqual(['a', 'b', 'c', 'big', 'd']);
  });
});

/**
 * Holds the desk database's write lock from another connection, as the
 * knowledge writer's worker does while it writes a page. It runs on its own
 * thread because a statement waiting for the lock blocks this one, and the
 * lock must still be let go while it waits.
 */
async function holdWriteLock(file: string, holdMs: number) {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    db.exec('BEGIN IMMEDIATE');
    parentPort.postMessage({ locked: true });
    setTimeout(() => {
      const releasedAt = Date.now();
      db.exec('COMMIT');
      db.close();
      parentPort.postMessage({ releasedAt });
    }, workerData.holdMs);
  `;
  // The desk's own driver: two copies of SQLite in one process do not see each other's locks.
  const driver = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
  const holder = new Worker(source, { eval: true, workerData: { driver, file, holdMs } });
  const messages: { locked?: true; releasedAt?: number }[] = [];
  const next = () =>
    new Promise<{ locked?: true; releasedAt?: number }>((resolve, reject) => {
      const queued = messages.shift();
      if (queued) return resolve(queued);
      holder.once('message', resolve);
      holder.once('error', reject);
    });
  expect(await next()).toEqual({ locked: true });
  return {
    /** Resolves with when the lock was let go. */
    released: next().then(async ({ releasedAt }) => {
      await holder.terminate();
      return releasedAt ?? NaN;
    }),
  };
}

/** Fails after `ms` instead of waiting out the test's time limit, naming what never came. */
function within<T>(ms: number, what: string, waiting: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([waiting, late]).finally(() => clearTimeout(timer));
}

/** Collects what would otherwise escape as an uncaught error while `run` goes on. */
async function withoutUncaughtErrors(run: () => Promise<void>): Promise<unknown[]> {
  const escaped: unknown[] = [];
  const collect = (error: unknown) => escaped.push(error);
  process.on('unhandledRejection', collect);
  process.on('uncaughtException', collect);
  try {
    await run();
    // A rejection is reported as unhandled only after the microtasks of its turn.
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off('unhandledRejection', collect);
    process.off('uncaughtException', collect);
  }
  return escaped;
}

describe('the outbox on a busy database', () => {
  it('waits for another connection to let go of the write lock, and records the delivery once', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox, dataDir } = startOutbox(transport);
    const [id] = queue(outbox, [recordDraft('s')]);
    const errors: string[] = [];
    outbox.onStatus((status) => {
      if (status.lastError !== null) errors.push(status.lastError);
    });
    // Well inside the desk's busy timeout: the write should wait, not fail.
    const holdMs = 300;
    expect(holdMs).toBeLessThan(DESK_BUSY_TIMEOUT_MS / 2);
    let deliveredAt = 0;
    let releasedAt = 0;
    const escaped = await withoutUncaughtErrors(async () => {
      // The acknowledgement arrives while the lock is held, so marking the item
      // delivered meets the lock.
      transport.hold();
      outbox.start();
      const lock = await holdWriteLock(join(dataDir, LOCAL_DB_FILE), holdMs);
      transport.release();
      await within(
        10_000,
        'delivery',
        statusWhere(outbox, (status) => status.waiting === 0),
      );
      deliveredAt = Date.now();
      releasedAt = await lock.released;
    });
    expect(escaped).toEqual([]);
    // The write waited for the lock instead of failing.
    expect(deliveredAt).toBeGreaterThanOrEqual(releasedAt);
    expect(errors).toEqual([]);
    expect(transport.attempts).toEqual([id]);
    expect(transport.applied.map((item) => item.id)).toEqual([id]);
    expect(db.prepare('SELECT state, attempts FROM outbox').all()).toEqual([
      { state: 'delivered', attempts: 1 },
    ]);
  });

  it('keeps the item queued when the lock outlasts the busy timeout, and records it on a later try', async () => {
    const transport = new FakeServerTransport();
    const { db, outbox, dataDir } = startOutbox(transport, tempDataDir(), {
      backoff: { baseMs: 50, capMs: 50 },
      random: () => 1,
    });
    // The desk waits 5 s; a shorter wait on this connection keeps the test short.
    db.pragma('busy_timeout = 100');
    const [id] = queue(outbox, [recordDraft('s')]);
    const escaped = await withoutUncaughtErrors(async () => {
      transport.hold();
      outbox.start();
      const lock = await holdWriteLock(join(dataDir, LOCAL_DB_FILE), 1_000);
      transport.release();
      const busy = await within(
        10_000,
        'error status',
        statusWhere(outbox, (status) => status.lastError !== null),
      );
      expect(busy.lastError).toMatch(/^local_database: database is locked/);
      expect(busy.waiting).toBe(1);
      expect(busy.nextAttemptAt).not.toBeNull();
      expect(rowStates(db)).toEqual([{ id, state: 'waiting' }]);
      await lock.released;
      const done = await within(
        10_000,
        'delivery',
        statusWhere(outbox, (status) => status.waiting === 0),
      );
      expect(done).toMatchObject({ failed: 0, lastError: null });
    });
    expect(escaped).toEqual([]);
    // The acknowledgement was kept: recording it did not ask the server again.
    expect(transport.attempts).toEqual([id]);
    expect(transport.applied.map((item) => item.id)).toEqual([id]);
    expect(db.prepare('SELECT state, receipt, attempts FROM outbox').all()).toEqual([
      { state: 'delivered', receipt: 'applied', attempts: 1 },
    ]);
  });
});

describe('backoff', () => {
  it('stays within 0 and min(cap, base * 2^(attempt-1)) for any attempt and jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, capMs, jitter) => {
          const delay = backoffDelay(attempt, { baseMs, capMs }, () => jitter);
          const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1));
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(ceiling);
          expect(Number.isFinite(delay)).toBe(true);
        },
      ),
    );
  });

  it('grows exponentially before the cap when jitter is at its top', () => {
    const policy = { baseMs: 500, capMs: 60_000 };
    const top = () => 0.999_999;
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, policy, top))).toEqual([
      499, 999, 1999, 3999,
    ]);
    expect(backoffDelay(50, policy, top)).toBe(59_999);
  });
});

describe('outbox ordering under random failures (property)', () => {
  const outcomeArb = fc.constantFrom<DeliveryOutcome>('ack', 'ack', 'unavailable', 'lost_ack');

  it('delivers every item once in effect, in order per stream, and marks delivered only after an ok ack', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 25 }),
        fc.infiniteStream(outcomeArb),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 6 }),
        async (streamOfEach, outcomes, maxInFlight, batchItems) => {
          // Every fourth attempt at an item succeeds at the latest, so the run always ends.
          const transport = new FakeServerTransport((_item, attempt) => {
            const next = outcomes.next().value;
            return attempt % 4 === 0 ? 'ack' : next;
          });
          const { db, outbox } = startOutbox(transport, tempDataDir('outbox-property'), {
            ...immediate,
            maxInFlight,
            batchItems,
          });
          // Items arrive in several transactions, some before and some after start.
          const half = Math.ceil(streamOfEach.length / 2);
          const early = queue(
            outbox,
            streamOfEach.slice(0, half).map((n) => recordDraft(`stream-${n}`)),
          );
          const marked: string[] = [];
          outbox.onStatus(() => {
            const delivered = db
              .prepare(`SELECT id FROM outbox WHERE state = 'delivered'`)
              .pluck()
              .all() as string[];
            for (const id of delivered) if (!transport.acknowledged.has(id)) marked.push(id);
          });
          outbox.start();
          const late = queue(
            outbox,
            streamOfEach.slice(half).map((n) => recordDraft(`stream-${n}`)),
          );
          await statusWhere(outbox, (status) => status.waiting === 0);
          await outbox.drain(1_000);

          const queuedIds = [...early, ...late];
          const queuedStreams = streamOfEach.map((n) => `stream-${n}`);
          expect(transport.applied.map((item) => item.id).sort()).toEqual([...queuedIds].sort());
          for (const stream of new Set(queuedStreams)) {
            const expected = queuedIds.filter((_id, index) => queuedStreams[index] === stream);
            const appliedOrder = transport.applied
              .filter((item) => item.stream === stream)
              .map((item) => item.id);
            expect(appliedOrder).toEqual(expected);
          }
          expect(transport.overlapping).toEqual([]);
          expect(marked).toEqual([]);
          const states = db.prepare('SELECT state FROM outbox').pluck().all();
          expect(states.every((state) => state === 'delivered')).toBe(true);
          for (const id of db.prepare('SELECT id FROM outbox').pluck().all() as string[]) {
            expect(transport.acknowledged.has(id)).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
