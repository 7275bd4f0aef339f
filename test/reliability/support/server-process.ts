// The API server as a separate process, the way a deployment runs it:
// forked by child-server.ts with its options in RELIABILITY_SERVER. It tells
// the parent its URL over IPC, answers heap samples (after a forced GC) on
// request, drains and exits on SIGTERM, and simply dies on SIGKILL.

import { openDatabase, PasswordHasher } from "@skillbridge/core";
import { createServer, type ServerConfig, serverConfig, startServer } from "@skillbridge/server";
import { pino } from "pino";
import { CHEAP_PASSWORDS } from "./live-server.js";

export interface ChildServerOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisKeyPrefix: string;
  readonly jwtSecret: string;
  readonly poolSize?: number;
  readonly applicationName?: string;
  readonly drainTimeoutMs?: number;
  readonly logLevel?: string;
  readonly config?: Partial<Pick<ServerConfig, "rateLimit" | "loginRateLimit">>;
}

export type ChildMessage =
  | { readonly type: "listening"; readonly url: string }
  | { readonly type: "heap"; readonly heapUsed: number; readonly rss: number };

const options = JSON.parse(process.env.RELIABILITY_SERVER ?? "null") as ChildServerOptions | null;
if (!options)
  throw new Error("RELIABILITY_SERVER is not set: this file is started by child-server.ts");
const logger = pino({ level: options.logLevel ?? "warn" }, pino.destination(2));

const db = await openDatabase({
  url: options.databaseUrl,
  poolSize: options.poolSize ?? 10,
  applicationName: options.applicationName ?? "skillbridge-child",
  onConnectionError: (error) => logger.warn({ err: error }, "database connection lost"),
});
const app = createServer({
  db,
  config: serverConfig({
    jwtSecret: options.jwtSecret,
    redisUrl: options.redisUrl,
    redisKeyPrefix: options.redisKeyPrefix,
    logger,
    ...options.config,
  }),
  passwords: new PasswordHasher(CHEAP_PASSWORDS),
});
const running = await startServer({
  app,
  port: 0,
  host: "127.0.0.1",
  drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
  onClose: async () => {
    await db.close();
    // The IPC channel would keep the process alive: drained and closed, it ends here.
    setImmediate(() => process.exit(0));
  },
});

const gc = (globalThis as { gc?: () => void }).gc;
process.on("message", (message: { type?: string }) => {
  if (message?.type !== "heap") return;
  // Two collections: the second frees what the first only finalised.
  gc?.();
  gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  process.send?.({ type: "heap", heapUsed, rss } satisfies ChildMessage);
});
process.send?.({ type: "listening", url: running.url } satisfies ChildMessage);
