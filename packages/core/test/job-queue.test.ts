import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deferred } from "../src/ai/timing.js";
import {
  AiBudgetExhaustedError,
  AiRateLimitedError,
  type ClaimedJob,
  enqueueInTenant,
  type JobHandler,
  JobQueue,
  JobWorker,
  PermanentJobError,
  type SkillBridgeDatabase,
  withPlatform,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// The job queue on both engines: claims under concurrency never hand one job
// to two workers, failures retry with exponential backoff and end in the
// dead-letter, a lapsed lease is taken over and fences the old worker out,
// stop() finishes the job in hand, and tenant code can enqueue for its own
// academy only, without ever reading the queue.

let kindSeq = 0;
/** A kind of its own per test, so tests never claim each other's jobs (or the seed's). */
const freshKind = () => `test.kind-${++kindSeq}`;

const FIXED_BACKOFF = { baseMs: 1_000, maxMs: 60_000, random: () => 1 };

describe.each(ENGINES)("job queue (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let north: SeededAcademy;
  let south: SeededAcademy;
  let queue: JobQueue;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine, { poolSize: 10 }));
    const services = fastServices();
    north = await seedAcademy(db, services, "north");
    south = await seedAcademy(db, services, "south");
    queue = new JobQueue(db);
  });
  afterAll(() => dispose());

  async function rows(kind: string) {
    return withPlatform(db, (trx) =>
      trx
        .selectFrom("jobs")
        .select([
          "id",
          "academy_id",
          "status",
          "attempts",
          "last_error",
          "finished_at",
          "locked_by",
          // Not rounded: a retry sets both from one clock read, so this is its delay exactly.
          sql<number>`(extract(epoch from run_at - updated_at) * 1000)::float8`.as("delay_ms"),
        ])
        .where("kind", "=", kind)
        .orderBy("created_at")
        .execute(),
    );
  }
  /** Makes every waiting job of `kind` due now, as if its backoff had passed. */
  async function dueNow(kind: string) {
    await withPlatform(db, (trx) =>
      trx
        .updateTable("jobs")
        .set({ run_at: sql<Date>`clock_timestamp()` })
        .where("kind", "=", kind)
        .where("status", "=", "queued")
        .execute(),
    );
  }
  function handler(kind: string, run: JobHandler["run"], onDead?: JobHandler["onDead"]) {
    return { kind, run, ...(onDead ? { onDead } : {}) } satisfies JobHandler;
  }

  it("twenty claims at once take twenty different jobs (SKIP LOCKED: no waiting, no twice)", async () => {
    const kind = freshKind();
    for (let i = 0; i < 20; i++) await queue.enqueue(kind, north.academyId, { i });
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => queue.claim(`claimer-${i}`, [kind], 60_000)),
    );
    const ids = claims.map((c) => c?.id);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(20);
    expect(await queue.claim("late", [kind], 60_000)).toBeUndefined();
  });

  it("four workers of three slots each run sixty jobs, every one exactly once", async () => {
    const kind = freshKind();
    const total = 60;
    for (let i = 0; i < total; i++) await queue.enqueue(kind, north.academyId, { i });
    const runs = new Map<string, number>();
    const allDone = deferred<void>();
    const byWorker = new Map<string, number>();
    const workers = Array.from(
      { length: 4 },
      (_, w) =>
        new JobWorker({
          db,
          workerId: `worker-${w}`,
          concurrency: 3,
          pollIntervalMs: 5,
          handlers: [
            handler(kind, async (job) => {
              runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
              byWorker.set(job.workerId, (byWorker.get(job.workerId) ?? 0) + 1);
              await new Promise((resolve) => setImmediate(resolve));
              if (runs.size === total) allDone.resolve();
            }),
          ],
        }),
    );
    for (const worker of workers) worker.start();
    await allDone.promise;
    await Promise.all(workers.map((w) => w.stop()));
    expect(runs.size).toBe(total);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const stored = await rows(kind);
    expect(stored.every((r) => r.status === "done" && r.attempts === 1)).toBe(true);
    expect([...byWorker.values()].reduce((a, b) => a + b, 0)).toBe(total);
  });

  it("a failing job is retried with exponential backoff, then dead-lettered with its last error", async () => {
    const kind = freshKind();
    const id = await queue.enqueue(kind, north.academyId, {}, { maxAttempts: 3 });
    let attempt = 0;
    const dead: { job: ClaimedJob; error: unknown }[] = [];
    const worker = new JobWorker({
      db,
      backoff: FIXED_BACKOFF,
      handlers: [
        handler(
          kind,
          async () => {
            attempt++;
            throw new Error(`boom ${attempt}`);
          },
          async (job, error) => {
            dead.push({ job, error });
          },
        ),
      ],
    });

    expect(await worker.drain()).toEqual({ done: 0, retried: 1, dead: 0, lost: 0 });
    expect(await rows(kind)).toMatchObject([
      { id, status: "queued", attempts: 1, last_error: "Error: boom 1", delay_ms: 1_000 },
    ]);
    // Not due yet: nothing runs before the backoff has passed.
    expect(await worker.drain()).toEqual({ done: 0, retried: 0, dead: 0, lost: 0 });

    await dueNow(kind);
    expect(await worker.drain()).toMatchObject({ retried: 1 });
    expect(await rows(kind)).toMatchObject([{ attempts: 2, delay_ms: 2_000 }]);

    await dueNow(kind);
    expect(await worker.drain()).toMatchObject({ dead: 1 });
    const [row] = await rows(kind);
    expect(row).toMatchObject({ status: "dead", attempts: 3, last_error: "Error: boom 3" });
    expect(row?.finished_at).toBeInstanceOf(Date);
    expect(dead).toHaveLength(1);
    expect(dead[0]?.job).toMatchObject({ id, attempt: 3 });

    await dueNow(kind);
    expect(await worker.drain()).toEqual({ done: 0, retried: 0, dead: 0, lost: 0 });
    expect(attempt).toBe(3);
  });

  it("backoff grows to its cap, and a longer Retry-After from the provider wins", async () => {
    const kind = freshKind();
    await queue.enqueue(kind, north.academyId, {}, { maxAttempts: 10 });
    const worker = new JobWorker({
      db,
      backoff: { baseMs: 1_000, maxMs: 4_000, random: () => 1 },
      handlers: [
        handler(kind, async (job) => {
          throw job.attempt === 4 ? new AiRateLimitedError(30) : new Error("again");
        }),
      ],
    });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await dueNow(kind);
      await worker.drain();
      delays.push((await rows(kind))[0]?.delay_ms ?? -1);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 30_000]);
  });

  it("jitter keeps a retry between half and all of its exponential delay", async () => {
    const kind = freshKind();
    await queue.enqueue(kind, north.academyId, {});
    const worker = new JobWorker({
      db,
      backoff: { baseMs: 8_000, maxMs: 60_000, random: () => 0 },
      handlers: [handler(kind, async () => Promise.reject(new Error("no")))],
    });
    await worker.drain();
    expect((await rows(kind))[0]?.delay_ms).toBe(4_000);
  });

  it("a permanent failure goes to the dead-letter at once; a spent AI budget waits without using an attempt", async () => {
    const permanent = freshKind();
    await queue.enqueue(permanent, north.academyId, {}, { maxAttempts: 5 });
    const budget = freshKind();
    await queue.enqueue(budget, north.academyId, {}, { maxAttempts: 5 });
    const worker = new JobWorker({
      db,
      backoff: FIXED_BACKOFF,
      handlers: [
        handler(permanent, async () => {
          throw new PermanentJobError("payload is not { submissionId }");
        }),
        handler(budget, async () => {
          throw new AiBudgetExhaustedError(3_600);
        }),
      ],
    });
    await worker.drain();
    expect(await rows(permanent)).toMatchObject([
      {
        status: "dead",
        attempts: 1,
        last_error: "PermanentJobError: payload is not { submissionId }",
      },
    ]);
    expect(await rows(budget)).toMatchObject([
      { status: "queued", attempts: 0, delay_ms: 3_600_000 },
    ]);
  });

  it("a job whose worker went silent is taken over, and the old worker can no longer settle it", async () => {
    const kind = freshKind();
    await queue.enqueue(kind, north.academyId, {});
    const ghost = await queue.claim("ghost", [kind], 60_000);
    expect(ghost).toMatchObject({ attempt: 1, workerId: "ghost" });
    // Still leased: nobody else may take it.
    expect(await queue.claim("other", [kind], 60_000)).toBeUndefined();
    await withPlatform(db, (trx) =>
      trx
        .updateTable("jobs")
        .set({ locked_at: sql<Date>`clock_timestamp() - interval '1 hour'` })
        .where("kind", "=", kind)
        .execute(),
    );
    let ran = 0;
    const worker = new JobWorker({
      db,
      workerId: "rescuer",
      leaseMs: 60_000,
      handlers: [handler(kind, async () => void ran++)],
    });
    expect(await worker.drain()).toMatchObject({ done: 1 });
    expect(ran).toBe(1);
    expect(await rows(kind)).toMatchObject([{ status: "done", attempts: 2 }]);
    if (!ghost) throw new Error("unreachable");
    expect(await queue.complete(ghost)).toBe(false);
    expect(await queue.retry(ghost, "late", 0)).toBe(false);
    expect(await rows(kind)).toMatchObject([{ status: "done", attempts: 2 }]);
  });

  it("a silent worker's last attempt is dead-lettered when taken over, not run again", async () => {
    const kind = freshKind();
    await queue.enqueue(kind, north.academyId, {}, { maxAttempts: 1 });
    await queue.claim("ghost", [kind], 60_000);
    await withPlatform(db, (trx) =>
      trx
        .updateTable("jobs")
        .set({ locked_at: sql<Date>`clock_timestamp() - interval '1 hour'` })
        .where("kind", "=", kind)
        .execute(),
    );
    let ran = 0;
    const worker = new JobWorker({ db, handlers: [handler(kind, async () => void ran++)] });
    expect(await worker.drain()).toMatchObject({ dead: 1 });
    expect(ran).toBe(0);
    expect(await rows(kind)).toMatchObject([
      { status: "dead", last_error: expect.stringMatching(/stopped answering/) },
    ]);
  });

  it("stop() claims nothing more and resolves once the job in hand has finished", async () => {
    const kind = freshKind();
    await queue.enqueue(kind, north.academyId, { n: 1 });
    await queue.enqueue(kind, north.academyId, { n: 2 });
    const started = deferred<string>();
    const release = deferred<void>();
    const worker = new JobWorker({
      db,
      pollIntervalMs: 5,
      handlers: [
        handler(kind, async (job) => {
          started.resolve(job.id);
          await release.promise;
        }),
      ],
    });
    worker.start();
    const inHand = await started.promise;
    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    const stored = await rows(kind);
    expect(stored.map((r) => [r.id === inHand, r.status]).sort()).toEqual([
      [false, "queued"],
      [true, "done"],
    ]);
  });

  describe("from inside an academy", () => {
    const tenant = (academy: SeededAcademy) =>
      ({ tenantId: academy.academyId, userId: null, role: "system" }) as const;

    it("a tenant transaction enqueues for its own academy, and a rollback takes the job back", async () => {
      const kind = freshKind();
      await withTenant(db, tenant(north), (trx) => enqueueInTenant(trx, kind, { a: 1 }));
      await withTenant(db, tenant(north), async (trx) => {
        await enqueueInTenant(trx, kind, { a: 2 });
        throw new Error("roll back");
      }).catch(() => undefined);
      expect(await rows(kind)).toMatchObject([{ academy_id: north.academyId, status: "queued" }]);
    });

    it("naming another academy is refused by row-level security", async () => {
      const kind = freshKind();
      const attempt = withTenant(db, tenant(north), (trx) =>
        sql`insert into jobs (kind, academy_id, payload) values (${kind}, ${south.academyId}, '{}')`.execute(
          trx,
        ),
      );
      await expect(attempt).rejects.toThrow(/row-level security/);
      expect(await rows(kind)).toEqual([]);
    });

    it("tenant code cannot read, change or pre-settle jobs", async () => {
      const kind = freshKind();
      await queue.enqueue(kind, north.academyId, {});
      const denied = [
        sql`select count(*) from jobs`,
        sql`update jobs set status = 'done' where kind = ${kind}`,
        sql`delete from jobs where kind = ${kind}`,
        sql`insert into jobs (kind, academy_id, payload, status, attempts)
            values (${kind}, ${north.academyId}, '{}', 'done', 9)`,
      ];
      for (const statement of denied) {
        await expect(
          withTenant(db, tenant(north), (trx) => statement.execute(trx)),
        ).rejects.toThrow(/permission denied/);
      }
      expect(await rows(kind)).toMatchObject([{ status: "queued", attempts: 0 }]);
    });
  });
});
