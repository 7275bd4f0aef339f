import cluster from "node:cluster";
import {
  createServer,
  loadOrCreateSigningSecret,
  type ServerConfig,
  serverConfig,
  startServer,
} from "@skillbridge/server";
import { pino } from "pino";
import { openLocalDatabase } from "../connection/local-database.js";
import { writeServeAddress } from "../connection/serve-address.js";
import { CliError } from "../errors.js";
import type { Session } from "../session.js";
import { type ListenInput, printStarted } from "./serve-banner.js";
import { isServeProcess, serveCluster, serverProcesses } from "./serve-cluster.js";

export interface ServeInput {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  /**
   * `--workers <n|auto>`: how many server processes. `false` is the flag's
   * old meaning, `--no-workers`, now `--no-jobs`.
   */
  readonly workers?: string | boolean | undefined;
  /** `--no-jobs`: false leaves background jobs to `skillbridge worker`. */
  readonly jobs?: boolean | undefined;
}

/**
 * `skillbridge serve`: the API server in the foreground on the local database.
 * Prints its URL, logs requests (JSON lines, `LOG_LEVEL`), runs the background
 * job worker (AI pre-grading) unless `--no-jobs`, and on SIGTERM or Ctrl-C
 * stops accepting and claiming, finishes in-flight requests and the job in
 * hand, closes the database and resolves. `--workers N|auto` runs N processes
 * on one port (node:cluster, PostgreSQL only: see serve-cluster.ts).
 */
export async function serve(session: Session, input: ServeInput): Promise<void> {
  const port = Number(input.port ?? "3000");
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError(`--port must be a port number (0-65535); got "${input.port}".`);
  }
  const host = input.host ?? "127.0.0.1";
  // Refused before anything opens (each process reads it again when it listens).
  if (session.io.env.SKILLBRIDGE_RATE_LIMIT)
    academyRateLimit(session.io.env.SKILLBRIDGE_RATE_LIMIT);
  if (session.io.env.SKILLBRIDGE_TENANT_SLOTS) tenantSlots(session.io.env.SKILLBRIDGE_TENANT_SLOTS);
  if (session.io.env.SKILLBRIDGE_ADAPTIVE_SLOTS)
    adaptiveSlots(session.io.env.SKILLBRIDGE_ADAPTIVE_SLOTS);
  // `--no-workers` once meant "no background jobs": it still does, said once by the primary.
  const renamed = input.workers === false;
  const jobs = input.jobs !== false && !renamed;
  // A process the primary of `--workers N` started: it listens and drains, the primary talks.
  if (cluster.isWorker && isServeProcess(session.io.env)) {
    const { stopped } = await listen(session, { port, host, jobs });
    await stopped;
    return;
  }
  if (renamed)
    session.io.stderr.write(
      "Note: --no-workers is now --no-jobs (background jobs); --workers sets how many server processes run.\n",
    );
  const processes = serverProcesses(
    typeof input.workers === "string" ? input.workers : undefined,
    session.io.env,
  );
  if (processes > 1) {
    await serveCluster(session, { port, host, jobs, processes });
    return;
  }
  const running = await listen(session, { port, host, jobs });
  const env = session.io.env;
  // On PGlite the data dir is this process's alone: other commands are told where it listens.
  const forget = env.DATABASE_URL ? () => {} : writeServeAddress(session.dataDir, running.url);
  printStarted(session, {
    url: running.url,
    database: running.description,
    migrationsApplied: running.applied,
    processes: 1,
    jobs,
  });
  await running.stopped;
  forget();
}

/**
 * `SKILLBRIDGE_RATE_LIMIT=<requests>/<seconds>`: each academy's budget (docs/server.md,
 * "Rate limits"), default `600/60`. The bucket holds a third of it at once, as the
 * default does (200 of 600).
 */
export function academyRateLimit(value: string): ServerConfig["rateLimit"] {
  const match = /^(\d{1,9})\/(\d{1,6})$/.exec(value.trim());
  const points = Number(match?.[1]);
  const durationSeconds = Number(match?.[2]);
  if (!match || points < 1 || durationSeconds < 1)
    throw new CliError(
      `SKILLBRIDGE_RATE_LIMIT must be <requests>/<seconds>, both whole and above 0 (as 600/60); got "${value}".`,
    );
  return { points, durationSeconds, burstPoints: Math.max(1, Math.ceil(points / 3)) };
}

/**
 * `SKILLBRIDGE_TENANT_SLOTS=<n>`: the most tenant transactions of all academies
 * at once in this process (docs/server.md, "Fairness: `tenantSlots`"); default
 * the pool's size.
 */
export function tenantSlots(value: string): number {
  const slots = /^\d{1,4}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!(slots >= 1 && slots <= 1000))
    throw new CliError(
      `SKILLBRIDGE_TENANT_SLOTS must be a whole number from 1 to 1000 (as 3); got "${value}".`,
    );
  return slots;
}

/**
 * `SKILLBRIDGE_ADAPTIVE_SLOTS=1|0`: whether the gate holds fewer than
 * `tenantSlots` while its runs slow down (docs/server.md, "Fairness:
 * `adaptiveSlots`"); default off.
 */
export function adaptiveSlots(value: string): boolean {
  const said = value.trim().toLowerCase();
  if (["1", "true", "on", "yes"].includes(said)) return true;
  if (["0", "false", "off", "no"].includes(said)) return false;
  throw new CliError(`SKILLBRIDGE_ADAPTIVE_SLOTS must be 1 or 0 (on or off); got "${value}".`);
}

/** One server process listening: resolves `stopped` once SIGTERM drained it and the database closed. */
export async function listen(
  session: Session,
  input: ListenInput,
): Promise<{
  url: string;
  description: string;
  applied: readonly string[];
  stopped: Promise<void>;
}> {
  const { port, host, jobs } = input;
  const { db, description, applied } = await openLocalDatabase({
    dataDir: session.dataDir,
    env: session.io.env,
    longRunning: true,
    openDataDirs: session.io.openDataDirs,
  });
  const env = session.io.env;
  const config = serverConfig({
    jwtSecret: env.SKILLBRIDGE_JWT_SECRET || loadOrCreateSigningSecret(session.dataDir),
    redisUrl: env.REDIS_URL || undefined,
    // Deployments (or test runs) sharing one Redis keep their budgets apart by prefix.
    redisKeyPrefix: env.SKILLBRIDGE_REDIS_PREFIX || undefined,
    ...(env.SKILLBRIDGE_RATE_LIMIT
      ? { rateLimit: academyRateLimit(env.SKILLBRIDGE_RATE_LIMIT) }
      : {}),
    ...(env.SKILLBRIDGE_TENANT_SLOTS
      ? { tenantSlots: tenantSlots(env.SKILLBRIDGE_TENANT_SLOTS) }
      : {}),
    ...(env.SKILLBRIDGE_ADAPTIVE_SLOTS
      ? { adaptiveSlots: adaptiveSlots(env.SKILLBRIDGE_ADAPTIVE_SLOTS) }
      : {}),
    // Request logs as JSON lines on stdout, or on stderr when stdout carries --json.
    logger: pino(
      { level: env.LOG_LEVEL || "info", base: { service: "skillbridge" } },
      pino.destination(session.options.json ? 2 : 1),
    ),
  });
  const app = createServer({ db, config, workers: jobs });
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  try {
    const running = await startServer({
      app,
      host,
      port,
      onClose: async () => {
        await db.close();
        resolveStopped();
      },
    });
    return { url: running.url, description, applied, stopped };
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
}
