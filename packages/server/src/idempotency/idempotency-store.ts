import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { DEFAULT_REDIS_KEY_PREFIX, type ServerConfig } from "../config.js";

/** The response kept for a key: replayed as is (same status, same JSON) to a retry. */
export interface StoredResponse {
  readonly status: number;
  /** The Content-Type sent first (`application/json` or `application/problem+json`). */
  readonly type: string;
  /** The JSON body; `null` for a response without one (204). */
  readonly body: unknown;
}

/** What the store holds under a key: a request still running, or its finished response. */
export type IdempotencyEntry =
  | { readonly state: "in_progress"; readonly fingerprint: string }
  | {
      readonly state: "done";
      readonly fingerprint: string;
      readonly response: StoredResponse;
    };

/** The outcome of {@link IdempotencyStore.begin}. */
export type BeginResult =
  /** The caller holds the key now: run the request, then `complete` or `release` with this claim. */
  | { readonly claimed: true; readonly claim: Claim }
  /** Someone did (or is doing) this already: the entry says what. */
  | { readonly claimed: false; readonly entry: IdempotencyEntry };

/** Proof of holding a key: only the holder may complete or release it. */
export interface Claim {
  readonly key: string;
  readonly fingerprint: string;
  readonly token: string;
}

/**
 * Where idempotency keys live: in memory (one process) or in Redis (shared by
 * every server process). Keys arrive already scoped to the principal.
 */
export interface IdempotencyStore {
  readonly backend: "memory" | "redis";
  /**
   * Atomically claims `key` as "in progress" for `lockTtlMs` (so a crashed
   * request frees it eventually), or returns the entry already there.
   */
  begin(key: string, fingerprint: string, lockTtlMs: number): Promise<BeginResult>;
  /** Replaces the claim by the finished response, kept `ttlMs`. No-op if the claim was lost. */
  complete(claim: Claim, response: StoredResponse, ttlMs: number): Promise<void>;
  /** Drops the claim (the request failed in a way worth retrying). No-op if the claim was lost. */
  release(claim: Claim): Promise<void>;
  close(): Promise<void>;
}

/** The serialised entry: an in-progress entry carries its holder's token. */
type Wire =
  | { s: "in_progress"; f: string; t: string }
  | { s: "done"; f: string; status: number; type: string; body: unknown };

function toEntry(wire: Wire): IdempotencyEntry {
  return wire.s === "in_progress"
    ? { state: "in_progress", fingerprint: wire.f }
    : {
        state: "done",
        fingerprint: wire.f,
        response: { status: wire.status, type: wire.type, body: wire.body },
      };
}

function inProgress(fingerprint: string, token: string): string {
  return JSON.stringify({ s: "in_progress", f: fingerprint, t: token } satisfies Wire);
}

function done(fingerprint: string, response: StoredResponse): string {
  return JSON.stringify({
    s: "done",
    f: fingerprint,
    status: response.status,
    type: response.type,
    body: response.body,
  } satisfies Wire);
}

/**
 * One process's keys in a Map. Expired entries are dropped when read and,
 * at most once a minute, in a sweep of the whole map.
 */
export function createMemoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  // Values are the serialised entries, as in Redis: a replay never shares objects with the first response.
  const entries = new Map<string, { value: string; expiresAt: number }>();
  let nextSweep = now() + 60_000;
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    const at = now();
    if (at < nextSweep) return;
    nextSweep = at + 60_000;
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  };
  const held = (claim: Claim) =>
    live(claim.key)?.value === inProgress(claim.fingerprint, claim.token);
  return {
    backend: "memory",
    async begin(key, fingerprint, lockTtlMs) {
      sweep();
      const existing = live(key);
      if (existing) return { claimed: false, entry: toEntry(JSON.parse(existing.value) as Wire) };
      const token = randomUUID();
      entries.set(key, { value: inProgress(fingerprint, token), expiresAt: now() + lockTtlMs });
      return { claimed: true, claim: { key, fingerprint, token } };
    },
    async complete(claim, response, ttlMs) {
      if (!held(claim)) return;
      entries.set(claim.key, {
        value: done(claim.fingerprint, response),
        expiresAt: now() + ttlMs,
      });
    },
    async release(claim) {
      if (held(claim)) entries.delete(claim.key);
    },
    async close() {
      entries.clear();
    },
  };
}

// Compare-and-set on the holder's token, in one step on the server.
const COMPLETE = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local e = cjson.decode(v)
if e.s ~= 'in_progress' or e.t ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`;
const RELEASE = `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local e = cjson.decode(v)
if e.s ~= 'in_progress' or e.t ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/**
 * Keys in Redis under `sb:idem:` (`<redisKeyPrefix>:idem:` in a server), shared by every process on the same Redis.
 * Claims are `SET NX PX`; completing and releasing check the holder's token in
 * a Lua script, so a request whose claim expired cannot overwrite a newer one.
 * Commands fail within `commandTimeoutMs` when Redis is away (the middleware
 * then answers 503 to requests that sent a key, and nothing else notices).
 */
export function createRedisIdempotencyStore(
  url: string,
  options: { keyPrefix?: string; commandTimeoutMs?: number } = {},
): IdempotencyStore {
  const prefix = options.keyPrefix ?? "sb:idem:";
  const redis = new Redis(url, {
    // Queue while (re)connecting, but never longer than the command timeout.
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
  });
  // Outages surface as failed commands (503 for keyed requests), not as unhandled events.
  redis.on("error", () => undefined);
  return {
    backend: "redis",
    async begin(key, fingerprint, lockTtlMs) {
      const stored = `${prefix}${key}`;
      const token = randomUUID();
      // SET NX fails if an entry exists; the entry may expire before the GET, so try again.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const set = await redis.set(stored, inProgress(fingerprint, token), "PX", lockTtlMs, "NX");
        if (set === "OK") return { claimed: true, claim: { key, fingerprint, token } };
        const value = await redis.get(stored);
        if (value !== null) return { claimed: false, entry: toEntry(JSON.parse(value) as Wire) };
      }
      throw new Error("The idempotency key kept changing under us.");
    },
    async complete(claim, response, ttlMs) {
      await redis.eval(
        COMPLETE,
        1,
        `${prefix}${claim.key}`,
        claim.token,
        done(claim.fingerprint, response),
        ttlMs,
      );
    },
    async release(claim) {
      await redis.eval(RELEASE, 1, `${prefix}${claim.key}`, claim.token);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** The store a server uses: Redis when `redisUrl` is configured, else memory. */
export function createIdempotencyStore(config: ServerConfig): IdempotencyStore {
  return config.redisUrl
    ? createRedisIdempotencyStore(config.redisUrl, {
        keyPrefix: `${config.redisKeyPrefix ?? DEFAULT_REDIS_KEY_PREFIX}:idem:`,
      })
    : createMemoryIdempotencyStore();
}
