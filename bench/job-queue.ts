/**
 * The job queue under load: how many no-op jobs per second one worker
 * settles (claim, run, complete), against the same run's figure for several
 * workers with several slots each claiming from the same table at once —
 * the case `FOR UPDATE SKIP LOCKED` is for. It also counts jobs run more
 * than once (must be 0) and jobs left unsettled (must be 0).
 *
 * Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx --conditions=@skillbridge/source bench/job-queue.ts
 * It creates a scratch database `sb_bench_<hex>` and drops it at the end.
 * Without DATABASE_URL it runs on PGlite in memory only (one session: the
 * parallel figure then shows serialisation, not contention).
 */
import { performance } from "node:perf_hooks";
import {
  createServices,
  JobQueue,
  JobWorker,
  migrate,
  openDatabase,
  PasswordHasher,
  type SkillBridgeDatabase,
  withPlatform,
} from "@skillbridge/core";
import { createScratchDatabase } from "./support/scratch-database.js";

const JOBS = 2_000;

async function run(
  db: SkillBridgeDatabase,
  academyId: string,
  label: string,
  workers: number,
  slots: number,
) {
  const kind = `bench.${label}`;
  const queue = new JobQueue(db);
  for (let i = 0; i < JOBS; i++) await queue.enqueue(kind, academyId, { i });
  const runs = new Map<string, number>();
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const pool = Array.from(
    { length: workers },
    (_, w) =>
      new JobWorker({
        db,
        workerId: `${label}-${w}`,
        concurrency: slots,
        pollIntervalMs: 5,
        handlers: [
          {
            kind,
            async run(job) {
              runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
              if (runs.size === JOBS) finish();
            },
          },
        ],
      }),
  );
  const started = performance.now();
  for (const worker of pool) worker.start();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(pool.map((w) => w.stop()));
  const left = await withPlatform(db, (trx) =>
    trx
      .selectFrom("jobs")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("kind", "=", kind)
      .where("status", "!=", "done")
      .executeTakeFirstOrThrow(),
  );
  const twice = [...runs.values()].filter((n) => n > 1).length;
  return { label, workers, slots, perSecond: JOBS / seconds, twice, left: Number(left.n) };
}

async function main() {
  const base = process.env.DATABASE_URL;
  const target = base ? await createScratchDatabase(base) : undefined;
  const db = target
    ? await openDatabase({ url: target.url, poolSize: 20 })
    : await openDatabase({ memory: true });
  try {
    await migrate(db);
    const services = createServices({ passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }) });
    const { academy } = await services.academies.onboard(
      db,
      { platformUserId: null },
      {
        slug: "bench",
        name: "Bench",
        admin: { email: "a@bench.example", name: "A", password: "bench-password-1" },
      },
    );
    console.log(`${JOBS} no-op jobs per run on ${target ? "PostgreSQL" : "PGlite (memory)"}`);
    // Baseline first and last (ABBA), so drift on a shared machine hits both sides.
    const results = [
      await run(db, academy.id, "one-a", 1, 1),
      await run(db, academy.id, "many-a", 4, 4),
      await run(db, academy.id, "many-b", 4, 4),
      await run(db, academy.id, "one-b", 1, 1),
    ];
    for (const r of results) {
      console.log(
        `${r.label.padEnd(7)} ${r.workers} worker(s) x ${r.slots} slot(s): ${r.perSecond.toFixed(0).padStart(6)} jobs/s, run twice: ${r.twice}, unsettled: ${r.left}`,
      );
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const one = mean(results.filter((r) => r.workers === 1).map((r) => r.perSecond));
    const many = mean(results.filter((r) => r.workers > 1).map((r) => r.perSecond));
    console.log(`4x4 against 1x1 in this run: ${(many / one).toFixed(2)}x`);
  } finally {
    await db.close();
    await target?.drop();
  }
}

await main();
