// Migration 0001: the desk's first tables: settings (desk id, stored session),
// the durable outbox, completed interactions kept locally, and the follow-up list.
import type { Migration } from './types';

export const migration0001: Migration = {
  version: 1,
  name: '0001-desk-foundation',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- seq gives the order items were written in; FIFO per stream follows it.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
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
      CREATE INDEX outbox_undelivered ON outbox (seq) WHERE state != 'delivered';
      CREATE INDEX outbox_delivered_at ON outbox (delivered_at) WHERE state = 'delivered';

      CREATE TABLE interactions (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        contact_ref TEXT NOT NULL,
        adviser_id TEXT NOT NULL,
        started_at TEXT NOT NULL,
        completed_at TEXT NOT NULL,
        record TEXT NOT NULL
      ) STRICT;

      CREATE TABLE follow_ups (
        id TEXT PRIMARY KEY,
        interaction_id TEXT NOT NULL UNIQUE REFERENCES interactions (id),
        adviser_id TEXT NOT NULL,
        slot_start TEXT NOT NULL,
        contact_method TEXT NOT NULL,
        contact_address TEXT NOT NULL,
        created_at TEXT NOT NULL,
        booking TEXT NOT NULL
      ) STRICT;
      CREATE INDEX follow_ups_by_slot ON follow_ups (slot_start);
    `);
  },
};
