import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reliabilityEnv } from "./support/env.js";
import { createScratchDatabase, type ScratchDatabase } from "./support/scratch-database.js";
import { createTally } from "./support/tally.js";

// An import killed part-way (SIGKILL of the `skillbridge questions import`
// process, the client and its embedded server together) must leave whole
// batches only, and the same command run again must end with exactly the
// file's rows: none lost, none doubled, none half-written.

const env = reliabilityEnv();
const tally = createTally("faults-import");
afterAll(() => tally.save());

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "packages/cli/bin/skillbridge.js");
const QUESTIONS = 20_000;
const CLIENT_BATCH = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("an import killed part-way", () => {
  let scratch: ScratchDatabase;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    scratch = await createScratchDatabase(env.databaseUrl, { prefix: "sb_rel_import" });
    dir = mkdtempSync(join(tmpdir(), "skillbridge-import-kill-"));
    file = join(dir, "bank.ndjson");
    const lines: string[] = [];
    for (let i = 0; i < QUESTIONS; i++) {
      lines.push(
        JSON.stringify({
          externalId: `kill-${i}`,
          type: "grid_in",
          prompt: `What is ${i} + 1?`,
          topic: `topic-${i % 17}`,
          difficulty: (i % 5) + 1,
          answer: [String(i + 1)],
        }),
      );
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
  });
  afterAll(async () => {
    await scratch?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const importer = () =>
    spawn(process.execPath, [bin, "--json", "questions", "import", file, "--bank", "sat"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        CI: "true",
        DATABASE_URL: scratch.url,
        SKILLBRIDGE_DATA_DIR: join(dir, "data"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });

  const count = async () =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from exam_questions where bank = 'sat'`.execute(
        scratch.db.kysely,
      )
    ).rows[0]?.n ?? 0;

  it("leaves whole batches, and a re-run ends with exactly the file's rows", async () => {
    const first = importer();
    const exited = new Promise<number | null>((resolve) => first.once("exit", resolve));
    let killedAt = -1;
    for (let i = 0; i < 1200 && killedAt < 0; i++) {
      const n = await count();
      if (n >= CLIENT_BATCH * 2) {
        first.kill("SIGKILL");
        killedAt = n;
      }
      await sleep(25);
    }
    await exited;
    expect(killedAt, "the import finished before it could be killed").toBeGreaterThan(0);
    const afterKill = await count();
    expect(afterKill).toBeLessThan(QUESTIONS);
    // Each request is one transaction of a whole client batch.
    expect(afterKill % CLIENT_BATCH).toBe(0);

    const second = importer();
    let out = "";
    second.stdout.on("data", (chunk) => {
      out += chunk;
    });
    const code = await new Promise<number | null>((resolve) => second.once("exit", resolve));
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      inserted: QUESTIONS - afterKill,
      unchanged: afterKill,
      updated: 0,
      rejected: [],
    });

    const rows = await sql<{ external_id: string; prompt: string }>`
      select external_id, prompt from exam_questions where bank = 'sat'`.execute(scratch.db.kysely);
    const got = new Map(rows.rows.map((r) => [r.external_id, r.prompt]));
    const missing: string[] = [];
    for (let i = 0; i < QUESTIONS; i++) {
      if (got.get(`kill-${i}`) !== `What is ${i} + 1?`) missing.push(`kill-${i}`);
    }
    expect(rows.rows.length).toBe(QUESTIONS);
    expect(missing).toEqual([]);
    tally.faults += 1;
    tally.lost += missing.length;
    tally.note(
      `import SIGKILL: killed at ${afterKill} of ${QUESTIONS} rows (whole batches), re-run inserted ${report.inserted}, left ${report.unchanged} unchanged; ${missing.length} missing`,
    );
  });
});
