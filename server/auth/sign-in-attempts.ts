// Limits repeated failed sign-ins per username, so a password cannot be guessed
// by trying many. Kept in memory: one server process is the embedded default;
// several processes would keep these counts in shared storage.
export interface SignInAttemptPolicy {
  maxFailures: number;
  windowMs: number;
}

export const defaultSignInAttemptPolicy: SignInAttemptPolicy = {
  maxFailures: 10,
  windowMs: 5 * 60 * 1000,
};

export class SignInAttempts {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly policy: SignInAttemptPolicy = defaultSignInAttemptPolicy) {}

  /** True when this username has used up its failures in the current window. */
  isLimited(username: string, now: number): boolean {
    return this.recent(username, now).length >= this.policy.maxFailures;
  }

  recordFailure(username: string, now: number): void {
    const key = username.toLowerCase();
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  recordSuccess(username: string): void {
    this.failures.delete(username.toLowerCase());
  }

  private recent(username: string, now: number): number[] {
    const key = username.toLowerCase();
    const kept = (this.failures.get(key) ?? []).filter((at) => now - at < this.policy.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}
