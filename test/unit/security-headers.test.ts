// Every response security header comes from shared/http/security-headers.ts:
// each surface's headers as sent, the desk's bridge socket allowed in browser
// mode only, the mail page's digests matching its inline code, and the
// renderer's meta CSP written from the desk's policy when the page is built.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mailPageHeaders, mailPageHtml } from '../../server/transcripts/page';
import {
  cspHeaderValue,
  cspMetaContent,
  customerChatPagePolicy,
  deskRendererPolicy,
  mailPagePolicy,
  securityHeaders,
  serverApiPolicy,
} from '../../shared/http/security-headers';
import viteConfig, { withRendererCsp } from '../../vite.config';

const lockedDown = "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const everySurface = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

describe('each surface’s headers', () => {
  it('the server’s answers load nothing, are kept by no cache and are read by their own origin only', () => {
    expect(securityHeaders(serverApiPolicy)).toEqual({
      'content-security-policy': `default-src 'none'; ${lockedDown}`,
      ...everySurface,
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
    });
  });

  it('the customer chat page loads only its own files and talks only to its server', () => {
    expect(securityHeaders(customerChatPagePolicy)).toEqual({
      'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; ${lockedDown}`,
      ...everySurface,
      'cross-origin-opener-policy': 'same-origin',
    });
  });

  it('the mail page runs its inline script and style by digest and nothing else', () => {
    expect(
      securityHeaders(mailPagePolicy({ scriptSha256: 'c2NyaXB0', styleSha256: 'c3R5bGU=' })),
    ).toEqual({
      'content-security-policy': `default-src 'none'; script-src 'sha256-c2NyaXB0'; style-src 'sha256-c3R5bGU='; connect-src 'self'; ${lockedDown}`,
      ...everySurface,
      'cache-control': 'no-store',
    });
  });

  it('the desk renderer loads its own files, data: images and blob: recordings', () => {
    expect(securityHeaders(deskRendererPolicy({ bridgeSocket: false }))).toEqual({
      'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; ${lockedDown}`,
      ...everySurface,
      'cache-control': 'no-store',
    });
  });

  it('allows the desk’s loopback bridge socket in browser mode only', () => {
    expect(deskRendererPolicy({ bridgeSocket: true }).csp['connect-src']).toEqual([
      "'self'",
      'ws://127.0.0.1:*',
    ]);
    expect(cspHeaderValue(deskRendererPolicy({ bridgeSocket: false }).csp)).not.toContain('ws:');
  });
});

describe('the mail page as served', () => {
  it('carries the digests of the script and style it holds', () => {
    const digest = (source: string) =>
      `'sha256-${createHash('sha256').update(source).digest('base64')}'`;
    const inline = (tag: string) =>
      new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(mailPageHtml)?.[1] ?? '';
    const policy = mailPageHeaders['content-security-policy'];
    expect(policy).toContain(`script-src ${digest(inline('script'))};`);
    expect(policy).toContain(`style-src ${digest(inline('style'))};`);
  });
});

describe('the renderer’s meta CSP', () => {
  const source = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');

  it('is written at build time from the browser-mode policy, less what a meta cannot carry', () => {
    expect(source).not.toMatch(/http-equiv="Content-Security-Policy"/i);
    const built = withRendererCsp(source);
    const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(built)?.[1];
    expect(content).toBe(cspMetaContent(deskRendererPolicy({ bridgeSocket: true }).csp));
    expect(content).toContain("connect-src 'self' ws://127.0.0.1:*");
    expect(content).toContain("base-uri 'none'");
    expect(content).not.toContain('frame-ancestors');
    // Before the first script or style it governs.
    expect(built.indexOf(content ?? '')).toBeLessThan(
      built.search(/<script|<link rel="stylesheet"/),
    );
  });

  it('is part of the renderer build, which fails rather than leave it out', () => {
    const names = (viteConfig.plugins ?? []).map((plugin) =>
      plugin && typeof plugin === 'object' && 'name' in plugin ? plugin.name : null,
    );
    expect(names).toContain('renderer-csp-meta');
    expect(() => withRendererCsp('<!doctype html><head></head>')).toThrow(/lacks/);
  });
});
