import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { AiBudgetExhaustedError, isSkillBridgeError } from "../errors.js";
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from "./backoff.js";
import { type ClaimedJob, JobQueue } from "./job-queue.js";

/** Runs one kind of job. `run` resolving means done; throwing means retry (or dead-letter). */
export interface JobHandler {
  readonly kind: string;
  run(job: ClaimedJob, signal: AbortSignal): Promise<void>;
  /** Called once when the job is dead-lettered: leave a trace where people will look. */
  onDead?(job: ClaimedJob, error: unknown): Promise<void>;
}

/** A failure no retry can fix (a malformed payload): the job goes to the dead-letter at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobError";
  }
}

/** What happened to a job, for logs and tests. */
export type JobEvent =
  | { readonly type: "done"; readonly job: ClaimedJob }
  | {
      readonly type: "retry";
      readonly job: ClaimedJob;
      readonly error: unknown;
      readonly delayMs: number;
      readonly countAttempt: boolean;
    }
  | { readonly type: "dead"; readonly job: ClaimedJob; readonly error: unknown }
  /** The claim was taken over (its lease lapsed) before the job ended: another worker owns it. */
  | { readonly type: "lost"; readonly job: ClaimedJob }
  /** The queue itself failed (database unreachable); the worker waits a poll interval. */
  | { readonly type: "queue_error"; readonly error: unknown };

export interface JobWorkerOptions {
  readonly db: SkillBridgeDatabase;
  readonly handlers: readonly JobHandler[];
  /** Default: host, pid and a random suffix. */
  readonly workerId?: string | undefined;
  /** Jobs run at once by this worker (default 1). */
  readonly concurrency?: number | undefined;
  /** Wait between polls when the queue is empty (default 1 s); `wake()` cuts it short. */
  readonly pollIntervalMs?: number | undefined;
  /** A running job whose worker has not been heard from for this long is claimed again (default 5 min). */
  readonly leaseMs?: number | undefined;
  readonly backoff?: BackoffPolicy | undefined;
  readonly onEvent?: ((event: JobEvent) => void) | undefined;
}

export interface DrainSummary {
  readonly done: number;
  readonly retried: number;
  readonly dead: number;
  readonly lost: number;
}

function message(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function askedDelayMs(error: unknown): number | undefined {
  const seconds = (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
  return typeof seconds === "number" ? seconds * 1000 : undefined;
}

/**
 * Claims and runs jobs from the queue (docs/jobs.md): `start()` runs
 * `concurrency` loops that poll until `stop()`, which claims nothing more
 * and resolves once the jobs in hand have ended (a SIGTERM handler awaits
 * it). A failed job is retried with exponential backoff and jitter (a
 * failure's own `Retry-After` is honoured; a spent AI budget waits for its
 * reset without using up an attempt), and after `max_attempts` goes to the
 * dead-letter (`status = 'dead'`) with its last error. `drain()` runs what
 * is due now and returns: for `skillbridge worker --once` and tests.
 *
 * @example
 * const worker = new JobWorker({ db, handlers: [gradingJobHandler({ db, ai })] });
 * worker.start();
 * process.once("SIGTERM", () => void worker.stop().then(() => db.close()));
 */
export class JobWorker {
  readonly workerId: string;
  readonly #queue: JobQueue;
  readonly #handlers: ReadonlyMap<string, JobHandler>;
  readonly #concurrency: number;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #backoff: BackoffPolicy;
  readonly #onEvent: (event: JobEvent) => void;
  #loops: Promise<void>[] = [];
  #stopping = false;
  #wakers = new Set<() => void>();

  constructor(options: JobWorkerOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#queue = new JobQueue(options.db);
    this.#handlers = new Map(options.handlers.map((h) => [h.kind, h]));
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 1));
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#onEvent = options.onEvent ?? (() => undefined);
  }

  get kinds(): string[] {
    return [...this.#handlers.keys()];
  }

  /** True between `start()` and the end of `stop()`. */
  get started(): boolean {
    return this.#loops.length > 0;
  }

  start(): void {
    if (this.#loops.length > 0) return;
    this.#stopping = false;
    this.#loops = Array.from({ length: this.#concurrency }, () => this.#loop());
  }

  /** Claims nothing more; resolves when the jobs in hand have ended. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await Promise.all(this.#loops);
    this.#loops = [];
  }

  /** Polls now instead of at the end of the current wait (after an enqueue in this process). */
  wake(): void {
    for (const waker of this.#wakers) waker();
  }

  /** Runs jobs due now, one at a time, until none is left; then returns what happened. */
  async drain(): Promise<DrainSummary> {
    const summary = { done: 0, retried: 0, dead: 0, lost: 0 };
    for (;;) {
      const job = await this.#queue.claim(this.workerId, this.kinds, this.#leaseMs);
      if (!job) return summary;
      const outcome = await this.#run(job);
      if (outcome === "done") summary.done++;
      else if (outcome === "retry") summary.retried++;
      else if (outcome === "dead") summary.dead++;
      else summary.lost++;
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopping) {
      let job: ClaimedJob | undefined;
      try {
        job = await this.#queue.claim(this.workerId, this.kinds, this.#leaseMs);
      } catch (error) {
        this.#onEvent({ type: "queue_error", error });
      }
      if (job) await this.#run(job);
      else await this.#idle();
    }
  }

  #idle(): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.#pollIntervalMs);
      this.#wakers.add(done);
    });
  }

  async #run(job: ClaimedJob): Promise<"done" | "retry" | "dead" | "lost"> {
    const handler = this.#handlers.get(job.kind);
    const abort = new AbortController();
    // A heartbeat keeps the lease; losing it means another worker took the job over.
    const beat = setInterval(
      () => {
        this.#queue.heartbeat(job).then(
          (held) => {
            if (!held) abort.abort(new Error("the job's lease was taken over"));
          },
          () => undefined,
        );
      },
      Math.max(1_000, this.#leaseMs / 3),
    );
    try {
      try {
        if (!handler) throw new PermanentJobError(`no handler for job kind "${job.kind}"`);
        if (job.attempt > job.maxAttempts) {
          throw new PermanentJobError("the worker running the last attempt stopped answering");
        }
        await handler.run(job, abort.signal);
      } catch (error) {
        return await this.#failed(job, handler, error);
      }
      try {
        return this.#settle(job, await this.#queue.complete(job), "done");
      } catch (queueError) {
        // Done but not recorded: the lease lapses and the job runs again (handlers are idempotent).
        this.#onEvent({ type: "queue_error", error: queueError });
        return "lost";
      }
    } finally {
      clearInterval(beat);
    }
  }

  async #failed(
    job: ClaimedJob,
    handler: JobHandler | undefined,
    error: unknown,
  ): Promise<"retry" | "dead" | "lost"> {
    try {
      if (error instanceof PermanentJobError || job.attempt >= job.maxAttempts) {
        const held = await this.#queue.bury(job, message(error));
        if (!held) return this.#settle(job, false, "dead");
        await handler?.onDead?.(job, error);
        this.#onEvent({ type: "dead", job, error });
        return "dead";
      }
      const deferred = isSkillBridgeError(error) && error instanceof AiBudgetExhaustedError;
      const delayMs = deferred
        ? (askedDelayMs(error) ?? this.#backoff.maxMs)
        : retryDelayMs(job.attempt, this.#backoff, askedDelayMs(error));
      const held = await this.#queue.retry(job, message(error), delayMs, {
        countAttempt: !deferred,
      });
      if (!held) return this.#settle(job, false, "retry");
      this.#onEvent({ type: "retry", job, error, delayMs, countAttempt: !deferred });
      return "retry";
    } catch (queueError) {
      // The queue is unreachable: the lease will lapse and the job run again.
      this.#onEvent({ type: "queue_error", error: queueError });
      return "lost";
    }
  }

  #settle<T extends "done" | "retry" | "dead">(
    job: ClaimedJob,
    held: boolean,
    outcome: T,
  ): T | "lost" {
    if (!held) {
      this.#onEvent({ type: "lost", job });
      return "lost";
    }
    if (outcome === "done") this.#onEvent({ type: "done", job });
    return outcome;
  }
}
