// The check every link passes before anyone is offered it: https only, no
// credentials in it, and not to this machine or a private network. The desk
// runs it before it opens a link from an article or a chat, the customer's
// chat page runs it before a link becomes something to click, and the action
// plan runs it before a link is put in an email: one check, so a link a young
// person can open is exactly a link the desk would open.
//
// The check reads the URL as written. A public name whose DNS answer is a
// private address is not caught here: resolving names is the browser's job,
// and a name resolved now may answer differently when the browser asks.
import { fail, ok, type Result } from '../result';

/** The parts of a WHATWG URL the check reads. */
interface ParsedUrl {
  readonly href: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
}

// shared/ is compiled without DOM or Node types, but every process it runs in
// (Node, Electron, the browser) has the same WHATWG URL parser as a global.
const WebUrl = (globalThis as unknown as { URL: new (input: string) => ParsedUrl }).URL;

/** Names that only mean something on this machine or a local network. */
const localSuffixes = ['.localhost', '.local', '.localdomain', '.internal', '.lan', '.home.arpa'];

/** IPv4 ranges that are not the public internet: [first address, prefix length]. */
const privateIpv4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const ipv4Number = (address: string): number =>
  address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);

function isPrivateIpv4(address: string): boolean {
  const value = ipv4Number(address);
  return privateIpv4.some(([base, bits]) => {
    const size = 2 ** (32 - bits);
    const start = ipv4Number(base);
    return value >= start && value < start + size;
  });
}

/**
 * IPv6 literals: only global unicast (2000::/3) is public. Loopback, unspecified,
 * unique-local, link-local, multicast and IPv4-mapped addresses all fall outside it.
 */
function isPublicIpv6(address: string): boolean {
  const first = address.split(':')[0] ?? '';
  if (first === '') return false;
  const leading = Number.parseInt(first, 16);
  return leading >= 0x2000 && leading <= 0x3fff;
}

/** Answers the normalised URL when it may be opened, or why not. */
export function checkExternalLink(raw: string): Result<string> {
  let url: ParsedUrl;
  try {
    url = new WebUrl(raw.trim());
  } catch {
    return fail('invalid_input', 'That is not a web address');
  }
  if (url.protocol !== 'https:') {
    return fail('forbidden', 'Only secure web links (https) open from the desk');
  }
  if (url.username !== '' || url.password !== '') {
    return fail('forbidden', 'Links carrying a user name or password are not opened');
  }
  // The URL parser has already turned every spelling of an IPv4 address
  // (0x7f.1, 2130706433, 127.1) into dotted decimal, and lower-cased the name.
  const host = url.hostname.replace(/\.$/, '');
  if (host.startsWith('[')) {
    if (!isPublicIpv6(host.slice(1, -1))) {
      return fail('forbidden', 'Links to this machine or a private network are not opened');
    }
    return ok(url.href);
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    if (isPrivateIpv4(host)) {
      return fail('forbidden', 'Links to this machine or a private network are not opened');
    }
    return ok(url.href);
  }
  if (
    host === 'localhost' ||
    !host.includes('.') ||
    localSuffixes.some((suffix) => host.endsWith(suffix))
  ) {
    return fail('forbidden', 'Links to this machine or a private network are not opened');
  }
  return ok(url.href);
}

/** The checked link, or null when it may not be offered: for callers that only need yes or no. */
export function safeExternalLink(raw: string): string | null {
  const checked = checkExternalLink(raw);
  return checked.ok ? checked.value : null;
}

/**
 * A piece of a message: text to show as typed, or a web address as written
 * with, when it passes the check, the link it may open (null when it does not).
 */
export type WebTextSegment =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; url: string | null };

/**
 * Only secure web addresses are looked for; everything else (http,
 * javascript:, data:, markup) stays text. The pattern has no nested
 * repetition, so even a 100 KB message is split in one linear pass.
 */
const webAddressPattern = /https:\/\/[^\s<>"'`]+/gi;
/** Punctuation that ends a sentence rather than an address. */
const trailingPunctuation = /[.,;:!?)\]}]+$/;

/** Splits text into plain text and secure web addresses; the pieces joined are the text, unchanged. */
export function webAddressSegments(text: string): WebTextSegment[] {
  const segments: WebTextSegment[] = [];
  let from = 0;
  for (const match of text.matchAll(webAddressPattern)) {
    const start = match.index;
    const address = match[0].replace(trailingPunctuation, '');
    if (address.length <= 'https://'.length) continue;
    if (start > from) segments.push({ kind: 'text', text: text.slice(from, start) });
    segments.push({ kind: 'link', text: address, url: safeExternalLink(address) });
    from = start + address.length;
  }
  if (from < text.length || segments.length === 0)
    segments.push({ kind: 'text', text: text.slice(from) });
  return segments;
}
