// The knowledge domain's desk API: search and the article view answered from
// the replica, the link check every external link passes (and who opens it),
// and the HTTP change feed's access tokens against a small loopback server.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleFixture } from '../../knowledge-base/testing';
import { DeskHandlerRegistry } from '../../electron/services/handlers';
import { createDeskKnowledge, registerKnowledgeHandlers } from '../../electron/services/knowledge';
import { HttpKnowledgeFeed } from '../../electron/services/knowledge-feed';
import { MemoryKnowledgeFeed } from '../../electron/services/knowledge-feed.testing';
import { checkExternalLink } from '../../electron/services/knowledge-links';
import { openLocalDb } from '../../electron/services/local-db';
import { ServerConnection } from '../../electron/services/server-connection';
import { InMemorySessionStore } from '../../electron/services/session-store.testing';
import { tempDataDir } from './desk-fixtures';

describe('the external link check', () => {
  it.each([
    'https://www.gov.uk/become-apprentice',
    'https://nationalcareers.service.gov.uk/job-profiles/astronaut',
    'https://8.8.8.8/',
    'https://[2001:4860:4860::8888]/',
  ])('opens %s', (url) => {
    expect(checkExternalLink(url)).toEqual({ ok: true, value: new URL(url).href });
  });

  it.each([
    ['http://www.gov.uk/', 'forbidden'],
    ['javascript:alert(1)', 'forbidden'],
    ['file:///etc/passwd', 'forbidden'],
    ['https://user:secret@www.gov.uk/', 'forbidden'],
    ['https://localhost/admin', 'forbidden'],
    ['https://printer.local/', 'forbidden'],
    ['https://intranet/', 'forbidden'],
    ['https://127.0.0.1:4300/api', 'forbidden'],
    ['https://0x7f.1/', 'forbidden'],
    ['https://2130706433/', 'forbidden'],
    ['https://10.1.2.3/', 'forbidden'],
    ['https://172.20.0.1/', 'forbidden'],
    ['https://192.168.1.1/', 'forbidden'],
    ['https://169.254.169.254/latest/meta-data', 'forbidden'],
    ['https://[::1]/', 'forbidden'],
    ['https://[fd00::1]/', 'forbidden'],
    ['https://[fe80::1]/', 'forbidden'],
    ['https://[::ffff:127.0.0.1]/', 'forbidden'],
    ['not a link', 'invalid_input'],
  ])('refuses %s', (url, code) => {
    expect(checkExternalLink(url)).toMatchObject({ ok: false, error: { code } });
  });
});

async function knowledgeDesk(openExternal?: (url: string) => Promise<void>) {
  const db = openLocalDb(tempDataDir('knowledge-handlers'));
  const feed = new MemoryKnowledgeFeed();
  const connection = new ServerConnection({
    serverUrl: 'http://127.0.0.1:9',
    deskId: '11111111-2222-4333-8444-555555555555',
    sessionStore: new InMemorySessionStore(),
  });
  const knowledge = createDeskKnowledge(db, connection, {
    serverUrl: 'http://127.0.0.1:9',
    feed,
    now: () => new Date('2027-01-15T12:00:00Z'),
  });
  const registry = new DeskHandlerRegistry();
  registerKnowledgeHandlers(registry, knowledge, openExternal);
  const {
    version: _v,
    status: _s,
    ...overdue
  } = articleFixture({
    id: 'hgv-driving',
    title: 'HGV driving and how it is funded',
    reviewBy: '2026-12-01',
  });
  const {
    version: _v2,
    status: _s2,
    ...current
  } = articleFixture({
    id: 'wedding-planner',
    title: 'Becoming a wedding planner',
  });
  feed.publish(overdue, current);
  await knowledge.sync.sync();
  return {
    registry,
    close: async () => {
      await knowledge.stop();
      db.close();
    },
  };
}

describe('the knowledge desk API', () => {
  it('searches the replica and marks an article past its review-by date', async () => {
    const desk = await knowledgeDesk();
    const answer = await desk.registry.dispatch('searchKnowledge', { text: 'hgv drivng ' });
    expect(answer).toMatchObject({
      ok: true,
      value: {
        results: [{ id: 'hgv-driving', reviewState: 'overdue' }],
        searchedFor: 'hgv driving',
      },
    });
    expect(await desk.registry.dispatch('searchKnowledge', { text: 42 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    await desk.close();
  });

  it('opens an article it holds and answers not_found for one it does not', async () => {
    const desk = await knowledgeDesk();
    expect(await desk.registry.dispatch('openArticle', { id: 'wedding-planner' })).toMatchObject({
      ok: true,
      value: { id: 'wedding-planner', title: 'Becoming a wedding planner', version: 2 },
    });
    expect(await desk.registry.dispatch('openArticle', { id: 'astronaut' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await desk.registry.dispatch('knowledgeSyncStatus', null)).toMatchObject({
      ok: true,
      value: { state: 'idle', cursor: 2, articleCount: 2 },
    });
    await desk.close();
  });

  it('opens a checked link itself when it can, and otherwise hands it back for the page', async () => {
    const opened: string[] = [];
    const electron = await knowledgeDesk(async (url) => {
      opened.push(url);
    });
    expect(
      await electron.registry.dispatch('openExternalLink', { url: 'https://www.gov.uk/' }),
    ).toEqual({ ok: true, value: { url: 'https://www.gov.uk/', openedBy: 'desk' } });
    expect(
      await electron.registry.dispatch('openExternalLink', { url: 'https://127.0.0.1/' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(opened).toEqual(['https://www.gov.uk/']);
    await electron.close();

    const browser = await knowledgeDesk();
    expect(
      await browser.registry.dispatch('openExternalLink', { url: 'https://www.gov.uk/' }),
    ).toEqual({ ok: true, value: { url: 'https://www.gov.uk/', openedBy: 'renderer' } });
    await browser.close();
  });
});

describe('the HTTP knowledge feed', () => {
  let server: Server;
  let base = '';
  const seen: { authorization: string | undefined; since: string | null }[] = [];
  let validToken = 'token-1';

  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      seen.push({
        authorization: request.headers.authorization,
        since: url.searchParams.get('since'),
      });
      response.setHeader('content-type', 'application/json');
      if (request.headers.authorization !== `Bearer ${validToken}`) {
        response.statusCode = 401;
        response.end(
          JSON.stringify({ ok: false, error: { code: 'unauthenticated', message: 'expired' } }),
        );
        return;
      }
      if (url.searchParams.get('since') === '99') {
        response.statusCode = 502;
        response.end('<html>bad gateway</html>');
        return;
      }
      response.end(
        JSON.stringify({ ok: true, value: { changes: [], nextCursor: 5, hasMore: false } }),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('reuses an access token across pages and fetches a fresh one when it is refused', async () => {
    let issued = 0;
    const feed = new HttpKnowledgeFeed({
      serverUrl: base,
      accessToken: async () => `token-${++issued}`,
    });
    expect(await feed.changesSince(0, 100)).toEqual({
      ok: true,
      value: { changes: [], nextCursor: 5, hasMore: false },
    });
    expect(await feed.changesSince(5, 100)).toMatchObject({ ok: true });
    expect(issued).toBe(1);

    validToken = 'token-2';
    expect(await feed.changesSince(5, 100)).toMatchObject({ ok: true });
    expect(issued).toBe(2);
    expect(seen.slice(-2).map((request) => request.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
  });

  it('answers envelopes for no session, an unreadable answer and an unreachable server', async () => {
    const signedOut = new HttpKnowledgeFeed({ serverUrl: base, accessToken: async () => null });
    expect(await signedOut.changesSince(0, 10)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    const feed = new HttpKnowledgeFeed({ serverUrl: base, accessToken: async () => validToken });
    expect(await feed.changesSince(99, 10)).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
    const gone = new HttpKnowledgeFeed({
      serverUrl: 'http://127.0.0.1:9',
      accessToken: async () => 'token',
    });
    expect(await gone.changesSince(0, 10)).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });
});
