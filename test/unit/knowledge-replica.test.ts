// The desk's knowledge replica on a real SQLite file: pages and cursor commit
// together, repeats and stale changes change nothing, tombstones leave search.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureKnowledgeSchema, knowledgeMigrations } from '../../knowledge-base/replica';
import {
  articleFixture,
  openReplica,
  pageOf,
  type OpenReplica,
} from '../../knowledge-base/testing';
import type { KnowledgeChangePage } from '../../shared/knowledge/article';

let folder: string;
let file: string;
let desk: OpenReplica;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'knowledge-replica-'));
  file = join(folder, 'desk.sqlite');
  desk = openReplica(file);
});

afterEach(() => {
  desk.close();
  rmSync(folder, { recursive: true, force: true });
});

const idsFound = (text: string): string[] => {
  const answer = desk.search.search({ text, limit: 20 });
  if (!answer.ok) throw new Error(answer.error.message);
  return answer.value.results.map((hit) => hit.id);
};

/** FTS5's own check that both indexes hold exactly what the articles table says. */
const expectIndexesMatchArticles = () => {
  for (const index of ['knowledge_fts', 'knowledge_lead_fts']) {
    expect(() =>
      desk.db.prepare(`INSERT INTO ${index} (${index}, rank) VALUES ('integrity-check', 1)`).run(),
    ).not.toThrow();
  }
};

const articleRows = () =>
  desk.db.prepare('SELECT id, version FROM knowledge_articles ORDER BY id').all() as {
    id: string;
    version: number;
  }[];
const vocabulary = () =>
  desk.db.prepare('SELECT word, doc_count FROM knowledge_words ORDER BY word').all() as {
    word: string;
    doc_count: number;
  }[];

const bursary = articleFixture({
  id: 'bursary-fund',
  title: '16 to 19 Bursary Fund',
  body: 'Help with travel costs.',
});
const apprenticeship = articleFixture({
  id: 'apprenticeship-pay',
  title: 'Apprenticeship pay',
  body: 'The apprentice rate.',
});
const nursing = articleFixture({
  id: 'nursing-degree',
  title: 'Becoming a nurse',
  body: 'Nursing degree apprenticeships.',
});

const pageOne: KnowledgeChangePage = { ...pageOf([bursary, apprenticeship], 1), hasMore: true };
const pageTwo: KnowledgeChangePage = {
  changes: [
    { version: 3, article: { ...nursing, version: 3 } },
    { version: 4, tombstone: { id: 'bursary-fund' } },
  ],
  nextCursor: 4,
  hasMore: false,
};

describe('the knowledge replica schema', () => {
  it('is applied once and recognised on the next open', () => {
    ensureKnowledgeSchema(desk.db);
    const applied = desk.db.prepare('SELECT version, name FROM knowledge_schema').all();
    expect(applied).toEqual(knowledgeMigrations.map(({ version, name }) => ({ version, name })));
  });

  it('keeps a replica built before page indexing searchable through the upgrade', () => {
    desk.close();
    rmSync(file);
    // The replica as the first release built it: migration 0001 only, articles indexed by trigger.
    const old = new Database(file);
    old.exec(
      'CREATE TABLE knowledge_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT',
    );
    knowledgeMigrations[0]!.up(old);
    old.prepare('INSERT INTO knowledge_schema VALUES (1, ?)').run(knowledgeMigrations[0]!.name);
    old
      .prepare(
        `INSERT INTO knowledge_articles (id, version, title, summary, body, keywords, topics_mask,
          audience_mask, region_mask, kind_mask, review_by, details)
         VALUES ('bursary-fund', 1, '16 to 19 Bursary Fund', 'Money for students.', 'Help with travel costs.',
          'money national guide', 1, 1, 1, 1, '2027-10-01', '{"lastReviewed":"2026-10-01","sources":[]}')`,
      )
      .run();
    old.close();

    desk = openReplica(file);
    expect(idsFound('travel')).toEqual(['bursary-fund']);
    expect(idsFound('burs')).toEqual(['bursary-fund']);
    desk.replica.applyPage({ ...pageOf([apprenticeship], 2), nextCursor: 2 });
    expect(idsFound('apprentice')).toEqual(['apprenticeship-pay']);
    expectIndexesMatchArticles();
  });

  it('refuses a database whose replica history this build does not know', () => {
    desk.db
      .prepare("INSERT INTO knowledge_schema (version, name) VALUES (?, '9999-from-the-future')")
      .run(knowledgeMigrations.length + 1);
    expect(() => ensureKnowledgeSchema(desk.db)).toThrow(/9999-from-the-future/);
  });
});

describe('applyPage', () => {
  it('stores the articles and the cursor together', () => {
    expect(desk.replica.cursor()).toBe(0);
    expect(desk.replica.applyPage(pageOne)).toEqual({
      ok: true,
      value: { cursor: 2, applied: 2, skipped: 0 },
    });
    expect(articleRows()).toEqual([
      { id: 'apprenticeship-pay', version: 2 },
      { id: 'bursary-fund', version: 1 },
    ]);
    expect(desk.replica.article('bursary-fund')).toMatchObject({
      title: '16 to 19 Bursary Fund',
      version: 1,
    });
    expect(idsFound('bursary')).toEqual(['bursary-fund']);
  });

  it('changes nothing when the same page arrives twice', () => {
    desk.replica.applyPage(pageOne);
    const before = { rows: articleRows(), words: vocabulary() };
    expect(desk.replica.applyPage(pageOne)).toEqual({
      ok: true,
      value: { cursor: 2, applied: 0, skipped: 2 },
    });
    expect({ rows: articleRows(), words: vocabulary() }).toEqual(before);
    expect(idsFound('apprenticeship')).toEqual(['apprenticeship-pay']);
  });

  it('resumes after a crash between pages without loss or repeat', () => {
    desk.replica.applyPage(pageOne);
    // The desk stops between pages; the next start opens the same file.
    desk.close();
    desk = openReplica(file);
    expect(desk.replica.cursor()).toBe(2);
    expect(desk.replica.applyPage(pageTwo).ok).toBe(true);
    // The server resends page one (the desk's request raced the crash): nothing is undone.
    expect(desk.replica.applyPage(pageOne)).toEqual({
      ok: true,
      value: { cursor: 4, applied: 0, skipped: 2 },
    });
    expect(articleRows()).toEqual([
      { id: 'apprenticeship-pay', version: 2 },
      { id: 'nursing-degree', version: 3 },
    ]);
    expect(idsFound('bursary')).toEqual([]);
  });

  it('removes a tombstoned article from search and from the vocabulary', () => {
    desk.replica.applyPage(pageOne);
    expect(vocabulary().find((entry) => entry.word === 'bursary')).toEqual({
      word: 'bursary',
      doc_count: 1,
    });
    desk.replica.applyPage(pageTwo);
    expect(idsFound('bursary')).toEqual([]);
    expect(desk.replica.article('bursary-fund')).toBeNull();
    expect(vocabulary().find((entry) => entry.word === 'bursary')).toBeUndefined();
    // A misspelling is no longer corrected towards a word only the removed article used.
    const answer = desk.search.search({ text: 'bursery ' });
    expect(answer.ok && answer.value.searchedFor).toBeNull();
  });

  it('replaces an edited article: the old wording no longer finds it, the new does', () => {
    desk.replica.applyPage(pageOne);
    const edited = { ...bursary, version: 5, body: 'Help with meals and equipment.' };
    desk.replica.applyPage({
      changes: [{ version: 5, article: edited }],
      nextCursor: 5,
      hasMore: false,
    });
    expect(idsFound('travel')).toEqual([]);
    expect(idsFound('equipment')).toEqual(['bursary-fund']);
    expect(desk.replica.article('bursary-fund')?.version).toBe(5);
  });

  it('indexes an article added and then edited or retired within one page', () => {
    desk.replica.applyPage({
      changes: [
        { version: 1, article: { ...bursary, version: 1 } },
        { version: 2, article: { ...apprenticeship, version: 2 } },
        { version: 3, article: { ...bursary, version: 3, body: 'Help with meals.' } },
        { version: 4, tombstone: { id: 'apprenticeship-pay' } },
        { version: 5, article: { ...nursing, version: 5 } },
      ],
      nextCursor: 5,
      hasMore: false,
    });
    expect(idsFound('travel')).toEqual([]);
    expect(idsFound('meals')).toEqual(['bursary-fund']);
    expect(idsFound('apprentice')).toEqual(['nursing-degree']);
    expectIndexesMatchArticles();
  });

  it('ignores a change older than the copy it already holds', () => {
    desk.replica.applyPage({
      changes: [
        { version: 7, article: { ...bursary, version: 7, title: 'Bursary Fund, current' } },
      ],
      nextCursor: 7,
      hasMore: false,
    });
    // A page from another feed position carrying an older copy must not win.
    const stale = desk.replica.applyPage({
      changes: [{ version: 8, article: { ...bursary, version: 6, title: 'Bursary Fund, old' } }],
      nextCursor: 8,
      hasMore: false,
    });
    expect(stale.ok).toBe(true);
    expect(desk.replica.article('bursary-fund')?.title).toBe('Bursary Fund, current');
  });

  it('takes an article out of search when it is no longer published', () => {
    desk.replica.applyPage(pageOne);
    desk.replica.applyPage({
      changes: [{ version: 3, article: { ...bursary, version: 3, status: 'retired' } }],
      nextCursor: 3,
      hasMore: false,
    });
    expect(idsFound('bursary')).toEqual([]);
  });

  it('refuses a malformed page whole, writing nothing', () => {
    const broken = {
      changes: [
        { version: 1, article: { ...bursary, version: 1 } },
        { version: 2, article: { ...apprenticeship, version: 2, region: 'wales' } },
      ],
      nextCursor: 2,
      hasMore: false,
    };
    const outcome = desk.replica.applyPage(broken);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!outcome.ok && outcome.error.issues?.[0]?.path).toBe('changes.1');
    expect(articleRows()).toEqual([]);
    expect(desk.replica.cursor()).toBe(0);
  });

  it('refuses a page whose cursor is behind its own changes', () => {
    expect(desk.replica.applyPage({ ...pageOne, nextCursor: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('rolls the whole page back when the database refuses part of it', () => {
    desk.db.exec(`CREATE TRIGGER refuse_nursing BEFORE INSERT ON knowledge_articles
      WHEN new.id = 'nursing-degree' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    const outcome = desk.replica.applyPage({
      changes: [
        { version: 1, article: { ...bursary, version: 1 } },
        { version: 2, article: { ...nursing, version: 2 } },
      ],
      nextCursor: 2,
      hasMore: false,
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(articleRows()).toEqual([]);
    expect(vocabulary()).toEqual([]);
    expect(desk.replica.cursor()).toBe(0);
  });

  it('works on a database the desk migrates itself, through the listed migrations', () => {
    const own = new Database(join(folder, 'own.sqlite'));
    for (const migration of knowledgeMigrations) own.transaction(() => migration.up(own))();
    expect(own.prepare('SELECT cursor FROM knowledge_sync_state').pluck().get()).toBe(0);
    own.close();
  });
});
