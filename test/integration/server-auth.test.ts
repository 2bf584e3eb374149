// Signing in to the central server over real HTTP, and socket handshakes
// refused without a genuine, current access token. On each storage engine.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../../server/auth/access-tokens';
import { defaultSignInAttemptPolicy, SignInAttempts } from '../../server/auth/sign-in-attempts';
import { StaffAuth } from '../../server/auth/staff-auth';
import { demoAccounts } from '../../server/demo-accounts';
import { signingSecretFile } from '../../server/secrets';
import { roles } from '../../shared/domain/people';
import { limits } from '../../shared/limits';
import { openStorage } from '../../server/storage/storage';
import { engines, testDatabase } from '../support/storage';
import { startTestServer, type TestServer } from './server-harness';

describe.each(engines)('the server on %s', (engine) => {
  let harness: TestServer;
  /** The server's clock, moved forward by tests that need tokens to expire. */
  let clockOffsetMs = 0;

  beforeAll(async () => {
    harness = await startTestServer({
      engine,
      now: () => Date.now() + clockOffsetMs,
      signInAttempts: {
        ...defaultSignInAttemptPolicy,
        failuresPerAccountAndAddress: { points: 3, seconds: 60 },
      },
    });
  });

  afterAll(async () => {
    await harness.close();
  });

  async function request(path: string, init: RequestInit = {}) {
    const response = await fetch(`${harness.server.url}${path}`, init);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** A sign-in from another loopback address, as a second client machine would make it. */
  function signInFrom(
    localAddress: string,
    credentials: { username: string; password: string },
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = JSON.stringify(credentials);
    return new Promise((resolve, reject) => {
      const sent = httpRequest(
        `${harness.server.url}/api/session`,
        {
          method: 'POST',
          localAddress,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(text) as Record<string, unknown>,
            }),
          );
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
  }

  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  describe('signing in', () => {
    it('answers the health check', async () => {
      expect(await request('/healthz')).toEqual({
        status: 200,
        body: { ok: true, value: { status: 'ok' } },
      });
    });

    it('signs a demo adviser in with a 12-hour session and exchanges it for a five-minute access token', async () => {
      const session = await postJson('/api/session', {
        username: 'demo-adviser',
        password: 'helpline-demo',
      });
      expect(session.status).toBe(200);
      const value = session.body.value as {
        sessionToken: string;
        expiresAt: string;
        user: unknown;
      };
      expect(value.user).toEqual({
        id: expect.any(String),
        username: 'demo-adviser',
        displayName: 'Alex Adviser',
        roles: ['adviser'],
      });
      const hours = (Date.parse(value.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(11.9);
      expect(hours).toBeLessThanOrEqual(12);

      const access = await request('/api/session/token', {
        method: 'POST',
        headers: { authorization: `Bearer ${value.sessionToken}` },
      });
      expect(access.status).toBe(200);
      const grant = access.body.value as { token: string; expiresAt: string };
      expect((Date.parse(grant.expiresAt) - Date.now()) / 60_000).toBeLessThanOrEqual(5);

      const listing = await request('/api/interactions', {
        headers: { authorization: `Bearer ${grant.token}` },
      });
      expect(listing).toEqual({ status: 200, body: { ok: true, value: { items: [] } } });
    });

    it('gives the same refusal for a wrong password and an unknown username', async () => {
      const wrongPassword = await postJson('/api/session', {
        username: 'demo-leader',
        password: 'nope',
      });
      const unknownUser = await postJson('/api/session', {
        username: 'nobody-here',
        password: 'helpline-demo',
      });
      expect(wrongPassword.status).toBe(401);
      expect(unknownUser.status).toBe(401);
      expect(wrongPassword.body).toEqual(unknownUser.body);
      expect(wrongPassword.body).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    });

    it('limits repeated failures for one username, even with the right password afterwards', async () => {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        expect(
          (await postJson('/api/session', { username: 'demo-trainer', password: 'guess' })).status,
        ).toBe(401);
      }
      const limited = await postJson('/api/session', {
        username: 'demo-trainer',
        password: 'helpline-demo',
      });
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
      // Another username is not affected.
      expect(
        (await postJson('/api/session', { username: 'demo-editor', password: 'helpline-demo' }))
          .status,
      ).toBe(200);
      // Nor is the same person at another address: a stranger's guesses do not lock them out.
      expect(
        (await signInFrom('127.0.0.2', { username: 'demo-trainer', password: 'helpline-demo' }))
          .status,
      ).toBe(200);
    });

    it('holds its limits under 100 parallel wrong guesses, and the real user still signs in', async () => {
      const guesses = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          signInFrom('127.0.0.3', { username: 'demo-adviser-2', password: `guess-${index}` }),
        ),
      );
      const checked = guesses.filter((answer) => answer.status === 401).length;
      const limited = guesses.filter((answer) => answer.status === 429).length;
      // Only the pair's three failures were let through to a password check.
      expect(checked).toBe(3);
      expect(limited).toBe(97);
      const real = await signInFrom('127.0.0.1', {
        username: 'demo-adviser-2',
        password: 'helpline-demo',
      });
      expect(real.status).toBe(200);
    });

    it('refuses sign-in details that do not parse, naming the problem', async () => {
      const answer = await postJson('/api/session', { username: '', password: 3 });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', issues: expect.any(Array) },
      });
    });

    it('answers malformed JSON, an oversized body and an unknown address with envelopes', async () => {
      const malformed = await request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"username": ',
      });
      expect(malformed).toMatchObject({
        status: 400,
        body: { ok: false, error: { code: 'invalid_input' } },
      });

      const oversized = await postJson('/api/session', {
        username: 'demo-adviser',
        password: 'x'.repeat(limits.maxHttpBodyBytes),
      });
      expect(oversized).toMatchObject({
        status: 413,
        body: { ok: false, error: { code: 'payload_too_large' } },
      });

      expect(await request('/api/nothing-here')).toMatchObject({
        status: 404,
        body: { ok: false, error: { code: 'not_found' } },
      });
    });

    it('ends the session on sign-out: no more access tokens for it', async () => {
      const { sessionToken } = await harness.signIn('demo-adviser-2');
      const bearer = { authorization: `Bearer ${sessionToken}` };
      expect((await request('/api/session', { method: 'DELETE', headers: bearer })).status).toBe(
        200,
      );
      const after = await request('/api/session/token', { method: 'POST', headers: bearer });
      expect(after).toMatchObject({
        status: 401,
        body: { ok: false, error: { code: 'unauthenticated' } },
      });
    });

    it('ends access at once on sign-out: open sockets close and access tokens stop working', async () => {
      const signedIn = await harness.signIn('demo-leader');
      const attempt = await harness.tryConnect({
        token: signedIn.accessToken,
        deskId: randomUUID(),
      });
      if (!('socket' in attempt)) throw new Error('the desk should have connected');
      const closed = new Promise<string>((resolve) => attempt.socket.once('disconnect', resolve));
      const bearer = { authorization: `Bearer ${signedIn.accessToken}` };
      expect((await request('/api/interactions', { headers: bearer })).status).toBe(200);

      const signOut = await request('/api/session', {
        method: 'DELETE',
        headers: { authorization: `Bearer ${signedIn.sessionToken}` },
      });
      expect(signOut.status).toBe(200);
      expect(await closed).toBe('io server disconnect');
      // The access token has minutes left to run, but its session is gone.
      expect(await request('/api/interactions', { headers: bearer })).toMatchObject({
        status: 401,
        body: { ok: false, error: { code: 'unauthenticated' } },
      });
      expect(
        await harness.tryConnect({ token: signedIn.accessToken, deskId: randomUUID() }),
      ).toEqual({ refused: 'unauthenticated' });
    });

    it('refuses listings without a valid access token', async () => {
      const { sessionToken } = await harness.signIn('demo-adviser');
      // A session token is not an access token.
      const answer = await request('/api/follow-ups', {
        headers: { authorization: `Bearer ${sessionToken}` },
      });
      expect(answer).toMatchObject({
        status: 401,
        body: { ok: false, error: { code: 'unauthenticated' } },
      });
    });
  });

  describe('socket handshake', () => {
    it('accepts a desk with a current access token', async () => {
      const socket = await harness.connectDesk('demo-adviser');
      expect(socket.connected).toBe(true);
      socket.close();
    });

    it('refuses a desk with no token', async () => {
      expect(await harness.tryConnect({ deskId: randomUUID() })).toEqual({
        refused: 'unauthenticated',
      });
      expect(await harness.tryConnect({})).toEqual({ refused: 'unauthenticated' });
    });

    it('refuses a forged token and a session token', async () => {
      const { sessionToken, user } = await harness.signIn('demo-adviser');
      const forged = signAccessToken(Buffer.from('not the server secret'), {
        sub: user.id,
        sid: createHash('sha256').update(sessionToken).digest('hex'),
        roles: ['team_leader'],
        exp: Date.now() + 60_000,
      });
      expect(await harness.tryConnect({ token: forged, deskId: randomUUID() })).toEqual({
        refused: 'unauthenticated',
      });
      expect(await harness.tryConnect({ token: sessionToken, deskId: randomUUID() })).toEqual({
        refused: 'unauthenticated',
      });
    });

    it('refuses a token once it has expired', async () => {
      const { accessToken, sessionToken } = await harness.signIn('demo-adviser');
      clockOffsetMs = 5 * 60 * 1000 + 1;
      try {
        expect(await harness.tryConnect({ token: accessToken, deskId: randomUUID() })).toEqual({
          refused: 'unauthenticated',
        });
      } finally {
        clockOffsetMs = 0;
      }
      // The same secret signs a token the server accepts, so the refusal was the expiry.
      const secret = Buffer.from(
        readFileSync(join(harness.dataDir, signingSecretFile), 'utf8').trim(),
        'base64url',
      );
      const adviser = await harness.server.storage.accounts.findByUsername('demo-adviser');
      const fresh = signAccessToken(secret, {
        sub: adviser?.id ?? '',
        sid: createHash('sha256').update(sessionToken).digest('hex'),
        roles: ['adviser'],
        exp: Date.now() + 60_000,
      });
      expect(await harness.tryConnect({ token: fresh, deskId: randomUUID() })).toHaveProperty(
        'socket',
      );
    });

    it('refuses a handshake without a desk id', async () => {
      const { accessToken } = await harness.signIn('demo-adviser');
      expect(await harness.tryConnect({ token: accessToken })).toEqual({
        refused: 'unauthenticated',
      });
    });
  });

  describe('demo accounts', () => {
    it('are all created on first start, each with its roles in the role list’s order', async () => {
      for (const account of demoAccounts) {
        expect(
          await harness.server.storage.accounts.findByUsername(account.username),
        ).toMatchObject({
          displayName: account.displayName,
          roles: roles.filter((role) => account.roles.includes(role)),
        });
      }
    });
  });
});

describe.each(engines)('seeding the demo accounts on %s', (engine) => {
  it('happens once when two server processes start on one empty database at the same moment', async () => {
    const where = await testDatabase(engine, 'seed');
    const open = () => openStorage({ dataDir: where.dataDir, databaseUrl: where.databaseUrl });
    const [first, second] = [await open(), await open()];
    try {
      const authOn = (storage: typeof first) =>
        new StaffAuth(storage, randomBytes(32), new SignInAttempts(), Date.now);
      const seeded = await Promise.all([
        authOn(first).seedDemoAccounts(),
        authOn(second).seedDemoAccounts(),
      ]);
      expect(seeded.filter(Boolean)).toHaveLength(1);
      expect(await first.accounts.count()).toBe(demoAccounts.length);
      expect(await authOn(second).seedDemoAccounts()).toBe(false);
    } finally {
      await first.close();
      await second.close();
      await where.drop();
    }
  });
});
