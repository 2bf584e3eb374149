// The central server sends the policies of shared/http/security-headers.ts and
// no others: helmet's CSP is the API policy with nothing of helmet's own added,
// the API's answers carry that policy's other headers, and the chat and mail
// pages carry theirs, over the rest of what helmet sends.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailPageHeaders } from '../../server/transcripts/page';
import {
  customerChatPagePolicy,
  securityHeaders,
  serverApiPolicy,
  type CspDirectives,
} from '../../shared/http/security-headers';
import { startTestServer, type TestServer } from './server-harness';

let harness: TestServer;
const pageDir = mkdtempSync(join(tmpdir(), 'chat-page-'));

beforeAll(async () => {
  mkdirSync(join(pageDir, 'assets'));
  writeFileSync(join(pageDir, 'index.html'), '<!doctype html><title>Chat</title>');
  writeFileSync(join(pageDir, 'assets', 'app.js'), 'console.log(1)');
  harness = await startTestServer({ chat: { pageDir } });
});

afterAll(async () => {
  await harness?.close();
  rmSync(pageDir, { recursive: true, force: true });
});

const get = async (path: string) => {
  const response = await fetch(`${harness.server.url}${path}`);
  await response.arrayBuffer();
  return response;
};

/** helmet writes `a x;b y`, the shared module `a x; b y`: compare what they say. */
const directives = (policy: string | null): CspDirectives =>
  Object.fromEntries(
    (policy ?? '')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name !== '')
      .map(([name, ...sources]) => [name, sources]),
  );

const expectHeaders = (response: Response, expected: Record<string, string>, label: string) => {
  for (const [name, value] of Object.entries(expected))
    expect(response.headers.get(name), `${label}: ${name}`).toBe(value);
  // What helmet adds that no policy of ours names is still there.
  expect(response.headers.get('x-frame-options'), label).toBe('SAMEORIGIN');
  expect(response.headers.get('strict-transport-security'), label).toMatch(/^max-age=/);
};

describe('the central server’s security headers', () => {
  it('answers the API and anything else that is not a page with the API policy alone', async () => {
    const api = await get('/api/interactions');
    expect(api.status).toBe(401);
    expect(directives(api.headers.get('content-security-policy'))).toEqual(serverApiPolicy.csp);
    expectHeaders(api, serverApiPolicy.headers, 'API');

    const elsewhere = await get('/nothing-here');
    expect(elsewhere.status).toBe(404);
    expect(directives(elsewhere.headers.get('content-security-policy'))).toEqual(
      serverApiPolicy.csp,
    );
  });

  it('serves the chat page and its files with the chat page’s policy', async () => {
    for (const path of ['/chat', '/chat/', '/chat/assets/app.js']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expectHeaders(response, securityHeaders(customerChatPagePolicy), path);
    }
  });

  it('serves the mail page with the mail page’s policy', async () => {
    const response = await get('/mail');
    expect(response.status).toBe(200);
    expectHeaders(response, mailPageHeaders, '/mail');
  });
});
