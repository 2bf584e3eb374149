// The knowledge store's contract, the same expectations on SQLite and on
// PostgreSQL: the starter import, the change feed and its cursor's promise
// (also under concurrent writers), drafts with review and conflicts,
// retirement, full-text search in each engine's own search, and migration
// 010 indexing the articles a server already held.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ArticleContent, KnowledgeChange } from '../../shared/knowledge/article';
import type { KnowledgeEdit } from '../../shared/wire/knowledge';
import { fts5Query, KyselyKnowledgeStore } from '../../server/knowledge/store';
import type { KnowledgeStore } from '../../server/knowledge/types';
import {
  inTransaction,
  openPostgresDatabase,
  openSqliteDatabase,
  type Executor,
  type StoreContext,
} from '../../server/storage/database';
import { migrate } from '../../server/storage/migrate';
import { serverMigrations } from '../../server/storage/migrations';
import { StorageConflictError } from '../../server/storage/types';
import { describeEachEngine, openTestDatabase, testDatabase } from '../support/storage';

const at = '2026-11-29T09:00:00.000Z';
const later = '2026-11-29T10:00:00.000Z';

function articleContent(id: string, changes: Partial<ArticleContent> = {}): ArticleContent {
  return {
    id,
    title: `About ${id.replace(/-/g, ' ')}`,
    summary: 'A short summary an adviser can read out to the caller.',
    body: 'Some general guidance for the caller.',
    topics: ['careers'],
    audience: ['young-person'],
    region: 'national',
    kind: 'guide',
    lastReviewed: '2026-10-01',
    reviewBy: '2027-10-01',
    sources: [{ title: 'GOV.UK', url: 'https://www.gov.uk/' }],
    ...changes,
  };
}

const starter = [
  articleContent('apprenticeship-levels', {
    title: 'Apprenticeship levels',
    body: 'An apprenticeship combines paid work with training, from intermediate to degree level.',
    reviewBy: '2026-12-01',
  }),
  articleContent('student-finance', {
    title: 'Student finance',
    body: 'Tuition fee loans are paid to the university; maintenance loans help with living costs.',
    reviewBy: '2026-11-01',
  }),
  articleContent('t-levels', {
    title: 'T Levels',
    body: 'A T Level includes an industry placement of at least 45 days, like a short apprenticeship.',
    reviewBy: '2026-11-01',
  }),
  articleContent('careers-in-nursing', {
    title: 'Careers in nursing',
    body: 'Nursing degree apprenticeships let you earn while you train.',
  }),
];

/** Staff who write drafts and decide them (the drafts and versions refer to accounts). */
async function addStaff(db: Executor, ...ids: string[]): Promise<void> {
  await db
    .insertInto('accounts')
    .values(
      ids.map((id) => ({
        id,
        username: id,
        display_name: `Staff member ${id}`,
        password_hash: 'not-a-real-hash',
        created_at: at,
      })),
    )
    .execute();
}

function editOf(
  content: ArticleContent,
  baseVersion: number | null,
  changes: Partial<ArticleContent> = {},
): KnowledgeEdit {
  return {
    draftId: randomUUID(),
    articleId: content.id,
    baseVersion,
    content: { ...content, ...changes },
    note: 'Updated after a call',
    editedAt: at,
  };
}

/** Every change after `since`, page by page. */
async function feedFrom(
  store: KnowledgeStore,
  since: number,
  pageSize = 2,
): Promise<{ changes: KnowledgeChange[]; cursor: number }> {
  const changes: KnowledgeChange[] = [];
  let cursor = since;
  for (;;) {
    const page = await store.changes(cursor, pageSize);
    changes.push(...page.changes);
    cursor = page.nextCursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

const versionOf = async (store: KnowledgeStore, id: string): Promise<number> => {
  const article = await store.article(id);
  if (!article) throw new Error(`no article ${id}`);
  return article.version;
};

describeEachEngine('knowledge store', (open, engine) => {
  async function opened(): Promise<{ context: StoreContext; store: KyselyKnowledgeStore }> {
    const context = await open();
    await addStaff(context.db, 'author', 'author-2', 'reviewer');
    const store = new KyselyKnowledgeStore(context);
    expect(await store.importIfEmpty(starter, at)).toBe(starter.length);
    return { context, store };
  }

  it('imports once, one version each in the order given, and nothing when articles are held', async () => {
    const context = await open();
    const store = new KyselyKnowledgeStore(context);
    expect(await store.counts()).toEqual({ articles: 0, versions: 0, drafts: 0 });
    expect(await store.importIfEmpty(starter, at)).toBe(starter.length);
    expect(await store.counts()).toEqual({
      articles: starter.length,
      versions: starter.length,
      drafts: 0,
    });
    expect(await store.importIfEmpty(starter, later)).toBeNull();
    expect((await store.counts()).versions).toBe(starter.length);

    const { changes, cursor } = await feedFrom(store, 0);
    expect(changes).toEqual(
      starter.map((content, index) => ({
        version: index + 1,
        article: { ...content, version: index + 1, status: 'published' },
      })),
    );
    expect(cursor).toBe(starter.length);
    expect(await store.article('student-finance')).toEqual({
      ...starter[1],
      version: 2,
      status: 'published',
    });
    expect(await store.article('no-such-article')).toBeNull();
  });

  it('imports a large folder in order, and an id given twice is current at its later copy', async () => {
    const store = new KyselyKnowledgeStore(await open());
    const many = Array.from({ length: 450 }, (_, index) => articleContent(`article-${index}`));
    const again = articleContent('article-7', { title: 'Article seven, corrected' });
    expect(await store.importIfEmpty([...many, again], at)).toBe(451);
    expect(await store.counts()).toEqual({ articles: 450, versions: 451, drafts: 0 });
    const { changes } = await feedFrom(store, 0, 1_000);
    expect(changes.map((change) => change.version)).toEqual([
      ...Array.from({ length: 7 }, (_, index) => index + 1),
      ...Array.from({ length: 442 }, (_, index) => index + 9),
      451,
    ]);
    expect(
      changes.map((change) => ('article' in change ? change.article.id : change.tombstone.id)),
    ).toEqual([...many.filter((content) => content.id !== 'article-7'), again].map((c) => c.id));
    expect(await store.article('article-7')).toEqual({
      ...again,
      version: 451,
      status: 'published',
    });
    expect(await store.search('corrected', 10).then((hits) => hits.map((hit) => hit.id))).toEqual([
      'article-7',
    ]);
  });

  it('pages the feed oldest first with a cursor, and an empty page past the head', async () => {
    const { store } = await opened();
    const first = await store.changes(0, 3);
    expect(first.changes.map((change) => change.version)).toEqual([1, 2, 3]);
    expect(first).toMatchObject({ nextCursor: 3, hasMore: true });
    const second = await store.changes(3, 3);
    expect(second.changes.map((change) => change.version)).toEqual([4]);
    expect(second).toMatchObject({ nextCursor: 4, hasMore: false });
    expect(await store.changes(4, 3)).toEqual({ changes: [], nextCursor: 4, hasMore: false });
    // A cursor beyond anything written (a desk of a database since restored) stays put.
    expect(await store.changes(99, 3)).toEqual({ changes: [], nextCursor: 99, hasMore: false });
  });

  it('lists published articles past their review-by date, most overdue first', async () => {
    const { store } = await opened();
    expect(await store.reviewDue('2026-11-01')).toEqual([]);
    expect(await store.reviewDue('2026-11-02')).toEqual([
      { id: 'student-finance', title: 'Student finance', version: 2, reviewBy: '2026-11-01' },
      { id: 't-levels', title: 'T Levels', version: 3, reviewBy: '2026-11-01' },
    ]);
    await store.retire('t-levels', { by: 'reviewer', at, reason: 'Replaced' });
    expect((await store.reviewDue('2026-12-02')).map((row) => row.id)).toEqual([
      'student-finance',
      'apprenticeship-levels',
    ]);
  });

  it('keeps a draft once per id: a resend by its author is answered as held, anyone else is refused', async () => {
    const { store } = await opened();
    const edit = editOf(starter[0] ?? articleContent('x'), 1, { summary: 'A better summary.' });
    const first = await store.submitDraft(edit, 'author', at);
    expect(first.created).toBe(true);
    expect(first.draft).toEqual({
      draftId: edit.draftId,
      articleId: edit.articleId,
      authorId: 'author',
      // The reviewer reads who wrote it by name, never by id.
      authorName: 'Staff member author',
      baseVersion: 1,
      content: edit.content,
      note: edit.note,
      status: 'awaiting-review',
      conflict: null,
      submittedAt: at,
      decidedBy: null,
      decidedAt: null,
      rejectionReason: null,
    });
    expect(await store.submitDraft(edit, 'author', later)).toEqual({
      draft: first.draft,
      created: false,
    });
    await expect(store.submitDraft(edit, 'author-2', later)).rejects.toBeInstanceOf(
      StorageConflictError,
    );
    expect(await store.draft(edit.draftId)).toEqual(first.draft);
    expect(await store.draft(randomUUID())).toBeNull();
    expect((await store.counts()).drafts).toBe(1);
    // Submitting publishes nothing.
    expect((await store.counts()).versions).toBe(starter.length);
  });

  it('lists drafts awaiting review oldest first, decided ones newest decision first, by author when asked', async () => {
    const { store } = await opened();
    const [one, two, three] = starter;
    if (!one || !two || !three) throw new Error('starter articles missing');
    const a = editOf(one, 1);
    const b = editOf(two, 2);
    const c = editOf(three, 3);
    await store.submitDraft(a, 'author', '2026-11-29T09:00:01.000Z');
    await store.submitDraft(b, 'author-2', '2026-11-29T09:00:02.000Z');
    await store.submitDraft(c, 'author', '2026-11-29T09:00:03.000Z');
    const ids = async (filter: Parameters<KnowledgeStore['listDrafts']>[0]) =>
      (await store.listDrafts(filter)).map((draft) => draft.draftId);

    expect(await ids({ status: 'awaiting-review', authorId: null, limit: 10 })).toEqual([
      a.draftId,
      b.draftId,
      c.draftId,
    ]);
    expect(await ids({ status: 'awaiting-review', authorId: 'author', limit: 10 })).toEqual([
      a.draftId,
      c.draftId,
    ]);
    expect(await ids({ status: 'awaiting-review', authorId: null, limit: 2 })).toEqual([
      a.draftId,
      b.draftId,
    ]);

    await store.approveDraft(c.draftId, {
      reviewerId: 'reviewer',
      at: '2026-11-29T11:00:00.000Z',
      acknowledgeConflict: false,
    });
    await store.approveDraft(a.draftId, {
      reviewerId: 'reviewer',
      at: '2026-11-29T12:00:00.000Z',
      acknowledgeConflict: false,
    });
    await store.rejectDraft(b.draftId, { reviewerId: 'reviewer', at: later, reason: 'No' });
    expect(await ids({ status: 'published', authorId: null, limit: 10 })).toEqual([
      a.draftId,
      c.draftId,
    ]);
    expect(await ids({ status: 'rejected', authorId: 'author-2', limit: 10 })).toEqual([b.draftId]);
    expect(await ids({ status: 'awaiting-review', authorId: null, limit: 10 })).toEqual([]);
  });

  it('publishes an approved draft as the next version, and answers a second approval with the same copy', async () => {
    const { store } = await opened();
    const content = starter[1] ?? articleContent('x');
    const edit = editOf(content, 2, { title: 'Student finance in 2027' });
    await store.submitDraft(edit, 'author', at);
    const approval = { reviewerId: 'reviewer', at: later, acknowledgeConflict: false };
    const published = await store.approveDraft(edit.draftId, approval);
    const article = { ...edit.content, version: starter.length + 1, status: 'published' };
    expect(published).toEqual({ outcome: 'published', article });
    expect(await store.article(content.id)).toEqual(article);
    expect(await store.changes(starter.length, 10)).toEqual({
      changes: [{ version: starter.length + 1, article }],
      nextCursor: starter.length + 1,
      hasMore: false,
    });
    expect(await store.draft(edit.draftId)).toMatchObject({
      status: 'published',
      decidedBy: 'reviewer',
      decidedAt: later,
      conflict: null,
    });

    expect(await store.approveDraft(edit.draftId, approval)).toEqual({
      outcome: 'already-published',
      article,
    });
    // Superseded since, a repeated approval still answers with the copy it published.
    await store.retire(content.id, { by: 'reviewer', at: later, reason: 'Out of date' });
    expect(await store.approveDraft(edit.draftId, approval)).toEqual({
      outcome: 'already-published',
      article,
    });
    expect(await store.approveDraft(randomUUID(), approval)).toEqual({ outcome: 'not-found' });
    expect((await store.counts()).versions).toBe(starter.length + 2);
  });

  it('shows a draft overtaken by another publish as a conflict, and publishes it only when acknowledged against the current version', async () => {
    const { store } = await opened();
    const content = starter[2] ?? articleContent('x');
    const first = editOf(content, 3, { title: 'T Levels: what changed in 2026' });
    const second = editOf(content, 3, { summary: 'T Levels now with the newest rules.' });
    await store.submitDraft(first, 'author', at);
    await store.submitDraft(second, 'author-2', at);
    const overtaking = await store.approveDraft(first.draftId, {
      reviewerId: 'reviewer',
      at,
      acknowledgeConflict: false,
    });
    if (overtaking.outcome !== 'published') throw new Error(overtaking.outcome);
    const waiting = await store.draft(second.draftId);
    expect(waiting?.conflict).toEqual({
      currentVersion: overtaking.article.version,
      base: content,
      current: first.content,
    });

    const decide = (acknowledgeConflict: boolean, currentVersion?: number) =>
      store.approveDraft(second.draftId, {
        reviewerId: 'reviewer',
        at: later,
        acknowledgeConflict,
        ...(currentVersion === undefined ? {} : { currentVersion }),
      });
    expect(await decide(false)).toEqual({ outcome: 'conflict', draft: waiting });
    expect(await decide(true, 3)).toEqual({ outcome: 'conflict', draft: waiting });
    expect((await store.counts()).versions).toBe(starter.length + 1);

    const published = await decide(true, overtaking.article.version);
    expect(published).toMatchObject({
      outcome: 'published',
      article: { summary: second.content.summary, title: content.title },
    });
    // The decided draft keeps the conflict the reviewer saw, not one against today.
    await store.retire(content.id, { by: 'reviewer', at: later, reason: 'Replaced' });
    expect((await store.draft(second.draftId))?.conflict).toEqual({
      currentVersion: overtaking.article.version,
      base: content,
      current: first.content,
    });
  });

  it('treats a new article whose id is taken as a conflict, and publishes a new one', async () => {
    const { store } = await opened();
    const taken = starter[3] ?? articleContent('x');
    const clash = editOf(taken, null);
    const { draft } = await store.submitDraft(clash, 'author', at);
    expect(draft.conflict).toEqual({ currentVersion: 4, base: null, current: taken });
    expect(
      await store.approveDraft(clash.draftId, {
        reviewerId: 'reviewer',
        at,
        acknowledgeConflict: false,
      }),
    ).toMatchObject({ outcome: 'conflict' });

    const fresh = editOf(articleContent('careers-in-midwifery'), null);
    await store.submitDraft(fresh, 'author', at);
    expect(
      await store.approveDraft(fresh.draftId, {
        reviewerId: 'reviewer',
        at,
        acknowledgeConflict: false,
      }),
    ).toEqual({
      outcome: 'published',
      article: { ...fresh.content, version: 5, status: 'published' },
    });
  });

  it('rejects a draft once with its reason; a rejected draft is never published and a published one never rejected', async () => {
    const { store } = await opened();
    const content = starter[0] ?? articleContent('x');
    const edit = editOf(content, 1, { summary: 'Not right for this article.' });
    await store.submitDraft(edit, 'author', at);
    const rejection = { reviewerId: 'reviewer', at: later, reason: 'The summary loses the point' };
    const rejected = await store.rejectDraft(edit.draftId, rejection);
    expect(rejected).toMatchObject({
      outcome: 'rejected',
      draft: {
        status: 'rejected',
        decidedBy: 'reviewer',
        decidedAt: later,
        rejectionReason: 'The summary loses the point',
      },
    });
    if (rejected.outcome !== 'rejected') throw new Error(rejected.outcome);
    expect(await store.rejectDraft(edit.draftId, { ...rejection, reason: 'Again' })).toEqual({
      outcome: 'already-rejected',
      draft: rejected.draft,
    });
    expect(
      await store.approveDraft(edit.draftId, {
        reviewerId: 'reviewer',
        at,
        acknowledgeConflict: true,
      }),
    ).toEqual({ outcome: 'rejected', draft: rejected.draft });
    expect(await store.article(content.id)).toEqual({
      ...content,
      version: 1,
      status: 'published',
    });

    const approved = editOf(content, 1, { summary: 'A summary that reads well.' });
    await store.submitDraft(approved, 'author', at);
    await store.approveDraft(approved.draftId, {
      reviewerId: 'reviewer',
      at,
      acknowledgeConflict: false,
    });
    expect(await store.rejectDraft(approved.draftId, rejection)).toMatchObject({
      outcome: 'already-published',
      draft: { status: 'published' },
    });
    expect(await store.rejectDraft(randomUUID(), rejection)).toEqual({ outcome: 'not-found' });
  });

  it('retires as a new version that the feed carries as a tombstone, once', async () => {
    const { store } = await opened();
    const retirement = { by: 'reviewer', at: later, reason: 'Out of date' };
    expect(await store.retire('t-levels', retirement)).toEqual({
      outcome: 'retired',
      version: 5,
    });
    expect(await store.retire('t-levels', retirement)).toEqual({
      outcome: 'already-retired',
      version: 5,
    });
    expect(await store.retire('no-such-article', retirement)).toEqual({ outcome: 'not-found' });
    expect(await store.changes(4, 10)).toEqual({
      changes: [{ version: 5, tombstone: { id: 't-levels' } }],
      nextCursor: 5,
      hasMore: false,
    });
    // The retired copy is still readable as such, with its content.
    expect(await store.article('t-levels')).toEqual({
      ...starter[2],
      version: 5,
      status: 'retired',
    });
    // A desk syncing from scratch gets each article once, and the tombstone, not the copy.
    const { changes } = await feedFrom(store, 0);
    expect(changes.map((change) => change.version)).toEqual([1, 2, 4, 5]);
    expect((await store.counts()).versions).toBe(starter.length + 1);
  });

  it('writes a draft inside the caller’s transaction, and nothing when it rolls back', async () => {
    const { context } = await opened();
    const edit = editOf(starter[0] ?? articleContent('x'), 1);
    await expect(
      inTransaction(context.db, async (trx) => {
        const bound = new KyselyKnowledgeStore({ ...context, db: trx });
        await bound.submitDraft(edit, 'author', at);
        expect(await bound.draft(edit.draftId)).not.toBeNull();
        throw new Error('the unit of work failed');
      }),
    ).rejects.toThrow('the unit of work failed');
    const store = new KyselyKnowledgeStore(context);
    expect(await store.draft(edit.draftId)).toBeNull();
    expect((await store.counts()).drafts).toBe(0);
  });

  it('publishes exactly one of two drafts approved at once from the same version', async () => {
    const { store } = await opened();
    const content = starter[1] ?? articleContent('x');
    const edits = [0, 1, 2, 3].map((index) => editOf(content, 2, { summary: `Take ${index}.` }));
    for (const edit of edits) await store.submitDraft(edit, 'author', at);
    const outcomes = await Promise.all(
      edits.map((edit) =>
        store.approveDraft(edit.draftId, {
          reviewerId: 'reviewer',
          at,
          acknowledgeConflict: false,
        }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.outcome === 'published')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.outcome === 'conflict')).toHaveLength(3);
    expect((await store.counts()).versions).toBe(starter.length + 1);

    // An approval and a rejection of one draft at once: one decides, the other hears so.
    const contested = editOf(content, await versionOf(store, content.id));
    await store.submitDraft(contested, 'author', at);
    const [approved, rejected] = await Promise.all([
      store.approveDraft(contested.draftId, {
        reviewerId: 'reviewer',
        at,
        acknowledgeConflict: false,
      }),
      store.rejectDraft(contested.draftId, { reviewerId: 'reviewer', at, reason: 'No' }),
    ]);
    const decided = [approved.outcome, rejected.outcome].sort();
    expect([
      ['already-published', 'published'],
      ['rejected', 'rejected'],
    ]).toContainEqual(decided);
  });

  it('never lets a feed reader miss a version while 20 approvals and retirements commit at once', async () => {
    // Writers and the reader on connections of their own, as separate server
    // processes would be: a reader waiting behind the writers for a pooled
    // connection would only ever read between their commits.
    const where = await testDatabase(engine, 'knowledge-feed-race');
    const writers = await openTestDatabase(where);
    const readers = where.databaseUrl
      ? await openPostgresDatabase(where.databaseUrl, { maxConnections: 1 })
      : openSqliteDatabase(where.dataDir);
    try {
      const context: StoreContext = { db: writers.db, engine, afterCommit: (effect) => effect() };
      await addStaff(context.db, 'author', 'reviewer');
      const store = new KyselyKnowledgeStore(context);
      const feed = new KyselyKnowledgeStore({ ...context, db: readers.db });
      const rounds = 3;
      const edited = Array.from({ length: 10 }, (_, index) => articleContent(`edited-${index}`));
      const retired = Array.from({ length: 10 * rounds }, (_, index) =>
        articleContent(`retired-${index}`),
      );
      const corpus = [...edited, ...retired];
      await store.importIfEmpty(corpus, at);

      // What the reader holds: each article's newest version, as a desk's replica would.
      const held = new Map<string, number>();
      let cursor = 0;
      const readPage = async () => {
        const page = await feed.changes(cursor, 7);
        for (const change of page.changes) {
          // Versions only ever rise past the cursor, within a page and across pages.
          expect(change.version).toBeGreaterThan(cursor);
          cursor = change.version;
          held.set('article' in change ? change.article.id : change.tombstone.id, change.version);
        }
        expect(page.nextCursor).toBe(cursor);
        return page.hasMore;
      };

      let writes = 0;
      for (let round = 0; round < rounds; round += 1) {
        const edits: KnowledgeEdit[] = [];
        for (const content of edited) {
          const edit = editOf(content, await versionOf(store, content.id), {
            summary: `Round ${round} of checking this article.`,
          });
          await store.submitDraft(edit, 'author', at);
          edits.push(edit);
        }
        let writing = true;
        const reader = (async () => {
          while (writing) await readPage();
        })();
        const outcomes = await Promise.all([
          ...edits.map((edit) =>
            store.approveDraft(edit.draftId, {
              reviewerId: 'reviewer',
              at,
              acknowledgeConflict: false,
            }),
          ),
          ...retired
            .slice(round * 10, round * 10 + 10)
            .map((content) => store.retire(content.id, { by: 'reviewer', at, reason: 'Replaced' })),
        ]).finally(() => {
          writing = false;
        });
        await reader;
        writes += outcomes.length;
        expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual([
          ...Array<string>(10).fill('published'),
          ...Array<string>(10).fill('retired'),
        ]);
      }
      // Caught up from where it stands, never from 0: anything it missed stays missed.
      while (await readPage());

      for (const content of corpus) {
        expect([content.id, held.get(content.id)]).toEqual([
          content.id,
          await versionOf(store, content.id),
        ]);
      }
      expect(writes).toBe(20 * rounds);
      expect(cursor).toBe(corpus.length + writes);
    } finally {
      await readers.close();
      await writers.close();
      await where.drop();
    }
  });

  describe('search', () => {
    it('finds current published articles by stemmed words of title and body, best match first', async () => {
      const { store } = await opened();
      // "apprenticeships" finds "apprenticeship"; the match in a title ranks first.
      const found = await search(store, 'apprenticeships');
      expect(found[0]).toBe('apprenticeship-levels');
      expect([...found].sort()).toEqual([
        'apprenticeship-levels',
        'careers-in-nursing',
        't-levels',
      ]);
      // Every word must be there.
      expect(await search(store, 'nursing apprenticeships')).toEqual(['careers-in-nursing']);
      expect(await search(store, 'LOANS')).toEqual(['student-finance']);
      expect(await search(store, 'zebra')).toEqual([]);
      expect(await search(store, 'apprenticeship', 1)).toEqual(['apprenticeship-levels']);

      const [hit] = await store.search('maintenance loans', 5);
      expect(hit).toMatchObject({ id: 'student-finance', title: 'Student finance', version: 2 });
      expect(hit?.snippet).toContain('maintenance loans');
      expect(hit?.snippet).not.toMatch(/<|>/);
    });

    it('follows every write: a new version is found by its new words, a retired article not at all', async () => {
      const { store } = await opened();
      const nursing = starter[3] ?? articleContent('x');
      const edit = editOf(nursing, 4, { body: 'Midwifery degrees are funded differently.' });
      await store.submitDraft(edit, 'author', at);
      // A draft is not published, so not found.
      expect(await search(store, 'midwifery')).toEqual([]);
      await store.approveDraft(edit.draftId, {
        reviewerId: 'reviewer',
        at,
        acknowledgeConflict: false,
      });
      expect(await search(store, 'midwifery')).toEqual(['careers-in-nursing']);
      expect(await search(store, 'earn while you train')).toEqual([]);
      const [hit] = await store.search('midwifery', 5);
      expect(hit?.version).toBe(5);

      await store.retire('apprenticeship-levels', { by: 'reviewer', at, reason: 'Replaced' });
      await store.retire('careers-in-nursing', { by: 'reviewer', at, reason: 'Replaced' });
      expect(await search(store, 'apprenticeships')).toEqual(['t-levels']);
      expect(await search(store, 'midwifery')).toEqual([]);
      expect(await search(store, 'intermediate')).toEqual([]);
    });

    it('answers hostile input with results or none, never an error', async () => {
      const { store } = await opened();
      const hostile = [
        '"',
        '""',
        '*',
        'apprentice*',
        'OR',
        'AND',
        'NOT',
        'NEAR(',
        'NEAR(apprenticeship loans, 2)',
        'apprenticeship OR',
        'OR apprenticeship',
        '-apprenticeship',
        'title:apprenticeship',
        '{title body}: loans',
        '^loans',
        '(loans',
        'loans)',
        "'; DROP TABLE knowledge_articles; --",
        '\\',
        '!!! & | <-> :*',
        'the',
        '   ',
        'apprenticeship "levels',
        'x'.repeat(200),
        'é',
        '🙂 loans',
      ];
      for (const query of hostile) {
        const hits = await store.search(query, 10);
        expect([query, Array.isArray(hits)]).toEqual([query, true]);
      }
      // Quotes make no phrase: both words, anywhere.
      expect(await search(store, '"apprenticeship levels"').then((ids) => ids.sort())).toEqual([
        'apprenticeship-levels',
        't-levels',
      ]);
      // Syntax characters around a word leave the word.
      for (const query of ['(loans', 'loans*', '"loans', 'loans:', '^loans']) {
        expect([query, await search(store, query)]).toEqual([query, ['student-finance']]);
      }
      expect((await store.counts()).articles).toBe(starter.length);
    });

    if (engine === 'sqlite') {
      it('quotes each word for FTS5, so nothing typed is FTS5 syntax', () => {
        expect(fts5Query('NEAR(apprenticeship OR "loans"*')).toBe(
          '"NEAR" "apprenticeship" "OR" "loans"',
        );
        expect(fts5Query('" * ( ) : ^ -')).toBeNull();
        expect(fts5Query('Crème brûlée')).toBe('"Crème" "brûlée"');
      });
    }
  });

  it('migration 010 indexes the articles held before it, published ones only', async () => {
    const where = await testDatabase(engine, 'knowledge-search-migration');
    const before = serverMigrations.filter((migration) => migration.version < 10);
    const database = await openTestDatabase(where, before);
    try {
      const context: StoreContext = {
        db: database.db,
        engine,
        afterCommit: (effect) => effect(),
      };
      await addStaff(context.db, 'reviewer');
      const store = new KyselyKnowledgeStore(context);
      await store.importIfEmpty(starter, at);
      await store.retire('t-levels', { by: 'reviewer', at, reason: 'Replaced' });

      expect(
        await migrate(
          database,
          serverMigrations.filter((migration) => migration.version <= 10),
        ),
      ).toEqual([10]);
      expect(await search(store, 'apprenticeships').then((ids) => ids.sort())).toEqual([
        'apprenticeship-levels',
        'careers-in-nursing',
      ]);
      expect(await search(store, 'tuition')).toEqual(['student-finance']);
      // And it keeps up with what is written after it.
      await store.retire('student-finance', { by: 'reviewer', at, reason: 'Replaced' });
      expect(await search(store, 'tuition')).toEqual([]);
    } finally {
      await database.close();
      await where.drop();
    }
  });

  async function search(store: KnowledgeStore, query: string, limit = 10): Promise<string[]> {
    return (await store.search(query, limit)).map((hit) => hit.id);
  }
});
