// Signing staff in and out: sessions (12 hours, opaque token stored as its
// sha256), short-lived access tokens exchanged for them, and the checks the
// HTTP routes and the socket handshake make with those tokens.
import { createHash, randomBytes } from 'node:crypto';
import { credentialsSchema, type StaffMember } from '../../shared/domain/people';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import type { AccessGrant, SessionGrant } from '../../shared/wire/http';
import { demoAccounts, demoPassword } from '../demo-accounts';
import type { ServerStorage } from '../storage/types';
import { accessTokenLifetimeMs, signAccessToken, verifyAccessToken } from './access-tokens';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import type { SignInAttempts } from './sign-in-attempts';

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

const wrongCredentials = 'The username or password is not right';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class StaffAuth {
  constructor(
    private readonly storage: ServerStorage,
    private readonly signingSecret: Buffer,
    private readonly attempts: SignInAttempts,
    private readonly now: () => number,
  ) {}

  /** Creates the demo accounts when there are no accounts at all; true if it did. */
  async seedDemoAccounts(): Promise<boolean> {
    if (this.storage.accounts.count() > 0) return false;
    for (const account of demoAccounts) {
      this.storage.accounts.create({ ...account, passwordHash: await hashPassword(demoPassword) });
    }
    return true;
  }

  async signIn(input: unknown): Promise<Result<SessionGrant>> {
    const credentials = parseInput(credentialsSchema, input, 'Sign-in details');
    if (!credentials.ok) return credentials;
    const { username, password } = credentials.value;
    if (this.attempts.isLimited(username, this.now())) {
      return fail(
        'rate_limited',
        'Too many failed sign-ins for this username; wait a few minutes and try again',
      );
    }
    const account = this.storage.accounts.findByUsername(username);
    // An unknown username still costs one scrypt, so timing does not tell which part was wrong.
    const matches = await verifyPassword(
      password,
      account?.passwordHash ?? (await decoyPasswordHash()),
    );
    if (!account || !matches) {
      this.attempts.recordFailure(username, this.now());
      return fail('unauthenticated', wrongCredentials);
    }
    this.attempts.recordSuccess(username);
    const sessionToken = randomBytes(32).toString('base64url');
    const createdAt = new Date(this.now());
    const expiresAt = new Date(createdAt.getTime() + sessionLifetimeMs);
    this.storage.sessions.deleteExpired(createdAt.toISOString());
    this.storage.sessions.create({
      tokenHash: hashToken(sessionToken),
      accountId: account.id,
      createdAt: createdAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    const { passwordHash: _hash, ...user } = account;
    return ok({ sessionToken, expiresAt: expiresAt.toISOString(), user });
  }

  /** Exchanges a live session token for a five-minute access token. */
  issueAccessToken(sessionToken: string | null): Result<AccessGrant> {
    const member = sessionToken ? this.sessionMember(sessionToken) : null;
    if (!member) return fail('unauthenticated', 'Sign in again: the session has ended');
    const exp = this.now() + accessTokenLifetimeMs;
    return ok({
      token: signAccessToken(this.signingSecret, { sub: member.id, roles: member.roles, exp }),
      expiresAt: new Date(exp).toISOString(),
    });
  }

  signOut(sessionToken: string | null): Result<null> {
    if (!sessionToken || !this.sessionMember(sessionToken)) {
      return fail('unauthenticated', 'There is no session to sign out of');
    }
    this.storage.sessions.delete(hashToken(sessionToken));
    return ok(null);
  }

  /** The staff member an access token speaks for, if it is genuine, current, and the account still exists. */
  authenticateAccess(accessToken: string | null): StaffMember | null {
    if (!accessToken) return null;
    const claims = verifyAccessToken(this.signingSecret, accessToken, this.now());
    return claims ? this.storage.accounts.findById(claims.sub) : null;
  }

  private sessionMember(sessionToken: string): StaffMember | null {
    const session = this.storage.sessions.find(hashToken(sessionToken));
    if (!session || Date.parse(session.expiresAt) <= this.now()) return null;
    return this.storage.accounts.findById(session.accountId);
  }
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
