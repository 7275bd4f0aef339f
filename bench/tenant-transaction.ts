/**
 * What a tenant transaction costs. The foundation issue asks to keep the round
 * trips per request few and to measure them, so this benchmark measures:
 *
 * 1. Round trips per `withTenant` call on PostgreSQL, counted exactly: every
 *    `pg.Client#query` call made during one call, and, as a wire-level cross
 *    check, every ReadyForQuery message the server sends back (one per round
 *    trip in both the simple and the extended protocol).
 * 2. Throughput and latency of one read of 20 courses through `withTenant`
 *    (role switch + RLS + tenant-scope plugin) against a baseline measured in
 *    the same run: the same query through a plain `pg.Pool` as the superuser,
 *    outside any transaction. Same pool size, same concurrency, same duration,
 *    run in ABBA order so that drift on a shared machine hits both sides alike.
 * 3. The same `withTenant` read on PGlite in memory, for reference.
 *
 * Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:tenant
 * It creates a scratch database `sb_bench_<hex>` and drops it at the end.
 */
import { performance } from "node:perf_hooks";
import {
  createServices,
  migrate,
  openDatabase,
  PasswordHasher,
  type SkillBridgeDatabase,
  type TenantContext,
  withTenant,
} from "@skillbridge/core";
import pg from "pg";
import {
  createScratchDatabase,
  requireDatabaseUrl,
  serverVersion,
} from "./support/scratch-database.js";
import { countWire, oneLine, type WireCount } from "./support/wire-count.js";

const ACADEMIES = 50;
const COURSES_PER_ACADEMY = 40;
const POOL_SIZE = 10;
const CONCURRENCY = 16;
const WARMUP_MS = 1_000;
/** Each side runs twice, in ABBA order: 2 × 2.5 s = 5 s per side. */
const SEGMENT_MS = 2_500;
const PGLITE_MS = 4_000;
const BASELINE_SQL = "select * from courses where tenant_id = $1 order by created_at, id limit 20";

function printCount(label: string, count: WireCount): void {
  console.log(
    `  ${label}: ${count.calls.length} round trip${count.calls.length === 1 ? "" : "s"} ` +
      `(pg.Client#query calls; ReadyForQuery messages received: ${count.readyForQuery})`,
  );
  count.calls.forEach((text, i) => {
    console.log(`    ${i + 1}. ${oneLine(text)}`);
  });
}

// ---------------------------------------------------------------------------
// Load generation.

interface Sample {
  ops: number;
  elapsedMs: number;
  latencies: number[];
}

const emptySample = (): Sample => ({ ops: 0, elapsedMs: 0, latencies: [] });

/** `concurrency` loops call `op` back to back for `durationMs`; each op is timed. */
async function drive(
  op: (i: number) => Promise<unknown>,
  concurrency: number,
  durationMs: number,
  into: Sample,
): Promise<void> {
  let next = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      into.latencies.push(performance.now() - t0);
      into.ops += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  into.elapsedMs += performance.now() - started;
}

interface Stats {
  readonly opsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly ops: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

function stats(sample: Sample): Stats {
  const sorted = [...sample.latencies].sort((a, b) => a - b);
  return {
    opsPerSecond: sample.ops / (sample.elapsedMs / 1000),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    ops: sample.ops,
  };
}

const fmt = (n: number, digits: number) => n.toFixed(digits);

function printStats(label: string, s: Stats): void {
  console.log(
    `  ${label.padEnd(44)} ${fmt(s.opsPerSecond, 0).padStart(7)} ops/s   ` +
      `p50 ${fmt(s.p50, 2).padStart(6)} ms   p99 ${fmt(s.p99, 2).padStart(6)} ms   ` +
      `(${s.ops} ops)`,
  );
}

// ---------------------------------------------------------------------------
// Seed: academies with an admin (onboarding), an instructor and courses,
// all through core's services.

interface SeededAcademy {
  readonly ctx: TenantContext;
}

async function seed(db: SkillBridgeDatabase): Promise<SeededAcademy[]> {
  const services = createServices({ passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }) });
  const seedOne = async (i: number): Promise<SeededAcademy> => {
    const { academy, admin } = await services.academies.onboard(
      db,
      { platformUserId: null },
      {
        slug: `bench-${i}`,
        name: `Bench Academy ${i}`,
        admin: { email: `admin@bench-${i}.example.com`, name: "Admin", password: "bench-password" },
      },
    );
    const ctx: TenantContext = { tenantId: academy.id, userId: admin.id, role: "admin" };
    const actor = { userId: admin.id, role: "admin" } as const;
    await withTenant(db, ctx, async (trx) => {
      const instructor = await services.users.create(trx, actor, {
        email: `instructor@bench-${i}.example.com`,
        name: "Instructor",
        role: "instructor",
        password: "bench-password",
      });
      for (let c = 0; c < COURSES_PER_ACADEMY; c++) {
        await services.courses.create(trx, actor, {
          title: `Course ${c} of academy ${i}`,
          description: "SAT math, week by week.",
          instructorId: instructor.id,
        });
      }
    });
    return { ctx };
  };
  const seeded: SeededAcademy[] = [];
  // A few academies at a time: fast, yet never more than the pool holds.
  for (let start = 0; start < ACADEMIES; start += 8) {
    const batch = Array.from({ length: Math.min(8, ACADEMIES - start) }, (_, k) => start + k);
    seeded.push(...(await Promise.all(batch.map(seedOne))));
  }
  return seeded;
}

/** The measured read: 20 courses of one academy, in the baseline's order. */
function readCourses(db: SkillBridgeDatabase, ctx: TenantContext) {
  return withTenant(db, ctx, (trx) =>
    trx.selectFrom("courses").selectAll().orderBy("created_at").orderBy("id").limit(20).execute(),
  );
}

// ---------------------------------------------------------------------------

interface Row {
  readonly what: string;
  readonly engine: string;
  readonly roundTrips: string;
  readonly ops: string;
  readonly p50: string;
  readonly p99: string;
}

function statsRow(what: string, engine: string, roundTrips: string, s: Stats): Row {
  return {
    what,
    engine,
    roundTrips,
    ops: fmt(s.opsPerSecond, 0),
    p50: fmt(s.p50, 2),
    p99: fmt(s.p99, 2),
  };
}

function printTable(rows: readonly Row[]): void {
  console.log("| what | engine | round trips | ops/s | p50 ms | p99 ms |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    console.log(`| ${r.what} | ${r.engine} | ${r.roundTrips} | ${r.ops} | ${r.p50} | ${r.p99} |`);
  }
}

async function main(): Promise<number> {
  const url = requireDatabaseUrl("bench:tenant");
  const scratch = await createScratchDatabase(url);
  const dbName = scratch.name;
  const benchUrl = new URL(scratch.url);

  let db: SkillBridgeDatabase | undefined;
  let baselinePool: pg.Pool | undefined;
  let pglite: SkillBridgeDatabase | undefined;

  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      await db?.close().catch(() => undefined);
      await baselinePool?.end().catch(() => undefined);
      await pglite?.close().catch(() => undefined);
      await scratch.drop();
      console.log(`\nDropped scratch database ${dbName}.`);
    })();
    return cleaning;
  };

  try {
    const version = await serverVersion(url);
    console.log(
      `bench:tenant  node ${process.version}, PostgreSQL ${version}, ` +
        `scratch database ${dbName}`,
    );
    console.log(
      `seed: ${ACADEMIES} academies × ${COURSES_PER_ACADEMY} courses; pool ${POOL_SIZE}, ` +
        `concurrency ${CONCURRENCY}, ${WARMUP_MS / 1000} s warm-up, ` +
        `2 × ${SEGMENT_MS / 1000} s per side (ABBA)\n`,
    );

    db = await openDatabase({ url: benchUrl.toString(), poolSize: POOL_SIZE });
    await migrate(db);
    let t0 = performance.now();
    const academies = await seed(db);
    console.log(`Seeded PostgreSQL in ${fmt((performance.now() - t0) / 1000, 1)} s.\n`);
    const first = academies[0];
    if (!first) throw new Error("seed produced no academy");
    const pgDb = db;

    // ---- 1. Round trips ---------------------------------------------------
    // Warm the pool first so that a connection's startup exchange is not counted.
    await readCourses(pgDb, first.ctx);
    baselinePool = new pg.Pool({
      connectionString: benchUrl.toString(),
      max: POOL_SIZE,
      application_name: "skillbridge-bench-baseline",
    });
    const pool = baselinePool;
    await pool.query(BASELINE_SQL, [first.ctx.tenantId]);

    console.log("Round trips per tenant transaction (PostgreSQL):");
    const readCount = await countWire(() =>
      withTenant(pgDb, first.ctx, (trx) =>
        trx.selectFrom("courses").selectAll().limit(20).execute(),
      ),
    );
    printCount("withTenant + select 20 courses", readCount);
    const emptyCount = await countWire(() => withTenant(pgDb, first.ctx, async () => {}));
    printCount("withTenant, empty callback", emptyCount);
    const baselineCount = await countWire(() => pool.query(BASELINE_SQL, [first.ctx.tenantId]));
    printCount("baseline pool.query", baselineCount);
    console.log();

    // Both sides must read the same 20 rows, or the comparison means nothing.
    const viaTenant = (await readCourses(pgDb, first.ctx)).map((r) => r.id);
    const viaPool = (await pool.query<{ id: string }>(BASELINE_SQL, [first.ctx.tenantId])).rows.map(
      (r) => r.id,
    );
    if (viaTenant.length !== 20 || viaTenant.join() !== viaPool.join()) {
      throw new Error("withTenant and the baseline do not read the same 20 courses");
    }

    // ---- 2. Throughput and latency on PostgreSQL --------------------------
    const ctxOf = (i: number): TenantContext => {
      const academy = academies[i % academies.length];
      if (!academy) throw new Error("no academy");
      return academy.ctx;
    };
    const tenantOp = (i: number) => readCourses(pgDb, ctxOf(i));
    const baselineOp = (i: number) => pool.query(BASELINE_SQL, [ctxOf(i).tenantId]);

    console.log("Throughput and latency, read 20 courses of one academy (PostgreSQL):");
    await drive(baselineOp, CONCURRENCY, WARMUP_MS, emptySample());
    await drive(tenantOp, CONCURRENCY, WARMUP_MS, emptySample());
    const baselineSample = emptySample();
    const tenantSample = emptySample();
    await drive(baselineOp, CONCURRENCY, SEGMENT_MS, baselineSample);
    await drive(tenantOp, CONCURRENCY, SEGMENT_MS, tenantSample);
    await drive(tenantOp, CONCURRENCY, SEGMENT_MS, tenantSample);
    await drive(baselineOp, CONCURRENCY, SEGMENT_MS, baselineSample);
    const baseline = stats(baselineSample);
    const tenant = stats(tenantSample);
    printStats("baseline: pg.Pool query, superuser, no tx", baseline);
    printStats(`withTenant: role + RLS + plugin, ${readCount.calls.length} trips`, tenant);
    const ratio = {
      ops: tenant.opsPerSecond / baseline.opsPerSecond,
      p50: tenant.p50 / baseline.p50,
      p99: tenant.p99 / baseline.p99,
    };
    console.log(
      `  ratio withTenant / baseline: ops/s ×${fmt(ratio.ops, 2)}, ` +
        `p50 ×${fmt(ratio.p50, 2)}, p99 ×${fmt(ratio.p99, 2)}\n`,
    );
    await db.close();
    db = undefined;
    await pool.end();
    baselinePool = undefined;

    // ---- 3. PGlite in memory, for reference -------------------------------
    console.log("Reference: the same withTenant read on PGlite in memory (one connection):");
    pglite = await openDatabase({ memory: true });
    await migrate(pglite);
    t0 = performance.now();
    const liteAcademies = await seed(pglite);
    console.log(`  seeded PGlite in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    const liteDb = pglite;
    const liteOp = (i: number) => {
      const academy = liteAcademies[i % liteAcademies.length];
      if (!academy) throw new Error("no academy");
      return readCourses(liteDb, academy.ctx);
    };
    // One session serves one caller at a time, so more loops would only queue.
    await drive(liteOp, 1, WARMUP_MS, emptySample());
    const liteSample = emptySample();
    await drive(liteOp, 1, PGLITE_MS, liteSample);
    const lite = stats(liteSample);
    printStats("withTenant on PGlite, concurrency 1", lite);
    console.log();

    const trips = (c: WireCount) => String(c.calls.length);
    printTable([
      statsRow(
        "baseline: `pg.Pool` query as superuser, no transaction",
        "PostgreSQL",
        trips(baselineCount),
        baseline,
      ),
      statsRow("`withTenant` + select 20 courses", "PostgreSQL", trips(readCount), tenant),
      {
        what: "**ratio withTenant / baseline**",
        engine: "PostgreSQL",
        roundTrips: fmt(readCount.calls.length / baselineCount.calls.length, 2),
        ops: fmt(ratio.ops, 2),
        p50: fmt(ratio.p50, 2),
        p99: fmt(ratio.p99, 2),
      },
      {
        what: "`withTenant`, empty callback",
        engine: "PostgreSQL",
        roundTrips: trips(emptyCount),
        ops: "–",
        p50: "–",
        p99: "–",
      },
      statsRow(
        "`withTenant` + select 20 courses (concurrency 1, reference)",
        "PGlite in memory",
        "–",
        lite,
      ),
    ]);
    console.log(
      `\nPostgreSQL: pool ${POOL_SIZE}, ${CONCURRENCY} concurrent loops, ` +
        `${(SEGMENT_MS * 2) / 1000} s per side after warm-up. Compare ratios, not absolute figures.`,
    );
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
