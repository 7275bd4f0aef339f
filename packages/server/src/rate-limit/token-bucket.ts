/**
 * The per-academy request budget as a token bucket (docs/server.md, "Rate
 * limits"): a bucket holds at most `capacity` tokens and gains
 * `refillPerSecond` of them continuously; a request takes one or is refused.
 * Unlike a fixed window, which admits a whole window's budget in a burst at
 * the start of each window, the bucket spreads the budget over the window:
 * after `capacity` requests at once, an academy is served at its rate, evenly.
 */

export interface TokenBucketOptions {
  /** Most tokens a bucket holds: the largest burst (at least 1). */
  readonly capacity: number;
  /** Tokens gained per second: the sustained rate. */
  readonly refillPerSecond: number;
}

/** What one `consume` decided. */
export interface BucketVerdict {
  readonly allowed: boolean;
  /** Whole tokens left after this request. */
  readonly remaining: number;
  /** Until the next token, when refused (0 when allowed), ms. */
  readonly retryAfterMs: number;
  /** Until the bucket is full again, ms. */
  readonly resetMs: number;
}

/** A bucket store: in memory here, in Redis in `redis-token-bucket.ts`. */
export interface TokenBucketStore {
  consume(key: string): Promise<BucketVerdict>;
  close(): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Whole ms, up; a floating-point hair above an integer (3600000.0000000005) is that integer. */
const ceilMs = (ms: number) => Math.ceil(ms - 1e-6);

/**
 * The arithmetic of one bucket, shared by the memory store and the tests:
 * refill by the time passed, take one token if there is one.
 */
export function takeToken(
  bucket: Bucket | undefined,
  now: number,
  options: TokenBucketOptions,
): { bucket: Bucket; verdict: BucketVerdict } {
  const perMs = options.refillPerSecond / 1000;
  const capacity = options.capacity;
  const elapsed = bucket ? Math.max(0, now - bucket.at) : 0;
  let tokens = bucket ? Math.min(capacity, bucket.tokens + elapsed * perMs) : capacity;
  const allowed = tokens >= 1;
  if (allowed) tokens -= 1;
  return {
    bucket: { tokens, at: now },
    verdict: {
      allowed,
      remaining: Math.floor(tokens),
      retryAfterMs: allowed ? 0 : ceilMs((1 - tokens) / perMs),
      resetMs: ceilMs((capacity - tokens) / perMs),
    },
  };
}

/** Checks options once, so a bucket can never be one that refuses everything or divides by zero. */
export function checkedBucketOptions(options: TokenBucketOptions): TokenBucketOptions {
  if (!(Number.isFinite(options.refillPerSecond) && options.refillPerSecond > 0))
    throw new Error("A rate limit needs a positive rate (points per durationSeconds).");
  if (!(Number.isFinite(options.capacity) && options.capacity >= 1))
    throw new Error("A token bucket holds at least one token.");
  return options;
}

/**
 * Buckets in this process's memory. A full bucket is the same as no bucket,
 * so a sweep drops buckets that have refilled: memory follows the academies
 * active within the last refill time, not every academy ever seen.
 */
export class MemoryTokenBuckets implements TokenBucketStore {
  readonly #options: TokenBucketOptions;
  readonly #buckets = new Map<string, Bucket>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #now: () => number;

  constructor(options: TokenBucketOptions, now: () => number = () => performance.now()) {
    this.#options = checkedBucketOptions(options);
    this.#now = now;
    const fullAfterMs = (options.capacity / options.refillPerSecond) * 1000;
    this.#sweeper = setInterval(() => this.sweep(), Math.max(1_000, fullAfterMs));
    this.#sweeper.unref();
  }

  async consume(key: string): Promise<BucketVerdict> {
    return this.consumeNow(key);
  }

  /** The same decision without a promise (the Redis store's fallback uses it too). */
  consumeNow(key: string): BucketVerdict {
    const { bucket, verdict } = takeToken(this.#buckets.get(key), this.#now(), this.#options);
    this.#buckets.set(key, bucket);
    return verdict;
  }

  /** Buckets held now (tests read it to see the sweep work). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Drops buckets that are full again (run on a timer). */
  sweep(): void {
    const now = this.#now();
    const perMs = this.#options.refillPerSecond / 1000;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.#options.capacity)
        this.#buckets.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#buckets.clear();
  }
}
