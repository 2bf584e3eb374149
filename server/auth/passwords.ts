// Password hashing with Node's scrypt. The stored string names its parameters
// (`scrypt$N$r$p$salt$hash`) so the cost can rise later without breaking old hashes.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const defaultCost = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 64;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // 128·N·r·p bytes are needed; Node's default ceiling (32 MiB) is exactly N=2^15, r=8, so allow headroom.
    const maxmem = 256 * (options.N ?? 1) * (options.r ?? 1) * (options.p ?? 1);
    scrypt(password, salt, keyLength, { ...options, maxmem }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const derived = await scryptAsync(password, salt, defaultCost);
  const { N, r, p } = defaultCost;
  return ['scrypt', N, r, p, salt.toString('base64url'), derived.toString('base64url')].join('$');
}

/** False for a wrong password and for a hash this code cannot read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p || !Number.isInteger(N) || !Number.isInteger(r) || !Number.isInteger(p))
    return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || expected.length !== keyLength) return false;
  const derived = await scryptAsync(password, salt, { N, r, p });
  return timingSafeEqual(derived, expected);
}

/**
 * A hash of nothing in particular, checked when a username is unknown so that
 * a wrong username takes as long to refuse as a wrong password.
 */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('base64url'));
  return decoyHash;
}
