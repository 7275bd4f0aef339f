import { sql } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import type { TenantDb } from "../tenancy/context.js";
import { withPlatform } from "../tenancy/with-platform.js";

/** A job a worker holds: run it, then complete, retry or bury it. */
export interface ClaimedJob {
  readonly id: string;
  readonly kind: string;
  /** The academy the job works for; its handler runs inside that academy's `withTenant`. */
  readonly academyId: string | null;
  readonly payload: unknown;
  /** 1 for the first run; the fencing token of this claim. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly workerId: string;
}

interface ClaimRow {
  id: string;
  kind: string;
  academy_id: string | null;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

const clip = (message: string) => message.slice(0, 2_000);

/**
 * The job queue on the platform `jobs` table (docs/jobs.md). Claiming is
 * one statement: the oldest due job, or a running one whose lease expired
 * (its worker died), is picked `FOR UPDATE SKIP LOCKED` — concurrent
 * claimers skip rows another is taking instead of waiting on them or taking
 * them twice — and marked running with the claimer's id and the attempt
 * number. Every later write names that worker and attempt, so a worker
 * whose lease lapsed and was taken over cannot complete or retry the job.
 */
export class JobQueue {
  readonly #db: SkillBridgeDatabase;

  constructor(db: SkillBridgeDatabase) {
    this.#db = db;
  }

  /** Adds a job outside any academy transaction (platform code, tests). */
  async enqueue(
    kind: string,
    academyId: string | null,
    payload: Record<string, unknown>,
    options: { maxAttempts?: number } = {},
  ): Promise<string> {
    const row = await withPlatform(this.#db, (trx) =>
      trx
        .insertInto("jobs")
        .values({
          kind,
          academy_id: academyId,
          payload: JSON.stringify(payload),
          ...(options.maxAttempts === undefined ? {} : { max_attempts: options.maxAttempts }),
        })
        .returning("id")
        .executeTakeFirstOrThrow(),
    );
    return row.id;
  }

  /** The next due job of these kinds, now held by `workerId`; undefined when none is due. */
  async claim(
    workerId: string,
    kinds: readonly string[],
    leaseMs: number,
  ): Promise<ClaimedJob | undefined> {
    if (kinds.length === 0) return undefined;
    const result = await sql<ClaimRow>`
      update jobs j
         set status = 'running', attempts = j.attempts + 1, locked_by = ${workerId},
             locked_at = clock_timestamp(), updated_at = clock_timestamp()
        from (
          select id from jobs
           where kind in (${sql.join(kinds)})
             and ((status = 'queued' and run_at <= clock_timestamp())
               or (status = 'running'
                   and locked_at < clock_timestamp() - make_interval(secs => ${leaseMs / 1000})))
           order by run_at, created_at, id
           limit 1
           for update skip locked
        ) next
       where j.id = next.id
      returning j.id, j.kind, j.academy_id, j.payload, j.attempts, j.max_attempts`.execute(
      this.#db.kysely,
    );
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      kind: row.kind,
      academyId: row.academy_id,
      payload: row.payload,
      attempt: row.attempts,
      maxAttempts: row.max_attempts,
      workerId,
    };
  }

  /** Extends the lease of a job still held; false when it is no longer this claim's. */
  heartbeat(job: ClaimedJob): Promise<boolean> {
    return this.#held(job, sql`locked_at = t.at`);
  }

  complete(job: ClaimedJob): Promise<boolean> {
    return this.#held(
      job,
      sql`status = 'done', locked_by = null, locked_at = null, finished_at = t.at, last_error = null`,
    );
  }

  /**
   * Back to the queue, due in `delayMs`. `countAttempt: false` gives the
   * attempt back (a wait that was not the job's fault, like a spent budget).
   */
  retry(
    job: ClaimedJob,
    error: string,
    delayMs: number,
    options: { countAttempt?: boolean } = {},
  ): Promise<boolean> {
    const attempts = options.countAttempt === false ? sql`attempts - 1` : sql`attempts`;
    return this.#held(
      job,
      sql`status = 'queued', attempts = ${attempts}, locked_by = null, locked_at = null,
          last_error = ${clip(error)},
          run_at = t.at + make_interval(secs => ${delayMs / 1000})`,
    );
  }

  /** The dead-letter: kept with its last error, never run again unless requeued. */
  bury(job: ClaimedJob, error: string): Promise<boolean> {
    return this.#held(
      job,
      sql`status = 'dead', locked_by = null, locked_at = null, last_error = ${clip(error)},
          finished_at = t.at`,
    );
  }

  /**
   * Changes a job this claim still holds. `set` reads the time as `t.at`: one
   * clock read for the whole row, so `run_at - updated_at` is exactly a
   * retry's delay (two `clock_timestamp()` calls in one SET were apart by
   * the time between them, and a delay of 4,000 ms read 3,999).
   */
  async #held(job: ClaimedJob, set: ReturnType<typeof sql>): Promise<boolean> {
    const result = await sql`
      update jobs set ${set}, updated_at = t.at
        from (select clock_timestamp() as at) t
       where id = ${job.id} and status = 'running'
         and locked_by = ${job.workerId} and attempts = ${job.attempt}`.execute(this.#db.kysely);
    return Number(result.numAffectedRows ?? 0) === 1;
  }
}

/**
 * Queues a job for the academy of the tenant transaction `trx`, atomically
 * with the work that needs it (a submission and its grading job commit or
 * roll back together). The academy comes from the transaction's own setting,
 * and the database holds tenant code to that: it may insert jobs only for
 * its academy, and never read or change the queue (platform migration 0003).
 */
export async function enqueueInTenant(
  trx: TenantDb,
  kind: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await sql`
    insert into jobs (kind, academy_id, payload)
    values (${kind}, nullif(current_setting('app.tenant_id', true), '')::uuid,
            ${JSON.stringify(payload)}::jsonb)`.execute(trx);
}
