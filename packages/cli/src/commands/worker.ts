import {
  createAiGateway,
  createJobWorker,
  type DrainSummary,
  type JobEvent,
} from "@skillbridge/core";
import { logJobEvent } from "@skillbridge/server";
import { pino } from "pino";
import { openLocalDatabase } from "../connection/local-database.js";
import { CliError } from "../errors.js";
import type { CommandOutput } from "../output/view.js";
import type { Session } from "../session.js";

export interface WorkerInput {
  readonly concurrency?: string | undefined;
  readonly pollInterval?: string | undefined;
  /** Run the jobs due now, then exit (cron, scripts, tests). */
  readonly once?: boolean | undefined;
}

export interface WorkerOptions {
  /** Resolves when the worker should stop (default: the first SIGTERM or SIGINT). */
  readonly until?: Promise<unknown> | undefined;
  /** Told of every job event, after the log line (embedding code, tests). */
  readonly onEvent?: ((event: JobEvent) => void) | undefined;
}

function integer(
  flag: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}; got "${value}".`);
  }
  return n;
}

/** The first SIGTERM or SIGINT; the listeners go once it came. */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", on);
      process.off("SIGINT", on);
      resolve(signal);
    };
    process.on("SIGTERM", on);
    process.on("SIGINT", on);
  });
}

function summaryView(title: string, summary: DrainSummary, notes: string[] = []) {
  return {
    kind: "summary" as const,
    title,
    fields: [
      ["done", String(summary.done)],
      ["retried", String(summary.retried)],
      ["dead-lettered", String(summary.dead)],
      ["lost", String(summary.lost)],
    ] as const,
    notes,
  };
}

/**
 * `skillbridge worker`: runs background jobs (AI pre-grading) on the local
 * database — `DATABASE_URL`, else PGlite in the data dir — with the AI
 * provider the environment names (`GROQ_API_KEY`, else offline). Runs until
 * SIGTERM or Ctrl-C, then claims nothing more, finishes the job in hand,
 * closes the database and prints what it did. `--once` runs what is due and
 * exits. Any number of workers may share a PostgreSQL database; a PGlite data
 * dir has one process, so there `serve` runs the workers itself.
 */
export async function worker(
  session: Session,
  input: WorkerInput,
  options: WorkerOptions = {},
): Promise<CommandOutput<DrainSummary & { workerId: string }>> {
  const concurrency = integer("--concurrency", input.concurrency, 1, 1, 32);
  const pollIntervalMs = integer("--poll-interval", input.pollInterval, 1_000, 10, 600_000);
  const env = session.io.env;
  let local: Awaited<ReturnType<typeof openLocalDatabase>>;
  try {
    local = await openLocalDatabase({
      dataDir: session.dataDir,
      env,
      longRunning: true,
      openDataDirs: session.io.openDataDirs,
    });
  } catch (error) {
    if (error instanceof CliError && /is in use by process/.test(error.message)) {
      throw new CliError(
        error.message,
        "That `skillbridge serve` runs the workers itself. A separate worker process needs PostgreSQL (DATABASE_URL).",
      );
    }
    throw error;
  }
  const { db, description } = local;
  // Job events as JSON lines on stderr: stdout carries the banner and the result.
  const logger = pino(
    { level: env.LOG_LEVEL || "info", base: { service: "skillbridge-worker" } },
    session.io.stderr,
  );
  const counts = { done: 0, retried: 0, dead: 0, lost: 0 };
  const log = logJobEvent(logger);
  const onEvent = (event: JobEvent) => {
    if (event.type === "done") counts.done++;
    else if (event.type === "retry") counts.retried++;
    else if (event.type === "dead") counts.dead++;
    else if (event.type === "lost") counts.lost++;
    log(event);
    options.onEvent?.(event);
  };
  try {
    const ai = createAiGateway({ db, env });
    const jobs = createJobWorker({ db, ai, concurrency, pollIntervalMs, onEvent });
    const provider = ai.provider.offline ? "offline rules (no GROQ_API_KEY)" : "Groq";
    if (input.once) {
      const summary = await jobs.drain();
      return {
        data: { workerId: jobs.workerId, ...summary },
        view: summaryView(`Ran the jobs due on ${description}`, summary, [`AI: ${provider}`]),
      };
    }
    const until = options.until ?? signalled();
    jobs.start();
    if (!session.options.json && !session.options.quiet) {
      session.io.stdout.write(
        `SkillBridge worker ${jobs.workerId} on ${description}\n` +
          `  AI       ${provider}\n` +
          `  Jobs     ${jobs.kinds.join(", ")}, ${concurrency} at a time\n` +
          "  SIGTERM or Ctrl-C stops after the job in hand.\n",
      );
    }
    await until;
    await jobs.stop();
    return {
      data: { workerId: jobs.workerId, ...counts },
      view: summaryView("Worker stopped", counts),
    };
  } finally {
    await db.close();
  }
}
