// Every response security header comes from shared/http/security-headers.ts:
// each surface's headers as sent, the desk's bridge socket allowed in browser
// mode only, and the mail page's digests matching its inline code.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mailPageHeaders, mailPageHtml } from '../../server/transcripts/page';
import {
  cspHeaderValue,
  customerChatPagePolicy,
  deskRendererPolicy,
  mailPagePolicy,
  securityHeaders,
  serverApiPolicy,
} from '../../shared/http/security-headers';

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
