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
  const claims = { sub: 'staff-1', sid: 'session-1', roles: ['adviser' as const], exp: 1_000_000 };

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
  const policy = {
    attemptsPerAddress: { points: 1000, seconds: 60 },
    failuresPerAccountAndAddress: { points: 3, seconds: 60 },
    failuresPerAddress: { points: 50, seconds: 60 },
    failuresPerAccount: { points: 5, seconds: 60 },
    slowDownSeconds: 30,
  };

  it('refuses a username at an address after its failures there, but not elsewhere', async () => {
    const attempts = new SignInAttempts(policy);
    for (let failure = 0; failure < 3; failure += 1) {
      expect((await attempts.admit('Demo-Adviser', '10.0.0.9')).admitted).toBe(true);
    }
    expect(await attempts.admit('demo-adviser', '10.0.0.9')).toMatchObject({ admitted: false });
    expect((await attempts.admit('demo-leader', '10.0.0.9')).admitted).toBe(true);
    expect((await attempts.admit('demo-adviser', '10.0.0.1')).admitted).toBe(true);
  });

  it('reserves before the password is checked, so concurrent attempts cannot all pass', async () => {
    const attempts = new SignInAttempts(policy);
    const admissions = await Promise.all(
      Array.from({ length: 20 }, () => attempts.admit('demo-adviser', '10.0.0.9')),
    );
    expect(admissions.filter((admission) => admission.admitted)).toHaveLength(3);
  });

  it('slows an account down past its limit from anywhere, instead of locking it', async () => {
    const attempts = new SignInAttempts(policy);
    for (let failure = 0; failure < 5; failure += 1) {
      expect((await attempts.admit('demo-adviser', `10.0.1.${failure}`)).admitted).toBe(true);
    }
    // Past the limit: one attempt goes through, the next waits for the slow-down.
    expect((await attempts.admit('demo-adviser', '10.0.2.1')).admitted).toBe(true);
    const waiting = await attempts.admit('demo-adviser', '10.0.2.2');
    expect(waiting).toMatchObject({ admitted: false });
    expect(waiting.admitted ? 0 : waiting.retryAfterSeconds).toBeGreaterThan(20);
  });

  it('clears the failures of a username when the right password is given', async () => {
    const attempts = new SignInAttempts(policy);
    for (let failure = 0; failure < 2; failure += 1) {
      await attempts.admit('demo-adviser', '10.0.0.9');
    }
    const right = await attempts.admit('demo-adviser', '10.0.0.9');
    if (!right.admitted) throw new Error('expected the third attempt to be admitted');
    await right.succeeded();
    for (let failure = 0; failure < 3; failure += 1) {
      expect((await attempts.admit('demo-adviser', '10.0.0.9')).admitted).toBe(true);
    }
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
