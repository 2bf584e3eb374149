// The transcript delivery store's contract, the same on SQLite and PostgreSQL:
// a transcript is queued only for its adviser's held record and only once,
// the sender hears of it only once it has committed, claims are exclusive
// until their lease lapses (also when several connections claim at once, as
// several server processes do), a mark made with a stale claim changes
// nothing, and migrations 006 and 009 keep transcripts queued before them
// claimable (009 without the desk-made bodies).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../../shared/interaction/record';
import { inTransactionContext, type StoreContext } from '../../server/storage/database';
import { Listeners } from '../../server/storage/listeners';
import { migrate } from '../../server/storage/migrate';
import { serverMigrations } from '../../server/storage/migrations';
import { StorageConflictError } from '../../server/storage/types';
import { prepareTranscript } from '../../server/transcripts/compose';
import { KyselyTranscriptDelivery, queuedTranscriptOf } from '../../server/transcripts/store';
import { completedRecord } from '../unit/desk-fixtures';
import {
  describeEachEngine,
  engines,
  holdInteraction,
  openTestDatabase,
  testDatabase,
} from '../support/storage';

/** An adviser's account, as the account store would keep it. */
async function addAdviser(context: StoreContext, username: string): Promise<string> {
  const id = randomUUID();
  await context.db
    .insertInto('accounts')
    .values({
      id,
      username,
      display_name: username,
      password_hash: 'scrypt$test',
      created_at: '2026-11-20T09:00:00.000Z',
    })
    .execute();
  return id;
}

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 11, minutes)).toISOString();

/** A held record whose customer asked for an email transcript to `address`. */
async function heldContact(
  context: StoreContext,
  adviserId: string,
  address: string,
): Promise<InteractionRecord> {
  const base = completedRecord(randomUUID(), { adviserId });
  const record = {
    ...base,
    summary: { ...base.summary, transcript: { decision: 'send', via: 'email', address } },
  } satisfies InteractionRecord;
  await holdInteraction(context, record);
  return record;
}

describeEachEngine('the transcript delivery store', (open) => {
  async function setUp() {
    const context = await open();
    const queued = new Listeners<void>();
    const store = new KyselyTranscriptDelivery(context, queued);
    const adviserId = await addAdviser(context, 'adviser');
    /** Queues a transcript as ingest does, for a record held first. */
    const queueTranscript = async (address: string, receivedAt = '2026-11-20T10:30:00.000Z') => {
      const record = await heldContact(context, adviserId, address);
      await store.queue({ interactionId: record.id, via: 'email', address }, adviserId, receivedAt);
      return record.id;
    };
    const listAll = async () =>
      (await context.db.selectFrom('transcripts').selectAll().execute()).map(queuedTranscriptOf);
    return { context, queued, store, adviserId, queueTranscript, listAll };
  }

  it('queues only for the adviser’s own held record, and only once', async () => {
    const { context, store, adviserId, queueTranscript, listAll } = await setUp();
    const id = await queueTranscript('sam@example.com');
    expect(await listAll()).toEqual([
      {
        interactionId: id,
        adviserId,
        via: 'email',
        address: 'sam@example.com',
        subject: 'Your skills action plan from the careers helpline',
        requestedAt: '2026-11-20T10:30:00.000Z',
        status: 'queued',
        attempts: 0,
        sentAt: null,
        lastError: null,
      },
    ]);
    const request = { interactionId: id, via: 'email', address: 'sam@example.com' } as const;
    await expect(store.queue(request, adviserId, at(0))).rejects.toThrow(StorageConflictError);

    const notYetHeld = { ...request, interactionId: randomUUID() };
    await expect(store.queue(notYetHeld, adviserId, at(0))).rejects.toThrow(StorageConflictError);
    const otherAdviser = await addAdviser(context, 'other-adviser');
    const other = await heldContact(context, otherAdviser, 'pat@example.com');
    await expect(
      store.queue({ ...request, interactionId: other.id }, adviserId, at(0)),
    ).rejects.toThrow(StorageConflictError);
    expect(await listAll()).toHaveLength(1);
  });

  it('hints when a transcript is queued, and only once a unit of work commits', async () => {
    const { context, queued, store, adviserId, queueTranscript } = await setUp();
    let hints = 0;
    const stop = store.onQueued(() => (hints += 1));
    await queueTranscript('a@example.com');
    expect(hints).toBe(1);

    const rolledBack = await heldContact(context, adviserId, 'b@example.com');
    await expect(
      inTransactionContext(context, async (trx) => {
        await new KyselyTranscriptDelivery(trx, queued).queue(
          { interactionId: rolledBack.id, via: 'email', address: 'b@example.com' },
          adviserId,
          at(0),
        );
        expect(hints).toBe(1);
        throw new Error('the rest of the unit of work failed');
      }),
    ).rejects.toThrow(/the rest/);
    expect(hints).toBe(1);
    const held = await context.db.selectFrom('transcripts').select('interaction_id').execute();
    expect(held.map((row) => row.interaction_id)).not.toContain(rolledBack.id);

    const committed = await heldContact(context, adviserId, 'c@example.com');
    await inTransactionContext(context, async (trx) => {
      await new KyselyTranscriptDelivery(trx, queued).queue(
        { interactionId: committed.id, via: 'email', address: 'c@example.com' },
        adviserId,
        at(0),
      );
      expect(hints).toBe(1);
    });
    expect(hints).toBe(2);

    stop();
    await queueTranscript('d@example.com');
    expect(hints).toBe(2);
  });

  it('gives a transcript to one claim at a time until the lease lapses, and records it sent once', async () => {
    const { store, queueTranscript, listAll } = await setUp();
    const id = await queueTranscript('sam@example.com');
    expect(await store.nextDueAt()).toBe('');

    const first = await store.claimNext(at(0), at(5), 'claim-1');
    expect(first).toMatchObject({ interactionId: id, address: 'sam@example.com', attempts: 1 });
    // The claim carries the held record, which the sender composes the transcript from.
    expect(JSON.parse(first?.heldRecord ?? 'null')).toMatchObject({
      id,
      summary: { transcript: { decision: 'send', address: 'sam@example.com' } },
    });
    expect(await store.claimNext(at(1), at(6), 'claim-2')).toBeNull();
    expect(await store.nextDueAt()).toBe(at(5));

    // The first sender stalls past its lease; a second takes over.
    const second = await store.claimNext(at(5), at(10), 'claim-2');
    expect(second).toMatchObject({ interactionId: id, attempts: 2 });
    // The first sender's marks, made with its stale token, change nothing.
    expect(await store.markSent(id, 'claim-1', at(6))).toBe(false);
    expect(await store.markRetry(id, 'claim-1', 'late', at(20))).toBe(false);
    expect(await store.markFailed(id, 'claim-1', 'late')).toBe(false);
    expect(await listAll()).toEqual([
      expect.objectContaining({ status: 'queued', attempts: 2, sentAt: null, lastError: null }),
    ]);

    expect(await store.markSent(id, 'claim-2', at(7))).toBe(true);
    expect(await store.markSent(id, 'claim-2', at(8))).toBe(false);
    expect(await listAll()).toEqual([
      expect.objectContaining({ interactionId: id, status: 'sent', attempts: 2, sentAt: at(7) }),
    ]);
    expect(await store.claimNext(at(30), at(35), 'claim-3')).toBeNull();
    expect(await store.nextDueAt()).toBeNull();
  });

  it('holds a failed attempt until its retry time, then lists it as failing, and failed for good', async () => {
    const { store, queueTranscript } = await setUp();
    const id = await queueTranscript('retry@example.com');
    expect(await store.claimNext(at(0), at(5), 'claim-1')).not.toBeNull();
    expect(await store.markRetry(id, 'claim-1', '451 mailbox busy', at(2))).toBe(true);
    expect(await store.claimNext(at(1), at(6), 'claim-2')).toBeNull();
    expect(await store.nextDueAt()).toBe(at(2));
    expect(await store.listFailing(10)).toEqual([
      expect.objectContaining({
        interactionId: id,
        status: 'queued',
        attempts: 1,
        lastError: '451 mailbox busy',
        nextAttemptAt: at(2),
      }),
    ]);

    expect(await store.claimNext(at(2), at(7), 'claim-2')).toMatchObject({ attempts: 2 });
    // A lease that ends after the retry time is what holds it now.
    expect(await store.nextDueAt()).toBe(at(7));
    expect(await store.markFailed(id, 'claim-2', '451 still busy')).toBe(true);
    expect(await store.claimNext(at(59), at(59), 'claim-3')).toBeNull();
    expect(await store.nextDueAt()).toBeNull();
    expect(await store.listFailing(10)).toEqual([
      expect.objectContaining({
        status: 'failed',
        attempts: 2,
        lastError: '451 still busy',
        nextAttemptAt: null,
      }),
    ]);
  });

  it('keeps only the start of a very long error', async () => {
    const { store, queueTranscript } = await setUp();
    const id = await queueTranscript('long@example.com');
    await store.claimNext(at(0), at(5), 'claim-1');
    expect(await store.markRetry(id, 'claim-1', 'x'.repeat(5000), at(1))).toBe(true);
    expect((await store.listFailing(1))[0]?.lastError).toHaveLength(1000);
  });

  it('claims the most overdue transcript first, and lists failing ones newest first', async () => {
    const { store, queueTranscript } = await setUp();
    const older = await queueTranscript('older@example.com', '2026-11-20T10:00:00.000Z');
    const newer = await queueTranscript('newer@example.com', '2026-11-20T10:10:00.000Z');
    expect((await store.claimNext(at(0), at(5), 'c1'))?.interactionId).toBe(older);
    expect((await store.claimNext(at(0), at(5), 'c2'))?.interactionId).toBe(newer);
    expect(await store.markFailed(older, 'c1', 'refused')).toBe(true);
    expect(await store.markFailed(newer, 'c2', 'refused')).toBe(true);
    expect((await store.listFailing(10)).map((failing) => failing.interactionId)).toEqual([
      newer,
      older,
    ]);
    expect(await store.listFailing(1)).toHaveLength(1);
  });

  it('claims each of 5 due transcripts exactly once among 8 concurrent claims', async () => {
    const { store, queueTranscript } = await setUp();
    const queuedIds = [];
    for (let n = 0; n < 5; n += 1) queuedIds.push(await queueTranscript(`many-${n}@example.com`));
    // On PostgreSQL the store on the database takes a pooled connection per
    // call, so these run at once; on SQLite they queue for the write lock.
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, n) => store.claimNext(at(0), at(5), `claim-${n}`)),
    );
    const claimed = claims.flatMap((claim) => (claim ? [claim.interactionId] : []));
    expect(claimed).toHaveLength(5);
    expect(new Set(claimed)).toEqual(new Set(queuedIds));
    expect(claims.filter((claim) => claim === null)).toHaveLength(3);
    expect(claims.every((claim) => claim === null || claim.attempts === 1)).toBe(true);
  });
});

describe.each(engines)('two stores on one database [%s]', (engine) => {
  it('never claim the same transcript, whichever claims first', async () => {
    const where = await testDatabase(engine, 'two-stores');
    const first = await openTestDatabase(where);
    // A second connection (SQLite) or pool (PostgreSQL): another server process.
    const second = await openTestDatabase(where);
    try {
      const context = (database: typeof first): StoreContext => ({
        db: database.db,
        engine,
        afterCommit: (effect) => effect(),
      });
      const stores = [first, second].map(
        (database) => new KyselyTranscriptDelivery(context(database), new Listeners<void>()),
      );
      const adviserId = await addAdviser(context(first), 'adviser');
      const queuedIds: string[] = [];
      for (let n = 0; n < 12; n += 1) {
        const record = await heldContact(context(first), adviserId, `two-${n}@example.com`);
        await stores[0]?.queue(
          { interactionId: record.id, via: 'email', address: `two-${n}@example.com` },
          adviserId,
          at(0),
        );
        queuedIds.push(record.id);
      }
      const claimOn = (n: number) => stores[n % 2]?.claimNext(at(1), at(6), `claim-${n}`) ?? null;
      const turns = Array.from({ length: 16 }, (_, n) => n);
      // PostgreSQL: both pools claim at once. SQLite: two connections of one
      // process cannot both be inside a transaction (the second would block
      // the event loop the first needs to commit), so they take turns; each
      // still sees the other's claims through the file.
      const claims = [];
      if (engine === 'postgres') claims.push(...(await Promise.all(turns.map(claimOn))));
      else for (const n of turns) claims.push(await claimOn(n));
      const claimed = claims.flatMap((claim) => (claim ? [claim.interactionId] : []));
      expect(claimed).toHaveLength(12);
      expect(new Set(claimed)).toEqual(new Set(queuedIds));
    } finally {
      await first.close();
      await second.close();
      await where.drop();
    }
  });
});

describe.each(engines)('migrations and queued transcripts [%s]', (engine) => {
  /** A database migrated to just before `name`, with an adviser; `finish` runs the rest. */
  async function before(name: string) {
    const where = await testDatabase(engine, 'transcript-migration');
    const index = serverMigrations.findIndex((migration) => migration.name === name);
    expect(index).toBeGreaterThan(0);
    const database = await openTestDatabase(where, serverMigrations.slice(0, index));
    await sql`INSERT INTO accounts (id, username, display_name, password_hash, created_at)
              VALUES ('a1', 'adviser', 'Alex Adviser', 'scrypt$x', '2026-11-20T10:00:00.000Z')`.execute(
      database.db,
    );
    return {
      db: database.db,
      async finish() {
        await migrate(database, serverMigrations);
        return {
          store: new KyselyTranscriptDelivery(
            { db: database.db, engine, afterCommit: (effect) => effect() },
            new Listeners<void>(),
          ),
          async close() {
            await database.close();
            await where.drop();
          },
        };
      },
    };
  }

  it('006 keeps a transcript queued before it, due at once', async () => {
    const old = await before('transcript-delivery');
    await sql`INSERT INTO interactions (id, adviser_id, desk_id, channel, contact_ref, completed_at, received_at, record_json)
              VALUES ('i1', 'a1', 'd1', 'voice', 'call-1', '2026-11-20T10:20:00.000Z', '2026-11-20T10:21:00.000Z', '{}')`.execute(
      old.db,
    );
    await sql`INSERT INTO transcripts (interaction_id, adviser_id, via, address, subject, body_text, body_html, requested_at)
              VALUES ('i1', 'a1', 'email', 'old@example.com', 'Plan', 'text', '<p>text</p>', '2026-11-20T10:21:00.000Z')`.execute(
      old.db,
    );
    const { store, close } = await old.finish();
    try {
      expect(await store.claimNext(at(0), at(5), 'c1')).toMatchObject({
        interactionId: 'i1',
        address: 'old@example.com',
        attempts: 1,
      });
    } finally {
      await close();
    }
  });

  it('009 drops the desk-made bodies of transcripts queued before it, which are then composed from the record', async () => {
    const old = await before('transcripts-composed-on-server');
    const base = completedRecord(randomUUID(), { adviserId: 'a1' });
    const record = {
      ...base,
      summary: {
        ...base.summary,
        nextSteps: { ...base.summary.nextSteps, mainPoints: 'Routes into animal care' },
        transcript: { decision: 'send', via: 'email', address: 'old@example.com' },
      },
    } satisfies InteractionRecord;
    await sql`INSERT INTO interactions (id, adviser_id, desk_id, channel, contact_ref, completed_at, received_at, record_json)
              VALUES (${record.id}, 'a1', 'd1', 'voice', 'call-1', '2026-11-20T10:20:00.000Z', '2026-11-20T10:21:00.000Z', ${JSON.stringify(record)})`.execute(
      old.db,
    );
    await sql`INSERT INTO transcripts (interaction_id, adviser_id, via, address, subject, body_text, body_html, requested_at)
              VALUES (${record.id}, 'a1', 'email', 'old@example.com', 'Account locked', 'Log in at once',
                      '<a href="https://phish.example/login">Log in at once</a>', '2026-11-20T10:21:00.000Z')`.execute(
      old.db,
    );
    const { store, close } = await old.finish();
    try {
      const claimed = await store.claimNext(at(0), at(5), 'c1');
      expect(claimed).toMatchObject({ interactionId: record.id, address: 'old@example.com' });
      if (!claimed) throw new Error('unreachable');
      const prepared = prepareTranscript(claimed);
      expect(prepared).toMatchObject({
        ok: true,
        value: {
          to: { via: 'email', address: 'old@example.com' },
          document: { subject: 'Your skills action plan from the careers helpline' },
        },
      });
      if (!prepared.ok) throw new Error('unreachable');
      expect(prepared.value.document.text).toContain('Routes into animal care');
      expect(prepared.value.document.html).not.toContain('phish.example');

      const columns =
        engine === 'sqlite'
          ? sql<{ name: string }>`SELECT name FROM pragma_table_info('transcripts')`
          : sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns
                                  WHERE table_name = 'transcripts'`;
      const names = (await columns.execute(old.db)).rows.map((column) => column.name);
      expect(names).toContain('address');
      expect(names).not.toContain('body_text');
      expect(names).not.toContain('body_html');
    } finally {
      await close();
    }
  });
});
