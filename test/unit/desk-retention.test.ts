// Delivered work leaves the desk after its retention period; nothing waiting,
// failed or still part of an undelivered stream is ever removed.
import { describe, expect, it } from 'vitest';
import {
  DeskRetention,
  pruneAllDelivered,
  pruneDelivered,
} from '../../electron/services/retention';
import { silentDeskLogger } from '../../electron/services/logging';
import { deskIdOf, type LocalDb } from '../../electron/services/local-db';
import { Outbox, type OutboxDraft } from '../../electron/services/outbox';
import { FakeServerTransport } from '../../electron/services/outbox-transport.testing';
import { completedRecord, openDeskDb, tempDataDir } from './desk-fixtures';

const day = (date: string) => `${date}T12:00:00.000Z`;

function addRecord(db: LocalDb, id: string, completedAt: string, withFollowUp = false) {
  db.prepare(
    `INSERT INTO interactions (id, channel, contact_ref, adviser_id, started_at, completed_at, record)
     VALUES (?, 'voice', ?, 'adviser-1', ?, ?, '{}')`,
  ).run(id, `call-${id}`, completedAt, completedAt);
  if (withFollowUp) {
    db.prepare(
      `INSERT INTO follow_ups (id, interaction_id, adviser_id, slot_start, contact_method,
         contact_address, created_at, booking)
       VALUES (?, ?, 'adviser-1', ?, 'phone', '07700900123', ?, '{}')`,
    ).run(`booking-${id}`, id, completedAt, completedAt);
  }
}

function addItem(
  db: LocalDb,
  id: string,
  interactionId: string,
  state: string,
  deliveredAt: string | null,
) {
  db.prepare(
    `INSERT INTO outbox (id, stream, kind, created_at, payload, state, delivered_at)
     VALUES (?, ?, 'interaction.completed', ?, '{}', ?, ?)`,
  ).run(id, `interaction:${interactionId}`, deliveredAt ?? day('2026-01-01'), state, deliveredAt);
}

const ids = (db: LocalDb, table: string) =>
  (db.prepare(`SELECT id FROM ${table} ORDER BY id`).all() as { id: string }[]).map(
    (row) => row.id,
  );

describe('pruning delivered work', () => {
  it('prunes the newest item too, and a running outbox still delivers the next one', async () => {
    const transport = new FakeServerTransport();
    const db = openDeskDb(tempDataDir('retention-newest'));
    const outbox = new Outbox(db, transport, { backoff: { baseMs: 1, capMs: 1 } });
    const delivered = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => transport.applied.length >= count && resolve();
        outbox.onStatus(check);
        check();
      });
    try {
      outbox.start();
      const draft = (stream: string): OutboxDraft => ({
        stream,
        kind: 'interaction.completed',
        payload: completedRecord(deskIdOf(db)),
      });
      outbox.transaction(() => outbox.enqueue(draft('a')));
      await delivered(1);
      // Long past its retention period, the desk idle since: nothing of it stays.
      pruneDelivered(db, day('2999-01-01'));
      expect(db.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
      // The next item is not given the pruned item's seq, which the outbox has loaded already.
      outbox.transaction(() => outbox.enqueue(draft('b')));
      expect(db.prepare('SELECT seq FROM outbox').pluck().get()).toBe(2);
      await delivered(2);
      expect(transport.applied.map((item) => item.stream)).toEqual(['a', 'b']);
    } finally {
      await outbox.drain(1_000);
      db.close();
    }
  });

  it('removes what was delivered before the cutoff and keeps everything else', () => {
    const db = openDeskDb(tempDataDir('retention'));
    try {
      // Old and delivered: goes, with its booking.
      addRecord(db, 'old-delivered', day('2026-01-10'), true);
      addItem(db, 'item-old-delivered', 'old-delivered', 'delivered', day('2026-01-10'));
      // Old, but its stream still has an item failing: the record stays; the delivered item goes.
      addRecord(db, 'old-failing', day('2026-01-10'));
      addItem(db, 'item-old-failing-1', 'old-failing', 'delivered', day('2026-01-10'));
      addItem(db, 'item-old-failing-2', 'old-failing', 'failed', null);
      // Old and still waiting: stays whole.
      addRecord(db, 'old-waiting', day('2026-01-11'));
      addItem(db, 'item-old-waiting', 'old-waiting', 'waiting', null);
      // Recent and delivered: stays until its time comes.
      addRecord(db, 'recent', day('2026-03-01'), true);
      addItem(db, 'item-recent', 'recent', 'delivered', day('2026-03-01'));

      const pruned = pruneDelivered(db, day('2026-02-01'));

      expect(pruned).toEqual({ outboxItems: 2, interactions: 1, followUps: 1 });
      expect(ids(db, 'interactions')).toEqual(['old-failing', 'old-waiting', 'recent']);
      expect(ids(db, 'outbox')).toEqual(['item-old-failing-2', 'item-old-waiting', 'item-recent']);
      expect(ids(db, 'follow_ups')).toEqual(['booking-recent']);
      // A second pass finds nothing more.
      expect(pruneDelivered(db, day('2026-02-01'))).toEqual({
        outboxItems: 0,
        interactions: 0,
        followUps: 0,
      });
    } finally {
      db.close();
    }
  });

  it('counts the retention period back from now, in days', async () => {
    const db = openDeskDb(tempDataDir('retention-days'));
    try {
      addRecord(db, 'forty-days', day('2026-01-20'));
      addItem(db, 'item-forty-days', 'forty-days', 'delivered', day('2026-01-20'));
      addRecord(db, 'twenty-days', day('2026-02-09'));
      addItem(db, 'item-twenty-days', 'twenty-days', 'delivered', day('2026-02-09'));
      const retention = new DeskRetention(db, {
        days: 30,
        log: silentDeskLogger(),
        now: () => Date.parse(day('2026-03-01')),
      });
      expect(await retention.pruneNow()).toEqual({ outboxItems: 1, interactions: 1, followUps: 0 });
      expect(ids(db, 'interactions')).toEqual(['twenty-days']);
    } finally {
      db.close();
    }
  });

  it('works through a large backlog in short transactions, until none is left', async () => {
    const db = openDeskDb(tempDataDir('retention-batches'));
    try {
      for (let index = 0; index < 7; index += 1) {
        addRecord(db, `old-${index}`, day('2026-01-10'), index % 2 === 0);
        addItem(db, `item-old-${index}`, `old-${index}`, 'delivered', day('2026-01-10'));
      }
      // One pass removes at most its limit of each.
      expect(pruneDelivered(db, day('2026-02-01'), 3)).toEqual({
        outboxItems: 3,
        interactions: 3,
        followUps: expect.any(Number),
      });
      expect(await pruneAllDelivered(db, day('2026-02-01'), 3)).toEqual({
        outboxItems: 4,
        interactions: 4,
        followUps: expect.any(Number),
      });
      expect(ids(db, 'interactions')).toEqual([]);
      expect(ids(db, 'outbox')).toEqual([]);
      expect(ids(db, 'follow_ups')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
