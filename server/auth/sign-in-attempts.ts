// Limits on signing in, so a password cannot be guessed by trying many and a
// stranger cannot lock an adviser out. Each attempt reserves its place in
// every limit before the password is checked (concurrent guesses cannot all
// slip through a check made before any failure is recorded), and a success
// hands the reservation back.
//
// - per client address, every attempt: bounds the password-hashing work one
//   address can cause, so a flood does not starve real sign-ins;
// - per username and address: the usual lock, but only for that address, so
//   guesses from elsewhere do not lock out the adviser at their desk;
// - per username from anywhere: past the limit the account is slowed down to
//   one attempt every few seconds, never locked.
// Counters come from rate-limiter-flexible: in memory for the embedded SQLite
// server (one process), in a PostgreSQL table when the server runs on
// PostgreSQL, so every process counts the same guesses and a guesser gains
// nothing by landing on another process.
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { whileLocked, type ServerDatabase } from '../storage/database';

export interface SignInAttemptPolicy {
  /** Attempts of any outcome from one address in a short window. */
  attemptsPerAddress: { points: number; seconds: number };
  /** Failures for one username from one address before that pair is refused for the window. */
  failuresPerAccountAndAddress: { points: number; seconds: number };
  /** Failures from one address, whatever the username (many usernames tried from one place). */
  failuresPerAddress: { points: number; seconds: number };
  /** Failures for one username from anywhere before it is slowed down. */
  failuresPerAccount: { points: number; seconds: number };
  /** Once slowed down, one attempt for that username every this many seconds. */
  slowDownSeconds: number;
}

/**
 * A contact centre signs many staff in from one address at the start of a
 * shift, so the per-address limits leave room for that; an attacker's
 * address runs out long before a password falls.
 */
export const defaultSignInAttemptPolicy: SignInAttemptPolicy = {
  attemptsPerAddress: { points: 60, seconds: 10 },
  failuresPerAccountAndAddress: { points: 10, seconds: 15 * 60 },
  failuresPerAddress: { points: 100, seconds: 60 * 60 },
  failuresPerAccount: { points: 50, seconds: 60 * 60 },
  slowDownSeconds: 5,
};

export type SignInAdmission =
  { admitted: true; succeeded(): Promise<void> } | { admitted: false; retryAfterSeconds: number };

/** Makes one named limit; where its counters live is the factory's choice. */
export type LimitStore = (
  keyPrefix: string,
  limit: { points: number; seconds: number },
) => RateLimiterAbstract;

export const inMemoryLimits: LimitStore = (keyPrefix, limit) =>
  new RateLimiterMemory({ keyPrefix, points: limit.points, duration: limit.seconds });

/** The table the library keeps PostgreSQL counters in (key, points, expiry), one row per key. */
export const signInLimitsTable = 'sign_in_limits';

/**
 * Limits counted in PostgreSQL, shared by every server process on it. The
 * library owns its table's shape and creates it here, once, under a lock:
 * its `CREATE TABLE IF NOT EXISTS` fails with "already exists" when two
 * processes start together. Each limit is a key prefix within the table.
 */
export async function postgresLimits(database: ServerDatabase): Promise<LimitStore> {
  const pool = database.pool;
  if (!pool) throw new Error('postgresLimits needs a PostgreSQL database');
  const options = { storeClient: pool, storeType: 'pool', tableName: signInLimitsTable };
  await whileLocked(
    database,
    signInLimitsTable,
    () =>
      new Promise<void>((resolve, reject) => {
        new RateLimiterPostgres(
          { ...options, keyPrefix: 'setup', points: 1, duration: 1 },
          (error) =>
            error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
        );
      }),
  );
  return (keyPrefix, limit) =>
    new RateLimiterPostgres({
      ...options,
      tableCreated: true,
      // Expired rows are deleted in the background, not on the sign-in path.
      clearExpiredByTimeout: true,
      keyPrefix,
      points: limit.points,
      duration: limit.seconds,
    });
}

export class SignInAttempts {
  private readonly attempts: RateLimiterAbstract;
  private readonly accountAtAddress: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;
  private readonly account: RateLimiterAbstract;
  private readonly slowDown: RateLimiterAbstract;

  constructor(
    policy: SignInAttemptPolicy = defaultSignInAttemptPolicy,
    limiter: LimitStore = inMemoryLimits,
  ) {
    this.attempts = limiter('attempts', policy.attemptsPerAddress);
    this.accountAtAddress = limiter('account-address', policy.failuresPerAccountAndAddress);
    this.address = limiter('address', policy.failuresPerAddress);
    this.account = limiter('account', policy.failuresPerAccount);
    this.slowDown = limiter('slow-down', { points: 1, seconds: policy.slowDownSeconds });
  }

  /**
   * Reserves this attempt in every limit. Admitted: the caller checks the
   * password and calls `succeeded()` if it was right (a wrong one keeps the
   * reservation as a recorded failure). Not admitted: refuse without checking.
   */
  async admit(username: string, clientAddress: string): Promise<SignInAdmission> {
    const account = username.toLowerCase();
    const pair = `${account}@${clientAddress}`;
    const taken: { limiter: RateLimiterAbstract; key: string }[] = [];
    const take = async (limit: RateLimiterAbstract, key: string): Promise<number | null> => {
      try {
        await limit.consume(key);
        taken.push({ limiter: limit, key });
        return null;
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return Math.ceil(refusal.msBeforeNext / 1000);
        throw refusal;
      }
    };
    const refuse = async (retryAfterSeconds: number): Promise<SignInAdmission> => {
      // Reservations already made are handed back: a refused attempt checked no password.
      await Promise.all(taken.map(({ limiter, key }) => limiter.reward(key, 1)));
      return { admitted: false, retryAfterSeconds: Math.max(1, retryAfterSeconds) };
    };

    // The attempt limit is not handed back on refusal: it counts every try from the address.
    const flooding = await take(this.attempts, clientAddress);
    if (flooding !== null) return { admitted: false, retryAfterSeconds: Math.max(1, flooding) };
    taken.length = 0;

    for (const [limit, key] of [
      [this.accountAtAddress, pair],
      [this.address, clientAddress],
    ] as const) {
      const wait = await take(limit, key);
      if (wait !== null) return refuse(wait);
    }
    if ((await take(this.account, account)) !== null) {
      // Past the account's limit: slowed down, not locked.
      const wait = await take(this.slowDown, account);
      if (wait !== null) return refuse(wait);
    }

    return {
      admitted: true,
      // The right password clears this account's failures; the address keeps
      // its others (one good account must not wipe an address's guesses).
      succeeded: async () => {
        await Promise.all([
          this.accountAtAddress.delete(pair),
          this.account.delete(account),
          this.address.reward(clientAddress, 1),
        ]);
      },
    };
  }
}
