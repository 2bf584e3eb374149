// Quality review: scorecard forms kept by (id, version) as JSON, reviews of
// held interactions with every published version of their answers, the
// adviser's disputes per item and each one's resolution, calibration sessions,
// the weekly samples with their seed, rules and what they chose, and the
// interactions advisers flag for review. Rows that belong to a review go when
// it does, by the store, as the training library's do.
import { schemaChange, type ServerMigration } from './types';

const purposes = `('sample', 'flagged', 'adhoc', 'calibration')`;
const statuses = `('draft', 'published', 'acknowledged', 'disputed', 'resolved')`;
const outcomes = `('upheld', 'partly', 'rejected')`;

export const qualityReviewMigration: ServerMigration = {
  version: 13,
  name: 'quality-review',
  up: schemaChange({
    sqlite: `
      CREATE TABLE quality_forms (
        id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
        title TEXT NOT NULL,
        form_json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) STRICT;

      CREATE TABLE quality_samples (
        id TEXT PRIMARY KEY,
        week TEXT NOT NULL UNIQUE,
        seed INTEGER NOT NULL CHECK (seed >= 0 AND seed <= 4294967295),
        per_adviser INTEGER NOT NULL,
        rules_version INTEGER NOT NULL,
        population_digest TEXT NOT NULL,
        request_json TEXT NOT NULL,
        sample_json TEXT NOT NULL,
        drawn_by TEXT NOT NULL REFERENCES accounts(id),
        drawn_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE quality_calibration_sessions (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        form_id TEXT NOT NULL,
        form_version INTEGER NOT NULL,
        created_by TEXT NOT NULL REFERENCES accounts(id),
        created_at TEXT NOT NULL,
        closed_by TEXT REFERENCES accounts(id),
        closed_at TEXT,
        FOREIGN KEY (form_id, form_version) REFERENCES quality_forms(id, version)
      ) STRICT;
      CREATE INDEX quality_calibration_sessions_created ON quality_calibration_sessions (created_at, id);

      CREATE TABLE quality_reviews (
        id TEXT PRIMARY KEY,
        interaction_id TEXT NOT NULL REFERENCES interactions(id),
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        reviewer_id TEXT NOT NULL REFERENCES accounts(id),
        form_id TEXT NOT NULL,
        form_version INTEGER NOT NULL,
        purpose TEXT NOT NULL CHECK (purpose IN ${purposes}),
        calibration_session_id TEXT REFERENCES quality_calibration_sessions(id),
        sample_id TEXT REFERENCES quality_samples(id),
        status TEXT NOT NULL CHECK (status IN ${statuses}),
        version INTEGER NOT NULL CHECK (version >= 0),
        answers_json TEXT NOT NULL,
        score_json TEXT,
        percentage REAL,
        passed INTEGER CHECK (passed IN (0, 1)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        published_at TEXT,
        acknowledged_at TEXT,
        acknowledged_version INTEGER,
        acknowledgement TEXT,
        FOREIGN KEY (form_id, form_version) REFERENCES quality_forms(id, version),
        CHECK ((purpose = 'calibration') = (calibration_session_id IS NOT NULL)),
        CHECK (status = 'draft' OR (published_at IS NOT NULL AND score_json IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX quality_reviews_one_per_interaction ON quality_reviews (interaction_id)
        WHERE purpose <> 'calibration';
      CREATE UNIQUE INDEX quality_reviews_calibration_cell
        ON quality_reviews (calibration_session_id, interaction_id, reviewer_id);
      CREATE INDEX quality_reviews_reviewer ON quality_reviews (reviewer_id, created_at, id);
      CREATE INDEX quality_reviews_adviser ON quality_reviews (adviser_id, created_at, id);

      CREATE TABLE quality_review_versions (
        review_id TEXT NOT NULL REFERENCES quality_reviews(id),
        version INTEGER NOT NULL CHECK (version > 0),
        kind TEXT NOT NULL CHECK (kind IN ('published', 'resolution')),
        answers_json TEXT NOT NULL,
        score_json TEXT NOT NULL,
        written_by TEXT NOT NULL REFERENCES accounts(id),
        written_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (review_id, version)
      ) STRICT;

      CREATE TABLE quality_disputes (
        review_id TEXT NOT NULL REFERENCES quality_reviews(id),
        item_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        raised_by TEXT NOT NULL REFERENCES accounts(id),
        raised_at TEXT NOT NULL,
        outcome TEXT CHECK (outcome IN ${outcomes}),
        resolution_reason TEXT,
        resolved_by TEXT REFERENCES accounts(id),
        resolved_at TEXT,
        resolved_version INTEGER,
        PRIMARY KEY (review_id, item_id),
        CHECK ((outcome IS NULL) = (resolved_by IS NULL))
      ) STRICT;

      CREATE TABLE quality_sample_items (
        sample_id TEXT NOT NULL REFERENCES quality_samples(id),
        interaction_id TEXT NOT NULL REFERENCES interactions(id),
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        reasons_json TEXT NOT NULL,
        reviewer_id TEXT REFERENCES accounts(id),
        review_id TEXT REFERENCES quality_reviews(id),
        PRIMARY KEY (sample_id, interaction_id)
      ) STRICT;
      CREATE INDEX quality_sample_items_interaction ON quality_sample_items (interaction_id);

      CREATE TABLE quality_flags (
        interaction_id TEXT PRIMARY KEY REFERENCES interactions(id),
        adviser_id TEXT NOT NULL REFERENCES accounts(id),
        note TEXT NOT NULL,
        flagged_at TEXT NOT NULL
      ) STRICT;
    `,
    postgres: `
      CREATE TABLE quality_forms (
        id text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        status text NOT NULL CHECK (status IN ('draft', 'published')),
        title text NOT NULL,
        form_json text NOT NULL,
        created_at text NOT NULL,
        PRIMARY KEY (id, version)
      );

      CREATE TABLE quality_samples (
        id text PRIMARY KEY,
        week text NOT NULL UNIQUE,
        seed bigint NOT NULL CHECK (seed >= 0 AND seed <= 4294967295),
        per_adviser integer NOT NULL,
        rules_version integer NOT NULL,
        population_digest text NOT NULL,
        request_json text NOT NULL,
        sample_json text NOT NULL,
        drawn_by text NOT NULL REFERENCES accounts(id),
        drawn_at text NOT NULL
      );

      CREATE TABLE quality_calibration_sessions (
        id text PRIMARY KEY,
        title text NOT NULL,
        form_id text NOT NULL,
        form_version integer NOT NULL,
        created_by text NOT NULL REFERENCES accounts(id),
        created_at text NOT NULL,
        closed_by text REFERENCES accounts(id),
        closed_at text,
        FOREIGN KEY (form_id, form_version) REFERENCES quality_forms(id, version)
      );
      CREATE INDEX quality_calibration_sessions_created ON quality_calibration_sessions (created_at, id);

      CREATE TABLE quality_reviews (
        id text PRIMARY KEY,
        interaction_id text NOT NULL REFERENCES interactions(id),
        adviser_id text NOT NULL REFERENCES accounts(id),
        reviewer_id text NOT NULL REFERENCES accounts(id),
        form_id text NOT NULL,
        form_version integer NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ${purposes}),
        calibration_session_id text REFERENCES quality_calibration_sessions(id),
        sample_id text REFERENCES quality_samples(id),
        status text NOT NULL CHECK (status IN ${statuses}),
        version integer NOT NULL CHECK (version >= 0),
        answers_json text NOT NULL,
        score_json text,
        percentage double precision,
        passed integer CHECK (passed IN (0, 1)),
        created_at text NOT NULL,
        updated_at text NOT NULL,
        published_at text,
        acknowledged_at text,
        acknowledged_version integer,
        acknowledgement text,
        FOREIGN KEY (form_id, form_version) REFERENCES quality_forms(id, version),
        CHECK ((purpose = 'calibration') = (calibration_session_id IS NOT NULL)),
        CHECK (status = 'draft' OR (published_at IS NOT NULL AND score_json IS NOT NULL))
      );
      CREATE UNIQUE INDEX quality_reviews_one_per_interaction ON quality_reviews (interaction_id)
        WHERE purpose <> 'calibration';
      CREATE UNIQUE INDEX quality_reviews_calibration_cell
        ON quality_reviews (calibration_session_id, interaction_id, reviewer_id);
      CREATE INDEX quality_reviews_reviewer ON quality_reviews (reviewer_id, created_at, id);
      CREATE INDEX quality_reviews_adviser ON quality_reviews (adviser_id, created_at, id);

      CREATE TABLE quality_review_versions (
        review_id text NOT NULL REFERENCES quality_reviews(id),
        version integer NOT NULL CHECK (version > 0),
        kind text NOT NULL CHECK (kind IN ('published', 'resolution')),
        answers_json text NOT NULL,
        score_json text NOT NULL,
        written_by text NOT NULL REFERENCES accounts(id),
        written_at text NOT NULL,
        reason text NOT NULL,
        PRIMARY KEY (review_id, version)
      );

      CREATE TABLE quality_disputes (
        review_id text NOT NULL REFERENCES quality_reviews(id),
        item_id text NOT NULL,
        reason text NOT NULL,
        raised_by text NOT NULL REFERENCES accounts(id),
        raised_at text NOT NULL,
        outcome text CHECK (outcome IN ${outcomes}),
        resolution_reason text,
        resolved_by text REFERENCES accounts(id),
        resolved_at text,
        resolved_version integer,
        PRIMARY KEY (review_id, item_id),
        CHECK ((outcome IS NULL) = (resolved_by IS NULL))
      );

      CREATE TABLE quality_sample_items (
        sample_id text NOT NULL REFERENCES quality_samples(id),
        interaction_id text NOT NULL REFERENCES interactions(id),
        adviser_id text NOT NULL REFERENCES accounts(id),
        reasons_json text NOT NULL,
        reviewer_id text REFERENCES accounts(id),
        review_id text REFERENCES quality_reviews(id),
        PRIMARY KEY (sample_id, interaction_id)
      );
      CREATE INDEX quality_sample_items_interaction ON quality_sample_items (interaction_id);

      CREATE TABLE quality_flags (
        interaction_id text PRIMARY KEY REFERENCES interactions(id),
        adviser_id text NOT NULL REFERENCES accounts(id),
        note text NOT NULL,
        flagged_at text NOT NULL
      );
    `,
  }),
};
