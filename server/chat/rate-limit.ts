// A token bucket per customer connection: a burst of `capacity` messages, then
// `refillPerSecond` more each second. Generous for a person typing, tight for a script.
export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

export const defaultMessageRate: RateLimit = { capacity: 5, refillPerSecond: 1 };

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    this.tokens = limit.capacity;
    this.refilledAt = now();
  }

  /** Takes one token if there is one. */
  take(): boolean {
    const now = this.now();
    const elapsed = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.limit.capacity, this.tokens + elapsed * this.limit.refillPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
