// Helpers for tests of the knowledge replica and search: articles made to
// measure, and a replica on a real SQLite file opened as the desk opens its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type {
  ArticleContent,
  KnowledgeArticle,
  KnowledgeChangePage,
} from '../shared/knowledge/article';
import { ensureKnowledgeSchema, KnowledgeReplica } from './replica';
import { KnowledgeSearch, type KnowledgeSearchOptions } from './search';

/** A valid published article; override what the test is about. */
export function articleFixture(
  overrides: Partial<KnowledgeArticle> & { id: string },
): KnowledgeArticle {
  return {
    version: 1,
    status: 'published',
    title: `About ${overrides.id.replace(/-/g, ' ')}`,
    summary: 'A short summary an adviser can read out to the caller.',
    body: 'Some general guidance for the caller.',
    topics: ['careers'],
    audience: ['young-person'],
    region: 'national',
    kind: 'guide',
    lastReviewed: '2026-10-01',
    reviewBy: '2027-10-01',
    sources: [{ title: 'GOV.UK', url: 'https://www.gov.uk/' }],
    ...overrides,
  };
}

/** Every article as one page of the change feed, versions 1, 2, 3... in order. */
export function pageOf(
  articles: readonly (ArticleContent | KnowledgeArticle)[],
  firstVersion = 1,
): KnowledgeChangePage {
  const changes = articles.map((article, index) => ({
    version: firstVersion + index,
    article: { ...article, version: firstVersion + index, status: 'published' as const },
  }));
  return { changes, nextCursor: firstVersion + articles.length - 1, hasMore: false };
}

export interface OpenReplica {
  db: Database.Database;
  replica: KnowledgeReplica;
  search: KnowledgeSearch;
  close(): void;
}

export function openReplica(file: string, options: KnowledgeSearchOptions = {}): OpenReplica {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  ensureKnowledgeSchema(db);
  const search = new KnowledgeSearch(db, options);
  return {
    db,
    replica: new KnowledgeReplica(db),
    search,
    close: () => {
      search.close();
      db.close();
    },
  };
}

/**
 * A replica in a fresh temporary folder holding `articles`, published; its
 * close() removes the folder too.
 */
export function replicaHolding(
  label: string,
  articles: readonly (ArticleContent | KnowledgeArticle)[],
  options: KnowledgeSearchOptions = {},
): OpenReplica {
  const folder = mkdtempSync(join(tmpdir(), `${label}-`));
  const opened = openReplica(join(folder, 'desk.sqlite'), options);
  const applied = opened.replica.applyPage(pageOf(articles));
  if (!applied.ok) throw new Error(applied.error.message);
  return {
    ...opened,
    close: () => {
      opened.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
