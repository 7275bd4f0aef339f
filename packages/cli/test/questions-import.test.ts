import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { questionsImport } from "../src/commands/questions/import.js";
import { main } from "../src/main.js";
import { type EmbeddedWorld, ENGINES, embeddedWorld, testIO } from "./support/cli-session.js";

// `skillbridge questions import` on the embedded mode over each engine: the
// file is read and validated locally, sent in batches through the SDK, and the
// report is the file's, with the source line of every rejected row.

const samples = join(import.meta.dirname, "../../../examples/question-banks");

describe.each(ENGINES)("skillbridge questions import on %s", (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli questions import");
  let world: EmbeddedWorld;
  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  it("imports every sample format, and a re-import reports everything unchanged", async () => {
    const session = world.session();
    try {
      for (const file of [
        "sat.json",
        "sat.ndjson",
        "sat.csv",
        "sat.gift",
        "sat.aiken",
        "gre.json",
        "gre.csv",
      ]) {
        const first = await questionsImport(session, join(samples, file), {
          bank: file.slice(0, 3),
        });
        expect(first.data.rejected, file).toEqual([]);
        expect(first.data.rows, file).toBeGreaterThan(0);
        expect(first.data.inserted + first.data.unchanged + first.data.updated, file).toBe(
          first.data.rows,
        );
        const again = await questionsImport(session, join(samples, file), {
          bank: file.slice(0, 3),
        });
        expect(again.data, file).toMatchObject({
          inserted: 0,
          updated: 0,
          unchanged: first.data.rows,
        });
        expect(again.exitCode).toBe(0);
      }
    } finally {
      await session.close();
    }
  });

  it("a rejected row is reported with its line and exit 1; --strict and --dry-run write nothing", async () => {
    const file = join(world.env.HOME ?? "", "mixed.ndjson");
    const good = {
      externalId: "cli-good-1",
      type: "grid_in",
      prompt: "What is 2 + 5?",
      topic: "arithmetic",
      difficulty: 1,
      answer: ["7"],
    };
    const bad = {
      externalId: "cli-bad-1",
      type: "grid_in",
      prompt: "What is 2 + 6?",
      topic: "arithmetic",
      difficulty: 9,
      answer: ["8"],
    };
    writeFileSync(file, `${JSON.stringify(good)}\n${JSON.stringify(bad)}\n`);
    const session = world.session();
    try {
      const strict = await questionsImport(session, file, { bank: "sat", strict: true });
      expect(strict.data).toMatchObject({ inserted: 0, rows: 2 });
      expect(strict.data.rejected).toEqual([
        expect.objectContaining({ line: 2, externalId: "cli-bad-1" }),
      ]);
      expect(strict.exitCode).toBe(1);

      const dry = await questionsImport(session, file, { bank: "sat", dryRun: true });
      expect(dry.data).toMatchObject({ inserted: 1, dryRun: true });
      const { client } = await session.connect();
      expect(
        (await client.questions.list({ limit: 100 }).firstPage()).data.map((q) => q.externalId),
      ).not.toContain("cli-good-1");

      const real = await questionsImport(session, file, { bank: "sat" });
      expect(real.data).toMatchObject({ inserted: 1, updated: 0, unchanged: 0 });
      expect(real.data.rejected.map((r) => r.line)).toEqual([2]);
      // The rejection table a person sees: line, externalId and the field's message.
      expect(real.view).toMatchObject({
        kind: "summary",
        table: {
          rows: [
            { line: "2", externalId: "cli-bad-1", errors: expect.stringMatching(/^difficulty: /) },
          ],
        },
      });
      expect(real.exitCode).toBe(1);
      expect(
        (await client.questions.list({ limit: 100 }).firstPage()).data.map((q) => q.externalId),
      ).toContain("cli-good-1");
    } finally {
      await session.close();
    }
  });

  it("through main: a bad file is one line and exit 1; a file that names no bank, without --bank, names the flag", async () => {
    const file = join(world.env.HOME ?? "", "broken.csv");
    writeFileSync(file, 'externalId,type,prompt\n"unclosed,grid_in,What\n');
    const io = testIO(world.env);
    expect(
      await main(["node", "skillbridge", "questions", "import", file, "--bank", "sat"], io),
    ).toBe(1);
    expect(io.err()).toMatch(/^Error: .*broken\.csv: /);
    expect(io.err().trim().split("\n")).toHaveLength(1);

    const unnamed = join(world.env.HOME ?? "", "unnamed.csv");
    writeFileSync(unnamed, "prompt,topic,difficulty,choices,answer\nOne?,t,1,1|2,B\n");
    const missing = testIO(world.env);
    expect(await main(["node", "skillbridge", "questions", "import", unnamed], missing)).toBe(1);
    expect(missing.err()).toMatch(/^Error: .*does not say which bank .*--bank sat or --bank gre/);
  });

  it("through main: a file whose format its name and first lines cannot tell, or that is in another format, names --format", async () => {
    const home = world.env.HOME ?? "";
    const run = async (...args: string[]) => {
      const io = testIO(world.env);
      const code = await main(["node", "skillbridge", "questions", "import", ...args], io);
      return { code, err: io.err() };
    };
    const text = join(home, "small.txt");
    writeFileSync(text, "What is 2 + 2?\nA) 3\nB) 4\nANSWER: B\n");
    const unknown = await run(text, "--bank", "sat");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(
      /^Error: Cannot tell the format of ".*small\.txt" from its extension \(\.txt\) or its first lines: pass --format, one of json, ndjson, csv, gift, aiken, xml\.\n$/,
    );
    // The same file named: Aiken, imported.
    expect((await run(text, "--bank", "sat", "--format", "aiken")).code).toBe(0);

    // JSON in a file named .csv: read as CSV, and the error says so and how to name another.
    const json = join(home, "bank.csv");
    writeFileSync(json, '{ "questions": [] }\n');
    const misnamed = await run(json, "--bank", "sat");
    expect(misnamed.code).toBe(1);
    expect(misnamed.err).toMatch(/Read as csv \(from its extension; --format names another\)/);
    // CSV read as JSON because --format said so: the error names the flag it came from.
    const rows = join(home, "rows.dat");
    writeFileSync(rows, "prompt,topic,difficulty\nOne?,t,1\n");
    const forced = await run(rows, "--bank", "sat", "--format", "json");
    expect(forced.code).toBe(1);
    expect(forced.err).toMatch(/Read as json \(--format\)/);
  });
});
