// Browser mode's desk API bridge and static serving, in process: the bridge
// refuses a wrong key and a wrong Origin, answers our own page, parses every
// message, and the renderer is served with a strict policy from its folder only.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  bridgeServerMessageSchema,
  bridgeUrl,
  type BridgeServerMessage,
} from '../../shared/ipc/socket-bridge';
import { startBrowserMode, type BrowserModeDesk } from '../../electron/browser-mode';

let running: BrowserModeDesk;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'adviser-desk-bridge-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Adviser Desk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("desk");');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  // Nothing listens on port 9: the desk stays signed out, which is all these tests need.
  running = await startBrowserMode({
    dataDir: join(root, 'desk'),
    serverUrl: 'http://127.0.0.1:9',
    rendererDir,
    port: 0,
  });
});

afterAll(async () => {
  await running?.close();
});

/** Opens the bridge; resolves with the socket once open, or with the HTTP status that refused it. */
function openBridge(key: string, origin: string | undefined): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(
      bridgeUrl(running.origin, key),
      origin === undefined ? {} : { origin },
    );
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

function nextMessage(
  socket: WebSocket,
  test: (message: BridgeServerMessage) => boolean,
): Promise<BridgeServerMessage> {
  return new Promise((resolve) => {
    const listen = (data: WebSocket.RawData) => {
      const message = bridgeServerMessageSchema.parse(JSON.parse(data.toString()));
      if (!test(message)) return;
      socket.off('message', listen);
      resolve(message);
    };
    socket.on('message', listen);
  });
}

describe('the browser-mode desk API bridge', () => {
  it('prints a URL carrying the per-launch key in its fragment', () => {
    expect(running.url).toBe(`${running.origin}/#key=${running.key}`);
    expect(running.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a wrong key, and no key, with 401', async () => {
    expect(await openBridge(`${running.key}x`, running.origin)).toBe(401);
    expect(await openBridge('', running.origin)).toBe(401);
  });

  it('refuses another origin, and a missing one, with 403', async () => {
    expect(await openBridge(running.key, 'http://127.0.0.1:1')).toBe(403);
    expect(await openBridge(running.key, 'http://evil.example')).toBe(403);
    expect(await openBridge(running.key, undefined)).toBe(403);
  });

  it('answers our own page with result envelopes', async () => {
    const socket = await openBridge(running.key, running.origin);
    if (typeof socket === 'number') throw new Error(`refused with ${socket}`);
    const answer = nextMessage(
      socket,
      (message) => message.type === 'response' && message.id === 'r1',
    );
    socket.send(JSON.stringify({ type: 'request', id: 'r1', name: 'status', input: null }));
    expect(await answer).toMatchObject({
      type: 'response',
      result: { ok: true, value: { deskId: running.desk.deskId, connection: 'signed_out' } },
    });

    const refused = nextMessage(
      socket,
      (message) => message.type === 'response' && message.id === 'r2',
    );
    socket.send(
      JSON.stringify({ type: 'request', id: 'r2', name: 'signIn', input: { username: '' } }),
    );
    expect(await refused).toMatchObject({
      result: { ok: false, error: { code: 'invalid_input' } },
    });

    const unknown = nextMessage(
      socket,
      (message) => message.type === 'response' && message.id === 'r3',
    );
    socket.send(JSON.stringify({ type: 'request', id: 'r3', name: 'dropTables', input: null }));
    expect(await unknown).toMatchObject({ result: { ok: false, error: { code: 'not_found' } } });
    socket.close();
  });

  it('disconnects a client that sends something other than a request', async () => {
    const socket = await openBridge(running.key, running.origin);
    if (typeof socket === 'number') throw new Error(`refused with ${socket}`);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('{"type":"request"');
    expect(await closed).toBe(1008);
  });
});

describe('serving the renderer', () => {
  it('serves files with their content type and a strict content security policy', async () => {
    const script = await fetch(`${running.origin}/assets/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const policy = script.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain('connect-src');
    expect(policy).not.toContain('unsafe-inline');
  });

  it('falls back to index.html for page routes, but not for missing files', async () => {
    const page = await fetch(`${running.origin}/interaction/123`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Adviser Desk');
    expect((await fetch(`${running.origin}/assets/missing.js`)).status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    const escaped = await fetch(`${running.origin}/..%2fsecret.txt`);
    expect(await escaped.text()).not.toContain('outside the renderer');
  });
});
