import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBucketOf } from "../src/rate-limit/limiters.js";
import { RedisTokenBuckets } from "../src/rate-limit/redis-token-bucket.js";
import {
  type BucketVerdict,
  MemoryTokenBuckets,
  type TokenBucketOptions,
} from "../src/rate-limit/token-bucket.js";

// The per-academy budget is a token bucket: a burst of `capacity`, then the
// budget's rate, evenly. The same cases run on the in-memory store (with a
// clock the test moves) and on the Redis script (real Redis, with buckets the
// test writes as they would be after some time has passed: Redis keeps time).

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A store under test, and a way to say "this bucket held `tokens`, `agoMs` ago". */
interface Harness {
  consume(key: string): Promise<BucketVerdict>;
  /** Sets a bucket as it was `agoMs` ago, holding `tokens`. */
  setBucket(key: string, tokens: number, agoMs: number): Promise<void>;
}

const SLOW: TokenBucketOptions = { capacity: 3, refillPerSecond: 1 };

const harnesses: [string, (options: TokenBucketOptions) => Promise<Harness>][] = [
  [
    "in memory",
    async (options) => {
      let now = 1_000_000;
      const store = new MemoryTokenBuckets(options, () => now);
      return {
        consume: (key) => store.consume(key),
        async setBucket(key, tokens, agoMs) {
          // Spend down to `tokens` at (now - agoMs), then move the clock back to now.
          const target = now;
          now = target - agoMs;
          for (let left = options.capacity; left > tokens; left -= 1) store.consumeNow(key);
          now = target;
        },
      };
    },
  ],
  [
    "in Redis (Lua)",
    async (options) => {
      const redis = new Redis(REDIS_URL);
      clients.push(redis);
      const prefix = `sb-test-tb-${randomUUID()}`;
      const store = new RedisTokenBuckets(redis, prefix, options);
      return {
        consume: (key) => store.consume(key),
        async setBucket(key, tokens, agoMs) {
          const [seconds = 0, micros = 0] = await redis.time();
          const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
          await redis.hset(
            `${prefix}:${key}`,
            "tokens",
            String(tokens),
            "at",
            String(nowMs - agoMs),
          );
        },
      };
    },
  ],
];
const clients: Redis[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

describe.each(harnesses)("token bucket %s", (_, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await make(SLOW);
  });

  it("serves a burst of exactly its capacity, counting remaining down, then refuses", async () => {
    const key = randomUUID();
    const verdicts = [];
    for (let i = 0; i < 4; i += 1) verdicts.push(await h.consume(key));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
    expect(verdicts.map((v) => v.remaining)).toEqual([2, 1, 0, 0]);
    // Refused: the next token is at most one token's time (1 s at 1/s) away.
    const refused = verdicts[3] as BucketVerdict;
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);
    // Full again after three tokens' time.
    expect(refused.resetMs).toBeGreaterThan(2000);
    expect(refused.resetMs).toBeLessThanOrEqual(3000);
  });

  it("refills at its rate: an empty bucket a second ago holds one token, not a window's worth", async () => {
    const key = randomUUID();
    await h.setBucket(key, 0, 1000);
    expect((await h.consume(key)).allowed).toBe(true);
    expect((await h.consume(key)).allowed).toBe(false);
  });

  it("half a token is not a token: an empty bucket half a second ago refuses, with about half a second to wait", async () => {
    const key = randomUUID();
    await h.setBucket(key, 0, 500);
    const verdict = await h.consume(key);
    expect(verdict.allowed).toBe(false);
    expect(verdict.retryAfterMs).toBeGreaterThan(0);
    expect(verdict.retryAfterMs).toBeLessThanOrEqual(500);
  });

  it("never holds more than its capacity, however long it was idle", async () => {
    const key = randomUUID();
    await h.setBucket(key, 0, 60_000);
    const allowed = [];
    for (let i = 0; i < 5; i += 1) allowed.push((await h.consume(key)).allowed);
    expect(allowed).toEqual([true, true, true, false, false]);
  });

  it("keeps every key's bucket apart", async () => {
    const a = randomUUID();
    const b = randomUUID();
    for (let i = 0; i < 3; i += 1) await h.consume(a);
    expect((await h.consume(a)).allowed).toBe(false);
    expect(await h.consume(b)).toMatchObject({ allowed: true, remaining: 2 });
  });
});

describe("the request bucket of a rateLimit config", () => {
  it("refills at points / durationSeconds and holds burstPoints, at least one second of its rate and at least one", () => {
    expect(requestBucketOf({ points: 600, durationSeconds: 60, burstPoints: 200 })).toEqual({
      capacity: 200,
      refillPerSecond: 10,
    });
    expect(requestBucketOf({ points: 50, durationSeconds: 1, burstPoints: 0 })).toEqual({
      capacity: 50,
      refillPerSecond: 50,
    });
    expect(requestBucketOf({ points: 1, durationSeconds: 3600, burstPoints: 0 })).toEqual({
      capacity: 1,
      refillPerSecond: 1 / 3600,
    });
  });

  it("spreads a window's budget: with 60 a minute and a burst of 1, the second request at once is refused", async () => {
    let now = 0;
    const store = new MemoryTokenBuckets(
      requestBucketOf({ points: 60, durationSeconds: 60, burstPoints: 1 }),
      () => now,
    );
    expect((await store.consume("a")).allowed).toBe(true);
    expect((await store.consume("a")).allowed).toBe(false);
    now += 1000;
    expect((await store.consume("a")).allowed).toBe(true);
    await store.close();
  });

  it("refuses a config whose rate is not positive", () => {
    expect(() => new MemoryTokenBuckets({ capacity: 1, refillPerSecond: 0 })).toThrow(/rate/);
  });

  it("forgets buckets that have refilled, so memory follows the academies active now", async () => {
    let now = 0;
    const store = new MemoryTokenBuckets({ capacity: 2, refillPerSecond: 1000 }, () => now);
    for (let i = 0; i < 10; i += 1) await store.consume(`academy-${i}`);
    expect(store.size).toBe(10);
    now += 1;
    await store.consume("academy-0");
    store.sweep();
    // Nine buckets have refilled and are gone; the one just spent stays.
    expect(store.size).toBe(1);
    await store.close();
  });
});
