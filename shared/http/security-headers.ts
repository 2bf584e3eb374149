// Every response security header the product chooses, as data: one policy for
// each surface that serves something, with what they share written once. The
// central server feeds these to helmet, the desk shell and browser mode send
// them as they are, and the renderer's build writes its meta CSP from them, so
// a policy changes here or nowhere.

/** Content-Security-Policy directives, each with its sources, in the order sent. */
export type CspDirectives = Readonly<Record<string, readonly string[]>>;

export interface SecurityPolicy {
  readonly csp: CspDirectives;
  /** The other headers, by lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
}

const none = ["'none'"];
const self = ["'self'"];

/**
 * Nothing here may be framed by another page, re-point its relative URLs with
 * a <base>, post a form anywhere (every form is sent by script) or load a
 * plugin. base-uri, form-action and frame-ancestors never fall back to
 * default-src, so every policy states them; object-src would, but the desk's
 * default is 'self'.
 */
const lockedDown: CspDirectives = {
  'object-src': none,
  'base-uri': none,
  'form-action': none,
  'frame-ancestors': none,
};

/** No type guessed from the body, and no address of ours handed to another site. */
const everySurface = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** For answers and pages that hold or lead to personal data: no cache may keep them. */
const noStore = { 'cache-control': 'no-store' } as const;

/**
 * Every answer of the central server but its two pages: JSON, recordings and
 * errors, none of which has anything to load. Its answers under /api hold
 * personal data, hence no-store; the pages below carry their own policies.
 */
export const serverApiPolicy: SecurityPolicy = {
  csp: { 'default-src': none, ...lockedDown },
  headers: { ...everySurface, 'cross-origin-resource-policy': 'same-origin', ...noStore },
};

/**
 * The customer chat page (customer/, built by Vite): its own files and the
 * socket back to the server that served it; no inline code, no other origin.
 * Its hashed assets may be cached, so no no-store here.
 */
export const customerChatPagePolicy: SecurityPolicy = {
  csp: {
    'default-src': none,
    'script-src': self,
    'style-src': self,
    'img-src': ["'self'", 'data:'],
    'connect-src': self,
    'font-src': self,
    ...lockedDown,
  },
  headers: { ...everySurface, 'cross-origin-opener-policy': 'same-origin' },
};

/**
 * The operators' mail page: one inline script and one inline style, allowed
 * by their SHA-256 digests (base64) and nothing else. The digests are the
 * caller's, since computing them needs a hash this pure module does not have.
 */
export function mailPagePolicy(digests: {
  scriptSha256: string;
  styleSha256: string;
}): SecurityPolicy {
  return {
    csp: {
      'default-src': none,
      'script-src': [`'sha256-${digests.scriptSha256}'`],
      'style-src': [`'sha256-${digests.styleSha256}'`],
      'connect-src': self,
      ...lockedDown,
    },
    headers: { ...everySurface, ...noStore },
  };
}

/**
 * The adviser desk's renderer, on app:// in Electron or over loopback http in
 * browser mode. Browser mode carries the desk API over a loopback WebSocket
 * and must allow it; Electron uses IPC and must not.
 */
export function deskRendererPolicy(options: { bridgeSocket: boolean }): SecurityPolicy {
  return {
    csp: {
      'default-src': self,
      'script-src': self,
      'style-src': self,
      'img-src': ["'self'", 'data:'],
      // A call recording plays from memory the desk services handed over (never a URL with a token).
      'media-src': ["'self'", 'blob:'],
      'connect-src': options.bridgeSocket ? ["'self'", 'ws://127.0.0.1:*'] : self,
      ...lockedDown,
    },
    headers: { ...everySurface, ...noStore },
  };
}

export function cspHeaderValue(csp: CspDirectives): string {
  return Object.entries(csp)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/**
 * Browsers ignore these in a <meta http-equiv> policy (with a console warning),
 * so a page's framing is refused only by the header policy, never by its meta.
 */
const headerOnlyDirectives = new Set(['frame-ancestors', 'report-uri', 'sandbox']);

/** The policy as a <meta http-equiv="Content-Security-Policy"> can carry it. */
export function cspMetaContent(csp: CspDirectives): string {
  return cspHeaderValue(
    Object.fromEntries(Object.entries(csp).filter(([name]) => !headerOnlyDirectives.has(name))),
  );
}

/** The headers that put a policy on a response. */
export function securityHeaders(policy: SecurityPolicy): Record<string, string> {
  return { 'content-security-policy': cspHeaderValue(policy.csp), ...policy.headers };
}
