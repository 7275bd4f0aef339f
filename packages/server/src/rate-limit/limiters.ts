import { Redis } from "ioredis";
import {
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import {
  DEFAULT_PER_ACCOUNT_ALL_CLIENTS,
  DEFAULT_REDIS_KEY_PREFIX,
  type ServerConfig,
} from "../config.js";
import { RedisTokenBuckets } from "./redis-token-bucket.js";
import {
  MemoryTokenBuckets,
  type TokenBucketOptions,
  type TokenBucketStore,
} from "./token-bucket.js";

type Limiter = RateLimiterMemory | RateLimiterRedis;

/**
 * The server's limiters: per academy (or platform user), and failed sign-ins
 * per client (IP), per (account, client) and per account (see
 * `login-guard.ts` for how the three combine).
 */
export interface Limiters {
  /** Requests per academy (or platform user): token buckets, see `token-bucket.ts`. */
  readonly requests: TokenBucketStore;
  /** The buckets' size and rate, from `config.rateLimit`. */
  readonly requestBucket: TokenBucketOptions;
  /** Failed sign-ins of one client (IP), whatever the account. */
  readonly loginPerIp: Limiter;
  /** Failed sign-ins of one client on one account. */
  readonly loginPerAccountClient: Limiter;
  /** Failed sign-ins on one account from every client: the account is under attack. */
  readonly loginPerAccount: Limiter;
  readonly backend: "memory" | "redis";
  /**
   * Resolves once the Redis connection is up (at once in memory). Until then
   * each process limits from its own memory, so a shared budget is only
   * shared from here on.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The request bucket of a `rateLimit` config: `points` per `durationSeconds`
 * is the rate the budget refills at, spread evenly over the window;
 * `burstPoints` is how many requests may come at once, and never less than
 * one second's worth of the rate (nor less than one): a budget of a million
 * a minute with `burstPoints: 0` still serves 16,666 requests arriving in the
 * same millisecond, as a fixed window would have.
 */
export function requestBucketOf(rateLimit: ServerConfig["rateLimit"]): TokenBucketOptions {
  const refillPerSecond = rateLimit.points / rateLimit.durationSeconds;
  return {
    capacity: Math.max(1, rateLimit.burstPoints, Math.floor(refillPerSecond)),
    refillPerSecond,
  };
}

/**
 * Builds the limiters: in memory by default, in Redis when a URL is configured
 * so that every server process shares one budget. Requests per academy are
 * token buckets (ours: rate-limiter-flexible has fixed windows only, which
 * admit a window's whole budget at its start); login attempts are
 * rate-limiter-flexible's fixed windows, which suit a lockout. With Redis, an
 * in-memory insurance limiter keeps serving (per process) if Redis goes away,
 * rather than failing requests.
 */
export function createLimiters(
  config: ServerConfig,
  keyPrefix = config.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX,
): Limiters {
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: false,
      })
    : undefined;
  // An unreachable Redis is reported through the insurance limiter, not as an unhandled event.
  redis?.on("error", () => undefined);
  const make = (options: IRateLimiterOptions): Limiter =>
    redis
      ? new RateLimiterRedis({
          ...options,
          storeClient: redis,
          insuranceLimiter: new RateLimiterMemory(options),
        })
      : new RateLimiterMemory(options);
  const { rateLimit, loginRateLimit } = config;
  const requestBucket = requestBucketOf(rateLimit);
  const requests: TokenBucketStore = redis
    ? new RedisTokenBuckets(redis, `${keyPrefix}:tb`, requestBucket)
    : new MemoryTokenBuckets(requestBucket);
  return {
    requests,
    requestBucket,
    loginPerIp: make({
      keyPrefix: `${keyPrefix}:login-ip`,
      points: loginRateLimit.perIp,
      duration: loginRateLimit.durationSeconds,
    }),
    loginPerAccountClient: make({
      keyPrefix: `${keyPrefix}:login-account-client`,
      points: loginRateLimit.perAccount,
      duration: loginRateLimit.durationSeconds,
    }),
    loginPerAccount: make({
      keyPrefix: `${keyPrefix}:login-account`,
      points: loginRateLimit.perAccountAllClients ?? DEFAULT_PER_ACCOUNT_ALL_CLIENTS,
      duration: loginRateLimit.durationSeconds,
    }),
    backend: redis ? "redis" : "memory",
    async ready() {
      if (!redis || redis.status === "ready") return;
      await new Promise<void>((resolve) => redis.once("ready", () => resolve()));
    },
    async close() {
      await requests.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** A rejection of rate-limiter-flexible is either a verdict (RateLimiterRes) or a store error. */
export function isRateLimitVerdict(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}
