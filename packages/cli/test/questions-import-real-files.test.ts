import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { main } from "../src/main.js";
import {
  type EmbeddedWorld,
  ENGINES,
  embeddedWorld,
  runCli,
  testIO,
} from "./support/cli-session.js";

// `skillbridge questions import` with files as content teams write them: the
// bank guard, the bank taken from the file, defaults from flags, the
// hand-made shape, and a dry run that names what an update would change.

describe.each(ENGINES)("skillbridge questions import, real files, on %s", (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli questions import real files");
  let world: EmbeddedWorld;
  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  const write = (name: string, text: string) => {
    const path = join(world.env.HOME ?? "", name);
    writeFileSync(path, text);
    return path;
  };
  const run = async (...args: string[]) => {
    const io = testIO(world.env);
    const code = await main(["node", "skillbridge", "questions", "import", ...args], io);
    return { code, out: io.out(), err: io.err() };
  };

  it("refuses a SAT file sent to the GRE bank with a hint, writing nothing", async () => {
    const sat = write(
      "sat.csv",
      [
        "type,prompt,topic,difficulty,choices,answer",
        "multiple_choice,One?,t,1,1|2,A",
        "grid_in,Three quarters?,t,2,,3/4",
        "grid_in,Half?,t,2,,1/2",
      ].join("\n"),
    );
    const wrong = await run(sat, "--bank", "gre");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^Error: .*this looks like a SAT file: --bank sat/);
    expect(wrong.err.trim().split("\n")).toHaveLength(1);
    const right = await run(sat, "--bank", "sat", "--json");
    expect(right.code).toBe(0);
    expect(JSON.parse(right.out)).toMatchObject({ bank: "sat", inserted: 3, rejected: [] });
  });

  it("takes the bank from the file, defaults from --topic and --difficulty, and the hand-made shape", async () => {
    const json = write(
      "hand.json",
      JSON.stringify({
        bank: "gre",
        questions: [
          { prompt: "2 + 2?", choices: ["(A) 3", "(B) 4", "(C) 5"], answer: 1 },
          { prompt: "3 + 3?", choices: ["5", "6"], answer: "B", difficulty: "hard" },
          { prompt: "4 + 4?\n(A) 8\n(B) 9", answer: "a" },
        ],
      }),
    );
    const first = await run(json, "--topic", "arithmetic", "--difficulty", "easy", "--json");
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out)).toMatchObject({ bank: "gre", inserted: 3, rejected: [] });
    const again = await run(json, "--topic", "arithmetic", "--difficulty", "easy", "--json");
    expect(JSON.parse(again.out)).toMatchObject({ inserted: 0, unchanged: 3 });
    const shown = await runCli(["questions", "list", "--bank", "gre", "--json"], world.env);
    expect(JSON.parse(shown.out)).toContainEqual(
      expect.objectContaining({
        prompt: "4 + 4?",
        options: [
          { id: "A", text: "8" },
          { id: "B", text: "9" },
        ],
        answer: "A",
      }),
    );
    // A changed default is a change to the same questions (their ids come from the content).
    const moved = await run(json, "--topic", "sums", "--difficulty", "easy", "--dry-run");
    expect(moved.code).toBe(0);
    expect(moved.out).toMatch(/would update line \d+ q-[0-9a-f]{20}: topic/);
  });

  it("a dry run names each question an import would change and what changes in it", async () => {
    const gift = write(
      "speed.gift",
      "// [id:speed]\nSpeed in m/s? {#10:1 ####Distance over time.}\n",
    );
    expect((await run(gift, "--bank", "gre")).code).toBe(0);
    write("speed.gift", "// [id:speed]\nSpeed in m/s? {#10:5}\n");
    const dry = await run(gift, "--bank", "gre", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/would update line 2 speed: explanation, tolerance/);
    const json = await run(gift, "--bank", "gre", "--dry-run", "--json");
    expect(JSON.parse(json.out).updates).toEqual([
      { index: 0, line: 2, externalId: "speed", fields: ["explanation", "tolerance"] },
    ]);
  });
});
