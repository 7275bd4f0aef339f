import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE_WASM } from "../../../test/support/baseline-wasm.js";
import { importQuestions, openDatabase, type SkillBridgeDatabase } from "../src/index.js";
import { createScratchDatabase, ENGINES, seedDataDir } from "./support/engines.js";
import { generatedRows } from "./support/generated-questions.js";

// A real kill: a separate process imports 5,000 questions in batches of 50
// and is sent SIGKILL once it reports its second committed batch, with the
// next batch in flight. What it leaves must be whole batches only, and
// importing again must finish the job without a duplicate.

const TOTAL = 5_000;
const BATCH = 50;
const root = join(import.meta.dirname, "../../..");

function runChild(env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    [...BASELINE_WASM, "--import", "tsx", "packages/core/test/support/import-child.ts"],
    {
      cwd: root,
      env: { ...process.env, SB_CHILD_COUNT: String(TOTAL), SB_CHILD_BATCH: String(BATCH), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
}

/** Kills the child with SIGKILL as soon as it reports `batches` committed batches. */
function killAfter(
  child: ChildProcess,
  batches: number,
): Promise<{ killedAt: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let out = "";
    let stderr = "";
    let killedAt = "";
    const timer = setTimeout(
      () => reject(new Error(`child never reported batch ${batches}: ${stderr}`)),
      90_000,
    );
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (!killedAt && out.includes(`batch ${batches}\n`)) {
        killedAt = out.trim().split("\n").at(-1) ?? "";
        child.kill("SIGKILL");
      }
    });
    child.on("close", (_code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL")
        reject(new Error(`child ended without being killed: ${out} ${stderr}`));
      else resolve({ killedAt, stderr });
    });
  });
}

const count = async (db: SkillBridgeDatabase) =>
  (await sql<{ n: number }>`select count(*)::int as n from exam_questions`.execute(db.kysely))
    .rows[0]?.n ?? 0;

async function expectWholeBatchesThenFinish(db: SkillBridgeDatabase): Promise<void> {
  const left = await count(db);
  expect(left % BATCH, `${left} rows is not a whole number of batches`).toBe(0);
  expect(left).toBeGreaterThanOrEqual(2 * BATCH);
  expect(left).toBeLessThan(TOTAL);
  const report = await importQuestions(db, generatedRows(TOTAL), { batchSize: 500 });
  expect(report).toEqual({ inserted: TOTAL - left, updated: 0, unchanged: left, rejected: [] });
  expect(await count(db)).toBe(TOTAL);
}

describe.each(ENGINES)("an import killed part-way on %s", (engine) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("leaves whole batches only, and running it again finishes it", async () => {
    if (engine === "pglite") {
      const dataDir = mkdtempSync(join(tmpdir(), "sb-kill-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      await seedDataDir(dataDir, { migrated: true }); // a copy of the run's migrated data dir
      const { killedAt } = await killAfter(runChild({ SB_CHILD_DATA_DIR: dataDir }), 2);
      expect(killedAt).toMatch(/^batch \d+$/);
      // The files the killed process left behind, opened as after a crash.
      const db = await openDatabase({ dataDir });
      cleanups.push(() => db.close());
      await expectWholeBatchesThenFinish(db);
      return;
    }
    // A migrated copy of the run's template (support/engines.ts), dropped after the test.
    const scratch = await createScratchDatabase({ migrated: true });
    cleanups.push(() => scratch.drop());
    const db = await openDatabase({ url: scratch.url, poolSize: 2 });
    cleanups.push(() => db.close());
    await killAfter(runChild({ SB_CHILD_DATABASE_URL: scratch.url }), 2);
    await expectWholeBatchesThenFinish(db);
  });
});
