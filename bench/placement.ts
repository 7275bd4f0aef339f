/**
 * What dedicated-schema placement costs (docs/tenancy.md, "Placement"):
 *
 * 1. Onboarding time, p50 and p99, per placement: `shared` (an academy row and
 *    its first admin) against `schema` (the same, plus creating the academy's
 *    schema and applying every tenant migration to it, in the same
 *    transaction). Interleaved shared/schema so that drift hits both alike.
 * 2. The tenant migration runner across N dedicated schemas (N = 100 and
 *    1,000 by default), each N in a scratch database of its own:
 *    a. create + migrate: N academies placed in `schema` with no schema yet;
 *       the runner creates each schema and applies every tenant migration but
 *       the latest (`upTo`);
 *    b. the latest tenant migration applied to the N existing schemas — what
 *       a deploy that ships one tenant migration costs;
 *    c. a no-op run over the N up-to-date schemas (what every start-up pays).
 *    Each with the runner's concurrency (default 2), per-schema p50/p99 from
 *    the runner's events, and the catalog size that results.
 *
 * Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:placement
 * Options (environment): PLACEMENT_SCHEMAS=100,1000  PLACEMENT_CONCURRENCY=2
 * PLACEMENT_ONBOARDINGS=30. Scratch databases `sb_bench_<hex>` are dropped at
 * the end, also on failure or Ctrl-C.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  createServices,
  migrate,
  openDatabase,
  PasswordHasher,
  runTenantMigrations,
  type SkillBridgeDatabase,
  type TenantMigrationEvent,
  tenantMigrationNames,
} from "@skillbridge/core";
import pg from "pg";

const SIZES = (process.env.PLACEMENT_SCHEMAS ?? "100,1000")
  .split(",")
  .map((n) => Number(n.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
const CONCURRENCY = Number(process.env.PLACEMENT_CONCURRENCY ?? 2);
const ONBOARDINGS = Number(process.env.PLACEMENT_ONBOARDINGS ?? 30);
const POOL_SIZE = Math.max(CONCURRENCY + 2, 6);

const fmt = (n: number, digits = 1) =>
  n.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits });

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

const summary = (samples: readonly number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

interface Scratch {
  readonly url: string;
  readonly name: string;
}

/** Scratch databases on the server of DATABASE_URL, all dropped by `dropAll`. */
function scratchDatabases(url: string) {
  const made: string[] = [];
  const admin = new pg.Client({ connectionString: url, application_name: "skillbridge-bench" });
  const ready = admin.connect();
  return {
    async create(): Promise<Scratch> {
      await ready;
      const name = `sb_bench_${randomBytes(6).toString("hex")}`;
      await admin.query(`create database "${name}"`);
      made.push(name);
      const scratch = new URL(url);
      scratch.pathname = `/${name}`;
      return { url: scratch.toString(), name };
    },
    async drop(name: string): Promise<void> {
      await admin.query(`drop database if exists "${name}" with (force)`);
      made.splice(made.indexOf(name), 1);
      console.log(`Dropped scratch database ${name}.`);
    },
    async dropAll(): Promise<void> {
      await ready.catch(() => undefined);
      for (const name of [...made]) {
        await this.drop(name).catch((error: unknown) =>
          console.error(`Could not drop scratch database ${name}: ${String(error)}`),
        );
      }
      await admin.end().catch(() => undefined);
    },
    async version(): Promise<string> {
      await ready;
      return (
        (await admin.query<{ server_version: string }>("show server_version")).rows[0]
          ?.server_version ?? "?"
      );
    },
  };
}

// ---- 1. onboarding -----------------------------------------------------------

async function onboarding(db: SkillBridgeDatabase) {
  // A cheap password hash: onboarding hashes before its transaction opens, and the
  // production cost (scrypt N=2^17, ~0.4 s) would drown what placement adds.
  const services = createServices({
    passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
    cursorSecret: "bench",
  });
  const times = { shared: [] as number[], schema: [] as number[] };
  const once = async (placement: "shared" | "schema", i: number) => {
    const t0 = performance.now();
    await services.academies.onboard(
      db,
      { platformUserId: null },
      {
        slug: `bench-${placement}-${i}`,
        name: `Bench ${placement} ${i}`,
        placement,
        admin: { email: "admin@bench.example", name: "Admin", password: "bench-password-1" },
      },
    );
    times[placement].push(performance.now() - t0);
  };
  // Warm-up: one of each, not counted.
  await once("shared", -1);
  await once("schema", -1);
  times.shared.length = 0;
  times.schema.length = 0;
  for (let i = 0; i < ONBOARDINGS; i++) {
    // ABBA, so drift on the machine hits both alike.
    const order = i % 2 === 0 ? (["shared", "schema"] as const) : (["schema", "shared"] as const);
    for (const placement of order) await once(placement, i);
  }
  return { shared: summary(times.shared), schema: summary(times.schema) };
}

// ---- 2. the runner across N schemas -----------------------------------------

interface RunFigures {
  readonly seconds: number;
  readonly schemas: number;
  readonly p50: number;
  readonly p99: number;
}

async function timedRun(
  db: SkillBridgeDatabase,
  upTo: string | undefined,
  label: string,
): Promise<RunFigures> {
  const perSchema: number[] = [];
  let last = 0;
  const onEvent = (event: TenantMigrationEvent) => {
    if (event.type === "done") {
      perSchema.push(event.ms);
      if (event.completed - last >= 100) {
        last = event.completed;
        process.stdout.write(`    ${label}: ${event.completed} schemas\n`);
      }
    }
  };
  const t0 = performance.now();
  const run = await runTenantMigrations(db, { concurrency: CONCURRENCY, upTo, onEvent });
  const seconds = (performance.now() - t0) / 1000;
  if (run.failed.length > 0) throw new Error(`failed: ${JSON.stringify(run.failed[0])}`);
  const s = summary(perSchema);
  return { seconds, schemas: run.migrated.length, p50: s.p50, p99: s.p99 };
}

async function catalogSize(db: SkillBridgeDatabase) {
  const pool = db.pgPool;
  if (!pool) return { relations: 0, mb: 0 };
  const r = await pool.query<{ relations: number; bytes: string }>(
    "select (select count(*)::int from pg_class) as relations, pg_database_size(current_database())::text as bytes",
  );
  return { relations: r.rows[0]?.relations ?? 0, mb: Number(r.rows[0]?.bytes ?? 0) / 2 ** 20 };
}

async function runnerAcross(url: string, n: number) {
  const db = await openDatabase({ url, poolSize: POOL_SIZE, statementTimeoutMs: 120_000 });
  try {
    await migrate(db);
    // N academies placed in `schema`, none of whose schemas exist yet.
    const rows = Array.from({ length: n }, (_, i) => ({
      id: randomUUID(),
      slug: `bench-${i}`,
      name: `Bench ${i}`,
      placement: "schema",
    }));
    for (let i = 0; i < rows.length; i += 500) {
      await db.kysely
        .insertInto("academies")
        .values(rows.slice(i, i + 500))
        .execute();
    }
    const names = tenantMigrationNames();
    const beforeLatest = names.at(-2);
    const latest = names.at(-1) ?? "?";
    const create = await timedRun(db, beforeLatest, "create + migrate");
    const apply = await timedRun(db, undefined, `apply ${latest}`);
    const t0 = performance.now();
    const noop = await runTenantMigrations(db, { concurrency: CONCURRENCY });
    const noopSeconds = (performance.now() - t0) / 1000;
    if (noop.migrated.length !== 0 || noop.behind.length !== 0) throw new Error("not up to date");
    return {
      create,
      apply,
      noopSeconds,
      latest,
      migrations: names.length,
      ...(await catalogSize(db)),
    };
  } finally {
    await db.close();
  }
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      "bench:placement needs DATABASE_URL (a PostgreSQL URL whose user may CREATE DATABASE)",
    );
    return 1;
  }
  const scratch = scratchDatabases(url);
  const onSignal = () => {
    void scratch.dropAll().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    console.log(
      `bench:placement  node ${process.version}, PostgreSQL ${await scratch.version()}, ` +
        `runner concurrency ${CONCURRENCY}, pool ${POOL_SIZE}, sizes ${SIZES.join(", ")}\n`,
    );

    const first = await scratch.create();
    const db = await openDatabase({ url: first.url, poolSize: POOL_SIZE });
    let onboard: Awaited<ReturnType<typeof onboarding>>;
    try {
      await migrate(db);
      onboard = await onboarding(db);
    } finally {
      await db.close();
    }
    await scratch.drop(first.name);
    console.log(
      `Onboarding, ${ONBOARDINGS} academies per placement (ABBA, after one warm-up each):`,
    );
    console.log("| placement | n | p50 ms | p99 ms |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const [name, s] of Object.entries(onboard)) {
      console.log(`| ${name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p99)} |`);
    }
    console.log(
      `| **ratio schema / shared** | | ×${fmt(onboard.schema.p50 / onboard.shared.p50, 2)} | ×${fmt(onboard.schema.p99 / onboard.shared.p99, 2)} |\n`,
    );

    const results = [];
    for (const n of SIZES) {
      console.log(`Runner across ${n} dedicated schemas:`);
      const target = await scratch.create();
      const figures = await runnerAcross(target.url, n);
      await scratch.drop(target.name);
      results.push({ n, ...figures });
    }
    console.log();
    console.log("| schemas | step | wall s | schemas/s | per schema p50 ms | per schema p99 ms |");
    console.log("| ---: | --- | ---: | ---: | ---: | ---: |");
    for (const r of results) {
      const line = (step: string, f: RunFigures) =>
        console.log(
          `| ${r.n} | ${step} | ${fmt(f.seconds)} | ${fmt(f.schemas / f.seconds)} | ${fmt(f.p50)} | ${fmt(f.p99)} |`,
        );
      line(`create + migrate (${r.migrations - 1} of ${r.migrations} migrations)`, r.create);
      line(`apply ${r.latest} to existing schemas`, r.apply);
      console.log(`| ${r.n} | no-op run (all up to date) | ${fmt(r.noopSeconds, 2)} | | | |`);
      console.log(
        `| ${r.n} | catalog afterwards | ${fmt(r.relations, 0)} relations, ${fmt(r.mb, 0)} MB | | | |`,
      );
    }
    return 0;
  } finally {
    await scratch.dropAll();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
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
