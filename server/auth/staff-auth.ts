// Signing staff in and out: sessions (12 hours, opaque token stored as its
// sha256), short-lived access tokens exchanged for them, and the checks the
// HTTP routes and the socket handshake make with those tokens.
import { createHash, randomBytes } from 'node:crypto';
import { credentialsSchema, type StaffMember } from '../../shared/domain/people';
import { fail, ok, parseInput, type Result } from '../../shared/result';
import type { AccessGrant, SessionGrant } from '../../shared/wire/http';
import { demoAccounts, demoPassword } from '../demo-accounts';
import { StorageConflictError, type ServerStorage } from '../storage/types';
import { accessTokenLifetimeMs, signAccessToken, verifyAccessToken } from './access-tokens';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import type { SignInAttempts } from './sign-in-attempts';

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

const wrongCredentials = 'The username or password is not right';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A signed-in staff member, with the session their access belongs to. */
export interface StaffAccess {
  staff: StaffMember;
  sessionId: string;
  /** When the session ends, milliseconds since the epoch. */
  expiresAt: number;
}

export class StaffAuth {
  private readonly endedListeners = new Set<(sessionId: string) => void>();

  constructor(
    private readonly storage: ServerStorage,
    private readonly signingSecret: Buffer,
    private readonly attempts: SignInAttempts,
    private readonly now: () => number,
  ) {}

  /**
   * Creates the demo accounts when there are no accounts at all; true if it
   * did. All or none, in one unit of work: of several server processes
   * starting on one empty database, one seeds and the others find it done.
   */
  async seedDemoAccounts(): Promise<boolean> {
    if ((await this.storage.accounts.count()) > 0) return false;
    // Hashed before the transaction, which then holds its locks for a moment only.
    const accounts = await Promise.all(
      demoAccounts.map(async (account) => ({
        ...account,
        passwordHash: await hashPassword(demoPassword),
      })),
    );
    try {
      return await this.storage.transaction(async (stores) => {
        if ((await stores.accounts.count()) > 0) return false;
        for (const account of accounts) await stores.accounts.create(account);
        return true;
      });
    } catch (error) {
      // Another process created the same usernames first and committed.
      if (error instanceof StorageConflictError) return false;
      throw error;
    }
  }

  async signIn(input: unknown, clientAddress: string): Promise<Result<SessionGrant>> {
    const credentials = parseInput(credentialsSchema, input, 'Sign-in details');
    if (!credentials.ok) return credentials;
    const { username, password } = credentials.value;
    const admission = await this.attempts.admit(username, clientAddress);
    if (!admission.admitted) {
      return fail(
        'rate_limited',
        `Too many sign-in attempts; wait ${admission.retryAfterSeconds} seconds and try again`,
      );
    }
    const account = await this.storage.accounts.findByUsername(username);
    // An unknown username still costs one scrypt, so timing does not tell which part was wrong.
    const matches = await verifyPassword(
      password,
      account?.passwordHash ?? (await decoyPasswordHash()),
    );
    // A failure keeps its reservation in the limits; only a success hands it back.
    if (!account || !matches) return fail('unauthenticated', wrongCredentials);
    await admission.succeeded();
    const sessionToken = randomBytes(32).toString('base64url');
    const createdAt = new Date(this.now());
    const expiresAt = new Date(createdAt.getTime() + sessionLifetimeMs);
    await this.storage.sessions.deleteExpired(createdAt.toISOString());
    await this.storage.sessions.create({
      tokenHash: hashToken(sessionToken),
      accountId: account.id,
      createdAt: createdAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    const { passwordHash: _hash, ...user } = account;
    return ok({ sessionToken, expiresAt: expiresAt.toISOString(), user });
  }

  /** Exchanges a live session token for a five-minute access token tied to that session. */
  async issueAccessToken(sessionToken: string | null): Promise<Result<AccessGrant>> {
    const sessionId = sessionToken ? hashToken(sessionToken) : null;
    const access = sessionId ? await this.sessionAccess(sessionId) : null;
    if (!sessionId || !access)
      return fail('unauthenticated', 'Sign in again: the session has ended');
    // Never past the session's own end: signing out or expiry ends access at once.
    const exp = Math.min(this.now() + accessTokenLifetimeMs, access.expiresAt);
    return ok({
      token: signAccessToken(this.signingSecret, {
        sub: access.staff.id,
        sid: sessionId,
        roles: access.staff.roles,
        exp,
      }),
      expiresAt: new Date(exp).toISOString(),
    });
  }

  async signOut(sessionToken: string | null): Promise<Result<null>> {
    const sessionId = sessionToken ? hashToken(sessionToken) : null;
    if (!sessionId || !(await this.sessionAccess(sessionId))) {
      return fail('unauthenticated', 'There is no session to sign out of');
    }
    await this.storage.sessions.delete(sessionId);
    for (const listener of this.endedListeners) listener(sessionId);
    return ok(null);
  }

  /** Told of every session that ends by signing out, so its open sockets can be closed at once. */
  onSessionEnded(listener: (sessionId: string) => void): void {
    this.endedListeners.add(listener);
  }

  /**
   * Who an access token speaks for: the token is genuine and current, its
   * session is still live (not signed out, not expired) and the account still
   * exists. The account is read afresh, so a change of roles applies at once.
   */
  async authenticateAccess(accessToken: string | null): Promise<StaffAccess | null> {
    if (!accessToken) return null;
    const claims = verifyAccessToken(this.signingSecret, accessToken, this.now());
    if (!claims) return null;
    const access = await this.sessionAccess(claims.sid);
    return access && access.staff.id === claims.sub ? access : null;
  }

  /** A session's staff member and end, while it is live; null once signed out or expired. */
  async sessionAccess(sessionId: string): Promise<StaffAccess | null> {
    const found = await this.storage.sessions.findWithStaff(sessionId);
    if (!found) return null;
    const expiresAt = Date.parse(found.session.expiresAt);
    if (expiresAt <= this.now()) return null;
    return { staff: found.staff, sessionId, expiresAt };
  }
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
