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
// Counters are in memory through rate-limiter-flexible, whose stores can move
// to a shared database when the server runs as several processes.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

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

const limiter = (keyPrefix: string, limit: { points: number; seconds: number }) =>
  new RateLimiterMemory({ keyPrefix, points: limit.points, duration: limit.seconds });

export class SignInAttempts {
  private readonly attempts: RateLimiterMemory;
  private readonly accountAtAddress: RateLimiterMemory;
  private readonly address: RateLimiterMemory;
  private readonly account: RateLimiterMemory;
  private readonly slowDown: RateLimiterMemory;

  constructor(policy: SignInAttemptPolicy = defaultSignInAttemptPolicy) {
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
    const taken: { limiter: RateLimiterMemory; key: string }[] = [];
    const take = async (limit: RateLimiterMemory, key: string): Promise<number | null> => {
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
