import type { Logger } from "pino";

/** Everything the server needs besides the database. Immutable once built. */
export interface ServerConfig {
  /** HS256 signing secret for access tokens (at least 32 bytes). */
  readonly jwtSecret: string;
  readonly issuer: string;
  readonly audience: string;
  /** Lifetime of a login token, in seconds. */
  readonly accessTokenTtlSeconds: number;
  /** Largest accepted JSON body, in bytes. */
  readonly bodyLimitBytes: number;
  /** Per-academy budget: `points` requests per `durationSeconds`, plus a burst allowance. */
  readonly rateLimit: {
    readonly points: number;
    readonly durationSeconds: number;
    readonly burstPoints: number;
    readonly burstDurationSeconds: number;
  };
  /** Login attempts per IP and per account within `durationSeconds`. */
  readonly loginRateLimit: {
    readonly perIp: number;
    readonly perAccount: number;
    readonly durationSeconds: number;
  };
  /**
   * How long the response to a request with an `Idempotency-Key` is kept for
   * replay to a retry with the same key, in seconds.
   */
  readonly idempotencyTtlSeconds: number;
  /** Redis URL: rate limits and idempotency keys shared by every server process. Unset: in memory. */
  readonly redisUrl?: string | undefined;
  /**
   * First part of every Redis key (default `sb`). Processes with the same
   * prefix share budgets and keys; another prefix keeps a deployment (or a
   * test run) apart on the same Redis.
   */
  readonly redisKeyPrefix?: string | undefined;
  /**
   * Trust `X-Forwarded-For` for the client address (login limits per IP).
   * Only behind a proxy that sets it; otherwise clients could pick their IP.
   */
  readonly trustProxy?: boolean | undefined;
  /** Structured logger; defaults to pino on stderr at `info`. */
  readonly logger?: Logger | undefined;
}

/** The Redis key prefix when none is configured. */
export const DEFAULT_REDIS_KEY_PREFIX = "sb";

export const DEFAULTS = {
  issuer: "skillbridge",
  audience: "skillbridge-api",
  accessTokenTtlSeconds: 3600,
  bodyLimitBytes: 256 * 1024,
  rateLimit: { points: 600, durationSeconds: 60, burstPoints: 200, burstDurationSeconds: 10 },
  loginRateLimit: { perIp: 50, perAccount: 10, durationSeconds: 900 },
  idempotencyTtlSeconds: 24 * 60 * 60,
} as const;

/**
 * A full config from the few values that vary, the rest from {@link DEFAULTS}.
 *
 * @example
 * const config = serverConfig({ jwtSecret: process.env.SKILLBRIDGE_JWT_SECRET!, redisUrl: process.env.REDIS_URL });
 */
export function serverConfig(
  values: Partial<ServerConfig> & Pick<ServerConfig, "jwtSecret">,
): ServerConfig {
  if (Buffer.byteLength(values.jwtSecret, "utf8") < 32) {
    throw new Error("The JWT secret must be at least 32 bytes (SKILLBRIDGE_JWT_SECRET).");
  }
  if (
    values.idempotencyTtlSeconds !== undefined &&
    !(Number.isFinite(values.idempotencyTtlSeconds) && values.idempotencyTtlSeconds > 0)
  ) {
    throw new Error("idempotencyTtlSeconds must be a positive number of seconds.");
  }
  return {
    issuer: DEFAULTS.issuer,
    audience: DEFAULTS.audience,
    accessTokenTtlSeconds: DEFAULTS.accessTokenTtlSeconds,
    bodyLimitBytes: DEFAULTS.bodyLimitBytes,
    rateLimit: DEFAULTS.rateLimit,
    loginRateLimit: DEFAULTS.loginRateLimit,
    idempotencyTtlSeconds: DEFAULTS.idempotencyTtlSeconds,
    ...values,
  };
}
