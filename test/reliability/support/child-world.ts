import { randomBytes } from "node:crypto";
import { createServices, PasswordHasher, withPlatform } from "@skillbridge/core";
import { seedAcademy } from "../../../packages/core/test/support/seed.js";
import { type ChildServer, spawnChildServer } from "./child-server.js";
import { reliabilityEnv } from "./env.js";
import { HttpClient } from "./http.js";
import { CHEAP_PASSWORDS, clearRedisPrefix, PLATFORM_ADMIN } from "./live-server.js";
import { createScratchDatabase, type ScratchDatabase } from "./scratch-database.js";
import type { ChildServerOptions } from "./server-process.js";
import type { LoadAcademy } from "./write-load.js";

export interface ChildWorld {
  /** The server process (replaced by `respawn`). */
  server: ChildServer;
  readonly scratch: ScratchDatabase;
  readonly options: ChildServerOptions;
  /** Seeded academies, each with its admin signed in. */
  academies: LoadAcademy[];
  /** Signs in over HTTP to the current server. */
  login(body: { academy?: string; email: string; password: string }): Promise<string>;
  /** Starts a new server process on the same database and secret (after a kill). */
  respawn(): Promise<ChildServer>;
  close(): Promise<void>;
}

/**
 * A scratch database on the PostgreSQL at `serverUrl` with `academies`
 * seeded academies and a platform admin, and the API server over it in a
 * child process, with budgets high enough that only faults cause refusals.
 */
export async function createChildWorld(
  options: {
    serverUrl?: string;
    academies?: number;
    poolSize?: number;
    drainTimeoutMs?: number;
    applicationName?: string;
    config?: ChildServerOptions["config"];
  } = {},
): Promise<ChildWorld> {
  const env = reliabilityEnv();
  const scratch = await createScratchDatabase(options.serverUrl ?? env.databaseUrl, {
    poolSize: 3,
  });
  const services = createServices({
    passwords: new PasswordHasher(CHEAP_PASSWORDS),
    cursorSecret: "seeding-only",
  });
  await withPlatform(scratch.db, (trx) =>
    services.platformUsers.create(trx, {
      ...PLATFORM_ADMIN,
      name: "Platform Root",
      role: "platform_admin",
    }),
  );
  const seeded = [];
  for (let i = 0; i < (options.academies ?? 3); i++)
    seeded.push(await seedAcademy(scratch.db, services, `academy-${i}`));
  const childOptions: ChildServerOptions = {
    databaseUrl: scratch.url,
    redisUrl: env.redisUrl,
    redisKeyPrefix: `sbrel-${randomBytes(6).toString("hex")}`,
    jwtSecret: randomBytes(48).toString("base64url"),
    poolSize: options.poolSize ?? 8,
    applicationName: options.applicationName ?? "sbrel-child",
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    config: options.config ?? {
      rateLimit: {
        points: 10_000_000,
        durationSeconds: 60,
        burstPoints: 0,
        burstDurationSeconds: 1,
      },
      loginRateLimit: { perIp: 100_000, perAccount: 100_000, durationSeconds: 60 },
    },
  };
  const world: ChildWorld = {
    server: await spawnChildServer(childOptions),
    scratch,
    options: childOptions,
    academies: [],
    async login(body) {
      const http = new HttpClient(world.server.url, { connections: 1 });
      try {
        const response = await http.request("POST", "/api/v1/auth/login", { body });
        if (response.status !== 200)
          throw new Error(`login failed: ${response.status} ${response.text}`);
        return response.body.accessToken as string;
      } finally {
        await http.close();
      }
    },
    async respawn() {
      world.server = await spawnChildServer(childOptions);
      return world.server;
    },
    async close() {
      if (world.server.alive()) {
        world.server.kill("SIGKILL");
        await world.server.exited;
      }
      await scratch.dispose();
      await clearRedisPrefix(env.redisUrl, childOptions.redisKeyPrefix);
    },
  };
  for (const [i, academy] of seeded.entries()) {
    world.academies.push({
      academyId: academy.academyId,
      token: await world.login({
        academy: `academy-${i}`,
        email: "admin@example.com",
        password: "admin-password-1",
      }),
      instructorId: academy.users.i1,
    });
  }
  return world;
}

/** Polls GET /ready until the server says the database answers; returns how long it took. */
export async function waitUntilReady(url: string, timeoutMs = 30_000): Promise<number> {
  const http = new HttpClient(url, { connections: 1 });
  const started = performance.now();
  try {
    for (;;) {
      const response = await http.request("GET", "/ready").catch(() => undefined);
      if (response?.status === 200) return performance.now() - started;
      if (performance.now() - started > timeoutMs)
        throw new Error(
          `not ready after ${timeoutMs} ms (last: ${response?.status ?? "no answer"})`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await http.close();
  }
}
