/** How long a failed job waits before its next attempt. */
export interface BackoffPolicy {
  /** The first retry's delay (before jitter). */
  readonly baseMs: number;
  /** No retry waits longer than this (unless the failure itself says so, as a budget does). */
  readonly maxMs: number;
  /** 0..1; the jitter's source (tests pin it). */
  readonly random?: (() => number) | undefined;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, maxMs: 10 * 60_000 };

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and
 * all of `base * 2^(n-1)` (capped at `max`), so workers that failed together
 * do not retry together. A delay the failure asks for (a rate limit's
 * `Retry-After`) is honoured when it is longer.
 *
 * @example
 * retryDelayMs(3, { baseMs: 1000, maxMs: 60_000, random: () => 1 }); // 4000
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, askedMs?: number): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const random = policy.random ?? Math.random;
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  return Math.max(jittered, askedMs ?? 0);
}
