// The desk's knowledge replica against the real central server: signing in
// starts the first sync, which brings every starter article; a retirement on
// the server reaches the desk by the push hint and leaves its search; with the
// server gone, the desk still searches and opens articles from its own copy.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArticleFolder } from '../../knowledge-base/articles';
import type { KnowledgeSyncStatus } from '../../shared/ipc/contract';
import { knowledgeSearchAnswerSchema, type ArticleContent } from '../../shared/knowledge/article';
import { createDeskServices, type DeskServices } from '../../electron/services/desk';
import { demoAdviser, nextEvent } from './desk-server-access';
import { startTestServer, type TestServer } from './server-harness';

const root = mkdtempSync(join(tmpdir(), 'adviser-desk-knowledge-'));
const starter: ArticleContent[] = loadArticleFolder();
let server: TestServer;
let desk: DeskServices;
let serverStopped = false;

beforeAll(async () => {
  server = await startTestServer({ dataDir: join(root, 'server') });
  desk = createDeskServices({ dataDir: join(root, 'desk'), serverUrl: server.server.url });
  desk.start();
});

afterAll(async () => {
  await desk?.stop();
  if (!serverStopped) await server?.close();
});

async function search(text: string) {
  const answer = await desk.dispatch('searchKnowledge', { text });
  if (!answer.ok) throw new Error(answer.error.message);
  return knowledgeSearchAnswerSchema.parse(answer.value);
}

describe('the desk knowledge replica with the central server', () => {
  it('brings every starter article on the first sync after signing in', async () => {
    const caughtUp = nextEvent(
      desk,
      'knowledgeSyncChanged',
      (status) => status.state === 'idle' && status.articleCount > 0,
    );
    const signedIn = await desk.dispatch('signIn', demoAdviser);
    expect(signedIn.ok).toBe(true);
    const status: KnowledgeSyncStatus = await caughtUp;

    expect(status.articleCount).toBe(starter.length);
    expect(status.cursor).toBeGreaterThanOrEqual(starter.length);
    expect(status.lastSyncedAt).not.toBeNull();
    expect(await desk.dispatch('knowledgeSyncStatus', null)).toEqual({ ok: true, value: status });

    const [first] = starter;
    if (!first) throw new Error('no starter articles');
    expect(await desk.dispatch('openArticle', { id: first.id })).toMatchObject({
      ok: true,
      value: { id: first.id, title: first.title, status: 'published' },
    });
  });

  it('drops a retired article from search when the push hint arrives', async () => {
    const target = starter.find((article) => article.id === 'hgv-driver-careers') ?? starter[0];
    if (!target) throw new Error('no starter articles');
    expect((await search(target.title)).results.map((hit) => hit.id)).toContain(target.id);

    const editor = await server.signIn('demo-editor');
    const before = desk.status();
    expect(before.connection).toBe('online');
    const retired = await (
      await fetch(`${server.server.url}/api/knowledge/articles/${target.id}/retire`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${editor.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ reason: 'Replaced by a newer guide' }),
      })
    ).json();
    expect(retired).toMatchObject({ ok: true, value: { version: expect.any(Number) } });
    const version = (retired as { value: { version: number } }).value.version;

    const applied = await nextEvent(
      desk,
      'knowledgeSyncChanged',
      (status) => status.state === 'idle' && status.cursor >= version,
    );
    expect(applied.articleCount).toBe(starter.length - 1);
    expect((await search(target.title)).results.map((hit) => hit.id)).not.toContain(target.id);
    expect(await desk.dispatch('openArticle', { id: target.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('still searches and opens articles with the server gone', async () => {
    const offline = nextEvent(desk, 'statusChanged', (status) => status.connection !== 'online');
    await server.close();
    serverStopped = true;
    expect((await offline).connection).not.toBe('online');

    const answer = await search('aprenticeship pay');
    expect(answer.results.length).toBeGreaterThan(0);
    expect(answer.searchedFor).not.toBeNull();
    const [best] = answer.results;
    if (!best) throw new Error('no result');
    expect(await desk.dispatch('openArticle', { id: best.id })).toMatchObject({
      ok: true,
      value: { id: best.id },
    });
  });
});
