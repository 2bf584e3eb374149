// Outbox items delivered over a real socket: applied once, acknowledged as a
// duplicate after that, and refused (with nothing stored) when malformed,
// oversized or not the signed-in adviser's own. On each storage engine.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../../shared/interaction/record';
import { limits } from '../../shared/limits';
import { maxOutboxBatchItems, type OutboxItem } from '../../shared/wire/outbox';
import { engines } from '../support/storage';
import { completedRecord, followUpFor } from '../unit/desk-fixtures';
import {
  startTestServer,
  type SignedIn,
  type TestDeskSocket,
  type TestServer,
} from './server-harness';

describe.each(engines)('the server on %s', (engine) => {
  let harness: TestServer;
  let adviser: SignedIn;
  const deskId = randomUUID();
  let desk: TestDeskSocket;

  beforeAll(async () => {
    harness = await startTestServer({ engine });
    adviser = await harness.signIn('demo-adviser');
    desk = await harness.connectDesk('demo-adviser', deskId);
  });

  afterAll(async () => {
    await harness.close();
  });

  const interactionItem = (record: InteractionRecord): OutboxItem => ({
    id: randomUUID(),
    stream: `interaction:${record.id}`,
    createdAt: new Date().toISOString(),
    kind: 'interaction.completed',
    payload: record,
  });

  const deliver = (socket: TestDeskSocket, item: unknown) =>
    socket.emitWithAck('outbox:deliver', item);
  const stored = async () => ({
    interactions: await harness.server.storage.interactions.count(),
    followUps: await harness.server.storage.followUps.count(),
    applied: await harness.server.storage.ingest.countApplied(deskId),
  });

  async function listing(path: string, accessToken: string) {
    const response = await fetch(`${harness.server.url}${path}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return {
      status: response.status,
      body: (await response.json()) as { ok: boolean; value: { items: { id: string }[] } },
    };
  }

  describe('outbox delivery', () => {
    it('applies a completed interaction once and answers a repeat as a duplicate', async () => {
      const before = await stored();
      const record = completedRecord(deskId, { adviserId: adviser.user.id });
      const item = interactionItem(record);

      expect(await deliver(desk, item)).toEqual({
        ok: true,
        value: { id: item.id, status: 'applied' },
      });
      expect(await deliver(desk, item)).toEqual({
        ok: true,
        value: { id: item.id, status: 'duplicate' },
      });

      expect(await stored()).toEqual({
        ...before,
        interactions: before.interactions + 1,
        applied: before.applied + 1,
      });
      const { body } = await listing('/api/interactions', adviser.accessToken);
      expect(body.value.items.filter((held) => held.id === record.id)).toEqual([record]);
    });

    it('treats a repeat from another desk of the same adviser as a new item, refused as a conflict', async () => {
      const record = completedRecord(deskId, { adviserId: adviser.user.id });
      const item = interactionItem(record);
      expect(await deliver(desk, item)).toMatchObject({ ok: true, value: { status: 'applied' } });
      const otherDesk = await harness.connectDesk('demo-adviser');
      const before = await stored();
      expect(await deliver(otherDesk, item)).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });
      expect(await stored()).toEqual(before);
    });

    it('applies a follow-up booking and lists it for its adviser', async () => {
      const record = completedRecord(deskId, { adviserId: adviser.user.id });
      const booking = followUpFor(record);
      const item: OutboxItem = {
        id: randomUUID(),
        stream: `interaction:${record.id}`,
        createdAt: new Date().toISOString(),
        kind: 'followup.booked',
        payload: booking,
      };
      expect(await deliver(desk, item)).toMatchObject({ ok: true, value: { status: 'applied' } });
      const { body } = await listing('/api/follow-ups', adviser.accessToken);
      expect(body.value.items).toContainEqual(booking);
    });

    it('refuses a malformed item as invalid_input and stores nothing', async () => {
      const before = await stored();
      const record = completedRecord(deskId, { adviserId: adviser.user.id });
      const broken = {
        ...interactionItem(record),
        payload: { ...record, channel: 'carrier-pigeon' },
      };
      const answer = await deliver(desk, broken);
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(JSON.stringify(answer)).toContain('channel');
      expect(await deliver(desk, 'not an item')).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
      expect(
        await deliver(desk, { ...interactionItem(record), kind: 'unknown.kind' }),
      ).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
      expect(await stored()).toEqual(before);
    });

    it('refuses an oversized item as payload_too_large, keeps the connection, and stores nothing', async () => {
      const before = await stored();
      const record = completedRecord(deskId, { adviserId: adviser.user.id });
      const padded = {
        ...interactionItem(record),
        padding: 'x'.repeat(limits.maxSocketMessageBytes),
      };
      expect(await deliver(desk, padded)).toMatchObject({
        ok: false,
        error: { code: 'payload_too_large' },
      });
      expect(desk.connected).toBe(true);
      expect(await stored()).toEqual(before);
      // The same socket still delivers.
      expect(await deliver(desk, interactionItem(record))).toMatchObject({
        ok: true,
        value: { status: 'applied' },
      });
    });

    it("refuses another adviser's record as forbidden and stores nothing", async () => {
      const before = await stored();
      const someoneElse = await harness.server.storage.accounts.findByUsername('demo-adviser-2');
      const record = completedRecord(deskId, { adviserId: someoneElse?.id ?? 'missing' });
      expect(await deliver(desk, interactionItem(record))).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await stored()).toEqual(before);
    });

    it('survives an event sent without an acknowledgement', async () => {
      const before = await stored();
      const record = completedRecord(deskId, { adviserId: adviser.user.id });
      const item = interactionItem(record);
      (desk as unknown as { emit(event: string, payload: unknown): void }).emit(
        'outbox:deliver',
        item,
      );
      // The next acknowledged delivery of the same item shows the first was applied.
      expect(await deliver(desk, item)).toMatchObject({ ok: true, value: { status: 'duplicate' } });
      expect((await stored()).interactions).toBe(before.interactions + 1);
    });

    it("handles a desk's events in the order they arrived, each waiting for the one before", async () => {
      // Each transcript request follows its record without waiting for the
      // record's answer: it is queued only if the record was applied first.
      const requests = Array.from({ length: 5 }, () => {
        const record = completedRecord(deskId, { adviserId: adviser.user.id });
        (desk as unknown as { emit(event: string, payload: unknown): void }).emit(
          'outbox:deliver',
          interactionItem(record),
        );
        const request: OutboxItem = {
          id: randomUUID(),
          stream: `interaction:${record.id}`,
          createdAt: new Date().toISOString(),
          kind: 'transcript.requested',
          payload: { interactionId: record.id, via: 'email', address: 'customer@example.org' },
        };
        return deliver(desk, request);
      });
      for (const answer of await Promise.all(requests)) {
        expect(answer).toMatchObject({ ok: true, value: { status: 'applied' } });
      }
    });
  });

  describe('listings', () => {
    it('shows advisers their own work, team leaders everyone’s newest first, and trainers none', async () => {
      const second = await harness.signIn('demo-adviser-2');
      const secondDesk = await harness.connectDesk('demo-adviser-2');
      const theirs = completedRecord(randomUUID(), {
        adviserId: second.user.id,
        completedAt: '2030-01-01T09:00:00.000Z',
      });
      expect(await deliver(secondDesk, interactionItem(theirs))).toMatchObject({ ok: true });

      const own = await listing('/api/interactions', adviser.accessToken);
      expect(own.body.value.items.map((held) => held.id)).not.toContain(theirs.id);
      const secondOwn = await listing('/api/interactions', second.accessToken);
      expect(secondOwn.body.value.items.map((held) => held.id)).toEqual([theirs.id]);

      const leader = await harness.signIn('demo-leader');
      const all = await listing('/api/interactions', leader.accessToken);
      expect(all.body.value.items.length).toBe(await harness.server.storage.interactions.count());
      expect(all.body.value.items[0]?.id).toBe(theirs.id);

      // Trainers will see interactions only with personal data hidden; until that view exists, none.
      const trainer = await harness.signIn('demo-trainer');
      expect(await listing('/api/interactions', trainer.accessToken)).toMatchObject({
        status: 403,
        body: { ok: false, error: { code: 'forbidden' } },
      });
    });

    it('bounds ?limit=', async () => {
      const { accessToken } = await harness.signIn('demo-leader');
      expect(
        (await listing('/api/interactions?limit=1', accessToken)).body.value.items,
      ).toHaveLength(1);
      expect((await listing('/api/interactions?limit=0', accessToken)).status).toBe(400);
      expect((await listing('/api/interactions?limit=100000', accessToken)).status).toBe(400);
      expect((await listing('/api/interactions?limit=many', accessToken)).status).toBe(400);
    });
  });

  describe('outbox delivery in batches (protocol 4)', () => {
    const deliverBatch = (items: unknown) => desk.emitWithAck('outbox:deliverBatch', items);

    it('answers each item of a batch in order: applied, refused, malformed, and a repeat as a duplicate', async () => {
      const before = await stored();
      const someoneElse = await harness.server.storage.accounts.findByUsername('demo-adviser-2');
      const good = interactionItem(completedRecord(deskId, { adviserId: adviser.user.id }));
      const theirs = interactionItem(completedRecord(deskId, { adviserId: someoneElse!.id }));
      const malformed = { ...good, id: randomUUID(), payload: { channel: 'carrier-pigeon' } };
      const booking: OutboxItem = {
        id: randomUUID(),
        stream: `booking:${randomUUID()}`,
        createdAt: new Date().toISOString(),
        kind: 'followup.booked',
        payload: followUpFor(completedRecord(deskId, { adviserId: adviser.user.id })),
      };
      const answer = await deliverBatch([good, theirs, malformed, booking]);
      expect(answer).toMatchObject({
        ok: true,
        value: [
          { ok: true, value: { id: good.id, status: 'applied' } },
          { ok: false, error: { code: 'forbidden' } },
          { ok: false, error: { code: 'invalid_input' } },
          { ok: true, value: { id: booking.id, status: 'applied' } },
        ],
      });
      expect(await stored()).toEqual({
        interactions: before.interactions + 1,
        followUps: before.followUps + 1,
        applied: before.applied + 2,
      });
      // Sent again (its answer lost): each applied item is a duplicate, nothing is written twice.
      expect(await deliverBatch([good, booking])).toEqual({
        ok: true,
        value: [
          { ok: true, value: { id: good.id, status: 'duplicate' } },
          { ok: true, value: { id: booking.id, status: 'duplicate' } },
        ],
      });
      // The single-item event of older desks sees the same items as applied.
      expect(await deliver(desk, good)).toMatchObject({ ok: true, value: { status: 'duplicate' } });
      expect((await stored()).applied).toBe(before.applied + 2);
    });

    it('refuses a batch that is not a list, is empty or is over its size, and stores nothing', async () => {
      const before = await stored();
      const items = Array.from({ length: maxOutboxBatchItems + 1 }, () =>
        interactionItem(completedRecord(deskId, { adviserId: adviser.user.id })),
      );
      for (const batch of [items[0], [], items]) {
        expect(await deliverBatch(batch)).toMatchObject({
          ok: false,
          error: { code: 'invalid_input' },
        });
      }
      expect(await stored()).toEqual(before);
      expect(await deliverBatch(items.slice(0, maxOutboxBatchItems))).toMatchObject({ ok: true });
      expect((await stored()).interactions).toBe(before.interactions + maxOutboxBatchItems);
    });
  });
});
