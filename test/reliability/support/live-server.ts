import { randomBytes } from "node:crypto";
import {
  createServices,
  PasswordHasher,
  type Services,
  type SkillBridgeDatabase,
  withPlatform,
} from "@skillbridge/core";
import {
  createServer,
  type RunningServer,
  type ServerConfig,
  type SkillBridgeApp,
  serverConfig,
  startServer,
} from "@skillbridge/server";
import { Redis } from "ioredis";
import { pino } from "pino";
import { reliabilityEnv } from "./env.js";
import { HttpClient } from "./http.js";
import { createScratchDatabase, type ScratchDatabase } from "./scratch-database.js";

/** Cheap scrypt: hashes describe their cost, so the server verifies them with the same code. */
export const CHEAP_PASSWORDS = { N: 2 ** 10, r: 8, p: 1 } as const;

export const PLATFORM_ADMIN = {
  email: "root@platform.example",
  password: "platform-password-1",
} as const;

export interface LiveServer {
  /** `http://127.0.0.1:<port>`: the real server on a loopback socket. */
  readonly url: string;
  readonly http: HttpClient;
  readonly app: SkillBridgeApp;
  readonly running: RunningServer;
  readonly scratch: ScratchDatabase;
  /** Superuser handle on the server's database: seeding and inspection only. */
  readonly db: SkillBridgeDatabase;
  /** Services with cheap hashing, for seeding (the same code the server runs). */
  readonly services: Services;
  readonly config: ServerConfig;
  /** Signs in over HTTP; throws unless 200. */
  login(body: { academy?: string; email: string; password: string }): Promise<string>;
  close(): Promise<void>;
}

/** Deletes every Redis key under `prefix` (the run's own namespace). */
export async function clearRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/**
 * The API server as shipped (`createServer` + `startServer`), listening on
 * 127.0.0.1 on a free port, over a fresh scratch database on the real
 * PostgreSQL and with rate limits and idempotency keys in the real Redis under
 * a key prefix of its own (so nothing is shared with other runs).
 */
export async function startLiveServer(
  options: { config?: Partial<ServerConfig>; poolSize?: number } = {},
): Promise<LiveServer> {
  const env = reliabilityEnv();
  const scratch = await createScratchDatabase(env.databaseUrl, {
    poolSize: options.poolSize ?? 10,
  });
  const redisKeyPrefix = `sbrel-${randomBytes(6).toString("hex")}`;
  const config = serverConfig({
    jwtSecret: randomBytes(48).toString("base64url"),
    redisUrl: env.redisUrl,
    redisKeyPrefix,
    logger: pino({ level: "silent" }),
    ...options.config,
  });
  const passwords = new PasswordHasher(CHEAP_PASSWORDS);
  // No job worker: pre-grading would change submissions between the suite's
  // before/after snapshots, which the write checks would read as a leak.
  const app = createServer({ db: scratch.db, config, passwords, workers: false });
  const services = createServices({ passwords, cursorSecret: "seeding-only" });
  await withPlatform(scratch.db, (trx) =>
    services.platformUsers.create(trx, {
      ...PLATFORM_ADMIN,
      name: "Platform Root",
      role: "platform_admin",
    }),
  );
  const running = await startServer({ app, port: 0, host: "127.0.0.1", handleSignals: false });
  const http = new HttpClient(running.url);
  return {
    url: running.url,
    http,
    app,
    running,
    scratch,
    db: scratch.db,
    services,
    config,
    async login(body) {
      const response = await http.request("POST", "/api/v1/auth/login", { body });
      if (response.status !== 200)
        throw new Error(`login failed: ${response.status} ${response.text}`);
      return response.body.accessToken as string;
    },
    async close() {
      await http.close();
      await running.close();
      await scratch.dispose();
      await clearRedisPrefix(env.redisUrl, redisKeyPrefix);
    },
  };
}
