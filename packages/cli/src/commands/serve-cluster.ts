import cluster, { type Address, type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { loadOrCreateSigningSecret } from "@skillbridge/server";
import { openLocalDatabase } from "../connection/local-database.js";
import { CliError } from "../errors.js";
import type { Session } from "../session.js";
import { type ListenInput, printStarted } from "./serve-banner.js";

/**
 * `skillbridge serve --workers N|auto` (#21): N server processes on one port
 * through node:cluster. The primary migrates the database and makes the
 * signing secret once, starts the processes (each the same command line,
 * marked by {@link SERVE_PROCESS_ENV}), prints the start line when all
 * listen, starts another when one dies, and on SIGTERM or Ctrl-C has each
 * drain and stop. Rate limits and idempotency keys are shared through Redis
 * when `REDIS_URL` is set (docs/cli.md).
 */

/** Set by the primary in the environment of the processes it starts. */
export const SERVE_PROCESS_ENV = "SKILLBRIDGE_SERVE_PROCESS";

/** More deaths than this within {@link RESTART_WINDOW_MS} and the primary gives up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
/** A process that has not drained in this long after SIGTERM is killed (its drain bound is 10 s). */
const STOP_TIMEOUT_MS = 20_000;
/** Processes at most, whatever the flag says: a typo of 1000 should not fork-bomb the machine. */
export const MAX_PROCESSES = 64;

export function isServeProcess(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[SERVE_PROCESS_ENV] === "1";
}

/**
 * How many processes `--workers` asks for: a whole number from 1 to
 * {@link MAX_PROCESSES}, or `auto` (one per CPU on PostgreSQL, one on PGlite,
 * whose data dir only one process may open). Unset is 1.
 */
export function serverProcesses(
  value: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number {
  if (value === undefined) return 1;
  const postgres = Boolean(env.DATABASE_URL);
  if (value === "auto") return postgres ? Math.min(availableParallelism(), MAX_PROCESSES) : 1;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PROCESSES)
    throw new CliError(
      `--workers must be a number of processes (1-${MAX_PROCESSES}) or "auto"; got "${value}".`,
    );
  if (n > 1 && !postgres)
    throw new CliError(
      "--workers above 1 needs PostgreSQL (DATABASE_URL): a PGlite data dir is open in one process only.",
      "Set DATABASE_URL, or use --workers auto, which is 1 on PGlite.",
    );
  return n;
}

function addressUrl(address: Address, host: string): string {
  const shown = address.address ?? host;
  return `http://${address.addressType === 6 ? `[${shown}]` : shown}:${address.port}`;
}

function exitReason(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? "?"}`;
}

export async function serveCluster(
  session: Session,
  input: ListenInput & { readonly processes: number },
): Promise<void> {
  const env = session.io.env;
  // Migrated once here, so the processes do not each wait on the migration lock.
  const { db, description, applied } = await openLocalDatabase({ dataDir: session.dataDir, env });
  await db.close();
  // One secret for all: made here before any process could race to create it.
  if (!env.SKILLBRIDGE_JWT_SECRET) loadOrCreateSigningSecret(session.dataDir);
  if (!env.REDIS_URL)
    session.io.stderr.write(
      `Warning: without REDIS_URL each of the ${input.processes} processes keeps its own rate limits and idempotency keys; set REDIS_URL to share them.\n`,
    );

  const fork = (): Worker => cluster.fork({ [SERVE_PROCESS_ENV]: "1" });
  const listening = (worker: Worker) =>
    new Promise<Address>((resolve, reject) => {
      const onListening = (address: Address) => {
        worker.off("exit", onExit);
        resolve(address);
      };
      const onExit = (code: number | null, signal: string | null) => {
        worker.off("listening", onListening);
        reject(
          new CliError(
            `The server did not start: a process stopped before it listened (${exitReason(code, signal)}); its error is above.`,
          ),
        );
      };
      worker.once("listening", onListening);
      worker.once("exit", onExit);
    });
  const stopAll = async () => {
    const alive = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined && !w.isDead(),
    );
    await Promise.all(
      alive.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => worker.process.kill("SIGKILL"), STOP_TIMEOUT_MS);
            worker.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill("SIGTERM");
          }),
      ),
    );
  };

  // The first process alone, so a port in use is said once; then the rest at once.
  let address: Address;
  try {
    address = await listening(fork());
    await Promise.all(Array.from({ length: input.processes - 1 }, () => listening(fork())));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const url = addressUrl(address, input.host);
  printStarted(session, {
    url,
    database: description,
    migrationsApplied: applied,
    processes: input.processes,
    jobs: input.jobs,
  });

  let stopping = false;
  const deaths: number[] = [];
  let stop = () => {};
  let onExit = (_worker: Worker, _code: number | null, _signal: string | null) => {};
  try {
    await new Promise<void>((resolve, reject) => {
      stop = () => {
        if (stopping) return;
        stopping = true;
        void stopAll().then(resolve);
      };
      onExit = (worker, code, signal) => {
        if (stopping) return;
        const now = Date.now();
        deaths.push(now);
        while ((deaths[0] ?? now) < now - RESTART_WINDOW_MS) deaths.shift();
        if (deaths.length > MAX_RESTARTS) {
          stopping = true;
          void stopAll().then(() =>
            reject(
              new CliError(
                `Server processes keep stopping (${deaths.length} within a minute, the last with ${exitReason(code, signal)}); their errors are above.`,
              ),
            ),
          );
          return;
        }
        // Ctrl-C reaches every process of the terminal's group: one may stop before this one hears it.
        setTimeout(() => {
          if (stopping) return;
          session.io.stderr.write(
            `Server process ${worker.process.pid} stopped (${exitReason(code, signal)}); starting another.\n`,
          );
          fork();
        }, 200);
      };
      cluster.on("exit", onExit);
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    });
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    cluster.off("exit", onExit);
  }
}
