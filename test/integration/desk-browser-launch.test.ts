// Browser mode's one-time launch link: the key is never on a command line
// (the launcher starts Chromium on the launch link, which anyone can read in
// ps), the link gives the page the key once, and never again or after it expires.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBrowserMode, type BrowserModeDesk } from '../../electron/browser-mode';
import { startProcess, stopProcess, tsEntry, type StartedProcess } from '../../scripts/processes';

const root = mkdtempSync(join(tmpdir(), 'adviser-desk-launch-'));
const running: BrowserModeDesk[] = [];
const processes: StartedProcess[] = [];

afterAll(async () => {
  for (const desk of running) await desk.close();
  for (const started of processes) await stopProcess(started);
});

async function startDesk(name: string, launchLinkLifetimeMs?: number): Promise<BrowserModeDesk> {
  // Nothing listens on port 9: the desk stays signed out, which is all these tests need.
  const desk = await startBrowserMode({
    dataDir: join(root, name),
    serverUrl: 'http://127.0.0.1:9',
    rendererDir: join(root, 'no-renderer'),
    port: 0,
    launchLinkLifetimeMs,
  });
  running.push(desk);
  return desk;
}

const open = (url: string, method = 'GET') => fetch(url, { method, redirect: 'manual' });

describe('the browser-mode launch link', () => {
  it('carries no key, and sends the first visitor to the page with the key', async () => {
    const desk = await startDesk('first-use');
    expect(desk.launchUrl.startsWith(`${desk.origin}/launch/`)).toBe(true);
    expect(desk.launchUrl).not.toContain(desk.key);

    const first = await open(desk.launchUrl);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe(`/#key=${desk.key}`);
    expect(new URL(first.headers.get('location') ?? '', desk.origin).href).toBe(desk.url);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('works once: a second visit, a wrong code and a HEAD learn nothing', async () => {
    const desk = await startDesk('single-use');
    const head = await open(desk.launchUrl, 'HEAD');
    expect(head.status).toBe(405);
    const wrong = await open(`${desk.launchUrl}x`);
    expect(wrong.status).toBe(410);

    expect((await open(desk.launchUrl)).status).toBe(303);
    const again = await open(desk.launchUrl);
    expect(again.status).toBe(410);
    expect(again.headers.get('location')).toBeNull();
    const text = await again.text();
    expect(text).toMatch(/already been used or has expired/);
    expect(text).not.toContain(desk.key);
  });

  it('expires when nobody opens it in time', async () => {
    const desk = await startDesk('expired', 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = await open(desk.launchUrl);
    expect(late.status).toBe(410);
  });

  it('is printed by the desk process before its ready line, and neither command line has the key', async () => {
    const lines: string[] = [];
    const started = await startProcess({
      name: 'browser-mode desk',
      ...tsEntry('electron/browser-mode.ts', [
        '--data-dir',
        join(root, 'process'),
        '--server',
        'http://127.0.0.1:9',
        '--port',
        '0',
        '--renderer',
        join(root, 'no-renderer'),
      ]),
      readyPattern: /^desk ready: (\S+)$/,
      onLine: (line) => lines.push(line),
    });
    processes.push(started);
    const launchLine = lines.find((line) => line.startsWith('desk launch: '));
    expect(launchLine).toBeDefined();
    expect(lines.indexOf(launchLine ?? '')).toBeLessThan(
      lines.findIndex((line) => line.startsWith('desk ready: ')),
    );
    const launchUrl = (launchLine ?? '').slice('desk launch: '.length);
    const key = new URLSearchParams(new URL(started.readyValue).hash.slice(1)).get('key') ?? '';
    expect(key).toMatch(/^[\w-]{43}$/);
    // The launcher puts the launch link on Chromium's command line: it must not hold the key.
    expect(launchUrl).not.toContain(key);
    expect(started.child.spawnargs.join(' ')).not.toContain(key);

    const answer = await open(launchUrl);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(`/#key=${key}`);
  });
});
