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
  /**
   * Per-academy budget, a token bucket (docs/server.md, "Rate limits"):
   * `points` requests per `durationSeconds`, spread evenly over the window
   * (the bucket refills at points / durationSeconds a second), and at most
   * `burstPoints` at once (the bucket's size; at least one second of the rate, and at least 1).
   */
  readonly rateLimit: {
    readonly points: number;
    readonly durationSeconds: number;
    readonly burstPoints: number;
    /** Unused since the budget is a token bucket (the burst refills at the budget's rate); kept so old configs still load. */
    readonly burstDurationSeconds?: number | undefined;
  };
  /**
   * Most tenant transactions one academy runs at once; its other requests
   * wait in that academy's own queue, so no academy can hold the whole pool
   * (docs/server.md, "Fairness"). Default: half of `tenantSlots`, at least 1.
   */
  readonly tenantConcurrency?: number | undefined;
  /**
   * Most tenant transactions of all academies at once; the rest wait in the
   * academy gate, academies inside their budget first (docs/server.md,
   * "Fairness"). Default: the pool's size (1 on PGlite). Below the pool, the
   * queue forms where the gate orders it rather than in PostgreSQL and the
   * CPU: with PostgreSQL on the server's own two cores, 2-3 took the
   * benchmark's fairness ratio from 5.7-6.2 to 2.1-2.4 (bench/README.md).
   */
  readonly tenantSlots?: number | undefined;
  /**
   * Lets the gate hold fewer than `tenantSlots` while its runs slow down (they
   * queue for the CPU or PostgreSQL), so the queue forms in the gate and
   * academies inside their budget keep their latency (docs/server.md,
   * "Fairness"; `fairness/adaptive-slots.ts`). `tenantSlots` stays the
   * ceiling and 2 the floor. Default off: measured on one machine with
   * PostgreSQL on the same two cores, not yet with a database across a network.
   */
  readonly adaptiveSlots?: boolean | undefined;
  /**
   * Requests of academies (or platform users) pressing against their limit,
   * as the academy gate's "later" class, wait for a turn on the event loop,
   * one per pass, so requests of callers inside their budget that arrive
   * meanwhile run first (docs/server.md, "Fairness: the event loop";
   * `fairness/loop-turns.ts`). Default on; `false` starts every request as
   * its bytes arrive.
   */
  readonly loopTurns?: boolean | undefined;
  /**
   * Failed sign-ins allowed within `durationSeconds` (docs/server.md, "Sign-in
   * limits"): `perIp` per client, `perAccount` per (account, client), and
   * `perAccountAllClients` per account from all clients together, past which
   * only clients that have not failed on that account are still let in (default
   * 50). A client that has not failed is never refused the right password
   * because others failed.
   */
  readonly loginRateLimit: {
    readonly perIp: number;
    readonly perAccount: number;
    readonly perAccountAllClients?: number | undefined;
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
  /**
   * The clock of practice sets and mock exams (mock exam time limits are
   * kept by the server against it). Default: the system clock; tests pass
   * a controllable one.
   */
  readonly clock?: (() => Date) | undefined;
}

/** Failed sign-ins on one account, all clients together, before it is treated as under attack. */
export const DEFAULT_PER_ACCOUNT_ALL_CLIENTS = 50;

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
