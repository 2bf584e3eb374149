// Secrets the server makes on first start and keeps in its data folder, readable
// by its own user only: the access-token signing secret and the telephony key.
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const signingSecretFile = 'signing.secret';
export const telephonyKeyFile = 'telephony.key';

/** Reads a secret file, or creates it with 32 random bytes (base64url) and mode 0600. */
export function loadOrCreateSecret(dataDir: string, fileName: string): string {
  const path = join(dataDir, fileName);
  // Written whole to a file of its own, then linked into place: a link fails if
  // the name exists, so two server processes starting together on one data
  // folder never overwrite each other's secret, and neither reads one half written.
  const draft = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32)
    throw new Error(`${path} does not hold a usable secret; delete it to make a new one`);
  return secret;
}
