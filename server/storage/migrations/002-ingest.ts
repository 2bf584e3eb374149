// What desks deliver through their outboxes: which items each desk has had
// applied (so a repeat is recognised), completed interactions and follow-up bookings.
import { schemaChange, type ServerMigration } from './types';

export const ingestMigration: ServerMigration = {
  version: 2,
  name: 'ingest',
  up: schemaChange({
    sqlite: `
      CREATE TABLE applied_outbox_items (
        desk_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        stream TEXT NOT NULL,
        delivered_by TEXT NOT NULL REFERENCES accounts(id),
        applied_at TEXT NOT NULL,
        PRIMARY KEY (desk_id, item_id)
      ) STRICT;

      -- The record is kept whole as JSON; the columns lists filter and sort on are copied out.
      CREATE TABLE interactions (
        id TEXT PRIMARY KEY,
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        desk_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        contact_ref TEXT NOT NULL,
        completed_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        record_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX interactions_adviser_completed ON interactions (adviser_id, completed_at);
      CREATE INDEX interactions_completed ON interactions (completed_at);
      CREATE INDEX interactions_channel ON interactions (channel);

      -- No foreign key to interactions: a booking may be delivered on its own stream.
      CREATE TABLE follow_ups (
        id TEXT PRIMARY KEY,
        interaction_id TEXT NOT NULL,
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        slot_start TEXT NOT NULL,
        contact_method TEXT NOT NULL,
        created_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        booking_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX follow_ups_adviser_created ON follow_ups (adviser_id, created_at);
      CREATE INDEX follow_ups_slot_start ON follow_ups (slot_start);
      CREATE INDEX follow_ups_interaction ON follow_ups (interaction_id);
    `,
    postgres: `
      CREATE TABLE applied_outbox_items (
        desk_id text NOT NULL,
        item_id text NOT NULL,
        kind text NOT NULL,
        stream text NOT NULL,
        delivered_by text NOT NULL REFERENCES accounts(id),
        applied_at text NOT NULL,
        PRIMARY KEY (desk_id, item_id)
      );

      CREATE TABLE interactions (
        id text PRIMARY KEY,
        adviser_id text NOT NULL REFERENCES accounts(id),
        desk_id text NOT NULL,
        channel text NOT NULL,
        contact_ref text NOT NULL,
        completed_at text NOT NULL,
        received_at text NOT NULL,
        record_json text NOT NULL
      );
      CREATE INDEX interactions_adviser_completed ON interactions (adviser_id, completed_at);
      CREATE INDEX interactions_completed ON interactions (completed_at);
      CREATE INDEX interactions_channel ON interactions (channel);

      CREATE TABLE follow_ups (
        id text PRIMARY KEY,
        interaction_id text NOT NULL,
        adviser_id text NOT NULL REFERENCES accounts(id),
        slot_start text NOT NULL,
        contact_method text NOT NULL,
        created_at text NOT NULL,
        received_at text NOT NULL,
        booking_json text NOT NULL
      );
      CREATE INDEX follow_ups_adviser_created ON follow_ups (adviser_id, created_at);
      CREATE INDEX follow_ups_slot_start ON follow_ups (slot_start);
      CREATE INDEX follow_ups_interaction ON follow_ups (interaction_id);
    `,
  }),
};
