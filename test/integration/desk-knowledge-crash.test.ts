// The desk's knowledge sync killed with SIGKILL mid-sync and started again on
// the same data folder, against the real central server: it resumes from the
// cursor it stored with the last whole page, and ends with exactly the replica
// a sync that was never interrupted builds (articles, vocabulary, indexes).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeReplica } from '../../knowledge-base/replica';
import { HttpKnowledgeFeed } from '../../electron/services/knowledge-feed';
import { KnowledgeSync } from '../../electron/services/knowledge-sync';
import { LOCAL_DB_FILE, openLocalDb } from '../../electron/services/local-db';
import { startProcess, tsEntry, type StartedProcess } from '../../scripts/processes';
import { startTestServer, type TestServer } from './server-harness';

const root = mkdtempSync(join(tmpdir(), 'adviser-desk-knowledge-crash-'));
let server: TestServer;
let token = '';

beforeAll(async () => {
  server = await startTestServer({ dataDir: join(root, 'server') });
  token = (await server.signIn('demo-adviser')).accessToken;
});

afterAll(async () => {
  await server?.close();
});

function startSync(dataDir: string, lines: string[]): Promise<StartedProcess> {
  return startProcess({
    name: 'knowledge sync',
    ...tsEntry('test/integration/desk-knowledge-sync-process.ts', [
      '--data-dir',
      dataDir,
      '--server',
      server.server.url,
      '--token',
      token,
      '--page-size',
      '7',
      '--pause-ms',
      '25',
    ]),
    readyPattern: /^sync starting: cursor (\d+)$/,
    onLine: (line) => lines.push(line),
  });
}

/** Everything the replica holds that a repeated or lost page would change. */
function replicaContents(dataDir: string) {
  const db = new Database(join(dataDir, LOCAL_DB_FILE));
  try {
    // Throws when an FTS5 index no longer matches its content table (rank 1: check against it).
    db.exec(`INSERT INTO knowledge_fts (knowledge_fts, rank) VALUES ('integrity-check', 1)`);
    db.exec(
      `INSERT INTO knowledge_lead_fts (knowledge_lead_fts, rank) VALUES ('integrity-check', 1)`,
    );
    return {
      cursor: db.prepare('SELECT cursor FROM knowledge_sync_state').pluck().get() as number,
      articles: db.prepare('SELECT id, version FROM knowledge_articles ORDER BY id').all(),
      words: db.prepare('SELECT word, doc_count FROM knowledge_words ORDER BY word').all(),
    };
  } finally {
    db.close();
  }
}

describe('a knowledge sync killed mid-sync', () => {
  it('resumes from its stored cursor and ends with the replica an uninterrupted sync builds', async () => {
    const dataDir = join(root, 'killed');
    const firstLines: string[] = [];
    const first = await startSync(dataDir, firstLines);
    expect(first.readyValue).toBe('0');
    // Killed once three pages are in, while later pages are on their way.
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (firstLines.some((line) => line.startsWith('page 3 '))) {
          clearInterval(check);
          first.child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    expect(await first.exited).toBe('SIGKILL');
    expect(firstLines.some((line) => line.startsWith('sync done'))).toBe(false);
    const atKill = replicaContents(dataDir);
    expect(atKill.cursor).toBeGreaterThan(0);

    const secondLines: string[] = [];
    const second = await startSync(dataDir, secondLines);
    // The new process starts where the killed one's last committed page left the cursor.
    expect(Number(second.readyValue)).toBe(atKill.cursor);
    expect(await second.exited).toBe(0);
    expect(secondLines[1]).toBe(`request since ${atKill.cursor}`);
    const resumed = replicaContents(dataDir);

    // The same server feed, pulled in one go by a desk that was never interrupted.
    const cleanDir = join(root, 'clean');
    const clean = openLocalDb(cleanDir);
    const replica = new KnowledgeReplica(clean);
    const sync = new KnowledgeSync(
      clean,
      replica,
      new HttpKnowledgeFeed({ serverUrl: server.server.url, accessToken: async () => token }),
    );
    expect((await sync.sync()).ok).toBe(true);
    clean.close();
    const uninterrupted = replicaContents(cleanDir);

    expect(resumed.cursor).toBe(uninterrupted.cursor);
    expect(resumed.articles).toEqual(uninterrupted.articles);
    expect(resumed.words).toEqual(uninterrupted.words);
    expect(resumed.articles.length).toBeGreaterThan(atKill.articles.length);
  });
});
