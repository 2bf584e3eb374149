// The desk API registry and the completeInteraction handler: duplicates throw
// at start-up, unknown names and invalid input get envelopes, exceptions become
// `internal`, and completing an interaction is one transaction, idempotent.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ok } from '../../shared/result';
import { createDeskServices, type DeskServices } from '../../electron/services/desk';
import { DeskHandlerRegistry, DuplicateHandlerError } from '../../electron/services/handlers';
import { FakeServerTransport } from '../../electron/services/outbox-transport.testing';
import { completedRecord, followUpFor, openDeskDb, tempDataDir } from './desk-fixtures';

describe('the desk API registry', () => {
  it('throws at start-up when a name is registered twice', () => {
    const registry = new DeskHandlerRegistry();
    registry.register('signOut', () => ok(null));
    expect(() => registry.register('signOut', () => ok(null))).toThrow(DuplicateHandlerError);
  });

  it('names the requests nobody registered', () => {
    const registry = new DeskHandlerRegistry();
    registry.register('signOut', () => ok(null));
    expect(registry.missing()).toContain('completeInteraction');
    expect(registry.missing()).not.toContain('signOut');
    expect(() => registry.assertComplete()).toThrow(/completeInteraction/);
  });

  it('answers not_found for a name outside the contract, including inherited object keys', async () => {
    const registry = new DeskHandlerRegistry();
    expect(await registry.dispatch('deleteEverything', null)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await registry.dispatch('constructor', null)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await registry.dispatch(42 as unknown as string, null)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('parses input with the contract schema before the handler sees it', async () => {
    const registry = new DeskHandlerRegistry();
    const answer = vi.fn(() => ok({ callId: 'c1', connectedAt: '2026-11-20T10:00:00.000Z' }));
    registry.register('answerCall', answer);
    const refused = await registry.dispatch('answerCall', { callId: '', extra: '<script>' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!refused.ok) expect(refused.error.issues?.[0]?.path).toBe('callId');
    expect(answer).not.toHaveBeenCalled();
    expect(await registry.dispatch('answerCall', { callId: 'c1' })).toMatchObject({ ok: true });
    expect(answer).toHaveBeenCalledWith({ callId: 'c1' });
  });

  it('turns a thrown error into internal with a message safe to show', async () => {
    const registry = new DeskHandlerRegistry();
    registry.register('signOut', () => {
      throw new Error('SQLITE_CORRUPT at /home/adviser/secret/path');
    });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await registry.dispatch('signOut', null);
    quiet.mockRestore();
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    if (!result.ok) expect(result.error.message).not.toMatch(/SQLITE|secret/);
  });
});

describe('completing an interaction through the desk services', () => {
  const running: DeskServices[] = [];
  afterEach(async () => {
    for (const desk of running.splice(0)) await desk.stop();
  });

  function startDesk(dataDir = tempDataDir()) {
    const transport = new FakeServerTransport(() => 'unavailable');
    const desk = createDeskServices({
      dataDir,
      serverUrl: 'http://127.0.0.1:9',
      transport: () => transport,
      outbox: { backoff: { baseMs: 60_000, capMs: 60_000 } },
    });
    running.push(desk);
    return { desk, dataDir };
  }

  function tables(dataDir: string) {
    const db = openDeskDb(dataDir);
    const counts = {
      interactions: db.prepare('SELECT COUNT(*) FROM interactions').pluck().get(),
      followUps: db.prepare('SELECT COUNT(*) FROM follow_ups').pluck().get(),
      outbox: db.prepare('SELECT stream, kind FROM outbox ORDER BY seq').all(),
    };
    db.close();
    return counts;
  }

  it('stores the record and booking and queues both, record first, in one stream', async () => {
    const { desk, dataDir } = startDesk();
    const record = completedRecord(desk.deskId);
    const result = await desk.dispatch('completeInteraction', {
      record,
      followUp: followUpFor(record),
    });
    expect(result).toEqual({ ok: true, value: { queued: 2 } });
    expect(desk.status().outbox.waiting).toBe(2);
    expect(tables(dataDir)).toEqual({
      interactions: 1,
      followUps: 1,
      outbox: [
        { stream: `interaction:${record.id}`, kind: 'interaction.completed' },
        { stream: `interaction:${record.id}`, kind: 'followup.booked' },
      ],
    });
  });

  it('answers a second completion of the same interaction as done and queues nothing new', async () => {
    const { desk, dataDir } = startDesk();
    const record = completedRecord(desk.deskId);
    await desk.dispatch('completeInteraction', { record, followUp: null });
    const again = await desk.dispatch('completeInteraction', {
      record,
      followUp: followUpFor(record),
    });
    expect(again).toEqual({ ok: true, value: { queued: 0 } });
    expect(tables(dataDir)).toMatchObject({ interactions: 1, followUps: 0 });
    expect(tables(dataDir).outbox).toHaveLength(1);
  });

  it('leaves nothing behind when part of the completion fails', async () => {
    const { desk, dataDir } = startDesk();
    const first = completedRecord(desk.deskId);
    await desk.dispatch('completeInteraction', { record: first, followUp: followUpFor(first) });
    // A second interaction reusing the first booking's id fails on its follow-up insert.
    const second = completedRecord(desk.deskId);
    const clash = { ...followUpFor(second), id: bookingIdOf(dataDir) };
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await desk.dispatch('completeInteraction', { record: second, followUp: clash });
    quiet.mockRestore();
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(tables(dataDir)).toMatchObject({ interactions: 1, followUps: 1 });
    expect(tables(dataDir).outbox).toHaveLength(2);
  });

  it('refuses a record from another desk or a booking for another interaction', async () => {
    const { desk, dataDir } = startDesk();
    const foreign = completedRecord(randomUUID());
    expect(
      await desk.dispatch('completeInteraction', { record: foreign, followUp: null }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    const record = completedRecord(desk.deskId);
    const otherBooking = followUpFor(completedRecord(desk.deskId));
    expect(
      await desk.dispatch('completeInteraction', { record, followUp: otherBooking }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(tables(dataDir)).toMatchObject({ interactions: 0, followUps: 0, outbox: [] });
  });

  it('pushes the outbox status when an item is queued', async () => {
    const { desk } = startDesk();
    const pushed: number[] = [];
    desk.onEvent((...event) => {
      if (event[0] === 'statusChanged') pushed.push(event[1].outbox.waiting);
    });
    await desk.dispatch('completeInteraction', {
      record: completedRecord(desk.deskId),
      followUp: null,
    });
    expect(pushed).toContain(1);
  });

  it('reports a fresh desk as signed out with its own id', async () => {
    const { desk } = startDesk();
    desk.start();
    const status = await desk.dispatch('status', null);
    expect(status).toMatchObject({
      ok: true,
      value: { deskId: desk.deskId, connection: 'signed_out', user: null },
    });
  });
});

function bookingIdOf(dataDir: string): string {
  const db = openDeskDb(dataDir);
  const id = db.prepare('SELECT id FROM follow_ups').pluck().get() as string;
  db.close();
  return id;
}
