import {
  createServices,
  type PasswordHasher,
  type SkillBridgeDatabase,
  withPlatform,
} from "@skillbridge/core";
import { SkillBridge } from "@skillbridge/sdk";
import {
  createServer,
  loadOrCreateSigningSecret,
  type RunningServer,
  serverConfig,
  startServer,
  TokenService,
} from "@skillbridge/server";
import { pino } from "pino";
import type { Connection } from "./connection.js";
import { openLocalDatabase } from "./local-database.js";

export interface EmbeddedOptions {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Server logs on stderr (otherwise silent). */
  readonly verbose: boolean;
  /** See `LocalDatabaseOptions.checkSafety`. */
  readonly checkSafety?: boolean | undefined;
  /**
   * Lift the per-academy request budget: for `audit isolation --probe`, whose
   * thousands of calls go to this process's own server and to its own
   * throwaway academies. With the production budget the probe spent most of
   * its time waiting out 429s (about 110 s of 120 s); a remote server's
   * budget still applies (the probe waits for its Retry-After).
   */
  readonly unlimited?: boolean | undefined;
  /** Password hashing (default: scrypt at OWASP strength; see `CliIO.passwords`). */
  readonly passwords?: PasswordHasher | undefined;
  /** Databases already open, by data dir: see `CliIO.openDataDirs`. */
  readonly openDataDirs?: ReadonlyMap<string, SkillBridgeDatabase> | undefined;
}

/** A budget the probe never reaches: the embedded server serves this one command. */
const UNLIMITED_RATE = { points: 1_000_000_000, durationSeconds: 60, burstPoints: 1_000_000_000 };

/** How long the operator's own token lives: one CLI run, with room for `--exec`. */
const OPERATOR_TOKEN_SECONDS = 3600;

/**
 * Embedded mode: the API server in this process on 127.0.0.1 (a free port),
 * over the local database, and an SDK client signed in as the local operator.
 * Whoever holds the database is the platform operator, so there is no login:
 * the token is signed with the data dir's own secret. Every command still goes
 * through HTTP and the SDK, the same path as remote mode.
 */
export async function openEmbedded(options: EmbeddedOptions): Promise<Connection> {
  const { db, description } = await openLocalDatabase(options);
  let running: RunningServer | undefined;
  try {
    const operator = await withPlatform(db, (trx) =>
      createServices().platformUsers.ensureOperator(trx),
    );
    const config = serverConfig({
      jwtSecret: options.env.SKILLBRIDGE_JWT_SECRET || loadOrCreateSigningSecret(options.dataDir),
      redisUrl: options.env.REDIS_URL || undefined,
      logger: pino(
        { level: options.verbose ? "info" : "silent", base: { service: "skillbridge-embedded" } },
        pino.destination(2),
      ),
      ...(options.unlimited ? { rateLimit: UNLIMITED_RATE } : {}),
    });
    // One command's server: background jobs and spare schemas are for `serve`, not for this.
    const app = createServer({
      db,
      config,
      workers: false,
      spareSchemas: 0,
      ...(options.passwords ? { passwords: options.passwords } : {}),
    });
    running = await startServer({
      app,
      host: "127.0.0.1",
      port: 0,
      handleSignals: false,
      drainTimeoutMs: 2_000,
      onClose: () => db.close(),
    });
    const token = await new TokenService(config).sign(
      { kind: "platform", userId: operator.id, role: "platform_admin" },
      OPERATOR_TOKEN_SECONDS,
    );
    const server = running;
    return {
      mode: "embedded",
      description,
      apiUrl: server.url,
      client: new SkillBridge({ baseUrl: server.url, token, maxRetries: 0 }),
      token,
      local: { db, operatorId: operator.id },
      close: () => server.close(),
    };
  } catch (error) {
    if (running) await running.close();
    else await db.close();
    throw error;
  }
}
