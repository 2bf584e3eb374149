// The desk's replica of the knowledge network: published articles, their
// full-text indexes and the sync cursor, in the desk's own SQLite file. A page
// of the change feed and its cursor commit together, so a crash mid-sync
// resumes at the last whole page and a page applied twice changes nothing.
import type { Database } from 'better-sqlite3';
import {
  knowledgeArticleSchema,
  knowledgeAudiences,
  knowledgeChangePageSchema,
  knowledgeKinds,
  knowledgeRegions,
  knowledgeTopics,
  type KnowledgeArticle,
  type KnowledgeChangePage,
  type KnowledgeCursor,
} from '../shared/knowledge/article';
import { fail, ok, parseInput, type Result } from '../shared/result';
import { wordsOf } from './text';

/** Same shape as the desk's numbered migrations, so the desk can list these in its own. */
export interface KnowledgeMigration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Porter stemming over unicode61 with accents folded; the scratch index in search.ts uses the same. */
export const tokenizer = `tokenize = 'porter unicode61 remove_diacritics 2'`;

const migration0001: KnowledgeMigration = {
  version: 1,
  name: '0001-knowledge-replica',
  up(db) {
    db.exec(`
      -- rowid is the index's key; id is the article's slug. keywords carries the
      -- topics, region and kind as words so that "money" finds articles on the topic.
      CREATE TABLE knowledge_articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        body TEXT NOT NULL,
        keywords TEXT NOT NULL,
        topics_mask INTEGER NOT NULL,
        audience_mask INTEGER NOT NULL,
        region_mask INTEGER NOT NULL,
        kind_mask INTEGER NOT NULL,
        review_by TEXT NOT NULL,
        -- Everything else the article view needs (sources, contact, dates), as JSON.
        details TEXT NOT NULL
      ) STRICT;

      -- Full ranking: title, summary, body, keywords. External content keeps one copy of the text.
      CREATE VIRTUAL TABLE knowledge_fts USING fts5(
        title, summary, body, keywords,
        content = 'knowledge_articles', content_rowid = 'rowid',
        ${tokenizer}, prefix = '2 3'
      );

      -- The small index for short, unselective prefixes: titles and keywords only.
      CREATE VIRTUAL TABLE knowledge_lead_fts USING fts5(
        title, keywords,
        content = 'knowledge_articles', content_rowid = 'rowid',
        ${tokenizer}, prefix = '1 2 3'
      );

      CREATE TRIGGER knowledge_articles_indexed AFTER INSERT ON knowledge_articles BEGIN
        INSERT INTO knowledge_fts (rowid, title, summary, body, keywords)
          VALUES (new.rowid, new.title, new.summary, new.body, new.keywords);
        INSERT INTO knowledge_lead_fts (rowid, title, keywords) VALUES (new.rowid, new.title, new.keywords);
      END;
      CREATE TRIGGER knowledge_articles_unindexed AFTER DELETE ON knowledge_articles BEGIN
        INSERT INTO knowledge_fts (knowledge_fts, rowid, title, summary, body, keywords)
          VALUES ('delete', old.rowid, old.title, old.summary, old.body, old.keywords);
        INSERT INTO knowledge_lead_fts (knowledge_lead_fts, rowid, title, keywords)
          VALUES ('delete', old.rowid, old.title, old.keywords);
      END;
      CREATE TRIGGER knowledge_articles_reindexed AFTER UPDATE ON knowledge_articles BEGIN
        INSERT INTO knowledge_fts (knowledge_fts, rowid, title, summary, body, keywords)
          VALUES ('delete', old.rowid, old.title, old.summary, old.body, old.keywords);
        INSERT INTO knowledge_lead_fts (knowledge_lead_fts, rowid, title, keywords)
          VALUES ('delete', old.rowid, old.title, old.keywords);
        INSERT INTO knowledge_fts (rowid, title, summary, body, keywords)
          VALUES (new.rowid, new.title, new.summary, new.body, new.keywords);
        INSERT INTO knowledge_lead_fts (rowid, title, keywords) VALUES (new.rowid, new.title, new.keywords);
      END;

      -- The replica's own vocabulary, as typed (folded, not stemmed), with how many
      -- articles use each word: spelling correction and prefix completion read it.
      CREATE TABLE knowledge_words (
        word TEXT PRIMARY KEY,
        doc_count INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE knowledge_sync_state (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        cursor INTEGER NOT NULL CHECK (cursor >= 0)
      ) STRICT;
      INSERT INTO knowledge_sync_state (singleton, cursor) VALUES (1, 0);
    `);
  },
};

/**
 * Faster to write, for a first sync of a large network. At 100,000 articles
 * the first sync spent most of its time in two places: the row trigger that
 * indexed each article on its own (indexing a whole page with one statement
 * is about four times faster), and the full index's prefix tables, which wrote
 * three entries for every word of every body. So new articles are indexed by
 * applyPage, a page at a time, and the full index keeps no prefix tables: a
 * word being typed is matched in bodies through its completions in the
 * vocabulary, and in titles through the lead index, which keeps its own.
 * Edits and removals stay with triggers: they are few, and need the old text.
 * Measured in docs/decisions/0009-knowledge-index-write-path.md.
 */
const migration0002: KnowledgeMigration = {
  version: 2,
  name: '0002-knowledge-page-indexing',
  up(db) {
    // The edit and removal triggers stay: they name the full index by name and
    // columns, which the new index keeps.
    db.exec(`
      DROP TRIGGER knowledge_articles_indexed;
      DROP TABLE knowledge_fts;
      CREATE VIRTUAL TABLE knowledge_fts USING fts5(
        title, summary, body, keywords,
        content = 'knowledge_articles', content_rowid = 'rowid',
        ${tokenizer}
      );
      INSERT INTO knowledge_fts (knowledge_fts) VALUES ('rebuild');
    `);
  },
};

/** The replica's migrations, in order; the desk appends each to its own numbered list. */
export const knowledgeMigrations: readonly KnowledgeMigration[] = [migration0001, migration0002];

/**
 * For a database the desk does not migrate itself (tools, benchmarks, tests):
 * applies the replica's migrations that are missing, recorded in their own table.
 */
export function ensureKnowledgeSchema(db: Database): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS knowledge_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT`,
  );
  const applied = db
    .prepare('SELECT version, name FROM knowledge_schema ORDER BY version')
    .all() as {
    version: number;
    name: string;
  }[];
  applied.forEach((row, index) => {
    const known = knowledgeMigrations[index];
    if (!known || known.version !== row.version || known.name !== row.name) {
      throw new Error(
        `The knowledge replica has migration ${row.version} (${row.name}), which this build does not know`,
      );
    }
  });
  const record = db.prepare('INSERT INTO knowledge_schema (version, name) VALUES (?, ?)');
  for (const migration of knowledgeMigrations.slice(applied.length)) {
    db.transaction(() => {
      migration.up(db);
      record.run(migration.version, migration.name);
    })();
  }
}

export const maskOf = <T extends string>(all: readonly T[], chosen: readonly T[]): number =>
  chosen.reduce((mask, value) => mask | (1 << all.indexOf(value)), 0);

const valuesOf = <T extends string>(all: readonly T[], mask: number): T[] =>
  all.filter((_, index) => (mask & (1 << index)) !== 0);

// highlight() and snippet() mark matches with these; the replica keeps them out of article text.
export const matchStart = '\uE000';
export const matchEnd = '\uE001';
const withoutMarkers = (text: string): string => text.replace(/[\uE000\uE001]/g, '\uFFFD');

interface StoredArticle {
  rowid: number;
  id: string;
  version: number;
  title: string;
  summary: string;
  body: string;
  keywords: string;
  topics_mask: number;
  audience_mask: number;
  region_mask: number;
  kind_mask: number;
  review_by: string;
  details: string;
}

interface ArticleDetails {
  lastReviewed: string;
  sources: KnowledgeArticle['sources'];
  contact?: KnowledgeArticle['contact'];
  openingHours?: string;
}

function keywordsOf(article: KnowledgeArticle): string {
  return [...article.topics, article.region, article.kind]
    .map((slug) => slug.replace(/-/g, ' '))
    .join(' ');
}

export interface AppliedPage {
  /** The cursor stored after the page (unchanged when the page was already applied). */
  cursor: KnowledgeCursor;
  /** Changes this call wrote; changes at or below the stored cursor are skipped. */
  applied: number;
  skipped: number;
}

/** Reads and writes the replica on a database handle the desk owns. */
export class KnowledgeReplica {
  private readonly statements;

  constructor(private readonly db: Database) {
    this.statements = {
      cursor: db.prepare('SELECT cursor FROM knowledge_sync_state WHERE singleton = 1').pluck(),
      setCursor: db.prepare('UPDATE knowledge_sync_state SET cursor = ? WHERE singleton = 1'),
      byId: db.prepare('SELECT * FROM knowledge_articles WHERE id = ?'),
      insert: db.prepare(`INSERT INTO knowledge_articles
        (id, version, title, summary, body, keywords, topics_mask, audience_mask, region_mask, kind_mask, review_by, details)
        VALUES (@id, @version, @title, @summary, @body, @keywords, @topics_mask, @audience_mask, @region_mask, @kind_mask, @review_by, @details)`),
      update:
        db.prepare(`UPDATE knowledge_articles SET version = @version, title = @title, summary = @summary,
        body = @body, keywords = @keywords, topics_mask = @topics_mask, audience_mask = @audience_mask,
        region_mask = @region_mask, kind_mask = @kind_mask, review_by = @review_by, details = @details
        WHERE id = @id`),
      remove: db.prepare('DELETE FROM knowledge_articles WHERE id = ?'),
      // New articles, indexed a page at a time (migration 0002). Ascending rowids suit FTS5 best.
      index: db.prepare(`INSERT INTO knowledge_fts (rowid, title, summary, body, keywords)
        SELECT a.rowid, a.title, a.summary, a.body, a.keywords
          FROM json_each(?) AS j JOIN knowledge_articles AS a ON a.rowid = j.value ORDER BY a.rowid`),
      indexLead: db.prepare(`INSERT INTO knowledge_lead_fts (rowid, title, keywords)
        SELECT a.rowid, a.title, a.keywords
          FROM json_each(?) AS j JOIN knowledge_articles AS a ON a.rowid = j.value ORDER BY a.rowid`),
      addWord: db.prepare(`INSERT INTO knowledge_words (word, doc_count) VALUES (?, ?)
        ON CONFLICT (word) DO UPDATE SET doc_count = doc_count + excluded.doc_count`),
      subtractWord: db.prepare(
        'UPDATE knowledge_words SET doc_count = doc_count - ? WHERE word = ?',
      ),
      dropUnusedWords: db.prepare('DELETE FROM knowledge_words WHERE doc_count <= 0'),
      count: db.prepare('SELECT count(*) FROM knowledge_articles').pluck(),
    };
  }

  cursor(): KnowledgeCursor {
    return this.statements.cursor.get() as number;
  }

  articleCount(): number {
    return this.statements.count.get() as number;
  }

  /**
   * Applies one page of the change feed and its cursor in one transaction.
   * Input is parsed here: a malformed page is refused whole and nothing is written.
   */
  applyPage(input: unknown): Result<AppliedPage> {
    const parsed = parseInput(knowledgeChangePageSchema, input, 'Knowledge change page');
    return parsed.ok ? this.applyParsedPage(parsed.value) : parsed;
  }

  /**
   * The same, for a page already parsed against knowledgeChangePageSchema (the
   * feed parses what the server sends): a page of 1,000 articles takes about
   * 15 ms to parse, so it is not parsed twice.
   */
  applyParsedPage(page: KnowledgeChangePage): Result<AppliedPage> {
    const lastVersion = page.changes.reduce(
      (highest, change) => Math.max(highest, change.version),
      0,
    );
    if (page.nextCursor < lastVersion) {
      return fail(
        'invalid_input',
        'Knowledge change page: nextCursor is below a change it carries',
      );
    }
    try {
      const outcome = this.db.transaction((): AppliedPage => {
        const stored = this.cursor();
        const wordDeltas = new Map<string, number>();
        let applied = 0;
        let skipped = 0;
        // Inserted but not yet indexed. Indexed before any edit or removal, whose
        // triggers take the old text out of the indexes, and at the end of the page.
        let unindexed: number[] = [];
        const indexInserted = () => {
          if (unindexed.length === 0) return;
          const rowids = JSON.stringify(unindexed);
          this.statements.index.run(rowids);
          this.statements.indexLead.run(rowids);
          unindexed = [];
        };
        for (const change of page.changes) {
          if (change.version <= stored) {
            skipped += 1;
            continue;
          }
          const existing = this.statements.byId.get(
            'article' in change ? change.article.id : change.tombstone.id,
          ) as StoredArticle | undefined;
          // A newer copy already here (pages overlapping after a resend) wins over an older one.
          const incomingVersion = 'article' in change ? change.article.version : change.version;
          if (existing && existing.version >= incomingVersion) {
            skipped += 1;
            continue;
          }
          if (existing) {
            indexInserted();
            countWords(wordDeltas, existing, -1);
          }
          if ('article' in change && change.article.status === 'published') {
            const row = rowOf(change.article);
            if (existing) this.statements.update.run(row);
            else unindexed.push(Number(this.statements.insert.run(row).lastInsertRowid));
            countWords(wordDeltas, row, 1);
          } else if (existing) {
            // Tombstones, and articles withdrawn from publication, leave the desk's search.
            this.statements.remove.run(existing.id);
          }
          applied += 1;
        }
        indexInserted();
        for (const [word, delta] of wordDeltas) {
          if (delta > 0) this.statements.addWord.run(word, delta);
          else if (delta < 0) this.statements.subtractWord.run(-delta, word);
        }
        this.statements.dropUnusedWords.run();
        const cursor = Math.max(stored, page.nextCursor);
        this.statements.setCursor.run(cursor);
        return { cursor, applied, skipped };
      })();
      return ok(outcome);
    } catch (error) {
      return fail(
        'internal',
        `The knowledge replica could not apply the page: ${(error as Error).message}`,
      );
    }
  }

  /** One article for the article view, or null when the replica does not hold it. */
  article(id: string): KnowledgeArticle | null {
    const row = this.statements.byId.get(id) as StoredArticle | undefined;
    if (!row) return null;
    const details = JSON.parse(row.details) as ArticleDetails;
    const article = knowledgeArticleSchema.safeParse({
      id: row.id,
      version: row.version,
      status: 'published',
      title: row.title,
      summary: row.summary,
      body: row.body,
      topics: valuesOf(knowledgeTopics, row.topics_mask),
      audience: valuesOf(knowledgeAudiences, row.audience_mask),
      region: valuesOf(knowledgeRegions, row.region_mask)[0],
      kind: valuesOf(knowledgeKinds, row.kind_mask)[0],
      reviewBy: row.review_by,
      ...details,
    });
    return article.success ? article.data : null;
  }

  /**
   * Merges the full-text indexes' segments. Worth running once after a long
   * first sync; it rewrites the index, so not on every page.
   */
  optimize(): void {
    this.db.exec(`INSERT INTO knowledge_fts (knowledge_fts) VALUES ('optimize');
      INSERT INTO knowledge_lead_fts (knowledge_lead_fts) VALUES ('optimize');`);
  }
}

type ArticleRow = Omit<StoredArticle, 'rowid'>;

function rowOf(article: KnowledgeArticle): ArticleRow {
  const details: ArticleDetails = {
    lastReviewed: article.lastReviewed,
    sources: article.sources,
    ...(article.contact ? { contact: article.contact } : {}),
    ...(article.openingHours ? { openingHours: article.openingHours } : {}),
  };
  return {
    id: article.id,
    version: article.version,
    title: withoutMarkers(article.title),
    summary: withoutMarkers(article.summary),
    body: withoutMarkers(article.body),
    keywords: keywordsOf(article),
    topics_mask: maskOf(knowledgeTopics, article.topics),
    audience_mask: maskOf(knowledgeAudiences, article.audience),
    region_mask: maskOf(knowledgeRegions, [article.region]),
    kind_mask: maskOf(knowledgeKinds, [article.kind]),
    review_by: article.reviewBy,
    details: JSON.stringify(details),
  };
}

function countWords(deltas: Map<string, number>, row: ArticleRow, sign: 1 | -1): void {
  const distinct = new Set(wordsOf(`${row.title} ${row.summary} ${row.body} ${row.keywords}`));
  for (const word of distinct) deltas.set(word, (deltas.get(word) ?? 0) + sign);
}
