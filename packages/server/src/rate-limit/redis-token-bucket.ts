import type { Redis } from "ioredis";
import {
  type BucketVerdict,
  checkedBucketOptions,
  MemoryTokenBuckets,
  type TokenBucketOptions,
  type TokenBucketStore,
} from "./token-bucket.js";

/**
 * One bucket's refill-and-take as a Lua script, so that it is atomic across
 * every server process sharing the Redis. The clock is Redis's own (`TIME`),
 * never a process's: processes with skewed clocks still share one rate.
 * A bucket is a hash {tokens, at} that expires once it would be full again
 * (a missing bucket is a full one). Fractions travel as strings because Redis
 * truncates Lua numbers to integers in replies; the 1e-6 keeps a float's
 * hair above a whole number of ms from rounding up a whole ms.
 *
 * KEYS[1] bucket; ARGV[1] capacity, ARGV[2] tokens per ms.
 * Returns {allowed (0|1), tokens left (string), ms until the next token, ms until full}.
 */
const TAKE_TOKEN = `
local capacity = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1])
local at = tonumber(b[2])
if tokens == nil or at == nil then
  tokens = capacity
else
  tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
end
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / per_ms - 0.000001)
end
local full = math.ceil((capacity - tokens) / per_ms - 0.000001)
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.max(1, full))
return {allowed, tostring(tokens), retry, full}
`;

type TakeToken = (
  key: string,
  capacity: number,
  perMs: number,
) => Promise<[number, string, number, number]>;

/**
 * Buckets in Redis, shared by every process with the same key prefix. If
 * Redis is unreachable, the process keeps serving from buckets of its own in
 * memory (per process, so a budget is only approximate while Redis is away)
 * rather than failing requests: rate limiting must not become an outage.
 */
export class RedisTokenBuckets implements TokenBucketStore {
  readonly #prefix: string;
  readonly #options: TokenBucketOptions;
  readonly #insurance: MemoryTokenBuckets;
  readonly #take: TakeToken;

  constructor(redis: Redis, prefix: string, options: TokenBucketOptions) {
    this.#prefix = prefix;
    this.#options = checkedBucketOptions(options);
    this.#insurance = new MemoryTokenBuckets(options);
    // defineCommand sends EVALSHA, and the script itself only when Redis does not know it yet.
    if (!(redis as unknown as { takeToken?: TakeToken }).takeToken)
      redis.defineCommand("takeToken", { numberOfKeys: 1, lua: TAKE_TOKEN });
    const command = (redis as unknown as { takeToken: TakeToken }).takeToken;
    this.#take = command.bind(redis);
  }

  async consume(key: string): Promise<BucketVerdict> {
    try {
      const [allowed, tokens, retry, full] = await this.#take(
        `${this.#prefix}:${key}`,
        this.#options.capacity,
        this.#options.refillPerSecond / 1000,
      );
      return {
        allowed: allowed === 1,
        remaining: Math.floor(Number(tokens)),
        retryAfterMs: Number(retry),
        resetMs: Number(full),
      };
    } catch {
      return this.#insurance.consumeNow(key);
    }
  }

  async close(): Promise<void> {
    await this.#insurance.close();
  }
}
