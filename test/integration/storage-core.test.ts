// The core stores' contract, the same expectations on SQLite and PostgreSQL:
// accounts (a username is unique whatever its case; roles come back in the
// role list's order), sessions, the listings of delivered work newest first
// for one adviser or everyone, calls and their recordings, and applying outbox
// items exactly once, even when twenty deliveries of one item race.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { SafeguardingRaise } from '../../shared/wire/safeguarding';
import {
  KyselyAccounts,
  KyselyCalls,
  KyselyFollowUps,
  KyselyInteractions,
  KyselySessions,
  KyselyTranscripts,
} from '../../server/storage/stores';
import { openStorage } from '../../server/storage/storage';
import {
  StorageConflictError,
  type AppliedOutboxItem,
  type IngestWriter,
  type ServerStorage,
} from '../../server/storage/types';
import type { ServerDatabase, StoreContext } from '../../server/storage/database';
import { RecordingFolder, synthesiseRecording } from '../../server/telephony/recording';
import {
  describeEachEngine,
  engines,
  holdInteraction,
  testDatabase,
  type TestDatabase,
} from '../support/storage';
import { completedRecord, followUpFor } from '../unit/desk-fixtures';

const passwordHash = 'scrypt$test';

async function anAdviser(context: StoreContext, username = `adviser-${randomUUID()}`) {
  return new KyselyAccounts(context).create({
    username,
    displayName: 'Alex Adviser',
    roles: ['adviser'],
    passwordHash,
  });
}

describeEachEngine('accounts', (open) => {
  it('creates an account, finds it by id and by its username in any case, and counts it', async () => {
    const context = await open();
    const accounts = new KyselyAccounts(context);
    expect(await accounts.count()).toBe(0);
    const created = await accounts.create({
      username: 'Alex.Adviser',
      displayName: 'Alex Adviser',
      roles: ['adviser'],
      passwordHash,
    });
    expect(created).toEqual({
      id: expect.any(String),
      username: 'Alex.Adviser',
      displayName: 'Alex Adviser',
      roles: ['adviser'],
    });
    expect(await accounts.findById(created.id)).toEqual(created);
    for (const asTyped of ['Alex.Adviser', 'alex.adviser', 'ALEX.ADVISER']) {
      expect(await accounts.findByUsername(asTyped)).toEqual({ ...created, passwordHash });
    }
    expect(await accounts.findByUsername('someone-else')).toBeNull();
    expect(await accounts.findById(randomUUID())).toBeNull();
    expect(await accounts.count()).toBe(1);
  });

  it('refuses a username already held whatever its case, and keeps nothing of the refused one', async () => {
    const context = await open();
    const accounts = new KyselyAccounts(context);
    await accounts.create({
      username: 'sam',
      displayName: 'Sam',
      roles: ['adviser'],
      passwordHash,
    });
    for (const taken of ['sam', 'SAM', 'Sam']) {
      await expect(
        accounts.create({
          username: taken,
          displayName: 'Other',
          roles: ['trainer'],
          passwordHash,
        }),
      ).rejects.toBeInstanceOf(StorageConflictError);
    }
    expect(await accounts.count()).toBe(1);
    expect((await accounts.findByUsername('sam'))?.displayName).toBe('Sam');
    // The refusal left the database usable.
    await accounts.create({
      username: 'sam-2',
      displayName: 'Sam Two',
      roles: ['adviser'],
      passwordHash,
    });
    expect(await accounts.count()).toBe(2);
  });

  it('answers roles in the role list’s order, each once, whatever order they were granted in', async () => {
    const context = await open();
    const accounts = new KyselyAccounts(context);
    const created = await accounts.create({
      username: 'many-hats',
      displayName: 'Many Hats',
      roles: ['knowledge_editor', 'adviser', 'team_leader', 'adviser'],
      passwordHash,
    });
    const canonical = ['adviser', 'team_leader', 'knowledge_editor'];
    expect(created.roles).toEqual(canonical);
    expect((await accounts.findById(created.id))?.roles).toEqual(canonical);
    expect((await accounts.findByUsername('MANY-HATS'))?.roles).toEqual(canonical);
  });
});

describeEachEngine('sessions', (open) => {
  it('keeps, finds and deletes a session, and deletes only those expired', async () => {
    const context = await open();
    const sessions = new KyselySessions(context);
    const { id: accountId } = await anAdviser(context);
    const session = (tokenHash: string, expiresAt: string) => ({
      tokenHash,
      accountId,
      createdAt: '2026-11-20T08:00:00.000Z',
      expiresAt,
    });
    await sessions.create(session('expired', '2026-11-20T09:00:00.000Z'));
    await sessions.create(session('ends-now', '2026-11-20T10:00:00.000Z'));
    await sessions.create(session('live', '2026-11-20T20:00:00.000Z'));
    expect(await sessions.find('live')).toEqual(session('live', '2026-11-20T20:00:00.000Z'));
    expect(await sessions.find('nothing')).toBeNull();

    expect(await sessions.deleteExpired('2026-11-20T10:00:00.000Z')).toBe(2);
    expect(await sessions.find('expired')).toBeNull();
    expect(await sessions.find('ends-now')).toBeNull();
    expect(await sessions.deleteExpired('2026-11-20T10:00:00.000Z')).toBe(0);

    await sessions.delete('live');
    expect(await sessions.find('live')).toBeNull();
    // Deleting what is not there is no error: signing out twice is harmless.
    await sessions.delete('live');
  });

  it('finds a session with its staff member and their roles as they are now, in one read', async () => {
    const context = await open();
    const sessions = new KyselySessions(context);
    const accounts = new KyselyAccounts(context);
    const hats = await accounts.create({
      username: 'two-hats',
      displayName: 'Two Hats',
      roles: ['team_leader', 'adviser'],
      passwordHash,
    });
    const none = await accounts.create({
      username: 'no-hats',
      displayName: 'No Hats',
      roles: [],
      passwordHash,
    });
    const session = (tokenHash: string, accountId: string) => ({
      tokenHash,
      accountId,
      createdAt: '2026-11-20T08:00:00.000Z',
      expiresAt: '2026-11-20T20:00:00.000Z',
    });
    await sessions.create(session('with-roles', hats.id));
    await sessions.create(session('without', none.id));
    expect(await sessions.findWithStaff('with-roles')).toEqual({
      session: session('with-roles', hats.id),
      staff: {
        id: hats.id,
        username: 'two-hats',
        displayName: 'Two Hats',
        roles: ['adviser', 'team_leader'],
      },
    });
    expect((await sessions.findWithStaff('without'))?.staff.roles).toEqual([]);
    expect(await sessions.findWithStaff('nothing')).toBeNull();
  });
});

describeEachEngine('listings of delivered work', (open) => {
  it('lists interactions newest completed first, for one adviser or everyone, up to the limit', async () => {
    const context = await open();
    const interactions = new KyselyInteractions(context);
    const alex = await anAdviser(context);
    const sam = await anAdviser(context);
    const at = (hour: number) => `2026-11-20T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const oldest = completedRecord('desk-1', { adviserId: alex.id, completedAt: at(9) });
    const samsOwn = completedRecord('desk-2', { adviserId: sam.id, completedAt: at(10) });
    const newest = completedRecord('desk-1', { adviserId: alex.id, completedAt: at(11) });
    // Held in an order that is neither newest nor oldest first.
    for (const record of [samsOwn, oldest, newest]) await holdInteraction(context, record);

    expect(await interactions.list({ adviserId: null, limit: 10 })).toEqual([
      newest,
      samsOwn,
      oldest,
    ]);
    expect(await interactions.list({ adviserId: alex.id, limit: 10 })).toEqual([newest, oldest]);
    expect(await interactions.list({ adviserId: sam.id, limit: 10 })).toEqual([samsOwn]);
    expect(await interactions.list({ adviserId: null, limit: 2 })).toEqual([newest, samsOwn]);
    expect(await interactions.list({ adviserId: randomUUID(), limit: 10 })).toEqual([]);
    expect(await interactions.count()).toBe(3);
  });

  it('orders interactions completed in the same millisecond by id, the same on both engines', async () => {
    const context = await open();
    const interactions = new KyselyInteractions(context);
    const alex = await anAdviser(context);
    const records = Array.from({ length: 5 }, () =>
      completedRecord('desk-1', { adviserId: alex.id, completedAt: '2026-11-20T10:00:00.000Z' }),
    );
    for (const record of records) await holdInteraction(context, record);
    const byIdDescending = [...records].sort((a, b) => (a.id < b.id ? 1 : -1));
    expect(await interactions.list({ adviserId: null, limit: 10 })).toEqual(byIdDescending);
  });

  it('lists follow-up bookings newest booked first, for one adviser or everyone', async () => {
    const context = await open();
    const followUps = new KyselyFollowUps(context);
    const alex = await anAdviser(context);
    const sam = await anAdviser(context);
    const booking = (adviserId: string, createdAt: string) => ({
      ...followUpFor(completedRecord('desk-1', { adviserId })),
      createdAt,
    });
    const first = booking(alex.id, '2026-11-20T09:00:00.000Z');
    const second = booking(sam.id, '2026-11-20T10:00:00.000Z');
    const third = booking(alex.id, '2026-11-20T11:00:00.000Z');
    for (const held of [second, third, first]) {
      await context.db
        .insertInto('follow_ups')
        .values({
          id: held.id,
          interaction_id: held.interactionId,
          adviser_id: held.adviserId,
          slot_start: held.slotStart,
          contact_method: held.contactMethod,
          created_at: held.createdAt,
          received_at: held.createdAt,
          booking_json: JSON.stringify(held),
        })
        .execute();
    }
    expect(await followUps.list({ adviserId: null, limit: 10 })).toEqual([third, second, first]);
    expect(await followUps.list({ adviserId: alex.id, limit: 1 })).toEqual([third]);
    expect(await followUps.list({ adviserId: sam.id, limit: 10 })).toEqual([second]);
    expect(await followUps.count()).toBe(3);
  });

  it('lists queued transcripts newest requested first, for one adviser or everyone', async () => {
    const context = await open();
    const transcripts = new KyselyTranscripts(context);
    const alex = await anAdviser(context);
    const sam = await anAdviser(context);
    const queue = async (adviserId: string, requestedAt: string) => {
      const record = completedRecord('desk-1', { adviserId });
      await holdInteraction(context, record);
      await context.db
        .insertInto('transcripts')
        .values({
          interaction_id: record.id,
          adviser_id: adviserId,
          via: 'email',
          address: 'customer@example.org',
          subject: 'Your plan',
          requested_at: requestedAt,
        })
        .execute();
      return record.id;
    };
    const first = await queue(alex.id, '2026-11-20T09:00:00.000Z');
    const second = await queue(sam.id, '2026-11-20T10:00:00.000Z');
    const third = await queue(alex.id, '2026-11-20T11:00:00.000Z');

    const everyone = await transcripts.list({ adviserId: null, limit: 10 });
    expect(everyone.map(({ interactionId }) => interactionId)).toEqual([third, second, first]);
    expect(everyone[0]).toEqual({
      interactionId: third,
      adviserId: alex.id,
      via: 'email',
      address: 'customer@example.org',
      subject: 'Your plan',
      requestedAt: '2026-11-20T11:00:00.000Z',
      status: 'queued',
      attempts: 0,
      sentAt: null,
      lastError: null,
    });
    const alexs = await transcripts.list({ adviserId: alex.id, limit: 10 });
    expect(alexs.map(({ interactionId }) => interactionId)).toEqual([third, first]);
    expect(await transcripts.list({ adviserId: sam.id, limit: 1 })).toHaveLength(1);
    expect(await transcripts.count()).toBe(3);
  });
});

describeEachEngine('calls', (open) => {
  const ringing = (adviserId: string) => ({
    id: randomUUID(),
    adviserId,
    cli: '07700900123',
    offeredAt: '2026-11-20T10:00:00.000Z',
    connectedAt: null,
    endedAt: null,
    endedBy: null,
  });

  it('connects a ringing call once and ends it once', async () => {
    const context = await open();
    const calls = new KyselyCalls(context, new RecordingFolder(context.dataDir));
    const { id: adviserId } = await anAdviser(context);
    const call = ringing(adviserId);
    await calls.insert(call);
    expect(await calls.find(call.id)).toEqual({ ...call, recordingRef: null });
    expect(await calls.find(randomUUID())).toBeNull();

    expect(await calls.markConnected(call.id, '2026-11-20T10:00:05.000Z')).toBe(true);
    expect(await calls.markConnected(call.id, '2026-11-20T10:00:06.000Z')).toBe(false);
    expect(await calls.markEnded(call.id, '2026-11-20T10:05:00.000Z', 'customer')).toBe(true);
    expect(await calls.markEnded(call.id, '2026-11-20T10:06:00.000Z', 'adviser')).toBe(false);
    expect(await calls.find(call.id)).toMatchObject({
      connectedAt: '2026-11-20T10:00:05.000Z',
      endedAt: '2026-11-20T10:05:00.000Z',
      endedBy: 'customer',
    });

    // A call that ended while ringing can no longer be answered.
    const missed = ringing(adviserId);
    await calls.insert(missed);
    expect(await calls.markEnded(missed.id, '2026-11-20T10:00:10.000Z', 'network')).toBe(true);
    expect(await calls.markConnected(missed.id, '2026-11-20T10:00:11.000Z')).toBe(false);
    expect(await calls.markConnected(randomUUID(), '2026-11-20T10:00:11.000Z')).toBe(false);
  });

  it('keeps one recording per call, in the data folder, and reads it back', async () => {
    const context = await open();
    const calls = new KyselyCalls(context, new RecordingFolder(context.dataDir));
    const { id: adviserId } = await anAdviser(context);
    const call = ringing(adviserId);
    await calls.insert(call);
    expect(await calls.readRecording(call.id)).toBeNull();

    const recording = synthesiseRecording(call.id, 1_000);
    const ref = await calls.saveRecording(call.id, recording);
    expect(ref).toEqual(expect.any(String));
    expect(existsSync(join(context.dataDir, 'recordings', ref ?? 'none'))).toBe(true);
    expect((await calls.find(call.id))?.recordingRef).toBe(ref);
    expect(await calls.readRecording(call.id)).toEqual(recording);
    // Its length comes from the header alone (16,000 bytes of audio, 4 KiB read).
    const stored = await calls.find(call.id);
    expect(stored && (await calls.recordingSeconds(stored))).toBe(1);
    expect(await calls.recordingSeconds({ ...call, recordingRef: null })).toBeNull();

    expect(await calls.saveRecording(call.id, synthesiseRecording('other', 1_000))).toBeNull();
    expect(await calls.saveRecording(randomUUID(), recording)).toBeNull();
    expect(await calls.readRecording(call.id)).toEqual(recording);
  });
});

describe.each(engines)('applying outbox items once [%s]', (engine) => {
  let where: TestDatabase | null = null;
  let storage: ServerStorage | null = null;

  afterEach(async () => {
    await storage?.close();
    await where?.drop();
    storage = null;
    where = null;
  });

  async function openServerStorage() {
    where = await testDatabase(engine, 'ingest');
    const opened = await openStorage({ dataDir: where.dataDir, databaseUrl: where.databaseUrl });
    storage = opened;
    const adviser = await opened.accounts.create({
      username: 'adviser',
      displayName: 'Alex Adviser',
      roles: ['adviser'],
      passwordHash,
    });
    return { storage: opened, adviserId: adviser.id, database: opened.database };
  }

  /** A concern an adviser raises, with ids of its own. */
  const concernRaise = (): SafeguardingRaise => ({
    concernId: randomUUID(),
    interactionId: randomUUID(),
    contactRef: 'call-1',
    category: 'self_harm_suicide',
    immediateRisk: true,
    whatWasSaid: 'They said they were not safe at home.',
    raisedAt: '2026-11-20T10:10:00.000Z',
  });

  const itemFor = (adviserId: string, kind: AppliedOutboxItem['kind'] = 'interaction.completed') =>
    ({
      deskId: 'desk-1',
      itemId: randomUUID(),
      kind,
      stream: `interaction:${randomUUID()}`,
      deliveredBy: adviserId,
      appliedAt: '2026-11-20T10:30:00.000Z',
    }) satisfies AppliedOutboxItem;

  it('applies an item once and answers its repeat as a duplicate without writing again', async () => {
    const { storage, adviserId } = await openServerStorage();
    const record = completedRecord('desk-1', { adviserId });
    const item = itemFor(adviserId);
    const save = (writer: IngestWriter) => writer.saveInteraction(record, item.appliedAt);
    expect(await storage.ingest.applyOnce(item, save)).toBe('applied');
    expect(await storage.ingest.applyOnce(item, save)).toBe('duplicate');
    expect(await storage.interactions.count()).toBe(1);
    expect(await storage.ingest.countApplied('desk-1')).toBe(1);
    expect(await storage.ingest.countApplied('desk-2')).toBe(0);
    expect(await storage.interactions.list({ adviserId, limit: 10 })).toEqual([record]);

    // The same item id from another desk is another item.
    const booking = followUpFor(record);
    expect(
      await storage.ingest.applyOnce({ ...item, deskId: 'desk-2' }, (writer) =>
        writer.saveFollowUpBooking(booking, item.appliedAt),
      ),
    ).toBe('applied');
    expect(await storage.followUps.list({ adviserId, limit: 10 })).toEqual([booking]);
  });

  it('rolls back everything an applier wrote when it throws, and the item may be applied later', async () => {
    const { storage, adviserId } = await openServerStorage();
    const record = completedRecord('desk-1', { adviserId });
    const item = itemFor(adviserId);
    await expect(
      storage.ingest.applyOnce(item, async (writer) => {
        await writer.saveInteraction(record, item.appliedAt);
        throw new Error('the applier failed half-way');
      }),
    ).rejects.toThrow('half-way');
    expect(await storage.interactions.count()).toBe(0);
    expect(await storage.ingest.countApplied('desk-1')).toBe(0);
    expect(
      await storage.ingest.applyOnce(item, (writer) =>
        writer.saveInteraction(record, item.appliedAt),
      ),
    ).toBe('applied');
  });

  it('refuses a record already held under another item as a conflict, and writes nothing of that item', async () => {
    const { storage, adviserId } = await openServerStorage();
    const record = completedRecord('desk-1', { adviserId });
    const booking = followUpFor(record);
    await storage.ingest.applyOnce(itemFor(adviserId), (writer) =>
      writer.saveInteraction(record, '2026-11-20T10:30:00.000Z'),
    );
    const second = itemFor(adviserId);
    await expect(
      storage.ingest.applyOnce(second, async (writer) => {
        await writer.saveFollowUpBooking(booking, second.appliedAt);
        await writer.saveInteraction(record, second.appliedAt);
      }),
    ).rejects.toBeInstanceOf(StorageConflictError);
    expect(await storage.followUps.count()).toBe(0);
    expect(await storage.ingest.countApplied('desk-1')).toBe(1);
    // The refusal left the database usable: the booking arrives on its own item.
    expect(
      await storage.ingest.applyOnce(second, (writer) =>
        writer.saveFollowUpBooking(booking, second.appliedAt),
      ),
    ).toBe('applied');
  });

  it('refuses a lone record already held under another item as a conflict, and records nothing of that item', async () => {
    // One record is the whole of most items: on PostgreSQL it is claimed and
    // written in one statement, which must still tell a conflict from a duplicate.
    const { storage, adviserId } = await openServerStorage();
    const record = completedRecord('desk-1', { adviserId });
    const save = (writer: IngestWriter) => writer.saveInteraction(record, record.completedAt);
    expect(await storage.ingest.applyOnce(itemFor(adviserId), save)).toBe('applied');
    const second = itemFor(adviserId);
    await expect(storage.ingest.applyOnce(second, save)).rejects.toBeInstanceOf(
      StorageConflictError,
    );
    expect(await storage.ingest.countApplied('desk-1')).toBe(1);
    expect(await storage.interactions.count()).toBe(1);
  });

  it('answers every replay of an applied item as a duplicate and counts its record once', async () => {
    // On PostgreSQL a repeat meets the claim's own key in the one statement
    // and is answered from that; it must not reach the dashboard's summary,
    // which the same statement moves.
    const { storage, adviserId, database } = await openServerStorage();
    const record = completedRecord('desk-1', { adviserId });
    const item = itemFor(adviserId);
    const save = (writer: IngestWriter) => writer.saveInteraction(record, record.completedAt);
    expect(await storage.ingest.applyOnce(item, save)).toBe('applied');
    const answers: string[] = [];
    for (let replay = 0; replay < 3; replay += 1)
      answers.push(
        await storage.ingest.applyOnce({ ...item, appliedAt: new Date().toISOString() }, save),
      );
    expect(answers).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(await storage.interactions.count()).toBe(1);
    expect(await storage.ingest.countApplied('desk-1')).toBe(1);
    const everyoneHours = await database.db
      .selectFrom('dashboard_hours')
      .select(['answered', 'active_adviser_hours'])
      .where('adviser_id', '=', '*')
      .where('channel', '=', '*')
      .execute();
    expect(everyoneHours).toEqual([{ answered: 1, active_adviser_hours: 1 }]);
  });

  it('applies a follow-up booking once, answers its repeat as a duplicate, and refuses its id under another item', async () => {
    // Like a lone record, a lone booking is claimed and written in one
    // statement on PostgreSQL, which must still tell a conflict from a duplicate.
    const { storage, adviserId } = await openServerStorage();
    const booking = followUpFor(completedRecord('desk-1', { adviserId }));
    const save = (writer: IngestWriter) => writer.saveFollowUpBooking(booking, booking.createdAt);
    const item = itemFor(adviserId, 'followup.booked');
    expect(await storage.ingest.applyOnce(item, save)).toBe('applied');
    expect(await storage.ingest.applyOnce(item, save)).toBe('duplicate');
    await expect(
      storage.ingest.applyOnce(itemFor(adviserId, 'followup.booked'), save),
    ).rejects.toBeInstanceOf(StorageConflictError);
    expect(await storage.followUps.list({ adviserId, limit: 10 })).toEqual([booking]);
    expect(await storage.ingest.countApplied('desk-1')).toBe(1);
  });

  it('puts an applied item on disk before answering, without slowing every other write', async () => {
    // The desk deletes its copy once answered, so a power cut must not take
    // the item back: SQLite flushes its WAL for these commits only (its other
    // commits survive the process, as WAL's NORMAL level does). PostgreSQL
    // flushes every commit unless its operator turned synchronous_commit off
    // (the throwaway test cluster does), and the server leaves that alone.
    const { storage, adviserId } = await openServerStorage();
    const { database } = storage as typeof storage & { database: ServerDatabase };
    const level = async () =>
      database.sqlite
        ? String(database.sqlite.pragma('synchronous', { simple: true }))
        : (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(database.db))
            .rows[0]?.synchronous_commit;
    const otherwise = engine === 'sqlite' ? '1' : await level();
    expect(await level()).toBe(otherwise);
    const seen: (string | undefined)[] = [];
    const applying = Array.from({ length: 3 }, () => {
      const record = completedRecord('desk-1', { adviserId });
      return storage.ingest.applyOnce(itemFor(adviserId), async (writer) => {
        if (database.sqlite) seen.push(await level());
        await writer.saveInteraction(record, record.completedAt);
      });
    });
    expect(await Promise.all(applying)).toEqual(['applied', 'applied', 'applied']);
    if (engine === 'sqlite') expect(seen).toEqual(['2', '2', '2']);
    expect(await level()).toBe(otherwise);
  });

  it('applies one item delivered twenty times at once exactly once', async () => {
    const { storage, adviserId } = await openServerStorage();
    const record = completedRecord('desk-1', { adviserId });
    const item = itemFor(adviserId);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        storage.ingest.applyOnce(item, (writer) => writer.saveInteraction(record, item.appliedAt)),
      ),
    );
    const answers = outcomes.map((outcome) =>
      outcome.status === 'fulfilled' ? outcome.value : String(outcome.reason),
    );
    // The deliveries take turns (SQLite's write lock; on PostgreSQL each waits
    // on the first's claim key), so every other one finds the first's claim: a
    // duplicate, not a conflict.
    expect(answers.filter((answer) => answer === 'applied')).toHaveLength(1);
    expect(answers.filter((answer) => answer === 'duplicate')).toHaveLength(19);
    expect(await storage.interactions.count()).toBe(1);
    expect(await storage.ingest.countApplied('desk-1')).toBe(1);
  });

  it('queues a transcript only of a held record of this adviser, and wakes the sender once it commits', async () => {
    const { storage, adviserId } = await openServerStorage();
    const record = completedRecord('desk-1', { adviserId });
    const request = { interactionId: record.id, via: 'email' as const, address: 'a@example.org' };
    let wakeUps = 0;
    storage.transcriptDelivery.onQueued(() => (wakeUps += 1));

    // Before its record is held: a conflict, so the desk tries again later.
    await expect(
      storage.ingest.applyOnce(itemFor(adviserId, 'transcript.requested'), (writer) =>
        writer.queueTranscript(request, adviserId, '2026-11-20T10:30:00.000Z'),
      ),
    ).rejects.toBeInstanceOf(StorageConflictError);
    // Queued, then rolled back: nobody is woken for it.
    await expect(
      storage.ingest.applyOnce(itemFor(adviserId, 'transcript.requested'), async (writer) => {
        await writer.saveInteraction(record, '2026-11-20T10:30:00.000Z');
        await writer.queueTranscript(request, adviserId, '2026-11-20T10:30:00.000Z');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(wakeUps).toBe(0);
    expect(await storage.transcripts.count()).toBe(0);

    await storage.ingest.applyOnce(itemFor(adviserId), (writer) =>
      writer.saveInteraction(record, '2026-11-20T10:30:00.000Z'),
    );
    const someoneElse = await storage.accounts.create({
      username: 'someone-else',
      displayName: 'Sam Adviser',
      roles: ['adviser'],
      passwordHash,
    });
    await expect(
      storage.ingest.applyOnce(itemFor(someoneElse.id, 'transcript.requested'), (writer) =>
        writer.queueTranscript(request, someoneElse.id, '2026-11-20T10:31:00.000Z'),
      ),
    ).rejects.toBeInstanceOf(StorageConflictError);

    expect(
      await storage.ingest.applyOnce(itemFor(adviserId, 'transcript.requested'), (writer) =>
        writer.queueTranscript(request, adviserId, '2026-11-20T10:32:00.000Z'),
      ),
    ).toBe('applied');
    expect(wakeUps).toBe(1);
    expect(await storage.transcripts.list({ adviserId, limit: 10 })).toMatchObject([
      { interactionId: record.id, address: 'a@example.org', status: 'queued' },
    ]);
    expect(await storage.transcripts.list({ adviserId: someoneElse.id, limit: 10 })).toEqual([]);
  });

  it('raises a safeguarding concern in the same transaction, alerting only once it commits', async () => {
    const { storage, adviserId } = await openServerStorage();
    const raise = concernRaise();
    const alerts: string[] = [];
    storage.safeguarding.onRaised((alert) => alerts.push(alert.concernId));
    const item = itemFor(adviserId, 'safeguarding.raised');

    await expect(
      storage.ingest.applyOnce(item, async (writer) => {
        await writer.raiseSafeguardingConcern(raise, adviserId, '2026-11-20T10:11:00.000Z');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(alerts).toEqual([]);
    expect(await storage.safeguarding.find(raise.concernId)).toBeNull();

    expect(
      await storage.ingest.applyOnce(item, (writer) =>
        writer.raiseSafeguardingConcern(raise, adviserId, '2026-11-20T10:11:00.000Z'),
      ),
    ).toBe('applied');
    expect(alerts).toEqual([raise.concernId]);
    expect(await storage.safeguarding.find(raise.concernId)).toMatchObject({
      receivedVia: 'outbox',
    });
  });

  it('applies a batch in one commit, each item on its own: a failure undoes that item alone, its alert included', async () => {
    const { storage, adviserId } = await openServerStorage();
    const alerts: string[] = [];
    storage.safeguarding.onRaised((alert) => alerts.push(alert.concernId));
    const held = completedRecord('desk-1', { adviserId });
    await storage.ingest.applyOnce(itemFor(adviserId), (writer) =>
      writer.saveInteraction(held, held.completedAt),
    );
    const records = [0, 1].map(() => completedRecord('desk-1', { adviserId }));
    const [kept, thrown] = [concernRaise(), concernRaise()];
    const repeated = itemFor(adviserId);
    const save = (record: typeof held) => (writer: IngestWriter) =>
      writer.saveInteraction(record, record.completedAt);
    const first = await storage.ingest.applyBatch([
      { item: itemFor(adviserId), apply: save(records[0]!) },
      // Raises its concern (an alert once committed), then fails: neither may stay.
      {
        item: itemFor(adviserId, 'safeguarding.raised'),
        apply: async (writer) => {
          await writer.raiseSafeguardingConcern(thrown, adviserId, '2026-11-20T10:11:00.000Z');
          throw new Error('the applier failed half-way');
        },
      },
      // A record held under another item: a conflict, and nothing of this item.
      { item: itemFor(adviserId), apply: save(held) },
      {
        item: itemFor(adviserId, 'safeguarding.raised'),
        apply: (writer) =>
          writer.raiseSafeguardingConcern(kept, adviserId, '2026-11-20T10:11:00.000Z'),
      },
      { item: repeated, apply: save(records[1]!) },
    ]);
    expect(first.map((outcome) => ('status' in outcome ? outcome.status : 'error'))).toEqual([
      'applied',
      'error',
      'error',
      'applied',
      'applied',
    ]);
    expect((first[1] as { error: Error }).error.message).toBe('the applier failed half-way');
    expect((first[2] as { error: unknown }).error).toBeInstanceOf(StorageConflictError);
    expect(alerts).toEqual([kept.concernId]);
    expect(await storage.safeguarding.find(thrown.concernId)).toBeNull();
    expect(await storage.interactions.count()).toBe(3);
    expect(await storage.ingest.countApplied('desk-1')).toBe(4);

    // Sent again with an item the batch did not hold: the repeat is a duplicate, the new one applied.
    const later = completedRecord('desk-1', { adviserId });
    const second = await storage.ingest.applyBatch([
      { item: repeated, apply: save(records[1]!) },
      { item: itemFor(adviserId), apply: save(later) },
    ]);
    expect(second).toEqual([{ status: 'duplicate' }, { status: 'applied' }]);
    expect(await storage.interactions.count()).toBe(4);
    expect(await storage.ingest.countApplied('desk-1')).toBe(5);
  });
});
