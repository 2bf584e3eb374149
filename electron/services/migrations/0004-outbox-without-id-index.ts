// Migration 0004: the outbox keeps no index of item ids. Completing an
// interaction writes its record and its outbox item in one transaction made
// durable at once, and every b-tree page that commit touches is written to
// the log, encrypted, and synced. The unique index of item ids was one of
// six such pages, and the one at a random place each time; nothing looks an
// item up by id. Ids stay unique as they always were made: a random UUID for
// each item, drawn in Outbox.enqueue, which the server also holds each desk's
// items to (decision 0043, docs/decisions/0046-outbox-pages-per-commit.md).
//
// SQLite cannot drop a column's UNIQUE constraint, so the table is built
// again with its rows, its seq counter carried over (a pruned newest item's
// seq is never given out twice), and its two partial indexes.
import type { Migration } from './types';

export const migration0004: Migration = {
  version: 4,
  name: '0004-outbox-without-id-index',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_rebuilt (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        stream TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        payload TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        delivered_at TEXT,
        receipt TEXT CHECK (receipt IS NULL OR receipt IN ('applied', 'duplicate'))
      ) STRICT;
      INSERT INTO outbox_rebuilt
        (seq, id, stream, kind, created_at, payload, state, attempts, last_error, delivered_at, receipt)
        SELECT seq, id, stream, kind, created_at, payload, state, attempts, last_error, delivered_at, receipt
        FROM outbox ORDER BY seq;
      DELETE FROM sqlite_sequence WHERE name = 'outbox_rebuilt';
      INSERT INTO sqlite_sequence (name, seq)
        SELECT 'outbox_rebuilt', seq FROM sqlite_sequence WHERE name = 'outbox';
      DROP TABLE outbox;
      ALTER TABLE outbox_rebuilt RENAME TO outbox;
      CREATE INDEX outbox_undelivered ON outbox (seq) WHERE state != 'delivered';
      CREATE INDEX outbox_delivered_at ON outbox (delivered_at) WHERE state = 'delivered';
    `);
  },
};
