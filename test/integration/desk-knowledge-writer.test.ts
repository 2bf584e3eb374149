// The knowledge writer's worker thread on a real desk database: pages written
// there are what this thread's connection then reads, this thread keeps
// running while a page is written, and closing waits for a page in hand.
import { afterEach, describe, expect, it } from 'vitest';
import { articleFixture, pageOf } from '../../knowledge-base/testing';
import { KnowledgeReplica } from '../../knowledge-base/replica';
import { KnowledgeSearch } from '../../knowledge-base/search';
import { openLocalDb, type LocalDb } from '../../electron/services/local-db';
import {
  inThreadWriter,
  WorkerReplicaWriter,
  type ReplicaWriter,
} from '../../electron/services/knowledge-writer';
import type { KnowledgeChangePage } from '../../shared/knowledge/article';
import { tempDataDir } from '../unit/desk-fixtures';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function openDesk(dataDir = tempDataDir('knowledge-writer')): { db: LocalDb; dataDir: string } {
  const db = openLocalDb(dataDir);
  cleanups.push(() => {
    if (db.open) db.close();
  });
  return { db, dataDir };
}

function workerFor(db: LocalDb): ReplicaWriter {
  const writer = new WorkerReplicaWriter(db.name);
  cleanups.push(() => writer.close());
  return writer;
}

/** A page of `count` articles with bodies of about 2.5 KB, the tenth about zebras. */
function largePage(count: number): KnowledgeChangePage {
  const body = 'Careers guidance for young people on apprenticeships and college. '.repeat(38);
  return pageOf(
    Array.from({ length: count }, (_, index) =>
      articleFixture({
        id: `article-${index + 1}`,
        title: index === 9 ? 'Zookeeping and zebra care' : `Article ${index + 1}`,
        body,
      }),
    ),
  );
}

/** Turns of this thread's event loop while `work` is pending. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  const ticker = setInterval(() => (turns += 1), 1);
  try {
    await work();
  } finally {
    clearInterval(ticker);
  }
  return turns;
}

describe('the knowledge writer on a worker thread', () => {
  it('writes pages that this thread then reads and searches', async () => {
    const { db } = openDesk();
    const writer = workerFor(db);

    const written = await writer.applyPage(largePage(20));

    expect(written).toEqual({ ok: true, value: { cursor: 20, applied: 20, skipped: 0 } });
    const replica = new KnowledgeReplica(db);
    expect(replica.cursor()).toBe(20);
    expect(replica.articleCount()).toBe(20);
    const search = new KnowledgeSearch(db);
    cleanups.push(() => search.close());
    expect(search.search({ text: 'zebra' })).toMatchObject({
      ok: true,
      value: { results: [{ id: 'article-10' }] },
    });
    expect(await writer.optimize()).toEqual({ ok: true, value: null });
  });

  it('leaves this thread free while it writes, where writing here holds it', async () => {
    const { db } = openDesk();
    const worker = workerFor(db);
    // The worker has started and opened its connection before the measured write.
    expect(await worker.applyPage({ changes: [], nextCursor: 0, hasMore: false })).toMatchObject({
      ok: true,
    });
    const page = largePage(300);

    let written: unknown;
    const onWorker = await turnsDuring(async () => (written = await worker.applyPage(page)));
    expect(written).toMatchObject({ ok: true, value: { applied: 300 } });

    const other = openDesk();
    const here = inThreadWriter(new KnowledgeReplica(other.db));
    const onThisThread = await turnsDuring(async () => (written = await here.applyPage(page)));
    expect(written).toMatchObject({ ok: true, value: { applied: 300 } });

    expect(onWorker).toBeGreaterThan(0);
    expect(onThisThread).toBe(0);
  });

  it('commits a page it was given before closing', async () => {
    const { db, dataDir } = openDesk();
    const writer = new WorkerReplicaWriter(db.name);
    const pending = writer.applyPage(largePage(50));
    await writer.close();

    expect(await pending).toMatchObject({ ok: true, value: { cursor: 50 } });
    expect(await writer.applyPage(largePage(1))).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    db.close();
    const reopened = openDesk(dataDir);
    expect(new KnowledgeReplica(reopened.db).articleCount()).toBe(50);
  });

  it('fails a page that exhausts its worker alone, then starts a new worker for the next', async () => {
    const { db } = openDesk();
    const writer = new WorkerReplicaWriter(db.name, {
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    cleanups.push(() => writer.close());
    // About 100 MB of article text once copied into the worker: more than its heap may hold.
    const tooLarge = largePage(40_000);

    const failed = await writer.applyPage(tooLarge);

    expect(failed).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(new KnowledgeReplica(db).articleCount()).toBe(0);
    expect(await writer.applyPage(largePage(20))).toMatchObject({
      ok: true,
      value: { cursor: 20, applied: 20 },
    });
  });

  it('answers an error envelope for a page the database refuses, and writes none of it', async () => {
    const { db } = openDesk();
    const writer = workerFor(db);
    const behind = { ...largePage(3), nextCursor: 1 };

    const refused = await writer.applyPage(behind);

    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(new KnowledgeReplica(db).articleCount()).toBe(0);
  });
});
