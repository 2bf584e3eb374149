// The safeguarding store's contract, the same on SQLite and PostgreSQL: a
// concern is kept once by its id (a repeat by the same adviser is a duplicate,
// another adviser's is a conflict), listeners hear of a new concern once and
// only after it has committed, open concerns are listed most urgent first
// (immediate risk, then the longest waiting), the first acknowledgement is the
// one kept with what was done, the history lists recent concerns with whether
// their interaction has arrived, and the raising adviser is told once.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SafeguardingAlert, SafeguardingRaise } from '../../shared/wire/safeguarding';
import { KyselySafeguardingStore } from '../../server/safeguarding/store';
import { inTransactionContext, type StoreContext } from '../../server/storage/database';
import { Listeners } from '../../server/storage/listeners';
import { StorageConflictError } from '../../server/storage/types';
import { describeEachEngine, openTestDatabase, testDatabase } from '../support/storage';

async function addStaff(context: StoreContext, displayName: string): Promise<string> {
  const id = randomUUID();
  await context.db
    .insertInto('accounts')
    .values({
      id,
      username: `staff-${id}`,
      display_name: displayName,
      password_hash: 'scrypt$test',
      created_at: '2026-11-20T09:00:00.000Z',
    })
    .execute();
  return id;
}

/** A completed interaction as the ingest keeps it; the history only asks whether it is there. */
async function addInteraction(context: StoreContext, id: string, adviserId: string): Promise<void> {
  await context.db
    .insertInto('interactions')
    .values({
      id,
      adviser_id: adviserId,
      desk_id: randomUUID(),
      channel: 'voice',
      contact_ref: randomUUID(),
      started_at: '2026-11-20T09:58:00.000Z',
      completed_at: '2026-11-20T10:20:00.000Z',
      received_at: '2026-11-20T10:20:01.000Z',
      follow_up_booked: 0,
      safeguarding_raised: 1,
      transcript_sent: 0,
      not_covered_stages: '[]',
      record_json: '{}',
    })
    .execute();
}

const concern = (overrides: Partial<SafeguardingRaise> = {}): SafeguardingRaise => ({
  concernId: randomUUID(),
  interactionId: randomUUID(),
  contactRef: randomUUID(),
  category: 'self_harm_suicide',
  immediateRisk: true,
  whatWasSaid: 'Said they did not want to be here any more.',
  raisedAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

describeEachEngine('the safeguarding store', (open) => {
  async function setUp() {
    const context = await open();
    const raised = new Listeners<SafeguardingAlert>();
    const store = new KyselySafeguardingStore(context, raised);
    const adviserId = await addStaff(context, 'Alex Adviser');
    const heard: SafeguardingAlert[] = [];
    store.onRaised((alert) => heard.push(alert));
    return { context, raised, store, adviserId, heard };
  }

  it('keeps a concern once by its id and announces it once', async () => {
    const { context, store, adviserId, heard } = await setUp();
    const raise = concern();
    expect(await store.raise(raise, adviserId, '2026-11-20T10:00:01.000Z', 'live')).toBe('raised');
    const { contactRef: _contactRef, ...shown } = raise;
    const alert = {
      ...shown,
      adviser: { id: adviserId, displayName: 'Alex Adviser' },
      receivedAt: '2026-11-20T10:00:01.000Z',
    };
    expect(heard).toEqual([alert]);

    // The same concern again from its adviser: live then from the outbox, or a retry.
    expect(await store.raise(raise, adviserId, '2026-11-20T10:00:09.000Z', 'outbox')).toBe(
      'duplicate',
    );
    expect(heard).toHaveLength(1);
    expect(await store.find(raise.concernId)).toEqual({
      ...alert,
      receivedVia: 'live',
      acknowledged: null,
    });

    // The same id from another adviser is not theirs.
    const otherId = await addStaff(context, 'Sam Adviser');
    await expect(
      store.raise(raise, otherId, '2026-11-20T10:00:10.000Z', 'live'),
    ).rejects.toBeInstanceOf(StorageConflictError);
    expect(heard).toHaveLength(1);
    expect((await store.find(raise.concernId))?.adviser.id).toBe(adviserId);
    expect(await store.find(randomUUID())).toBeNull();
  });

  it('announces a concern raised in a unit of work only once it commits, and never on rollback', async () => {
    const { context, raised, store, adviserId, heard } = await setUp();
    const rolledBack = concern();
    await expect(
      inTransactionContext(context, async (trx) => {
        const inside = new KyselySafeguardingStore(trx, raised);
        expect(
          await inside.raise(rolledBack, adviserId, '2026-11-20T10:01:00.000Z', 'outbox'),
        ).toBe('raised');
        expect(heard).toEqual([]);
        throw new Error('the rest of the outbox item failed');
      }),
    ).rejects.toThrow(/the rest/);
    expect(heard).toEqual([]);
    expect(await store.find(rolledBack.concernId)).toBeNull();

    const committed = concern();
    await inTransactionContext(context, async (trx) => {
      const inside = new KyselySafeguardingStore(trx, raised);
      expect(await inside.raise(committed, adviserId, '2026-11-20T10:02:00.000Z', 'outbox')).toBe(
        'raised',
      );
      // A repeat inside the same unit of work is a duplicate, announced nowhere.
      expect(await inside.raise(committed, adviserId, '2026-11-20T10:02:00.000Z', 'outbox')).toBe(
        'duplicate',
      );
      expect(heard).toEqual([]);
    });
    expect(heard.map((alert) => alert.concernId)).toEqual([committed.concernId]);
    expect((await store.find(committed.concernId))?.receivedVia).toBe('outbox');
  });

  it('lists open concerns with immediate risk first, then the longest waiting, and records the first acknowledgement with what was done', async () => {
    const { context, store, adviserId } = await setUp();
    const leaderId = await addStaff(context, 'Taylor Leader');
    const secondLeaderId = await addStaff(context, 'Robin Leader');
    const later = concern({ category: 'bullying', immediateRisk: false });
    const earlier = concern({ category: 'exploitation', immediateRisk: false });
    const latestButUrgent = concern({ category: 'abuse_neglect', immediateRisk: true });
    const urgentEarlier = concern({ category: 'self_harm_suicide', immediateRisk: true });
    await store.raise(later, adviserId, '2026-11-20T10:05:00.000Z', 'live');
    await store.raise(earlier, adviserId, '2026-11-20T10:04:00.000Z', 'outbox');
    await store.raise(latestButUrgent, adviserId, '2026-11-20T10:09:00.000Z', 'live');
    await store.raise(urgentEarlier, adviserId, '2026-11-20T10:08:00.000Z', 'live');
    expect((await store.listOpen()).map((open) => open.concernId)).toEqual([
      urgentEarlier.concernId,
      latestButUrgent.concernId,
      earlier.concernId,
      later.concernId,
    ]);

    const acknowledged = {
      concernId: earlier.concernId,
      acknowledgedBy: { id: leaderId, displayName: 'Taylor Leader' },
      acknowledgedAt: '2026-11-20T10:06:00.000Z',
      note: 'Called the adviser over; the young person is safe at home.',
      action: 'spoke_to_adviser',
    };
    expect(
      await store.acknowledge(
        {
          concernId: earlier.concernId,
          note: 'Called the adviser over; the young person is safe at home.',
          action: 'spoke_to_adviser',
        },
        leaderId,
        '2026-11-20T10:06:00.000Z',
      ),
    ).toEqual({
      status: 'acknowledged',
      acknowledged,
      concern: expect.objectContaining({ concernId: earlier.concernId }),
    });
    // A second team leader is answered with the first acknowledgement, note and all.
    expect(
      await store.acknowledge(
        { concernId: earlier.concernId, note: 'Saw it too.', action: null },
        secondLeaderId,
        '2026-11-20T10:07:00.000Z',
      ),
    ).toEqual({
      status: 'already_acknowledged',
      acknowledged,
      concern: expect.objectContaining({ concernId: earlier.concernId }),
    });
    expect((await store.find(earlier.concernId))?.acknowledged).toEqual(acknowledged);
    expect((await store.listOpen()).map((open) => open.concernId)).toEqual([
      urgentEarlier.concernId,
      latestButUrgent.concernId,
      later.concernId,
    ]);
    expect(
      await store.acknowledge(
        { concernId: randomUUID(), note: 'Nothing to see', action: null },
        leaderId,
        '2026-11-20T10:08:00.000Z',
      ),
    ).toEqual({ status: 'not_found' });
  });

  it('lists recent concerns newest first, open and acknowledged, and says whether each interaction has arrived', async () => {
    const { context, store, adviserId } = await setUp();
    const leaderId = await addStaff(context, 'Taylor Leader');
    const first = concern({ immediateRisk: false });
    const second = concern();
    const third = concern({ category: 'homelessness' });
    await store.raise(first, adviserId, '2026-11-20T10:01:00.000Z', 'live');
    await store.raise(second, adviserId, '2026-11-20T10:02:00.000Z', 'live');
    await store.raise(third, adviserId, '2026-11-20T10:03:00.000Z', 'outbox');
    await store.acknowledge(
      {
        concernId: second.concernId,
        note: 'Emergency services on their way.',
        action: 'emergency_services_called',
      },
      leaderId,
      '2026-11-20T10:04:00.000Z',
    );
    // The second concern's interaction has been completed and delivered; the others not yet.
    await addInteraction(context, second.interactionId, adviserId);

    const history = await store.history(50);
    expect(history.map((entry) => entry.concern.concernId)).toEqual([
      third.concernId,
      second.concernId,
      first.concernId,
    ]);
    expect(history[1]).toEqual({
      concern: expect.objectContaining({ concernId: second.concernId, immediateRisk: true }),
      acknowledged: {
        concernId: second.concernId,
        acknowledgedBy: { id: leaderId, displayName: 'Taylor Leader' },
        acknowledgedAt: '2026-11-20T10:04:00.000Z',
        note: 'Emergency services on their way.',
        action: 'emergency_services_called',
      },
      adviserToldAt: null,
      interactionHeld: true,
    });
    expect(history[0]).toMatchObject({ acknowledged: null, interactionHeld: false });
    expect(history[2]).toMatchObject({ acknowledged: null, interactionHeld: false });
    expect((await store.history(2)).map((entry) => entry.concern.concernId)).toEqual([
      third.concernId,
      second.concernId,
    ]);
  });

  it('tells the raising adviser of each acknowledgement until their desk has shown it, and only theirs', async () => {
    const { context, store, adviserId } = await setUp();
    const otherAdviserId = await addStaff(context, 'Sam Adviser');
    const leaderId = await addStaff(context, 'Taylor Leader');
    const mine = concern();
    const stillOpen = concern();
    const theirs = concern();
    await store.raise(mine, adviserId, '2026-11-20T10:01:00.000Z', 'live');
    await store.raise(stillOpen, adviserId, '2026-11-20T10:02:00.000Z', 'live');
    await store.raise(theirs, otherAdviserId, '2026-11-20T10:03:00.000Z', 'live');
    for (const raised of [mine, theirs]) {
      await store.acknowledge(
        { concernId: raised.concernId, note: 'Spoke to them.', action: null },
        leaderId,
        '2026-11-20T10:05:00.000Z',
      );
    }

    const untold = await store.untoldOutcomes(adviserId);
    expect(untold).toEqual([
      {
        concern: expect.objectContaining({ concernId: mine.concernId }),
        acknowledged: expect.objectContaining({ note: 'Spoke to them.', action: null }),
      },
    ]);
    // Another adviser cannot mark it told, nor can anyone an open concern.
    expect(
      await store.adviserTold(mine.concernId, otherAdviserId, '2026-11-20T10:06:00.000Z'),
    ).toBe(false);
    expect(
      await store.adviserTold(stillOpen.concernId, adviserId, '2026-11-20T10:06:00.000Z'),
    ).toBe(false);
    expect(await store.adviserTold(mine.concernId, adviserId, '2026-11-20T10:06:00.000Z')).toBe(
      true,
    );
    // The first showing stands.
    expect(await store.adviserTold(mine.concernId, adviserId, '2026-11-20T10:07:00.000Z')).toBe(
      false,
    );
    expect(await store.untoldOutcomes(adviserId)).toEqual([]);
    expect(
      (await store.history(10)).find((entry) => entry.concern.concernId === mine.concernId)
        ?.adviserToldAt,
    ).toBe('2026-11-20T10:06:00.000Z');
    expect(
      (await store.untoldOutcomes(otherAdviserId)).map((outcome) => outcome.concern.concernId),
    ).toEqual([theirs.concernId]);
  });

  it('lets exactly one of several team leaders acknowledging at once be first', async () => {
    const { context, store, adviserId } = await setUp();
    const raise = concern();
    await store.raise(raise, adviserId, '2026-11-20T10:00:00.000Z', 'live');
    const leaders = await Promise.all(
      ['One', 'Two', 'Three', 'Four'].map((name) => addStaff(context, `Leader ${name}`)),
    );
    const outcomes = await Promise.all(
      leaders.map((leaderId) =>
        store.acknowledge(
          { concernId: raise.concernId, note: 'On it.', action: null },
          leaderId,
          '2026-11-20T10:01:00.000Z',
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'acknowledged')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status === 'already_acknowledged')).toHaveLength(3);
    const first = (await store.find(raise.concernId))?.acknowledged;
    for (const outcome of outcomes) expect(outcome).toMatchObject({ acknowledged: first });
  });
});

// On SQLite two connections of one process cannot both be inside a
// transaction (the second would block the event loop the first needs to
// commit); its single writer is covered by the contract above.
describe('one concern raised on two PostgreSQL connections at once', () => {
  it('is kept and announced once', async () => {
    const where = await testDatabase('postgres', 'two-raises');
    const first = await openTestDatabase(where);
    const second = await openTestDatabase(where);
    try {
      const raised = new Listeners<SafeguardingAlert>();
      const heard: string[] = [];
      raised.add((alert) => heard.push(alert.concernId));
      const [one, two] = [first, second].map((database): StoreContext => ({
        db: database.db,
        engine: 'postgres',
        afterCommit: (effect) => effect(),
      }));
      if (!one || !two) throw new Error('unreachable');
      const adviserId = await addStaff(one, 'Alex Adviser');
      const stores = [
        new KyselySafeguardingStore(one, raised),
        new KyselySafeguardingStore(two, raised),
      ];
      const raise = concern();
      const outcomes = await Promise.all(
        [...stores, ...stores].map((store, n) =>
          store.raise(raise, adviserId, '2026-11-20T10:00:00.000Z', n % 2 ? 'outbox' : 'live'),
        ),
      );
      expect(outcomes.filter((outcome) => outcome === 'raised')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(3);
      expect(heard).toEqual([raise.concernId]);
    } finally {
      await first.close();
      await second.close();
      await where.drop();
    }
  });
});
