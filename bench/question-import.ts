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
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
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
import { main as cli } from "skillbridge";
import { type CpuSpent, measured } from "./support/cpu-usage.js";
import { createScratchDatabase, requireDatabaseUrl } from "./support/scratch-database.js";

const COLUMNS =
  "bank, external_id, type, topic, standard_id, difficulty, prompt, passage, explanation, content, answer, tags, content_hash";

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
async function writeFiles(files: Files, COUNT: number): Promise<number> {
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
  BATCH: number,
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
  BATCH: number,
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

/**
 * `skillbridge questions import FILE --bank B --json` for both files, run in
 * this process through the CLI's own `main` in embedded mode over the scratch
 * database (`DATABASE_URL`): start-up, migrations check, the embedded server,
 * reading, validating and writing through core's importer, the report.
 */
async function importThroughCli(
  url: string,
  files: Files,
  dir: string,
): Promise<{ inserted: number; unchanged: number; rejected: number }> {
  let inserted = 0;
  let unchanged = 0;
  let rejected = 0;
  for (const bank of ["sat", "gre"] as const) {
    let out = "";
    const stdout = new PassThrough();
    stdout.on("data", (chunk) => {
      out += chunk;
    });
    const stderr = new PassThrough();
    stderr.resume();
    const stdin = new PassThrough();
    stdin.end();
    const env = {
      DATABASE_URL: url,
      SKILLBRIDGE_DATA_DIR: join(dir, "cli-data"),
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, "cli-config"),
      CI: "true",
    };
    const code = await cli(
      ["node", "skillbridge", "questions", "import", files[bank], "--bank", bank, "--json"],
      { stdout, stderr, stdin, env },
    );
    if (code !== 0) throw new Error(`skillbridge questions import exited ${code}`);
    const report = JSON.parse(out) as { inserted: number; unchanged: number; rejected: unknown[] };
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
  readonly cpu: CpuSpent;
}

const rate = (run: Run) => run.rows / (run.ms / 1000);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The figures of one run (rates in rows per second, CPU in ms per 1,000 rows). */
export interface ImportFigures {
  readonly questions: number;
  readonly batch: number;
  /** The importer over validated rows (mean of 2). */
  readonly questionsPerSec: number;
  /** Raw COPY of the same rows (mean of 2). */
  readonly copyRowsPerSec: number;
  /** questionsPerSec / copyRowsPerSec. */
  readonly ratio: number;
  /** The whole file path: read, validate, import (mean of 2). */
  readonly filePathRowsPerSec: number;
  /** filePathRowsPerSec / copyRowsPerSec: what a `questions import` of a file gets of COPY's rate. */
  readonly fileRatio: number;
  /** `skillbridge questions import` end to end (embedded mode over the database), questions per second. */
  readonly cliRowsPerSec: number;
  readonly reimportRowsPerSec: number;
  readonly readValidateRowsPerSec: number;
  readonly cpuPerThousand: {
    readonly importerNodeMs: number;
    readonly importerPostgresMs: number | undefined;
    readonly copyPostgresMs: number | undefined;
  };
}

/**
 * Runs the whole import benchmark in a scratch database on the server of
 * `url` (created and dropped here) and returns its figures; `log` gets the
 * lines it prints.
 *
 * @example
 * const figures = await runImportBench({ url: process.env.DATABASE_URL!, count: 20_000 });
 */
export async function runImportBench(options: {
  readonly url: string;
  readonly count?: number;
  readonly batch?: number;
  readonly log?: (line: string) => void;
}): Promise<ImportFigures> {
  const COUNT = options.count ?? 100_000;
  /** Questions per transaction in the importer (its default is 1,000). */
  const BATCH = options.batch ?? 1_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const base = options.url;
  const scratch = await createScratchDatabase(base);
  const name = scratch.name;
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-import-"));

  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    rmSync(dir, { recursive: true, force: true });
    await scratch.drop();
  };

  const db = await openDatabase({
    url: scratch.url,
    poolSize: 4,
    statementTimeoutMs: 120_000,
  });
  const client = new pg.Client({ connectionString: scratch.url });
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
    const bytes = await writeFiles(files, COUNT);
    log(
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
    const importer = (label: string) => timed(label, () => importRows(db, rows, BATCH));
    const fromFiles = (label: string) => timed(label, () => importFiles(db, files, BATCH));

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
    runs.push(await timed("CLI import", () => importThroughCli(scratch.url, files, dir)));
    const perThousand = (ms: number | undefined) =>
      ms === undefined ? "n/a" : `${((ms / COUNT) * 1000).toFixed(0)} ms`;
    for (const run of runs)
      log(
        `  ${run.label.padEnd(13)} ${fmt(rate(run)).padStart(9)} rows/s  (${(run.ms / 1000).toFixed(2)} s; CPU per 1,000 rows: node ${perThousand(run.cpu.node)}, PostgreSQL ${perThousand(run.cpu.server)})`,
      );

    // For reference: every row unchanged on the full table.
    const again = performance.now();
    const unchanged = await importRows(db, rows, BATCH);
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
    log("");
    log("| measure | rows/s | seconds for all | CPU per 1,000 rows | / COPY |");
    log("| --- | ---: | ---: | --- | ---: |");
    log(line("**importer** (`importQuestions`, validated rows), mean of 2", of("importer")));
    log(line("raw COPY of the same rows, mean of 2", of("COPY")));
    log(line("whole file path (NDJSON: read, validate, import), mean of 2", of("file path")));
    log(
      line("`skillbridge questions import` end to end (embedded, DATABASE_URL)", of("CLI import")),
    );
    log(
      `| re-import, all unchanged | ${fmt(COUNT / (againMs / 1000))} | ${(againMs / 1000).toFixed(2)} | | |`,
    );
    log(
      `| read + validate only, no database | ${fmt(COUNT / (readMs / 1000))} | ${(readMs / 1000).toFixed(2)} | | |`,
    );
    const ratio = (mean(of("importer"), rate) ?? 0) / copyRate;
    log(`\nimporter / COPY = ${ratio.toFixed(2)} (target >= 0.50)`);
    log(
      `whole file path / COPY = ${((mean(of("file path"), rate) ?? 0) / copyRate).toFixed(2)} (import.fileRatio, target >= 0.50)`,
    );
    const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    log(`load average at the end: ${load} (on ${availableParallelism()} CPUs)`);
    const cpuOf = (list: readonly Run[], f: (r: Run) => number | undefined) => {
      const ms = mean(list, f);
      return ms === undefined ? undefined : (ms / COUNT) * 1000;
    };
    return {
      questions: COUNT,
      batch: BATCH,
      questionsPerSec: mean(of("importer"), rate) ?? 0,
      copyRowsPerSec: copyRate,
      ratio,
      filePathRowsPerSec: mean(of("file path"), rate) ?? 0,
      fileRatio: (mean(of("file path"), rate) ?? 0) / copyRate,
      cliRowsPerSec: mean(of("CLI import"), rate) ?? 0,
      reimportRowsPerSec: COUNT / (againMs / 1000),
      readValidateRowsPerSec: COUNT / (readMs / 1000),
      cpuPerThousand: {
        importerNodeMs: cpuOf(of("importer"), (r) => r.cpu.node) ?? 0,
        importerPostgresMs: cpuOf(of("importer"), (r) => r.cpu.server),
        copyPostgresMs: cpuOf(of("COPY"), (r) => r.cpu.server),
      },
    };
  } finally {
    await client.end().catch(() => undefined);
    await watcher.end().catch(() => undefined);
    await db.close();
    await cleanup();
  }
}

// Run as a script (npm run bench:import), not when imported by `npm run bench`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = requireDatabaseUrl("bench:import");
  await runImportBench({
    url,
    count: Number(process.env.BENCH_QUESTIONS ?? 100_000),
    batch: Number(process.env.BENCH_BATCH ?? 1_000),
  });
}
