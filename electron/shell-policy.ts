// The Electron shell's security decisions as plain functions, so they run and
// are tested in Node: what the app:// handler serves and with which headers,
// where navigation and new windows may go, which server URL is acceptable and
// which page permissions are granted. main.ts only wires them to Electron.
import { statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import {
  cspHeaderValue,
  deskRendererPolicy,
  securityHeaders,
} from '../shared/http/security-headers';
import { fail, ok, type Result } from '../shared/result';
import { checkExternalLink } from './services/knowledge-links';

/**
 * The renderer's content security policy as the shell sends it. The policy is
 * the shared module's, which the renderer's meta CSP is built from too.
 */
export function contentSecurityPolicy(options: { bridgeSocket: boolean }): string {
  return cspHeaderValue(deskRendererPolicy(options).csp);
}

/** Headers on every response that serves the renderer, in either host. */
export function rendererSecurityHeaders(options: {
  bridgeSocket: boolean;
}): Record<string, string> {
  return securityHeaders(deskRendererPolicy(options));
}

export const rendererScheme = 'app';
export const rendererHost = 'desk';
export const rendererOrigin = `${rendererScheme}://${rendererHost}`;

/**
 * scheme://host of a page's URL. Node's URL gives the origin "null" for a scheme
 * it does not know (app:), though Electron treats app://desk as a standard
 * origin; comparing `.origin` would refuse our own page.
 */
export function pageOrigin(target: string): string | null {
  try {
    const url = new URL(target);
    return url.host === '' ? null : `${url.protocol}//${url.host}`;
  } catch {
    return null;
  }
}

/**
 * The file an app://desk/ request names: inside the renderer folder or nothing.
 * Page routes (no such file) fall back to index.html, as in browser mode.
 */
export function rendererFileFor(
  rendererDir: string,
  requestUrl: string,
  isFile: (path: string) => boolean = (path) =>
    statSync(path, { throwIfNoEntry: false })?.isFile() ?? false,
): { file: string } | { status: 400 | 404 } {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400 };
  }
  if (url.host !== rendererHost) return { status: 404 };
  let wanted: string;
  try {
    wanted = normalize(join(rendererDir, decodeURIComponent(url.pathname)));
  } catch {
    return { status: 400 };
  }
  const inside = wanted.startsWith(rendererDir + sep);
  return { file: inside && isFile(wanted) ? wanted : join(rendererDir, 'index.html') };
}

/**
 * Answers one app:// request. Headers set in session.webRequest never reach a
 * custom protocol's responses, so the CSP is put on the response here.
 */
export async function serveRendererRequest(
  rendererDir: string,
  requestUrl: string,
  fetchFile: (path: string) => Promise<Response>,
  isFile?: (path: string) => boolean,
): Promise<Response> {
  const headers = rendererSecurityHeaders({ bridgeSocket: false });
  const found = rendererFileFor(rendererDir, requestUrl, isFile);
  if ('status' in found) {
    return new Response(found.status === 400 ? 'Bad request' : 'Not found', {
      status: found.status,
      headers,
    });
  }
  const file = await fetchFile(found.file);
  const merged = new Headers(file.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(file.body, { status: file.status, headers: merged });
}

export type NavigationDecision =
  | { action: 'stay' }
  | { action: 'open-externally'; url: string }
  | { action: 'refuse'; reason: string };

/**
 * Where a navigation or window-open may go: our own origin stays in the window;
 * anything else is opened in the system browser only if it passes the same link
 * check the desk API uses (https, no credentials, not loopback or private).
 */
export function navigationDecision(
  target: string,
  options: { inWindow: boolean },
): NavigationDecision {
  // A new window is never ours to open, even on our own origin.
  if (options.inWindow && pageOrigin(target) === rendererOrigin) return { action: 'stay' };
  const checked = checkExternalLink(target);
  return checked.ok
    ? { action: 'open-externally', url: checked.value }
    : { action: 'refuse', reason: checked.error.message };
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/\.$/, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/**
 * An address the desk is configured to reach: https, unless it is this machine
 * (development, or a local relay). `what` names it in the messages.
 */
function checkConfiguredUrl(raw: string, what: string): Result<string> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return fail('invalid_input', `The ${what} "${raw}" is not a web address.`);
  }
  if (url.username !== '' || url.password !== '') {
    return fail('invalid_input', `The ${what} must not carry a user name or password.`);
  }
  // Kept as written (less a trailing slash), so a server behind a path prefix still works.
  const address = url.href.replace(/\/$/, '');
  if (url.protocol === 'https:') return ok(address);
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return ok(address);
  return fail(
    'invalid_input',
    `The ${what} must start with https:// (plain http is allowed only for this machine): ${url.origin}`,
  );
}

/**
 * The central server's address. Plain http to another machine would carry
 * sign-in and notes about young people in the clear.
 */
export const checkServerUrl = (raw: string) => checkConfiguredUrl(raw, 'server address');

/**
 * Where the desk looks for updates. Plain http to another machine would let
 * anyone on the way hand the desk code to run.
 */
export const checkUpdateUrl = (raw: string) => checkConfiguredUrl(raw, 'update feed address');

/**
 * The one page permission the desk uses: writing text to the clipboard (copying
 * a replay link). Camera, microphone, notifications, location, devices and the
 * rest are refused, whoever asks.
 */
const grantedPermissions = new Set(['clipboard-sanitized-write']);

export function permissionGranted(permission: string, requestingUrl: string): boolean {
  return pageOrigin(requestingUrl) === rendererOrigin && grantedPermissions.has(permission);
}
