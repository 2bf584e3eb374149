// Interaction history: the columns its filters read, copied out of each
// record; indexes that walk (completed_at, id) in either direction with each
// filter; full-text search over the record's redacted notes and chat (FTS5 on
// SQLite, a stored tsvector with a GIN index on PostgreSQL); and the audit of
// who saw a record's personal data, and why.
//
// Records held before this migration are filled in here, from record_json, by
// the same code that fills a record written after it (historyColumns), so an
// upgraded server filters its old interactions at once and in the same way.
// Their search text is left to the history indexer, as a new record's is: it
// redacts each record, which takes far too long to do inside an upgrade.
//
// SQLite rebuilds the table: its full-text index needs a rowid that VACUUM
// never renumbers, which only an INTEGER PRIMARY KEY is, and SQLite cannot add
// one to a table. Nothing refers to interactions by a foreign key, so the new
// table simply takes the old one's name. PostgreSQL adds the columns in place.
import { interactionRecordSchema } from '../../../shared/interaction/record';
import { historyColumns, utcTime, type HistoryColumns } from '../history';
import type { MigrationContext, ServerMigration } from './types';

/** Rows read and rewritten at a time, so a large table never sits in memory whole. */
const backfillBatch = 500;

/** Indexes for the filters, the same on both engines: each ends in (completed_at, id), the page order. */
const historyIndexes = `
  CREATE INDEX interactions_history ON interactions (completed_at, id);
  CREATE INDEX interactions_history_adviser ON interactions (adviser_id, completed_at, id);
  CREATE INDEX interactions_history_channel ON interactions (channel, completed_at, id);
  CREATE INDEX interactions_history_status ON interactions (starting_status, completed_at, id);
  -- The rare outcomes a team leader looks for get partial indexes of their own,
  -- so a page of them is read from a short index rather than found by filtering
  -- the whole table. Queries spell each predicate exactly as here.
  CREATE INDEX interactions_history_safeguarding ON interactions (completed_at, id)
    WHERE safeguarding_raised = 1;
  CREATE INDEX interactions_history_outside_remit ON interactions (completed_at, id)
    WHERE within_remit = 0;
  CREATE INDEX interactions_history_not_covered ON interactions (completed_at, id)
    WHERE not_covered_stages <> '[]';
`;

const sqliteTable = `
  CREATE TABLE interactions_next (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    adviser_id TEXT NOT NULL REFERENCES accounts(id),
    desk_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    contact_ref TEXT NOT NULL,
    received_at TEXT NOT NULL,
    record_json TEXT NOT NULL,
    started_at TEXT NOT NULL,
    completed_at TEXT NOT NULL,
    talk_seconds INTEGER,
    starting_status TEXT,
    follow_up_booked INTEGER NOT NULL,
    safeguarding_raised INTEGER NOT NULL,
    within_remit INTEGER,
    transcript_sent INTEGER NOT NULL,
    not_covered_stages TEXT NOT NULL,
    search_text TEXT
  ) STRICT;
`;

const sqliteSearch = `
  -- External content: the text lives once, in interactions.search_text; the
  -- index holds only its tokens, keyed by seq. The knowledge search's tokenizer:
  -- porter stemming, accents folded.
  CREATE VIRTUAL TABLE interaction_search USING fts5(
    search_text,
    content = 'interactions',
    content_rowid = 'seq',
    tokenize = 'porter unicode61 remove_diacritics 2'
  );

  -- Triggers keep the index in step with every write of the table, whoever
  -- writes it, in the same statement; the ingest's write stays one INSERT.
  CREATE TRIGGER interactions_search_insert AFTER INSERT ON interactions BEGIN
    INSERT INTO interaction_search (rowid, search_text) VALUES (new.seq, new.search_text);
  END;

  CREATE TRIGGER interactions_search_delete AFTER DELETE ON interactions BEGIN
    INSERT INTO interaction_search (interaction_search, rowid, search_text)
      VALUES ('delete', old.seq, old.search_text);
  END;

  CREATE TRIGGER interactions_search_update AFTER UPDATE ON interactions BEGIN
    INSERT INTO interaction_search (interaction_search, rowid, search_text)
      VALUES ('delete', old.seq, old.search_text);
    INSERT INTO interaction_search (rowid, search_text) VALUES (new.seq, new.search_text);
  END;

  -- The rows copied in above, indexed in one pass.
  INSERT INTO interaction_search (interaction_search) VALUES ('rebuild');
`;

const personalDataViews = {
  sqlite: `
    -- No foreign key to interactions: the audit outlives whatever happens to a record.
    CREATE TABLE personal_data_views (
      id TEXT PRIMARY KEY,
      interaction_id TEXT NOT NULL,
      viewer_id TEXT NOT NULL REFERENCES accounts(id),
      reason TEXT NOT NULL,
      viewed_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX personal_data_views_viewed ON personal_data_views (viewed_at, id);
    CREATE INDEX personal_data_views_interaction ON personal_data_views (interaction_id);
  `,
  postgres: `
    CREATE TABLE personal_data_views (
      id text PRIMARY KEY,
      interaction_id text NOT NULL,
      viewer_id text NOT NULL REFERENCES accounts(id),
      reason text NOT NULL,
      viewed_at text NOT NULL
    );
    CREATE INDEX personal_data_views_viewed ON personal_data_views (viewed_at, id);
    CREATE INDEX personal_data_views_interaction ON personal_data_views (interaction_id);
  `,
};

/** A row as migration 002 wrote it. */
interface HeldRow {
  id: string;
  adviser_id: string;
  desk_id: string;
  channel: string;
  contact_ref: string;
  completed_at: string;
  received_at: string;
  record_json: string;
}

/**
 * The history columns of a held row. Records were parsed when they arrived,
 * and parsing again fills the fields added since (an older desk's record has
 * no chat log). A row whose record does not parse (written by hand, or by a
 * server before records were checked) keeps what its own columns say and
 * indexes no words: one unreadable row must not stop a server upgrading.
 */
function heldColumns(row: HeldRow): HistoryColumns {
  const parsed = interactionRecordSchema.safeParse(safeJson(row.record_json));
  if (parsed.success) return historyColumns(parsed.data);
  const completedAt = utcTime(row.completed_at);
  return {
    started_at: completedAt,
    completed_at: completedAt,
    talk_seconds: null,
    starting_status: null,
    follow_up_booked: 0,
    safeguarding_raised: 0,
    within_remit: null,
    transcript_sent: 0,
    not_covered_stages: '[]',
    search_text: null,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Each held record in turn, by id, a batch at a time; `write` gets its history columns. */
async function backfill(
  db: MigrationContext['db'],
  write: (row: HeldRow, columns: HistoryColumns) => Promise<void>,
): Promise<void> {
  let after: string | null = null;
  for (;;) {
    let query = db
      .selectFrom('interactions')
      .select([
        'id',
        'adviser_id',
        'desk_id',
        'channel',
        'contact_ref',
        'completed_at',
        'received_at',
        'record_json',
      ])
      .orderBy('id')
      .limit(backfillBatch);
    if (after !== null) query = query.where('id', '>', after);
    const rows: HeldRow[] = await query.execute();
    for (const row of rows) await write(row, heldColumns(row));
    const last = rows.at(-1);
    if (!last || rows.length < backfillBatch) return;
    after = last.id;
  }
}

async function upSqlite(context: MigrationContext): Promise<void> {
  await context.exec(sqliteTable);
  await backfill(context.db, async (row, columns) => {
    // The old row's columns, and completed_at rewritten in UTC (historyColumns).
    await context.db
      .insertInto('interactions_next')
      .values({ ...row, ...columns })
      .execute();
  });
  await context.exec(`
    DROP TABLE interactions;
    ALTER TABLE interactions_next RENAME TO interactions;
    ${historyIndexes}
    ${sqliteSearch}
    ${personalDataViews.sqlite}
  `);
}

async function upPostgres(context: MigrationContext): Promise<void> {
  await context.exec(`
    ALTER TABLE interactions
      ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY,
      ADD COLUMN started_at text,
      ADD COLUMN talk_seconds integer,
      ADD COLUMN starting_status text,
      ADD COLUMN follow_up_booked integer,
      ADD COLUMN safeguarding_raised integer,
      ADD COLUMN within_remit integer,
      ADD COLUMN transcript_sent integer,
      ADD COLUMN not_covered_stages text,
      ADD COLUMN search_text text;
  `);
  await backfill(context.db, async (row, columns) => {
    await context.db.updateTable('interactions').set(columns).where('id', '=', row.id).execute();
  });
  await context.exec(`
    ALTER TABLE interactions
      ALTER COLUMN started_at SET NOT NULL,
      ALTER COLUMN follow_up_booked SET NOT NULL,
      ALTER COLUMN safeguarding_raised SET NOT NULL,
      ALTER COLUMN transcript_sent SET NOT NULL,
      ALTER COLUMN not_covered_stages SET NOT NULL;

    -- Computed by PostgreSQL from the redacted text whenever it is written (null
    -- until the indexer has written it), so the two can never disagree.
    -- English stemming, as the knowledge search.
    ALTER TABLE interactions ADD COLUMN search_document tsvector
      GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED;
    CREATE INDEX interactions_search ON interactions USING gin (search_document);

    -- Replaced by the history indexes, which lead with the same columns.
    DROP INDEX interactions_adviser_completed;
    DROP INDEX interactions_completed;
    DROP INDEX interactions_channel;
    ${historyIndexes}
    ${personalDataViews.postgres}
  `);
}

export const interactionHistoryMigration: ServerMigration = {
  version: 11,
  name: 'interaction-history',
  up: (context) => (context.engine === 'sqlite' ? upSqlite(context) : upPostgres(context)),
};
