// The desk's knowledge sync against an in-memory change feed, on a real SQLite
// file opened as the desk opens it (its numbered migrations, knowledge tables
// included): paging to the end, resuming after a failure mid-sync from the
// stored cursor without applying anything twice, one pull at a time, progress.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { articleFixture } from '../../knowledge-base/testing';
import { KnowledgeReplica } from '../../knowledge-base/replica';
import { KnowledgeSearch } from '../../knowledge-base/search';
import type { KnowledgeSyncStatus } from '../../shared/ipc/contract';
import type { KnowledgeArticle } from '../../shared/knowledge/article';
import { MemoryKnowledgeFeed } from '../../electron/services/knowledge-feed.testing';
import { KnowledgeSync, type KnowledgeSyncOptions } from '../../electron/services/knowledge-sync';
import { openLocalDb, type LocalDb } from '../../electron/services/local-db';
import { tempDataDir } from './desk-fixtures';

const open: LocalDb[] = [];

afterEach(() => {
  vi.useRealTimers();
  for (const db of open.splice(0)) if (db.open) db.close();
});

function openDesk(dataDir: string, feed: MemoryKnowledgeFeed, options: KnowledgeSyncOptions = {}) {
  const db = openLocalDb(dataDir);
  open.push(db);
  const replica = new KnowledgeReplica(db);
  const sync = new KnowledgeSync(db, replica, feed, options);
  const events: KnowledgeSyncStatus[] = [];
  sync.onStatus((status) => events.push(status));
  return { db, replica, sync, events };
}

/** Articles career-1, career-2...; the tenth alone is about zebras, so a search can find it. */
function articles(count: number, from = 1): Omit<KnowledgeArticle, 'version' | 'status'>[] {
  return Array.from({ length: count }, (_, index) => {
    const number = from + index;
    const {
      version: _version,
      status: _status,
      ...content
    } = articleFixture({
      id: `career-${number}`,
      title: number === 10 ? 'Zookeeping and zebra care' : `Career number ${number}`,
    });
    return content;
  });
}

describe('the knowledge sync', () => {
  it('pulls page after page from the stored cursor until the feed has no more', async () => {
    const feed = new MemoryKnowledgeFeed();
    feed.publish(...articles(7));
    const desk = openDesk(tempDataDir('knowledge-sync'), feed, { pageSize: 3 });

    const outcome = await desk.sync.sync();

    expect(outcome).toMatchObject({
      ok: true,
      value: { cursor: 7, state: 'idle', articleCount: 7, lastError: null, progress: null },
    });
    expect(feed.requests).toEqual([0, 3, 6]);
    expect(desk.replica.cursor()).toBe(7);
    expect(desk.sync.status().lastSyncedAt).not.toBeNull();
  });

  it('asks for the next page before writing the one it has, so the two overlap', async () => {
    const feed = new MemoryKnowledgeFeed();
    feed.publish(...articles(7));
    const desk = openDesk(tempDataDir('knowledge-ahead'), feed, { pageSize: 3 });
    const heldWhenAsked: number[] = [];
    const ask = feed.changesSince.bind(feed);
    feed.changesSince = (since, limit) => {
      heldWhenAsked.push(desk.replica.cursor());
      return ask(since, limit);
    };

    expect(await desk.sync.sync()).toMatchObject({ ok: true, value: { cursor: 7 } });
    expect(feed.requests).toEqual([0, 3, 6]);
    // Each page after the first was asked for while the replica still held the one before it.
    expect(heldWhenAsked).toEqual([0, 0, 3]);
  });

  it('resumes after a failure mid-sync from the stored cursor, applying no change twice', async () => {
    const dataDir = tempDataDir('knowledge-resume');
    const feed = new MemoryKnowledgeFeed();
    feed.publish(...articles(10));
    feed.failRequest(3, { code: 'unavailable', message: 'The central server cannot be reached' });

    const first = openDesk(dataDir, feed, { pageSize: 3 });
    const failed = await first.sync.sync();
    expect(failed).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    // Two whole pages committed with their cursor; the third never arrived.
    expect(first.sync.status()).toMatchObject({
      state: 'error',
      cursor: 6,
      articleCount: 6,
      lastError: 'The central server cannot be reached',
      lastSyncedAt: null,
    });
    first.db.close();

    // A new start of the desk on the same file carries on from the stored cursor.
    const again = openDesk(dataDir, feed, { pageSize: 3 });
    expect(again.replica.cursor()).toBe(6);
    const resumed = await again.sync.sync();
    expect(resumed).toMatchObject({ ok: true, value: { cursor: 10, articleCount: 10 } });
    expect(feed.requests).toEqual([0, 3, 6, 6, 9]);
    // Only the four changes the first start never applied were applied now.
    const appliedNow = again.events.map((status) => status.progress?.applied ?? 0);
    expect(Math.max(...appliedNow)).toBe(4);
    const search = new KnowledgeSearch(again.db);
    const found = search.search({ text: 'zebra' });
    search.close();
    expect(found).toMatchObject({ ok: true, value: { results: [{ id: 'career-10' }] } });
  });

  it('refuses a page it cannot apply whole, keeping the cursor where it was', async () => {
    const feed = new MemoryKnowledgeFeed();
    feed.publish(...articles(2));
    const desk = openDesk(tempDataDir('knowledge-bad-page'), feed);
    await desk.sync.sync();
    const broken = {
      changesSince: async () => ({
        ok: true as const,
        // nextCursor below a change it carries: the replica refuses the page.
        value: {
          changes: [{ version: 3, tombstone: { id: 'career-1' } }],
          nextCursor: 2,
          hasMore: false,
        },
      }),
    };
    const other = new KnowledgeSync(desk.db, desk.replica, broken);
    const outcome = await other.sync();
    expect(outcome.ok).toBe(false);
    expect(other.status()).toMatchObject({ state: 'error', cursor: 2, articleCount: 2 });
  });

  it('runs one pull at a time, folding requests made during it into one more pass', async () => {
    const feed = new MemoryKnowledgeFeed();
    feed.publish(...articles(5));
    const desk = openDesk(tempDataDir('knowledge-single-flight'), feed, { pageSize: 100 });
    feed.hold();

    const first = desk.sync.sync();
    const version = feed.publish(...articles(1, 6));
    const second = desk.sync.sync({ version });
    const third = desk.sync.sync();
    expect(second).toBe(first);
    expect(third).toBe(first);
    feed.release();

    expect(await first).toMatchObject({ ok: true, value: { cursor: 6, articleCount: 6 } });
    expect(feed.maxConcurrent).toBe(1);
    // The pull, then the one pass asked for while it ran (which finds nothing new).
    expect(feed.requests).toEqual([0, 6]);
  });

  it('does not pull for a push hint the replica already has', async () => {
    const feed = new MemoryKnowledgeFeed();
    const version = feed.publish(...articles(3));
    const desk = openDesk(tempDataDir('knowledge-hint'), feed);
    await desk.sync.sync();
    expect(feed.requests).toEqual([0]);

    await desk.sync.sync({ version });
    expect(feed.requests).toEqual([0]);

    const retired = feed.retire('career-2');
    expect(await desk.sync.sync({ version: retired })).toMatchObject({
      ok: true,
      value: { cursor: retired, articleCount: 2 },
    });
    expect(desk.replica.article('career-2')).toBeNull();
  });

  it('pushes progress on a long sync: pages, changes applied, and a share of the newest version', async () => {
    const feed = new MemoryKnowledgeFeed();
    const version = feed.publish(...articles(7));
    const desk = openDesk(tempDataDir('knowledge-progress'), feed, { pageSize: 2 });

    await desk.sync.sync({ version });

    const during = desk.events.filter((status) => status.state === 'syncing');
    expect(during.map((status) => status.progress)).toEqual([
      { pages: 0, applied: 0, percent: 0 },
      { pages: 1, applied: 2, percent: 28 },
      { pages: 2, applied: 4, percent: 57 },
      { pages: 3, applied: 6, percent: 85 },
      // "Up to date" is for the end of the pull to say, not the last page.
      { pages: 4, applied: 7, percent: 99 },
    ]);
    expect(desk.events.at(-1)).toMatchObject({
      state: 'idle',
      progress: null,
      cursor: 7,
      articleCount: 7,
    });
  });

  it('counts pages when the newest version is not known yet', async () => {
    const feed = new MemoryKnowledgeFeed();
    feed.publish(...articles(5));
    const desk = openDesk(tempDataDir('knowledge-pages'), feed, { pageSize: 2 });
    await desk.sync.sync();
    const progress = desk.events.flatMap((status) => (status.progress ? [status.progress] : []));
    expect(progress).toEqual([
      { pages: 0, applied: 0, percent: null },
      { pages: 1, applied: 2, percent: null },
      { pages: 2, applied: 4, percent: null },
      { pages: 3, applied: 5, percent: null },
    ]);
  });

  it('retries a failed pull after a backoff while the desk is online', async () => {
    vi.useFakeTimers();
    const feed = new MemoryKnowledgeFeed();
    feed.publish(...articles(2));
    feed.failRequest(1, { code: 'unavailable', message: 'The central server is restarting' });
    const desk = openDesk(tempDataDir('knowledge-retry'), feed, {
      online: () => true,
      retryBackoff: { baseMs: 1_000, capMs: 1_000 },
    });

    expect((await desk.sync.sync()).ok).toBe(false);
    expect(desk.replica.articleCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(desk.sync.status().state).toBe('idle'));
    expect(feed.requests).toEqual([0, 0]);
    expect(desk.replica.articleCount()).toBe(2);
  });

  it('stops pulling once stopped, and writes nothing for a page that arrives after', async () => {
    const feed = new MemoryKnowledgeFeed();
    feed.publish(...articles(3));
    const desk = openDesk(tempDataDir('knowledge-stop'), feed);
    feed.hold();
    const pull = desk.sync.sync();
    await desk.sync.stop();
    desk.db.close();
    feed.release();
    expect(await pull).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await desk.sync.sync()).toMatchObject({ ok: false });
  });
});
