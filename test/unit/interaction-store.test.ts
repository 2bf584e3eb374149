// The desk's local copy of live interactions in IndexedDB (fake-indexeddb in
// Node): written on every transition, restored exactly by replay, and moved
// forward from the first schema version without losing a row.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { missingForCompletion, contactPhase } from '../../shared/interaction/machine';
import { LiveInteraction } from '../../renderer/src/interaction/live-interaction';
import { LiveDesk } from '../../renderer/src/interaction/live-desk';
import {
  DexieInteractionStore,
  MemoryInteractionStore,
  migrations,
  openInteractionDatabase,
} from '../../renderer/src/interaction/store';

const fakeIndexedDb = () => ({ indexedDB: new IDBFactory(), IDBKeyRange });

/** A clock that moves on a second per reading, so every event has its own time. */
function steppingClock(start = Date.UTC(2025, 2, 3, 10)) {
  let now = start;
  return () => new Date((now += 1000)).toISOString();
}

function workedCall(
  store: DexieInteractionStore | MemoryInteractionStore,
  clock = steppingClock(),
) {
  const call = LiveInteraction.offered(
    store,
    'demo-adviser',
    { contactRef: 'call-7', channel: 'voice', offeredAt: '2025-03-03T10:00:00.000Z' },
    clock,
  );
  call.send({ type: 'ANSWER' });
  call.send({ type: 'UPDATE_CALLER', callerType: 'young_person', age: 16, withinRemit: true });
  call.send({ type: 'GO_TO_STAGE', stage: 'barriers' });
  for (const text of ['M', 'Mo', 'Mon', 'Money'])
    call.send({ type: 'NOTE', stage: 'barriers', text });
  call.send({ type: 'HOLD' });
  return call;
}

describe('the Dexie interaction store', () => {
  it('keeps every transition and restores stage, notes and hold exactly after a reload', async () => {
    const options = fakeIndexedDb();
    const store = new DexieInteractionStore(openInteractionDatabase('desk-a', undefined, options));
    const call = workedCall(store);
    await call.saved();
    store.close();

    // A reload: a new database connection, a new actor from the stored journal.
    const reopened = new DexieInteractionStore(
      openInteractionDatabase('desk-a', undefined, options),
    );
    const [stored] = await reopened.listLive('demo-adviser');
    if (!stored) throw new Error('nothing was stored');
    const { interaction, matchesStoredSnapshot } = LiveInteraction.restore(reopened, stored);
    expect(matchesStoredSnapshot).toBe(true);
    const { snapshot } = interaction.getView();
    expect(snapshot.context.activeStage).toBe('barriers');
    expect(snapshot.context.notes.barriers).toBe('Money');
    expect(contactPhase(snapshot)).toBe('onHold');
    expect(snapshot.context.call.holds).toEqual(call.getView().snapshot.context.call.holds);
    expect(snapshot.context.call.connectedAt).toBe(
      call.getView().snapshot.context.call.connectedAt,
    );
    expect(missingForCompletion(snapshot)).toEqual(missingForCompletion(call.getView().snapshot));

    // Only the other adviser's interactions are theirs.
    expect(await reopened.listLive('someone-else')).toEqual([]);
    await interaction.discard();
    expect(await reopened.listLive('demo-adviser')).toEqual([]);
    reopened.close();
  });

  it('says when a stored snapshot does not match its journal, and trusts the journal', async () => {
    const store = new MemoryInteractionStore();
    const call = workedCall(store);
    await call.saved();
    const [stored] = await store.listLive('demo-adviser');
    if (!stored) throw new Error('nothing was stored');
    const tampered = {
      ...stored,
      snapshot: { ...(stored.snapshot as object), value: 'elsewhere' },
    };
    const { interaction, matchesStoredSnapshot } = LiveInteraction.restore(store, tampered);
    expect(matchesStoredSnapshot).toBe(false);
    expect(contactPhase(interaction.getView().snapshot)).toBe('onHold');
  });

  it('drops events sent after the interaction has finished', async () => {
    const store = new MemoryInteractionStore();
    const call = LiveInteraction.offered(
      store,
      'demo-adviser',
      { contactRef: 'call-8', channel: 'voice', offeredAt: '2025-03-03T10:00:00.000Z' },
      steppingClock(),
    );
    call.send({ type: 'CUSTOMER_DISCONNECTED', by: 'customer' });
    const length = call.getView().journal.length;
    call.send({ type: 'ANSWER' });
    expect(call.getView().journal.length).toBe(length);
    expect(contactPhase(call.getView().snapshot)).toBe('missed');
  });

  it('migrates rows written by version 1 to today’s, as guidance', async () => {
    const options = fakeIndexedDb();
    const source = new MemoryInteractionStore();
    const call = workedCall(source);
    await call.saved();
    const [current] = await source.listLive('demo-adviser');
    if (!current) throw new Error('nothing was stored');

    // Version 1 stored only id, snapshot and journal.
    const v1 = openInteractionDatabase('desk-b', 1, options);
    await v1
      .table('liveInteractions')
      .put({ id: current.id, snapshot: current.snapshot, journal: current.journal });
    v1.close();

    const v2 = openInteractionDatabase('desk-b', undefined, options);
    await v2.open();
    expect(v2.verno).toBe(migrations.length);
    const [migrated] = await v2.liveInteractions.where('contactRef').equals('call-7').toArray();
    expect(migrated).toMatchObject({
      id: current.id,
      contactRef: 'call-7',
      adviserId: '',
      machineVersion: 1,
      machineVariant: 'guidance',
    });
    expect(migrated?.journal).toEqual(current.journal);
    v2.close();

    const store = new DexieInteractionStore(openInteractionDatabase('desk-b', undefined, options));
    const [unclaimed] = await store.listLive('demo-adviser');
    expect(unclaimed && LiveInteraction.restore(store, unclaimed).matchesStoredSnapshot).toBe(true);
    store.close();
  });

  it('keeps a follow-up call through a reload: dialled and answered together, restored through its variant', async () => {
    const options = fakeIndexedDb();
    const store = new DexieInteractionStore(openInteractionDatabase('desk-c', undefined, options));
    const desk = new LiveDesk(store, 'demo-adviser');
    const call = desk.answeredFollowUp({
      callId: 'call-77',
      dialledAt: '2025-05-27T09:30:00.000Z',
      answeredAt: '2025-05-27T09:30:20.000Z',
      bookingId: '2a9e4c1b-5f3d-4e7a-8b6c-1d0f9e8a7b6c',
      firstInteractionId: '7c0f5a52-3d6e-4b1a-9f2c-0e8d4b6a1c35',
      statusAtFirstContact: 'neet',
      actions: [{ id: 'a1', description: 'Visit the open day', owner: 'customer', due: null }],
    });
    // The same call handed over twice is one interaction.
    expect(
      desk.answeredFollowUp({
        callId: 'call-77',
        dialledAt: '2025-05-27T09:30:00.000Z',
        answeredAt: '2025-05-27T09:30:20.000Z',
        bookingId: '2a9e4c1b-5f3d-4e7a-8b6c-1d0f9e8a7b6c',
        firstInteractionId: '7c0f5a52-3d6e-4b1a-9f2c-0e8d4b6a1c35',
        statusAtFirstContact: 'neet',
        actions: [],
      }),
    ).toBe(call);
    expect(contactPhase(call.getView().snapshot)).toBe('live');
    call.send({ type: 'REVIEW_ACTION', actionId: 'a1', progress: 'in_progress' });
    call.send({ type: 'GO_TO_STAGE', stage: 'statusNow' });
    call.send({ type: 'RECORD_STATUS_NOW', status: 'college' });
    await call.saved();
    store.close();

    const reopened = new DexieInteractionStore(
      openInteractionDatabase('desk-c', undefined, options),
    );
    const [stored] = await reopened.listLive('demo-adviser');
    expect(stored?.machineVariant).toBe('follow_up');
    // Dial and answer were written as one: no stored state ever had the call ringing.
    expect(stored?.journal.slice(0, 2).map((entry) => entry.event.type)).toEqual([
      'FOLLOW_UP_DIALLED',
      'ANSWER',
    ]);
    const restoredDesk = new LiveDesk(reopened, 'demo-adviser');
    await restoredDesk.restore();
    const [restored] = restoredDesk.list();
    expect(restoredDesk.mismatchedOnRestore).toEqual([]);
    expect(restored?.variant).toBe('follow_up');
    const { snapshot } = restored?.getView() ?? {};
    expect(snapshot?.context.activeStage).toBe('statusNow');
    expect(snapshot?.context.followUpOf).toEqual(call.getView().snapshot.context.followUpOf);
    expect(snapshot && missingForCompletion(snapshot)).toEqual(
      missingForCompletion(call.getView().snapshot),
    );
    reopened.close();
  });
});
