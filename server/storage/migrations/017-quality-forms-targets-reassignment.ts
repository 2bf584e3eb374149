// Quality review, second part: who saved and who published each version of a
// scorecard form (the form editor), every reassignment of a review from one
// team leader to another, and advisers' improvement targets from performance
// reviews. Forms held before this keep their content; who made them was not
// recorded, so those columns stay empty for them.
import type { MigrationContext, ServerMigration } from './types';

const measures = `('average_score', 'reviews_passed', 'next_steps_good', 'item_pass_rate')`;

const formColumns = [
  ['saved_by', 'text REFERENCES accounts(id)'],
  ['saved_at', 'text'],
  ['published_by', 'text REFERENCES accounts(id)'],
  ['published_at', 'text'],
] as const;

const tables = {
  sqlite: `
    CREATE TABLE quality_review_reassignments (
      id TEXT PRIMARY KEY,
      review_id TEXT NOT NULL REFERENCES quality_reviews(id),
      from_reviewer TEXT NOT NULL REFERENCES accounts(id),
      to_reviewer TEXT NOT NULL REFERENCES accounts(id),
      reassigned_by TEXT NOT NULL REFERENCES accounts(id),
      reassigned_at TEXT NOT NULL,
      reason TEXT NOT NULL,
      CHECK (from_reviewer <> to_reviewer)
    ) STRICT;
    CREATE INDEX quality_review_reassignments_review
      ON quality_review_reassignments (review_id, reassigned_at);

    CREATE TABLE quality_targets (
      id TEXT PRIMARY KEY,
      adviser_id TEXT NOT NULL REFERENCES accounts(id),
      measure TEXT NOT NULL CHECK (measure IN ${measures}),
      item_id TEXT,
      target_percent REAL NOT NULL CHECK (target_percent > 0 AND target_percent <= 100),
      starts_on TEXT NOT NULL,
      due_on TEXT NOT NULL,
      note TEXT NOT NULL,
      set_by TEXT NOT NULL REFERENCES accounts(id),
      set_at TEXT NOT NULL,
      withdrawn_by TEXT REFERENCES accounts(id),
      withdrawn_at TEXT,
      withdrawal_reason TEXT,
      CHECK (due_on > starts_on),
      CHECK ((measure = 'item_pass_rate') = (item_id IS NOT NULL)),
      CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
    ) STRICT;
    CREATE INDEX quality_targets_adviser ON quality_targets (adviser_id, due_on);
    CREATE INDEX quality_targets_period ON quality_targets (due_on, starts_on);
  `,
  postgres: `
    CREATE TABLE quality_review_reassignments (
      id text PRIMARY KEY,
      review_id text NOT NULL REFERENCES quality_reviews(id),
      from_reviewer text NOT NULL REFERENCES accounts(id),
      to_reviewer text NOT NULL REFERENCES accounts(id),
      reassigned_by text NOT NULL REFERENCES accounts(id),
      reassigned_at text NOT NULL,
      reason text NOT NULL,
      CHECK (from_reviewer <> to_reviewer)
    );
    CREATE INDEX quality_review_reassignments_review
      ON quality_review_reassignments (review_id, reassigned_at);

    CREATE TABLE quality_targets (
      id text PRIMARY KEY,
      adviser_id text NOT NULL REFERENCES accounts(id),
      measure text NOT NULL CHECK (measure IN ${measures}),
      item_id text,
      target_percent double precision NOT NULL CHECK (target_percent > 0 AND target_percent <= 100),
      starts_on text NOT NULL,
      due_on text NOT NULL,
      note text NOT NULL,
      set_by text NOT NULL REFERENCES accounts(id),
      set_at text NOT NULL,
      withdrawn_by text REFERENCES accounts(id),
      withdrawn_at text,
      withdrawal_reason text,
      CHECK (due_on > starts_on),
      CHECK ((measure = 'item_pass_rate') = (item_id IS NOT NULL)),
      CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
    );
    CREATE INDEX quality_targets_adviser ON quality_targets (adviser_id, due_on);
    CREATE INDEX quality_targets_period ON quality_targets (due_on, starts_on);
  `,
};

async function up(context: MigrationContext): Promise<void> {
  // Added in place and nullable on both engines: forms held already have no one to name.
  for (const [name, type] of formColumns) {
    const declared = context.engine === 'sqlite' ? type.replace('text', 'TEXT') : type;
    await context.exec(`ALTER TABLE quality_forms ADD COLUMN ${name} ${declared};`);
  }
  await context.exec(tables[context.engine]);
}

export const qualityFormsTargetsReassignmentMigration: ServerMigration = {
  version: 17,
  name: 'quality-forms-targets-reassignment',
  up,
};
