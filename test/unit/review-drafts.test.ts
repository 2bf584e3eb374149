// Quality reviews written on the desk go through the outbox: saved with the
// network down, shown over the server's answers until delivered, delivered in
// the order written, and a refused publish shown as refused, with why.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxStatus } from '../../shared/ipc/contract';
import { openLocalDb, type LocalDb } from '../../electron/services/local-db';
import { Outbox } from '../../electron/services/outbox';
import { FakeServerTransport } from '../../electron/services/outbox-transport.testing';
import { ReviewDrafts, reviewStream } from '../../electron/services/review-drafts';
import { tempDataDir } from './desk-fixtures';

const open: { db: LocalDb; outbox: Outbox }[] = [];

afterEach(async () => {
  for (const { db, outbox } of open.splice(0)) {
    await outbox.drain(1_000);
    if (db.open) db.close();
  }
});

function deskWith(transport: FakeServerTransport) {
  const db = openLocalDb(tempDataDir('review-drafts'));
  const outbox = new Outbox(db, transport, { backoff: { baseMs: 1, capMs: 1 }, random: () => 0 });
  open.push({ db, outbox });
  let clock = Date.parse('2026-11-23T09:00:00.000Z');
  const drafts = new ReviewDrafts(db, outbox, () => new Date((clock += 1000)));
  outbox.start();
  return { outbox, drafts };
}

const settled = (outbox: Outbox, test: (status: OutboxStatus) => boolean) =>
  new Promise<OutboxStatus>((resolve) => {
    if (test(outbox.status())) return resolve(outbox.status());
    const stop = outbox.onStatus((status) => {
      if (!test(status)) return;
      stop();
      resolve(status);
    });
  });

describe('a review written on the desk', () => {
  it('is kept with the network down, shown as waiting, and delivered in the order written', async () => {
    const transport = new FakeServerTransport();
    transport.online = false;
    const { outbox, drafts } = deskWith(transport);
    const reviewId = randomUUID();
    const first = drafts.save({
      reviewId,
      answers: [{ itemId: 'status_captured', value: 'yes' }],
      publish: false,
    });
    const second = drafts.save({
      reviewId,
      answers: [
        { itemId: 'status_captured', value: 'no', comment: 'Status not asked' },
        { itemId: 'next_steps_good', value: 3 },
      ],
      publish: true,
    });
    expect(first).toMatchObject({ ok: true, value: { queued: true } });
    expect(second.ok).toBe(true);
    await settled(outbox, (status) => status.waiting === 2 && status.lastError !== null);
    expect(drafts.pending(reviewId)).toEqual({
      answers: [
        { itemId: 'status_captured', value: 'no', comment: 'Status not asked', moment: null },
        { itemId: 'next_steps_good', value: 3, comment: '', moment: null },
      ],
      publish: true,
      savedAt: '2026-11-23T09:00:02.000Z',
      state: 'waiting',
      error: null,
    });
    expect(drafts.pending(randomUUID())).toBeNull();

    transport.online = true;
    outbox.retryNow();
    await settled(outbox, (status) => status.waiting === 0);
    expect(transport.applied.map((item) => [item.stream, item.kind])).toEqual([
      [reviewStream(reviewId), 'quality.review.saved'],
      [reviewStream(reviewId), 'quality.review.saved'],
    ]);
    expect(
      transport.applied.map((item) =>
        item.kind === 'quality.review.saved' ? item.payload.publish : null,
      ),
    ).toEqual([false, true]);
    expect(drafts.pending(reviewId)).toBeNull();
  });

  it('shows a publish the server refused as refused, with the server’s words', async () => {
    const transport = new FakeServerTransport(() => 'invalid');
    const { outbox, drafts } = deskWith(transport);
    const reviewId = randomUUID();
    drafts.save({ reviewId, answers: [], publish: true });
    await settled(outbox, (status) => status.failed === 1);
    expect(drafts.pending(reviewId)).toMatchObject({
      publish: true,
      state: 'failed',
      error: 'invalid_input: Outbox item is not valid',
    });
  });

  it('refuses answers that do not parse, and queues nothing', () => {
    const { outbox, drafts } = deskWith(new FakeServerTransport());
    const refused = drafts.save({
      reviewId: randomUUID(),
      answers: [{ itemId: '', value: 'maybe' as never }],
      publish: false,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(outbox.status().waiting).toBe(0);
  });
});
