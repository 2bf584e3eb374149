// When to try a transcript again after a relay refused it or could not be
// reached: exponential backoff with jitter, up to a fixed number of attempts.
import { z } from 'zod';

export const retryPolicySchema = z.object({
  /** The delay after the first failed attempt, before jitter. */
  baseDelayMs: z.number().int().min(1),
  /** No delay grows beyond this. */
  maxDelayMs: z.number().int().min(1),
  /** After this many attempts the transcript is marked failed and left for an operator. */
  maxAttempts: z.number().int().min(1).max(100),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/**
 * Half an hour to an hour from the first failure to giving up (waits of 30s,
 * 1m, 2m, 4m, 8m, 16m and 30m before jitter, which may halve each): long enough to ride out a relay restart or a short
 * outage, short enough that an operator sees a stuck transcript the same day.
 */
export const defaultRetryPolicy: RetryPolicy = {
  baseDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
  maxAttempts: 8,
};

/**
 * The wait after `attempts` failed attempts. "Equal jitter": half the
 * exponential delay is kept and the other half is random, so senders that
 * failed together (a relay outage) spread out, yet no retry comes sooner than
 * half its step. `random` returns [0, 1), as Math.random does.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random: () => number): number {
  const exponent = Math.max(0, attempts - 1);
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  const half = step / 2;
  return Math.round(half + random() * half);
}

/** Whether a transcript that has had `attempts` attempts gets another. */
export const mayRetry = (policy: RetryPolicy, attempts: number): boolean =>
  attempts < policy.maxAttempts;
