// Password hashes, access tokens, sign-in attempt limits and the ingest
// registry's one-applier-per-kind rule: the central server's pure pieces.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from '../../server/auth/access-tokens';
import { hashPassword, verifyPassword } from '../../server/auth/passwords';
import { SignInAttempts } from '../../server/auth/sign-in-attempts';
import { createIngestRegistry } from '../../server/ingest';
import { registerInteractionIngest } from '../../server/ingest/interactions';
import { IngestRegistry } from '../../server/ingest/registry';

describe('password hashes', () => {
  it('stores a self-describing scrypt hash with a fresh salt, and checks it', async () => {
    const first = await hashPassword('helpline-demo');
    const second = await hashPassword('helpline-demo');
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('helpline-demo', first)).toBe(true);
    expect(await verifyPassword('helpline-demo ', first)).toBe(false);
  });

  it('refuses a stored hash it cannot read instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$0$8$1$c2FsdA$aGFzaA')).toBe(false);
  });
});

describe('access tokens', () => {
  const secret = randomBytes(32);
  const claims = { sub: 'staff-1', roles: ['adviser' as const], exp: 1_000_000 };

  it('verifies its own token until it expires', () => {
    const token = signAccessToken(secret, claims);
    expect(verifyAccessToken(secret, token, 999_999)).toEqual(claims);
    expect(verifyAccessToken(secret, token, 1_000_000)).toBeNull();
  });

  it('refuses a token signed with another secret or with changed claims', () => {
    const token = signAccessToken(secret, claims);
    expect(verifyAccessToken(randomBytes(32), token, 0)).toBeNull();
    const [, mac] = token.split('.');
    const raised = Buffer.from(JSON.stringify({ ...claims, roles: ['team_leader'] })).toString(
      'base64url',
    );
    expect(verifyAccessToken(secret, `${raised}.${mac}`, 0)).toBeNull();
    expect(verifyAccessToken(secret, 'not-a-token', 0)).toBeNull();
    expect(verifyAccessToken(secret, `${token}.extra`, 0)).toBeNull();
  });
});

describe('sign-in attempts', () => {
  it('limits a username after its failures in the window, and forgets them after it', () => {
    const attempts = new SignInAttempts({ maxFailures: 3, windowMs: 1000 });
    for (const at of [0, 10, 20]) attempts.recordFailure('Demo-Adviser', at);
    expect(attempts.isLimited('demo-adviser', 30)).toBe(true);
    expect(attempts.isLimited('demo-leader', 30)).toBe(false);
    expect(attempts.isLimited('demo-adviser', 1015)).toBe(false);
  });

  it('clears the count on a successful sign-in', () => {
    const attempts = new SignInAttempts({ maxFailures: 2, windowMs: 1000 });
    attempts.recordFailure('demo-adviser', 0);
    attempts.recordSuccess('demo-adviser');
    attempts.recordFailure('demo-adviser', 1);
    expect(attempts.isLimited('demo-adviser', 2)).toBe(false);
  });
});

describe('ingest registry', () => {
  it('throws at start-up when a kind is registered twice', () => {
    const registry = new IngestRegistry();
    registerInteractionIngest(registry);
    expect(() => registerInteractionIngest(registry)).toThrow(
      /interaction.completed already has an applier/,
    );
  });

  it('throws when a kind a desk may send has no applier', () => {
    const registry = new IngestRegistry();
    registerInteractionIngest(registry);
    expect(() => registry.assertComplete()).toThrow(/followup.booked/);
    expect(() => createIngestRegistry()).not.toThrow();
  });
});
