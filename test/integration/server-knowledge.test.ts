// The central server as the knowledge network's source of truth, over real
// HTTP and socket.io, on SQLite and on PostgreSQL: the starter import, the
// change feed (read by a real desk replica), authoring with review, conflicts,
// retirement, the outbox path for desk edits, the push hint, the review-due
// list under a moved clock, and the server's full-text search.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  knowledgeChangePageSchema,
  type ArticleContent,
  type KnowledgeArticle,
  type KnowledgeChangePage,
} from '../../shared/knowledge/article';
import type { KnowledgeDraft, KnowledgeEdit, ReviewDueArticle } from '../../shared/wire/knowledge';
import type { OutboxItem } from '../../shared/wire/outbox';
import { loadArticleFolder } from '../../knowledge-base/articles';
import { ensureKnowledgeSchema, KnowledgeReplica } from '../../knowledge-base/replica';
import { describeEachEngine } from '../support/storage';
import { startTestServer, type SignedIn, type TestServer } from './server-harness';

describeEachEngine('knowledge on the central server', (_open, engine) => {
  const startOfTest = Date.parse('2026-11-29T09:00:00.000Z');
  /** The server's clock; the review-due test moves it and puts it back. */
  let clock = startOfTest;
  let harness: TestServer;
  let adviser: SignedIn;
  let adviser2: SignedIn;
  let leader: SignedIn;
  let editor: SignedIn;
  const starter = loadArticleFolder();

  beforeAll(async () => {
    harness = await startTestServer({ engine, now: () => clock });
  });

  afterAll(async () => {
    await harness.close();
  });

  async function signInEveryone(): Promise<void> {
    adviser = await harness.signIn('demo-adviser');
    adviser2 = await harness.signIn('demo-adviser-2');
    leader = await harness.signIn('demo-leader');
    editor = await harness.signIn('demo-editor');
  }

  interface Answer<T> {
    status: number;
    body:
      | { ok: true; value: T }
      | { ok: false; error: { code: string; message: string; issues?: { path: string }[] } };
  }

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    who: SignedIn | null,
    body?: unknown,
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (who) headers.authorization = `Bearer ${who.accessToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${harness.server.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
  }

  /** The value of a successful answer, or a failure that names what came back instead. */
  function valueOf<T>(answer: Answer<T>): T {
    if (!answer.body.ok) throw new Error(`expected success, got ${JSON.stringify(answer)}`);
    return answer.body.value;
  }

  const errorCode = (answer: Answer<unknown>) => (answer.body.ok ? null : answer.body.error.code);

  const contentOf = (article: KnowledgeArticle): ArticleContent => {
    const { version: _version, status: _status, ...content } = article;
    return content;
  };

  const current = async (id: string) =>
    valueOf(await call<KnowledgeArticle>('GET', `/api/knowledge/articles/${id}`, adviser));

  function editOf(
    article: KnowledgeArticle,
    changes: Partial<ArticleContent>,
    note = 'Updated from a call',
  ): KnowledgeEdit {
    return {
      draftId: randomUUID(),
      articleId: article.id,
      baseVersion: article.version,
      content: { ...contentOf(article), ...changes },
      note,
      editedAt: new Date(clock).toISOString(),
    };
  }

  const submit = (who: SignedIn, edit: unknown) =>
    call<KnowledgeDraft>('POST', '/api/knowledge/drafts', who, edit);
  const approve = (who: SignedIn, draftId: string, body?: unknown) =>
    call<KnowledgeArticle>('POST', `/api/knowledge/drafts/${draftId}/approve`, who, body);
  const changesSince = async (since: number, limit = 500) =>
    knowledgeChangePageSchema.parse(
      valueOf(
        await call<KnowledgeChangePage>(
          'GET',
          `/api/knowledge/changes?since=${since}&limit=${limit}`,
          adviser,
        ),
      ),
    );
  const head = async () => {
    let cursor = 0;
    for (;;) {
      const page = await changesSince(cursor, 1_000);
      cursor = page.nextCursor;
      if (!page.hasMore) return cursor;
    }
  };
  const drafts = async (who: SignedIn, status = 'awaiting-review') =>
    valueOf(
      await call<{ items: KnowledgeDraft[] }>('GET', `/api/knowledge/drafts?status=${status}`, who),
    ).items;
  const counts = () => harness.server.storage.knowledge.counts();

  /** Each test edits its own starter article, so their order does not matter after the first. */
  const articleId = (index: number) => {
    const article = starter[index];
    if (!article) throw new Error(`the starter folder has no article ${index}`);
    return article.id;
  };

  it('imports every starter article once on first start, and not again on a restart', async () => {
    expect(starter.length).toBeGreaterThanOrEqual(150);
    expect(harness.log).toContain(
      `knowledge: imported ${starter.length} starter articles, one version each`,
    );
    expect(await counts()).toEqual({
      articles: starter.length,
      versions: starter.length,
      drafts: 0,
    });

    await harness.restart();
    expect(harness.log.filter((line) => line.includes('starter articles'))).toHaveLength(1);
    expect(harness.log).toContain(
      `knowledge: ${starter.length} articles held, starter import not needed`,
    );
    expect(await counts()).toEqual({
      articles: starter.length,
      versions: starter.length,
      drafts: 0,
    });
    // Asked directly, a store that holds articles imports nothing.
    expect(
      await harness.server.storage.knowledge.importIfEmpty(starter, new Date().toISOString()),
    ).toBe(null);
    expect((await counts()).versions).toBe(starter.length);
    await signInEveryone();
  });

  it('pages through the whole feed, oldest first, giving every article exactly once to a desk replica', async () => {
    const replicaDb = new Database(':memory:');
    ensureKnowledgeSchema(replicaDb);
    const replica = new KnowledgeReplica(replicaDb);
    const seen: KnowledgeArticle[] = [];
    let cursor = 0;
    let pages = 0;
    for (;;) {
      const page = await changesSince(cursor, 37);
      pages += 1;
      expect(page.changes.length).toBeLessThanOrEqual(37);
      for (const change of page.changes) {
        if (!('article' in change))
          throw new Error(`unexpected tombstone ${JSON.stringify(change)}`);
        expect(change.version).toBe(change.article.version);
        expect(change.version).toBeGreaterThan(seen.at(-1)?.version ?? 0);
        seen.push(change.article);
      }
      expect(replica.applyPage(page)).toMatchObject({ ok: true });
      expect(page.nextCursor).toBe(page.changes.at(-1)?.version ?? cursor);
      cursor = page.nextCursor;
      if (!page.hasMore) break;
      expect(pages).toBeLessThan(100);
    }
    expect(pages).toBe(Math.ceil(starter.length / 37));
    expect(seen.map((article) => article.id).sort()).toEqual(
      starter.map((article) => article.id).sort(),
    );
    for (const article of starter) {
      const copy = seen.find((held) => held.id === article.id);
      expect(copy).toEqual({ ...article, version: copy?.version, status: 'published' });
    }
    // The replica holds the same, and the feed past its cursor is empty.
    expect(replica.articleCount()).toBe(starter.length);
    expect(replica.cursor()).toBe(cursor);
    expect(await changesSince(cursor)).toEqual({ changes: [], nextCursor: cursor, hasMore: false });
    replicaDb.close();
  });

  it('lets nobody approve their own draft, a reviewer included', async () => {
    const article = await current(articleId(0));
    const edit = editOf(article, { summary: `${article.summary} Checked again this month.` });
    expect((await submit(editor, edit)).status).toBe(201);

    const own = await approve(editor, edit.draftId);
    expect(own.status).toBe(403);
    expect(errorCode(own)).toBe('forbidden');
    expect(JSON.stringify(own.body)).toMatch(/own/);
    expect(await current(article.id)).toEqual(article);
    expect((await drafts(leader)).map((draft) => draft.draftId)).toContain(edit.draftId);
  });

  it('refuses an adviser approving; a reviewer approves and publishes a new version', async () => {
    const article = await current(articleId(1));
    const before = await head();
    const edit = editOf(article, { title: `${article.title} (updated)` }, 'New figures');
    const submitted = await submit(adviser, edit);
    expect(submitted.status).toBe(201);
    expect(valueOf(submitted)).toMatchObject({
      draftId: edit.draftId,
      authorId: adviser.user.id,
      authorName: adviser.user.displayName,
      status: 'awaiting-review',
      conflict: null,
      note: 'New figures',
      decidedBy: null,
    });
    // Submitting publishes nothing.
    expect(await head()).toBe(before);

    const byAdviser = await approve(adviser2, edit.draftId);
    expect(byAdviser.status).toBe(403);
    expect(errorCode(byAdviser)).toBe('forbidden');
    expect(await current(article.id)).toEqual(article);

    // An adviser lists only their own drafts; a reviewer lists everyone's.
    expect((await drafts(adviser2)).map((draft) => draft.draftId)).not.toContain(edit.draftId);
    expect((await drafts(adviser)).map((draft) => draft.draftId)).toContain(edit.draftId);

    const published = valueOf(await approve(leader, edit.draftId));
    expect(published).toEqual({ ...edit.content, version: before + 1, status: 'published' });
    expect(await current(article.id)).toEqual(published);
    expect((await changesSince(before)).changes).toEqual([
      { version: before + 1, article: published },
    ]);
    const decided = (await drafts(adviser, 'published')).find(
      (draft) => draft.draftId === edit.draftId,
    );
    expect(decided).toMatchObject({
      status: 'published',
      decidedBy: leader.user.id,
      conflict: null,
    });

    // Approving again is answered as already done, with the same copy and no new version.
    expect(valueOf(await approve(leader, edit.draftId))).toEqual(published);
    expect(await head()).toBe(before + 1);
  });

  it('rejects with a reason, and a rejected draft is never published', async () => {
    const article = await current(articleId(2));
    const edit = editOf(article, { summary: 'A summary that is not right for this article.' });
    valueOf(await submit(adviser, edit));
    const path = `/api/knowledge/drafts/${edit.draftId}/reject`;

    expect(errorCode(await call('POST', path, adviser2, { reason: 'No' }))).toBe('forbidden');
    const rejected = valueOf(
      await call<KnowledgeDraft>('POST', path, editor, { reason: 'The summary loses the point' }),
    );
    expect(rejected).toMatchObject({
      status: 'rejected',
      rejectionReason: 'The summary loses the point',
      decidedBy: editor.user.id,
    });
    expect(valueOf(await call<KnowledgeDraft>('POST', path, editor, { reason: 'Again' }))).toEqual(
      rejected,
    );
    expect(errorCode(await approve(leader, edit.draftId))).toBe('conflict');
    expect(await current(article.id)).toEqual(article);
    expect((await drafts(leader, 'rejected')).map((draft) => draft.draftId)).toContain(
      edit.draftId,
    );
    expect((await drafts(leader)).map((draft) => draft.draftId)).not.toContain(edit.draftId);
  });

  it('shows a draft overtaken by another publish as a conflict with both copies, and publishes it only when acknowledged', async () => {
    const article = await current(articleId(3));
    const first = editOf(article, { title: `${article.title}: what changed in 2026` });
    const second = editOf(article, { summary: `${article.summary} Now with the newest rules.` });
    valueOf(await submit(adviser, first));
    valueOf(await submit(adviser2, second));
    const overtaking = valueOf(await approve(leader, first.draftId));

    const waiting = (await drafts(leader)).find((draft) => draft.draftId === second.draftId);
    expect(waiting?.conflict).toEqual({
      currentVersion: overtaking.version,
      base: contentOf(article),
      current: first.content,
    });

    const versionsBefore = (await counts()).versions;
    const silent = await approve(leader, second.draftId);
    expect(silent.status).toBe(409);
    expect(errorCode(silent)).toBe('conflict');
    expect(JSON.stringify(silent.body)).toContain('acknowledgeConflict');
    const stale = await approve(leader, second.draftId, {
      acknowledgeConflict: true,
      currentVersion: article.version,
    });
    expect(errorCode(stale)).toBe('conflict');
    expect((await counts()).versions).toBe(versionsBefore);
    expect(await current(article.id)).toEqual(overtaking);

    const published = valueOf(
      await approve(leader, second.draftId, {
        acknowledgeConflict: true,
        currentVersion: overtaking.version,
      }),
    );
    expect(published).toMatchObject({ summary: second.content.summary, title: article.title });
    expect(published.version).toBeGreaterThan(overtaking.version);
    // The decided draft keeps the conflict the reviewer saw.
    const decided = (await drafts(leader, 'published')).find(
      (draft) => draft.draftId === second.draftId,
    );
    expect(decided?.conflict?.currentVersion).toBe(overtaking.version);
  });

  it('treats a new article whose id is already taken as a conflict too', async () => {
    const article = await current(articleId(4));
    const clash: KnowledgeEdit = { ...editOf(article, {}), baseVersion: null };
    const draft = valueOf(await submit(adviser, clash));
    expect(draft.conflict).toEqual({
      currentVersion: article.version,
      base: null,
      current: contentOf(article),
    });
    expect(errorCode(await approve(editor, clash.draftId))).toBe('conflict');
  });

  it('answers a repeated draft id as already done, and refuses it from someone else', async () => {
    const article = await current(articleId(5));
    const edit = editOf(article, { body: `${article.body}\n\nOne more line.` });
    const before = await counts();
    const first = await submit(adviser, edit);
    const again = await submit(adviser, edit);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(valueOf(again)).toEqual(valueOf(first));
    const stolen = await submit(adviser2, edit);
    expect(stolen.status).toBe(409);
    expect(errorCode(stolen)).toBe('conflict');
    expect(await counts()).toEqual({ ...before, drafts: before.drafts + 1 });
  });

  it('turns a knowledge.edit delivered through the outbox into one draft, even when delivered twice', async () => {
    const article = await current(articleId(6));
    const edit = editOf(article, { summary: `${article.summary} Edited with the network off.` });
    const item: OutboxItem = {
      id: randomUUID(),
      stream: `knowledge:${article.id}`,
      createdAt: new Date(clock).toISOString(),
      kind: 'knowledge.edit',
      payload: edit,
    };
    const before = await counts();
    const desk = await harness.connectDesk('demo-adviser');
    expect(await desk.emitWithAck('outbox:deliver', item)).toEqual({
      ok: true,
      value: { id: item.id, status: 'applied' },
    });
    expect(await desk.emitWithAck('outbox:deliver', item)).toEqual({
      ok: true,
      value: { id: item.id, status: 'duplicate' },
    });
    // The same edit from the adviser's other desk is a new item, but the same draft.
    const otherDesk = await harness.connectDesk('demo-adviser');
    expect(await otherDesk.emitWithAck('outbox:deliver', item)).toMatchObject({ ok: true });
    expect(await counts()).toEqual({ ...before, drafts: before.drafts + 1 });

    const held = (await drafts(leader)).find((draft) => draft.draftId === edit.draftId);
    expect(held).toMatchObject({
      authorId: adviser.user.id,
      baseVersion: article.version,
      content: edit.content,
      status: 'awaiting-review',
    });
    // A malformed edit is refused as such (the desk keeps it as failed) and stores nothing.
    const broken = {
      ...item,
      id: randomUUID(),
      payload: { ...editOf(article, {}), articleId: 'some-other-article' },
    };
    const refused = await desk.emitWithAck('outbox:deliver', broken);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await counts()).toEqual({ ...before, drafts: before.drafts + 1 });
  });

  it('pushes knowledge:changed to connected desks when a version is published or retired', async () => {
    const desk = await harness.connectDesk('demo-adviser-2');
    const nextHint = () =>
      new Promise<unknown>((resolve) => desk.once('knowledge:changed', resolve));

    const article = await current(articleId(7));
    const edit = editOf(article, { openingHours: 'Monday to Friday, 9am to 5pm' });
    valueOf(await submit(adviser, edit));
    const published = nextHint();
    const copy = valueOf(await approve(editor, edit.draftId));
    expect(await published).toEqual({ version: copy.version });

    const retired = nextHint();
    const { version } = valueOf(
      await call<{ version: number }>(
        'POST',
        `/api/knowledge/articles/${article.id}/retire`,
        leader,
        {
          reason: 'Replaced by a newer article',
        },
      ),
    );
    expect(await retired).toEqual({ version });
  });

  it('retires an article as a tombstone in the feed, by a reviewer only', async () => {
    const id = articleId(8);
    const before = await head();
    const retirePath = `/api/knowledge/articles/${id}/retire`;
    expect(errorCode(await call('POST', retirePath, adviser, { reason: 'Out of date' }))).toBe(
      'forbidden',
    );
    const { version } = valueOf(
      await call<{ version: number }>('POST', retirePath, editor, { reason: 'Out of date' }),
    );
    expect(version).toBe(before + 1);
    expect(await changesSince(before)).toEqual({
      changes: [{ version, tombstone: { id } }],
      nextCursor: version,
      hasMore: false,
    });
    expect(await current(id)).toMatchObject({ id, version, status: 'retired' });
    // Retiring again is already done.
    expect(
      valueOf(await call<{ version: number }>('POST', retirePath, leader, { reason: 'Again' })),
    ).toEqual({ version });
    expect(await head()).toBe(version);

    // A desk syncing from scratch gets the tombstone once and never the retired copy.
    const all: KnowledgeChangePage['changes'] = [];
    let cursor = 0;
    for (;;) {
      const page = await changesSince(cursor, 50);
      all.push(...page.changes);
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    const aboutIt = all.filter((change) =>
      'article' in change ? change.article.id === id : change.tombstone.id === id,
    );
    expect(aboutIt).toEqual([{ version, tombstone: { id } }]);
    expect(new Set(all.map((change) => change.version)).size).toBe(all.length);
  });

  it('searches the published articles on the server, for any staff member, with any words', async () => {
    type Hit = { id: string; title: string; version: number; snippet: string };
    const searchFor = async (query: string, who: SignedIn = adviser) =>
      valueOf(
        await call<{ items: Hit[] }>(
          'GET',
          `/api/knowledge/search?${new URLSearchParams({ q: query, limit: '50' }).toString()}`,
          who,
        ),
      ).items;

    // Stemmed: "apprenticeships" finds the article titled by "apprenticeship".
    const found = await searchFor('apprenticeships');
    expect(found.map((hit) => hit.id)).toContain('apprenticeship-levels');
    expect(found.length).toBeGreaterThan(5);
    for (const hit of found.slice(0, 5)) {
      const held = await current(hit.id);
      expect(hit).toMatchObject({ id: held.id, title: held.title, version: held.version });
      expect(typeof hit.snippet).toBe('string');
    }
    const trainer = await harness.signIn('demo-trainer');
    expect((await searchFor('apprenticeships', trainer)).map((hit) => hit.id)).toEqual(
      found.map((hit) => hit.id),
    );
    const limited = await call<{ items: Hit[] }>(
      'GET',
      '/api/knowledge/search?q=apprenticeships&limit=2',
      adviser,
    );
    expect(valueOf(limited).items.map((hit) => hit.id)).toEqual(
      found.slice(0, 2).map((hit) => hit.id),
    );

    // The article retired above is found no more, even by its own title.
    const retired = starter[8];
    if (!retired) throw new Error('the starter folder has no article 8');
    expect((await searchFor(retired.title)).map((hit) => hit.id)).not.toContain(retired.id);

    for (const hostile of ['"', '*', 'OR', 'NEAR(', 'apprenticeship" OR "', "'; --", '(((']) {
      const answer = await call<{ items: Hit[] }>(
        'GET',
        `/api/knowledge/search?${new URLSearchParams({ q: hostile }).toString()}`,
        adviser,
      );
      expect([hostile, answer.status]).toEqual([hostile, 200]);
    }
    for (const query of [
      '',
      'q=',
      'q=%20%20',
      `q=${'a'.repeat(201)}`,
      'q=loans&limit=0',
      'q=loans&limit=51',
      'q=a&q=b',
    ]) {
      const answer = await call('GET', `/api/knowledge/search?${query}`, adviser);
      expect([query, answer.status, errorCode(answer)]).toEqual([query, 400, 'invalid_input']);
    }
    const anonymous = await call('GET', '/api/knowledge/search?q=loans', null);
    expect([anonymous.status, errorCode(anonymous)]).toEqual([401, 'unauthenticated']);
  });

  describe('review-due list', () => {
    afterEach(async () => {
      clock = startOfTest;
      await signInEveryone();
    });

    const publishedNow = async () => {
      const all: KnowledgeArticle[] = [];
      let cursor = 0;
      for (;;) {
        const page = await changesSince(cursor, 1_000);
        for (const change of page.changes) if ('article' in change) all.push(change.article);
        cursor = page.nextCursor;
        if (!page.hasMore) return all;
      }
    };
    const reviewDue = async () =>
      valueOf(
        await call<{ items: ReviewDueArticle[] }>('GET', '/api/knowledge/review-due', adviser),
      ).items;
    const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

    it('lists published articles whose review-by date is before the server clock’s today', async () => {
      const published = await publishedNow();
      const reviewDates = published.map((article) => article.reviewBy).sort();
      const earliest = reviewDates[0] ?? '';
      const latest = reviewDates.at(-1) ?? '';

      // On the earliest review-by date itself nothing is overdue yet.
      clock = Date.parse(`${earliest}T12:00:00.000Z`);
      await signInEveryone();
      expect(await reviewDue()).toEqual([]);

      // The day after, exactly the articles due that day, one day over.
      clock += 24 * 60 * 60 * 1000;
      await signInEveryone();
      const dueFirst = published.filter((article) => article.reviewBy === earliest);
      expect(await reviewDue()).toEqual(
        dueFirst
          .map((article) => ({
            id: article.id,
            title: article.title,
            version: article.version,
            reviewBy: earliest,
            daysOverdue: 1,
          }))
          .sort((a, b) => (a.id < b.id ? -1 : 1)),
      );

      // Ten days after the latest, every published article, most overdue first; retired ones never.
      clock = Date.parse(`${latest}T08:00:00.000Z`) + 10 * 24 * 60 * 60 * 1000;
      await signInEveryone();
      const everything = await reviewDue();
      expect(everything.map((item) => item.id).sort()).toEqual(
        published.map((article) => article.id).sort(),
      );
      expect(everything.map((item) => item.reviewBy)).toEqual(reviewDates);
      expect(everything.find((item) => item.reviewBy === latest)?.daysOverdue).toBe(10);
      expect(everything.map((item) => item.id)).not.toContain(articleId(8));
      expect(dayOf(clock) > latest).toBe(true);
    });
  });

  it('answers bad input with a clear error code and stores nothing', async () => {
    const before = await counts();
    const feedHead = await head();
    const article = await current(articleId(9));
    const good = editOf(article, {});

    const unauthenticated = await call('GET', '/api/knowledge/changes', null);
    expect([unauthenticated.status, errorCode(unauthenticated)]).toEqual([401, 'unauthenticated']);
    expect(errorCode(await submit({ ...adviser, accessToken: 'not-a-token' }, good))).toBe(
      'unauthenticated',
    );

    for (const query of ['since=-1', 'limit=0', `limit=1001`, 'since=abc', 'since=1.5']) {
      const answer = await call('GET', `/api/knowledge/changes?${query}`, adviser);
      expect([query, answer.status, errorCode(answer)]).toEqual([query, 400, 'invalid_input']);
    }

    const { summary: _summary, ...withoutSummary } = good.content;
    const badEdits: [string, unknown][] = [
      ['content.summary', { ...good, content: withoutSummary }],
      ['content.id', { ...good, articleId: 'another-article' }],
      ['draftId', { ...good, draftId: 'not-a-uuid' }],
      ['baseVersion', { ...good, baseVersion: 0 }],
      ['content.reviewBy', { ...good, content: { ...good.content, reviewBy: '2001-01-01' } }],
    ];
    for (const [path, edit] of badEdits) {
      const answer = await submit(adviser, edit);
      expect([path, answer.status, errorCode(answer)]).toEqual([path, 400, 'invalid_input']);
      expect(answer.body.ok ? [] : answer.body.error.issues?.map((issue) => issue.path)).toContain(
        path,
      );
    }
    const notJson = await submit(adviser, '{"draftId": ');
    expect([notJson.status, errorCode(notJson)]).toEqual([400, 'invalid_input']);

    expect(errorCode(await approve(leader, 'not-a-uuid'))).toBe('invalid_input');
    expect(errorCode(await approve(leader, randomUUID()))).toBe('not_found');
    valueOf(await submit(adviser, good));
    expect(errorCode(await approve(leader, good.draftId, { acknowledgeConflict: 'yes' }))).toBe(
      'invalid_input',
    );
    expect(
      errorCode(
        await call('POST', `/api/knowledge/drafts/${good.draftId}/reject`, leader, { reason: ' ' }),
      ),
    ).toBe('invalid_input');
    expect(
      errorCode(
        await call('POST', '/api/knowledge/articles/Not%20A%20Slug/retire', leader, {
          reason: 'x',
        }),
      ),
    ).toBe('invalid_input');
    expect(
      errorCode(
        await call('POST', '/api/knowledge/articles/no-such-article/retire', leader, {
          reason: 'x',
        }),
      ),
    ).toBe('not_found');
    expect(errorCode(await call('GET', '/api/knowledge/articles/no-such-article', adviser))).toBe(
      'not_found',
    );
    expect(errorCode(await call('GET', '/api/knowledge/drafts?status=lost', adviser))).toBe(
      'invalid_input',
    );

    // Only the one good draft was stored; nothing was published or retired.
    expect(await counts()).toEqual({ ...before, drafts: before.drafts + 1 });
    expect(await head()).toBe(feedHead);
    expect((await drafts(leader)).find((draft) => draft.draftId === good.draftId)?.status).toBe(
      'awaiting-review',
    );
  });
});
