/**
 * How fast the question importer is, beside a raw COPY of the same rows into
 * the same table, in the same run. The target: the importer runs at
 * least half of COPY's rate on PostgreSQL.
 *
 * 1. Generates N questions (default 100,000) of all 8 types, two SAT in
 *    nine, writes them to two NDJSON files (one per bank) and reads them back
 *    with `readQuestionFile` into validated rows, timed on its own.
 * 2. Importer: `importQuestions(db, rows)` per bank, into an empty table:
 *    the importer service of core, whose input is validated rows. It hashes
 *    each question, looks up what exists, writes in batches of 1,000, one
 *    transaction each (new rows by COPY on PostgreSQL).
 * 3. COPY: the rows the importer stored, taken out once with COPY ... TO
 *    STDOUT (the same columns and values, hash included), then streamed back
 *    into the emptied table with `COPY exam_questions (...) FROM STDIN`
 *    (pg-copy-streams). The COPY side gets its input pre-encoded: it is the
 *    database's own ingestion speed, the fastest the table can be filled.
 * 4. ABBA order (importer, COPY, COPY, importer), the table truncated before
 *    each, so drift on a shared machine hits both sides alike.
 * 5. The whole file path too, `importQuestions(db, readQuestionFile(file))`
 *    (read, parse, validate and import, overlapped), twice; and for reference
 *    a re-import onto the full table (every row unchanged, nothing written).
 *
 * Every run also reports CPU time per 1,000 rows, of this process and (when
 * PostgreSQL runs on this host, read from /proc) of its backends: rates move
 * with whatever else the machine runs, CPU per row hardly does.
 *
 * Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:import
 * (BENCH_QUESTIONS=20000 for a shorter run, BENCH_BATCH for another batch
 * size). It creates a scratch database `sb_bench_<hex>` and drops it at the
 * end, also on failure or Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import {
  importQuestions,
  migrate,
  openDatabase,
  type QuestionRow,
  readQuestionFile,
} from "@skillbridge/core";
import type { QuestionInput } from "@skillbridge/core/contracts";
import { sql } from "kysely";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";

const COUNT = Number(process.env.BENCH_QUESTIONS ?? 100_000);
/** Questions per transaction in the importer (its default is 1,000). */
const BATCH = Number(process.env.BENCH_BATCH ?? 1_000);
const COLUMNS =
  "bank, external_id, type, topic, standard_id, difficulty, prompt, passage, explanation, content, answer, tags, content_hash";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "bench:import needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/db (a user that may CREATE DATABASE).",
  );
  process.exit(1);
}

// ─── data ────────────────────────────────────────────────────────────────────

/** A small deterministic PRNG, so every run imports the same questions. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "value ratio line slope angle circle area mean median integer prime factor graph table rate percent sum product difference quotient equation".split(
    " ",
  );

function generate(
  i: number,
  random: () => number,
): { bank: "sat" | "gre"; question: QuestionInput } {
  const word = () => WORDS[Math.floor(random() * WORDS.length)] ?? "value";
  const sentence = (n: number) => Array.from({ length: n }, word).join(" ");
  const options = (letters: string) =>
    [...letters].map((id) => ({ id, text: `${sentence(3)} ${Math.floor(random() * 1000)}` }));
  const common = {
    externalId: `bench-${String(i).padStart(7, "0")}`,
    topic: `topic-${i % 40}`,
    difficulty: (i % 5) + 1,
    prompt: `Question ${i}: ${sentence(24)}?`,
    explanation: sentence(18),
    tags: [word(), `set-${i % 7}`],
  };
  switch (i % 9) {
    case 0:
      return {
        bank: "sat",
        question: { ...common, type: "multiple_choice", options: options("ABCD"), answer: "C" },
      };
    case 1:
      return {
        bank: "sat",
        question: { ...common, type: "grid_in", answer: [`${i % 97}/${(i % 13) + 1}`] },
      };
    case 2:
      return {
        bank: "gre",
        question: {
          ...common,
          type: "multi_select",
          options: options("ABCDE"),
          answer: ["A", "D"],
        },
      };
    case 3:
      return {
        bank: "gre",
        question: {
          ...common,
          type: "quantitative_comparison",
          quantityA: sentence(4),
          quantityB: sentence(4),
          answer: "B",
        },
      };
    case 4:
      return {
        bank: "gre",
        question: { ...common, type: "numeric_entry", answer: `${i % 50}.25`, tolerance: 0.01 },
      };
    case 5:
      return {
        bank: "gre",
        question: {
          ...common,
          type: "text_completion",
          blanks: [{ options: options("ABC") }, { options: options("DEF") }],
          answer: ["B", "F"],
        },
      };
    case 6:
      return {
        bank: "gre",
        question: {
          ...common,
          type: "sentence_equivalence",
          options: options("ABCDEF"),
          answer: ["A", "E"],
        },
      };
    case 7:
      return {
        bank: "gre",
        question: {
          ...common,
          type: "select_in_passage",
          sentences: [sentence(12), sentence(14), sentence(10), sentence(13)],
          answer: 2,
        },
      };
    default:
      return {
        bank: "gre",
        question: {
          ...common,
          type: "multiple_choice",
          passage: sentence(80),
          options: options("ABCDE"),
          answer: "E",
        },
      };
  }
}

type Files = Readonly<Record<"sat" | "gre", string>>;

/** Writes the questions to one NDJSON file per bank; returns the total size in bytes. */
async function writeFiles(files: Files): Promise<number> {
  const random = prng(42);
  const outs = { sat: createWriteStream(files.sat), gre: createWriteStream(files.gre) };
  let bytes = 0;
  for (let i = 0; i < COUNT; i++) {
    const { bank, question } = generate(i, random);
    const line = `${JSON.stringify(question)}\n`;
    bytes += Buffer.byteLength(line);
    if (!outs[bank].write(line))
      await new Promise<void>((resolve) => outs[bank].once("drain", () => resolve()));
  }
  for (const out of Object.values(outs))
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  return bytes;
}

/** The importer over validated rows, one bank after the other. */
async function importRows(
  db: Awaited<ReturnType<typeof openDatabase>>,
  rows: Readonly<Record<"sat" | "gre", readonly QuestionRow[]>>,
): Promise<{ inserted: number; unchanged: number; rejected: number }> {
  let inserted = 0;
  let unchanged = 0;
  let rejected = 0;
  for (const bank of ["sat", "gre"] as const) {
    const report = await importQuestions(db, rows[bank], { batchSize: BATCH });
    inserted += report.inserted;
    unchanged += report.unchanged;
    rejected += report.rejected.length;
  }
  return { inserted, unchanged, rejected };
}

/** The importer's whole path over both files: read, validate, hash, upsert. */
async function importFiles(
  db: Awaited<ReturnType<typeof openDatabase>>,
  files: Files,
): Promise<{ inserted: number; unchanged: number; rejected: number }> {
  let inserted = 0;
  let unchanged = 0;
  let rejected = 0;
  for (const bank of ["sat", "gre"] as const) {
    const report = await importQuestions(db, readQuestionFile(files[bank], { bank }), {
      batchSize: BATCH,
    });
    inserted += report.inserted;
    unchanged += report.unchanged;
    rejected += report.rejected.length;
  }
  return { inserted, unchanged, rejected };
}

// ─── runs ────────────────────────────────────────────────────────────────────

interface Run {
  readonly label: string;
  readonly ms: number;
  readonly rows: number;
  /** CPU time of this process (JS: read, validate, encode) and of the PostgreSQL backends, in ms. */
  readonly cpu: { readonly node: number; readonly server: number | undefined };
}

// ─── CPU accounting ──────────────────────────────────────────────────────────
// Wall-clock rates swing with whatever else the machine runs; CPU time spent
// per row does not. When PostgreSQL runs on this host, /proc tells what each
// backend used (user + system, in clock ticks of 10 ms).

const TICK_MS = 10;

function procCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** CPU of this process and of the given database's backends during `work`. */
async function measured<T>(
  admin: pg.Client,
  database: string,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: Run["cpu"] }> {
  const backends = async () =>
    (
      await admin.query<{ pid: number }>(
        "select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [database],
      )
    ).rows.map((r) => r.pid);
  const before = new Map((await backends()).map((pid) => [pid, procCpuMs(pid)]));
  const node = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(node);
  let server: number | undefined = 0;
  for (const pid of await backends()) {
    const now = procCpuMs(pid);
    if (now === undefined) server = undefined;
    else if (server !== undefined) server += now - (before.get(pid) ?? 0);
  }
  return { result, cpu: { node: (used.user + used.system) / 1000, server } };
}

const rate = (run: Run) => run.rows / (run.ms / 1000);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  const base = url as string;
  const name = `sb_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-import-"));
  const target = new URL(base);
  target.pathname = `/${name}`;

  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    rmSync(dir, { recursive: true, force: true });
    const drop = new pg.Client({ connectionString: base });
    await drop.connect();
    await drop.query(`drop database if exists ${name} with (force)`);
    await drop.end();
  };
  process.once("SIGINT", () => {
    void cleanup().finally(() => process.exit(130));
  });

  const db = await openDatabase({
    url: target.toString(),
    poolSize: 4,
    statementTimeoutMs: 120_000,
  });
  const client = new pg.Client({ connectionString: target.toString() });
  // Watches the benchmark's backends from outside (its own CPU is not counted).
  const watcher = new pg.Client({ connectionString: base });
  try {
    await migrate(db);
    await client.connect();
    await watcher.connect();
    const { rows: version } = await client.query<{ v: string }>(
      "select current_setting('server_version') as v",
    );
    const files: Files = { sat: join(dir, "sat.ndjson"), gre: join(dir, "gre.ndjson") };
    const bytes = await writeFiles(files);
    console.log(
      `PostgreSQL ${version[0]?.v}, ${fmt(COUNT)} questions of 8 types in ${(bytes / 1024 / 1024).toFixed(1)} MiB of NDJSON`,
    );

    const truncate = () => sql`truncate exam_questions`.execute(db.kysely);
    const count = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from exam_questions`.execute(db.kysely))
        .rows[0]?.n ?? 0;
    // Validated rows in memory: the importer service's input.
    const readStart = performance.now();
    const rows = { sat: [] as QuestionRow[], gre: [] as QuestionRow[] };
    for (const bank of ["sat", "gre"] as const)
      for await (const row of readQuestionFile(files[bank], { bank })) rows[bank].push(row);
    const readMs = performance.now() - readStart;
    if (
      rows.sat.length + rows.gre.length !== COUNT ||
      [...rows.sat, ...rows.gre].some((r) => !r.ok)
    )
      throw new Error("the generated files do not read back as valid rows");

    const timed = async (
      label: string,
      work: () => Promise<{ inserted: number; rejected: number }>,
    ): Promise<Run> => {
      await truncate();
      const start = performance.now();
      const { result: report, cpu } = await measured(watcher, name, work);
      const ms = performance.now() - start;
      if (report.inserted !== COUNT || report.rejected !== 0)
        throw new Error(`${label}: ${JSON.stringify(report)}`);
      return { label, ms, rows: COUNT, cpu };
    };
    const importer = (label: string) => timed(label, () => importRows(db, rows));
    const fromFiles = (label: string) => timed(label, () => importFiles(db, files));

    // Warm-up (JIT, caches, the table's first pages), then the COPY input from the importer's rows.
    await importer("warm-up");
    const copyText: Buffer[] = [];
    for await (const chunk of client.query(copyTo(`copy exam_questions (${COLUMNS}) to stdout`)))
      copyText.push(chunk as Buffer);

    const copy = async (label: string): Promise<Run> => {
      await truncate();
      const start = performance.now();
      const { cpu } = await measured(watcher, name, () =>
        pipeline(
          (async function* () {
            yield* copyText;
          })(),
          client.query(copyFrom(`copy exam_questions (${COLUMNS}) from stdin`)),
        ),
      );
      const ms = performance.now() - start;
      const loaded = await count();
      if (loaded !== COUNT) throw new Error(`COPY loaded ${loaded} rows`);
      return { label, ms, rows: COUNT, cpu };
    };

    const runs: Run[] = [];
    runs.push(await importer("importer #1"));
    runs.push(await copy("COPY #1"));
    runs.push(await copy("COPY #2"));
    runs.push(await importer("importer #2"));
    runs.push(await fromFiles("file path #1"));
    runs.push(await fromFiles("file path #2"));
    const perThousand = (ms: number | undefined) =>
      ms === undefined ? "n/a" : `${((ms / COUNT) * 1000).toFixed(0)} ms`;
    for (const run of runs)
      console.log(
        `  ${run.label.padEnd(13)} ${fmt(rate(run)).padStart(9)} rows/s  (${(run.ms / 1000).toFixed(2)} s; CPU per 1,000 rows: node ${perThousand(run.cpu.node)}, PostgreSQL ${perThousand(run.cpu.server)})`,
      );

    // For reference: every row unchanged on the full table.
    const again = performance.now();
    const unchanged = await importRows(db, rows);
    const againMs = performance.now() - again;
    if (unchanged.unchanged !== COUNT) throw new Error(`re-import: ${JSON.stringify(unchanged)}`);

    const mean = (list: readonly Run[], f: (r: Run) => number | undefined) => {
      const values = list.map(f);
      return values.some((v) => v === undefined)
        ? undefined
        : (values as number[]).reduce((a, b) => a + b, 0) / values.length;
    };
    const of = (prefix: string) => runs.filter((r) => r.label.startsWith(prefix));
    const copyRate = mean(of("COPY"), rate) ?? 0;
    const line = (label: string, list: readonly Run[]) => {
      const r = mean(list, rate) ?? 0;
      return `| ${label} | ${fmt(r)} | ${(COUNT / r).toFixed(2)} | node ${perThousand(mean(list, (x) => x.cpu.node))}, PostgreSQL ${perThousand(mean(list, (x) => x.cpu.server))} | ${(r / copyRate).toFixed(2)} |`;
    };
    console.log("");
    console.log("| measure | rows/s | seconds for all | CPU per 1,000 rows | / COPY |");
    console.log("| --- | ---: | ---: | --- | ---: |");
    console.log(
      line("**importer** (`importQuestions`, validated rows), mean of 2", of("importer")),
    );
    console.log(line("raw COPY of the same rows, mean of 2", of("COPY")));
    console.log(
      line("whole file path (NDJSON: read, validate, import), mean of 2", of("file path")),
    );
    console.log(
      `| re-import, all unchanged | ${fmt(COUNT / (againMs / 1000))} | ${(againMs / 1000).toFixed(2)} | | |`,
    );
    console.log(
      `| read + validate only, no database | ${fmt(COUNT / (readMs / 1000))} | ${(readMs / 1000).toFixed(2)} | | |`,
    );
    const ratio = (mean(of("importer"), rate) ?? 0) / copyRate;
    console.log(`\nimporter / COPY = ${ratio.toFixed(2)} (target >= 0.50)`);
    const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    console.log(`load average at the end: ${load} (on ${availableParallelism()} CPUs)`);
  } finally {
    await client.end().catch(() => undefined);
    await watcher.end().catch(() => undefined);
    await db.close();
    await cleanup();
  }
}

await main();
