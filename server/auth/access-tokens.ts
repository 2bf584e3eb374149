// Short-lived access tokens for socket.io handshakes and API calls: an
// HMAC-SHA256 signed `{sub, sid, roles, exp}`. The signature and expiry are
// checked here; that the session is still live is checked by StaffAuth.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { roleSchema, type Role } from '../../shared/domain/people';

export const accessTokenLifetimeMs = 5 * 60 * 1000;

const claimsSchema = z.object({
  sub: z.string().min(1),
  /** The session the token was issued for (its stored hash); checked on every use. */
  sid: z.string().min(1),
  roles: z.array(roleSchema),
  /** Expiry, milliseconds since the epoch. */
  exp: z.number().int().positive(),
});
export type AccessClaims = z.infer<typeof claimsSchema>;

function signature(secret: Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export function signAccessToken(
  secret: Buffer,
  claims: { sub: string; sid: string; roles: Role[]; exp: number },
): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${signature(secret, body).toString('base64url')}`;
}

/** The claims of a token signed with `secret` that has not expired at `now`; null otherwise. */
export function verifyAccessToken(secret: Buffer, token: string, now: number): AccessClaims | null {
  const [body, mac, extra] = token.split('.');
  if (!body || !mac || extra !== undefined) return null;
  const given = Buffer.from(mac, 'base64url');
  const expected = signature(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const claims = claimsSchema.safeParse(decoded);
  if (!claims.success || claims.data.exp <= now) return null;
  return claims.data;
}
