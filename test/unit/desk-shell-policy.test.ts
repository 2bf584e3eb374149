// The Electron shell's security decisions, run in plain Node: the app:// handler
// serves only the renderer folder and puts the CSP on every response; navigation
// and new windows follow the desk API's link check; the server URL must be
// https off this machine; page permissions are refused but for the clipboard.
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkServerUrl,
  contentSecurityPolicy,
  navigationDecision,
  pageOrigin,
  permissionGranted,
  rendererFileFor,
  serveRendererRequest,
} from '../../electron/shell-policy';

const rendererDir = join(sep, 'opt', 'desk', 'renderer');
const existing = new Set([join(rendererDir, 'index.html'), join(rendererDir, 'assets', 'app.js')]);
const isFile = (path: string) => existing.has(path);

describe('the app:// protocol handler', () => {
  it('serves a file inside the renderer folder and falls back to index.html for routes', () => {
    expect(rendererFileFor(rendererDir, 'app://desk/assets/app.js', isFile)).toEqual({
      file: join(rendererDir, 'assets', 'app.js'),
    });
    expect(rendererFileFor(rendererDir, 'app://desk/history/123', isFile)).toEqual({
      file: join(rendererDir, 'index.html'),
    });
  });

  it('never serves outside the folder, however the path is spelled', () => {
    for (const path of [
      '/../secret',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/assets/..%5c..%5c..%5cwindows',
    ]) {
      const found = rendererFileFor(rendererDir, `app://desk${path}`, () => true);
      expect('file' in found && found.file.startsWith(rendererDir + sep), path).toBe(true);
    }
    expect(rendererFileFor(rendererDir, 'app://other/index.html', isFile)).toEqual({ status: 404 });
    expect(rendererFileFor(rendererDir, 'app://desk/%E0%A4%A', isFile)).toEqual({ status: 400 });
  });

  it('puts the CSP on the response it serves, without the bridge socket', async () => {
    const response = await serveRendererRequest(
      rendererDir,
      'app://desk/assets/app.js',
      async () =>
        new Response('console.log(1)', { headers: { 'content-type': 'text/javascript' } }),
      isFile,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('ws:');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    await expect(response.text()).resolves.toBe('console.log(1)');
  });

  it('puts the CSP on refusals too', async () => {
    const response = await serveRendererRequest(rendererDir, 'app://elsewhere/', () => {
      throw new Error('must not fetch');
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(
      contentSecurityPolicy({ bridgeSocket: false }),
    );
  });

  it('allows the loopback bridge socket only in browser mode', () => {
    expect(contentSecurityPolicy({ bridgeSocket: true })).toContain('ws://127.0.0.1:*');
    expect(contentSecurityPolicy({ bridgeSocket: false })).not.toContain('ws:');
  });
});

describe('navigation and new windows', () => {
  it('keeps our own pages in the window', () => {
    expect(pageOrigin('app://desk/index.html')).toBe('app://desk');
    expect(navigationDecision('app://desk/history', { inWindow: true })).toEqual({
      action: 'stay',
    });
  });

  it('never opens a new window of our own', () => {
    expect(navigationDecision('app://desk/index.html', { inWindow: false }).action).toBe('refuse');
  });

  it('opens a checked public https link in the system browser', () => {
    expect(navigationDecision('https://www.example.org/jobs', { inWindow: false })).toEqual({
      action: 'open-externally',
      url: 'https://www.example.org/jobs',
    });
  });

  it('refuses loopback, private hosts, plain http, credentials and other schemes', () => {
    for (const target of [
      'http://www.example.org/',
      'https://127.0.0.1/admin',
      'https://localhost:4300/',
      'https://192.168.1.10/',
      'https://[::1]/',
      'https://10.0.0.4/',
      'https://printer.local/',
      'https://user:secret@www.example.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(navigationDecision(target, { inWindow: true }).action, target).toBe('refuse');
      expect(navigationDecision(target, { inWindow: false }).action, target).toBe('refuse');
    }
  });
});

describe('the server address', () => {
  it('takes https anywhere, and plain http only on this machine', () => {
    expect(checkServerUrl('https://helpline.example.org')).toEqual({
      ok: true,
      value: 'https://helpline.example.org',
    });
    expect(checkServerUrl('https://helpline.example.org/desk/')).toEqual({
      ok: true,
      value: 'https://helpline.example.org/desk',
    });
    for (const local of ['http://127.0.0.1:4300', 'http://localhost:4300', 'http://[::1]:4300']) {
      expect(checkServerUrl(local).ok, local).toBe(true);
    }
  });

  it('refuses plain http to another machine with a message that says what to do', () => {
    const refused = checkServerUrl('http://helpline.example.org');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/must start with https:\/\//);
    for (const bad of [
      'http://192.168.1.5:4300',
      'ftp://example.org',
      'nonsense',
      'https://a:b@x.org',
    ]) {
      expect(checkServerUrl(bad).ok, bad).toBe(false);
    }
  });
});

describe('page permissions', () => {
  it('grants our page the clipboard write and nothing else', () => {
    expect(permissionGranted('clipboard-sanitized-write', 'app://desk/index.html')).toBe(true);
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'openExternal',
      'fullscreen',
      'hid',
      'serial',
      'usb',
      'clipboard-read',
    ]) {
      expect(permissionGranted(permission, 'app://desk/index.html'), permission).toBe(false);
    }
  });

  it('grants nothing to any other origin', () => {
    expect(permissionGranted('clipboard-sanitized-write', 'https://www.example.org/')).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', '')).toBe(false);
  });
});
