// Follow-up calls: where each booked follow-up stands (open, completed by a
// follow-up interaction, withdrawn, or unreached after every attempt), each
// attempt to ring the customer, and each message sent to them (the reminder
// before the call, and the note after the last unanswered attempt), and which
// calls the helpline made rather than took. Bookings held before this
// migration are open, at the slot they were booked for; calls held are inbound.
import { schemaChange, type ServerMigration } from './types';

const columns = (text: string) => `
  ALTER TABLE follow_ups ADD COLUMN status ${text} NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'completed', 'withdrawn', 'unreached'));
  ALTER TABLE follow_ups ADD COLUMN withdrawn_reason ${text};
  ALTER TABLE follow_ups ADD COLUMN completed_by ${text};
  ALTER TABLE follow_ups ADD COLUMN closed_at ${text};
  -- Attempts count again from a rebooking: the customer asked for another day.
  ALTER TABLE follow_ups ADD COLUMN rebooked_at ${text};
  CREATE INDEX follow_ups_status_slot ON follow_ups (status, slot_start);
  -- Follow-up calls are made from the desk: figures about calls offered to advisers leave them out.
  ALTER TABLE calls ADD COLUMN direction ${text} NOT NULL DEFAULT 'inbound'
    CHECK (direction IN ('inbound', 'outbound'));
`;

export const followUpCallsMigration: ServerMigration = {
  version: 15,
  name: 'follow-up-calls',
  up: schemaChange({
    sqlite: `${columns('TEXT')}
      CREATE TABLE follow_up_attempts (
        id TEXT PRIMARY KEY,
        follow_up_id TEXT NOT NULL REFERENCES follow_ups(id),
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        call_id TEXT NOT NULL,
        attempted_at TEXT NOT NULL,
        day_part TEXT NOT NULL CHECK (day_part IN ('morning', 'afternoon', 'evening')),
        answered INTEGER NOT NULL CHECK (answered IN (0, 1))
      ) STRICT;
      CREATE INDEX follow_up_attempts_follow_up ON follow_up_attempts (follow_up_id, attempted_at);

      CREATE TABLE follow_up_messages (
        follow_up_id TEXT NOT NULL REFERENCES follow_ups(id),
        kind TEXT NOT NULL CHECK (kind IN ('reminder', 'no_answer')),
        via TEXT NOT NULL CHECK (via IN ('text', 'email')),
        sent_at TEXT NOT NULL,
        PRIMARY KEY (follow_up_id, kind)
      ) STRICT;
    `,
    postgres: `${columns('text')}
      CREATE TABLE follow_up_attempts (
        id text PRIMARY KEY,
        follow_up_id text NOT NULL REFERENCES follow_ups(id),
        adviser_id text NOT NULL REFERENCES accounts(id),
        call_id text NOT NULL,
        attempted_at text NOT NULL,
        day_part text NOT NULL CHECK (day_part IN ('morning', 'afternoon', 'evening')),
        answered integer NOT NULL CHECK (answered IN (0, 1))
      );
      CREATE INDEX follow_up_attempts_follow_up ON follow_up_attempts (follow_up_id, attempted_at);

      CREATE TABLE follow_up_messages (
        follow_up_id text NOT NULL REFERENCES follow_ups(id),
        kind text NOT NULL CHECK (kind IN ('reminder', 'no_answer')),
        via text NOT NULL CHECK (via IN ('text', 'email')),
        sent_at text NOT NULL,
        PRIMARY KEY (follow_up_id, kind)
      );
    `,
  }),
};
