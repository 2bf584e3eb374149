// Migration 0005: an outbox item may hold its payload by reference, and seq is
// the table's plain rowid. Completing an interaction wrote its record twice in
// one commit: once as the desk's local record and once inside its outbox
// item. The item now names the record (payload_interaction) and the outbox
// row stays a few hundred bytes. Without AUTOINCREMENT no seq counter row is
// written at each commit either; a seq is still never given out twice to a
// running outbox, which gives each new item a seq above every one it has
// loaded (Outbox.enqueue; docs/decisions/0048-outbox-payload-by-reference.md).
//
// SQLite cannot drop AUTOINCREMENT from a table, so the table is built again
// with its rows and its two partial indexes.
import type { Migration } from './types';

export const migration0005: Migration = {
  version: 5,
  name: '0005-outbox-payload-by-reference',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_rebuilt (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        stream TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        -- The item as JSON; without its payload when payload_interaction is set.
        payload TEXT NOT NULL,
        -- When set, the item's payload is this local interaction's record.
        payload_interaction TEXT,
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
      DROP TABLE outbox;
      ALTER TABLE outbox_rebuilt RENAME TO outbox;
      CREATE INDEX outbox_undelivered ON outbox (seq) WHERE state != 'delivered';
      CREATE INDEX outbox_delivered_at ON outbox (delivered_at) WHERE state = 'delivered';
    `);
  },
};
