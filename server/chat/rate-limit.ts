// Token buckets: a burst of `capacity`, then `refillPerSecond` more each second.
// One per customer connection for messages (generous for a person typing, tight
// for a script), and one per client address for chat starts. Written here rather
// than taken from a rate-limit library because they must run on the routing
// clock that tests move by hand, and because a burst-then-rate is what we mean.
export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

export const defaultMessageRate: RateLimit = { capacity: 5, refillPerSecond: 1 };

/**
 * Chat starts from one address: a class of pupils sharing a school's address
 * may all start at once, then one more every 5 s; a script starting hundreds is held back.
 */
export const defaultChatStartRate: RateLimit = { capacity: 20, refillPerSecond: 0.2 };

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

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.limit.capacity, this.tokens + elapsed * this.limit.refillPerSecond);
    this.refilledAt = now;
  }

  /** Takes one token if there is one. */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Back to its whole burst: the same as a bucket never used. */
  full(): boolean {
    this.refill();
    return this.tokens >= this.limit.capacity;
  }
}

/**
 * A token bucket per key (a client address). A bucket that has refilled is
 * the same as none, so those are dropped now and then: the map holds only the
 * addresses seen in the last few minutes, however many pass.
 */
export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private sweptAt: number;
  /** How long an untouched bucket takes to refill from empty. */
  private readonly refillMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {
    this.sweptAt = now();
    this.refillMs =
      limit.refillPerSecond > 0 ? (limit.capacity / limit.refillPerSecond) * 1000 : Infinity;
  }

  take(key: string): boolean {
    this.sweep();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.limit, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }

  /** How many keys are remembered (for tests of the sweep). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(): void {
    const now = this.now();
    // Once per refill time at most: each sweep then costs one pass over recent keys.
    if (now - this.sweptAt < Math.min(this.refillMs, 60_000)) return;
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) if (bucket.full()) this.buckets.delete(key);
  }
}
