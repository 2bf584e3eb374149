// The training library: interactions trainers curate for teaching, the team
// leader's decision that clears each one for trainees, its tags, and the
// bookmarks and notes pinned to its moments. An entry belongs to one held
// interaction; its tags and marks go when it does (deleted with it, on both
// engines, by the store rather than by a cascade).
import { schemaChange, type ServerMigration } from './types';

export const trainingLibraryMigration: ServerMigration = {
  version: 12,
  name: 'training-library',
  up: schemaChange({
    sqlite: `
      CREATE TABLE training_entries (
        interaction_id TEXT PRIMARY KEY REFERENCES interactions(id),
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('awaiting_clearance', 'cleared', 'refused')),
        added_by TEXT NOT NULL REFERENCES accounts(id),
        added_at TEXT NOT NULL,
        decided_by TEXT REFERENCES accounts(id),
        decided_at TEXT,
        decision_note TEXT
      ) STRICT;
      CREATE INDEX training_entries_added ON training_entries (added_at, interaction_id);

      CREATE TABLE training_tags (
        interaction_id TEXT NOT NULL REFERENCES training_entries(interaction_id),
        tag TEXT NOT NULL,
        PRIMARY KEY (interaction_id, tag)
      ) STRICT;
      CREATE INDEX training_tags_tag ON training_tags (tag, interaction_id);

      CREATE TABLE training_marks (
        id TEXT PRIMARY KEY,
        interaction_id TEXT NOT NULL REFERENCES training_entries(interaction_id),
        at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('bookmark', 'note')),
        text TEXT NOT NULL,
        author_id TEXT NOT NULL REFERENCES accounts(id),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX training_marks_entry ON training_marks (interaction_id, at, id);
    `,
    postgres: `
      CREATE TABLE training_entries (
        interaction_id text PRIMARY KEY REFERENCES interactions(id),
        title text NOT NULL,
        description text NOT NULL,
        status text NOT NULL CHECK (status IN ('awaiting_clearance', 'cleared', 'refused')),
        added_by text NOT NULL REFERENCES accounts(id),
        added_at text NOT NULL,
        decided_by text REFERENCES accounts(id),
        decided_at text,
        decision_note text
      );
      CREATE INDEX training_entries_added ON training_entries (added_at, interaction_id);

      CREATE TABLE training_tags (
        interaction_id text NOT NULL REFERENCES training_entries(interaction_id),
        tag text NOT NULL,
        PRIMARY KEY (interaction_id, tag)
      );
      CREATE INDEX training_tags_tag ON training_tags (tag, interaction_id);

      CREATE TABLE training_marks (
        id text PRIMARY KEY,
        interaction_id text NOT NULL REFERENCES training_entries(interaction_id),
        at text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('bookmark', 'note')),
        text text NOT NULL,
        author_id text NOT NULL REFERENCES accounts(id),
        created_at text NOT NULL
      );
      CREATE INDEX training_marks_entry ON training_marks (interaction_id, at, id);
    `,
  }),
};
