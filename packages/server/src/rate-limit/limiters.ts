import { Redis } from "ioredis";
import {
  BurstyRateLimiter,
  type IRateLimiterOptions,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";
import { DEFAULT_REDIS_KEY_PREFIX, type ServerConfig } from "../config.js";

type Limiter = RateLimiterMemory | RateLimiterRedis;

/** The server's limiters: per academy (or platform user), and login per IP and per account. */
export interface Limiters {
  readonly requests: BurstyRateLimiter;
  readonly loginPerIp: Limiter;
  readonly loginPerAccount: Limiter;
  readonly backend: "memory" | "redis";
  close(): Promise<void>;
}

/**
 * Builds the limiters on rate-limiter-flexible: in memory by default, in Redis
 * when a URL is configured so that every server process shares one budget.
 * With Redis, an in-memory insurance limiter keeps serving (per process) if
 * Redis goes away, rather than failing requests.
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
  const requests = new BurstyRateLimiter(
    make({
      keyPrefix: `${keyPrefix}:rl`,
      points: rateLimit.points,
      duration: rateLimit.durationSeconds,
    }),
    make({
      keyPrefix: `${keyPrefix}:rl-burst`,
      points: rateLimit.burstPoints,
      duration: rateLimit.burstDurationSeconds,
    }),
  );
  return {
    requests,
    loginPerIp: make({
      keyPrefix: `${keyPrefix}:login-ip`,
      points: loginRateLimit.perIp,
      duration: loginRateLimit.durationSeconds,
    }),
    loginPerAccount: make({
      keyPrefix: `${keyPrefix}:login-account`,
      points: loginRateLimit.perAccount,
      duration: loginRateLimit.durationSeconds,
    }),
    backend: redis ? "redis" : "memory",
    async close() {
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** A rejection of rate-limiter-flexible is either a verdict (RateLimiterRes) or a store error. */
export function isRateLimitVerdict(value: unknown): value is RateLimiterRes {
  return value instanceof RateLimiterRes;
}
