// The knowledge network's source of truth: every published or retired copy of
// an article under one global, monotonic version sequence (the change feed is
// "versions above the desk's cursor"), the current state of each article, and
// the drafts waiting for review.
import type { ServerMigration } from './types';

export const knowledgeMigration: ServerMigration = {
  version: 5,
  name: 'knowledge',
  up(db) {
    db.exec(`
      -- AUTOINCREMENT: a version number is never handed out twice, even after a rollback
      -- or a deleted row, because a desk's cursor is a promise that nothing at or below
      -- it will ever change again.
      CREATE TABLE knowledge_article_versions (
        version INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('published', 'retired')),
        -- For a retirement, the last published copy, so the history reads on its own.
        content_json TEXT NOT NULL,
        -- The draft an approval published; null for the starter import and retirements.
        draft_id TEXT REFERENCES knowledge_drafts(draft_id),
        -- Who approved or retired it; null for the starter import.
        written_by TEXT REFERENCES accounts(id),
        written_at TEXT NOT NULL,
        retire_reason TEXT
      ) STRICT;
      CREATE INDEX knowledge_article_versions_article ON knowledge_article_versions (article_id, version);

      -- One row per article: which version is current. The feed reads this table, so
      -- a desk catching up receives each article's newest copy once, not its history.
      CREATE TABLE knowledge_articles (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL UNIQUE REFERENCES knowledge_article_versions(version),
        status TEXT NOT NULL CHECK (status IN ('published', 'retired')),
        title TEXT NOT NULL,
        review_by TEXT NOT NULL
      ) STRICT;
      CREATE INDEX knowledge_articles_review ON knowledge_articles (status, review_by);

      -- No foreign key from article_id or base_version: a draft may propose a new
      -- article, or start from a copy this server no longer holds.
      CREATE TABLE knowledge_drafts (
        draft_id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL,
        author_id TEXT NOT NULL REFERENCES accounts(id),
        base_version INTEGER,
        content_json TEXT NOT NULL,
        note TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'awaiting-review'
          CHECK (status IN ('awaiting-review', 'published', 'rejected')),
        edited_at TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        decided_by TEXT REFERENCES accounts(id),
        decided_at TEXT,
        -- The article's version when the draft was decided, so a decided draft still
        -- shows the conflict the reviewer saw rather than one computed against today.
        decided_against_version INTEGER,
        rejection_reason TEXT,
        published_version INTEGER REFERENCES knowledge_article_versions(version)
      ) STRICT;
      CREATE INDEX knowledge_drafts_status ON knowledge_drafts (status, submitted_at);
      CREATE INDEX knowledge_drafts_author ON knowledge_drafts (author_id, status, submitted_at);
    `);
  },
};
