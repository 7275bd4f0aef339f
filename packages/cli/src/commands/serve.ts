import {
  createServer,
  loadOrCreateSigningSecret,
  serverConfig,
  startServer,
} from "@skillbridge/server";
import { pino } from "pino";
import { openLocalDatabase } from "../connection/local-database.js";
import { writeServeAddress } from "../connection/serve-address.js";
import { CliError } from "../errors.js";
import type { Session } from "../session.js";

export interface ServeInput {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  /** `--no-workers`: false leaves background jobs to `skillbridge worker`. */
  readonly workers?: boolean | undefined;
}

/**
 * `skillbridge serve`: the API server in the foreground on the local database.
 * Prints its URL, logs requests (JSON lines, `LOG_LEVEL`), runs the background
 * job worker (AI pre-grading) unless `--no-workers`, and on SIGTERM or Ctrl-C
 * stops accepting and claiming, finishes in-flight requests and the job in
 * hand, closes the database and resolves.
 */
export async function serve(session: Session, input: ServeInput): Promise<void> {
  const port = Number(input.port ?? "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port must be a port number (0-65535); got "${input.port}".`);
  }
  const host = input.host ?? "127.0.0.1";
  const { db, description, applied } = await openLocalDatabase({
    dataDir: session.dataDir,
    env: session.io.env,
  });
  const env = session.io.env;
  const config = serverConfig({
    jwtSecret: env.SKILLBRIDGE_JWT_SECRET || loadOrCreateSigningSecret(session.dataDir),
    redisUrl: env.REDIS_URL || undefined,
    // Request logs as JSON lines on stdout, or on stderr when stdout carries --json.
    logger: pino(
      { level: env.LOG_LEVEL || "info", base: { service: "skillbridge" } },
      pino.destination(session.options.json ? 2 : 1),
    ),
  });
  const workers = input.workers !== false;
  const app = createServer({ db, config, workers });
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => {
    stopped = resolve;
  });
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer({
      app,
      host,
      port,
      onClose: async () => {
        await db.close();
        stopped();
      },
    });
  } catch (error) {
    await app.closeResources();
    await db.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE")
      throw new CliError(`Port ${port} on ${host} is in use.`, "Pick another with --port.");
    if (code === "EACCES")
      throw new CliError(`Not allowed to listen on ${host}:${port}.`, "Pick a port above 1023.");
    throw error;
  }
  // On PGlite the data dir is this process's alone: other commands are told where it listens.
  const forget = env.DATABASE_URL ? () => {} : writeServeAddress(session.dataDir, running.url);
  const payload = {
    url: running.url,
    docs: `${running.url}/docs`,
    database: description,
    migrationsApplied: applied,
    workers,
  };
  if (session.options.json) session.io.stdout.write(`${JSON.stringify(payload)}\n`);
  else {
    session.io.stdout.write(
      `SkillBridge API on ${running.url} (${description})\n` +
        `  Docs     ${running.url}/docs (the API reference; try calls with a token)\n` +
        `  OpenAPI  ${running.url}/api/v1/openapi.json\n` +
        `  Workers  ${workers ? "on (AI pre-grading runs here)" : "off (run `skillbridge worker`)"}\n` +
        "  SIGTERM or Ctrl-C drains in-flight requests and stops.\n",
    );
  }
  await done;
  forget();
}
