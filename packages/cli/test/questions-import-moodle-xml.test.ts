import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { main } from "../src/main.js";
import { type EmbeddedWorld, ENGINES, embeddedWorld, testIO } from "./support/cli-session.js";

// `skillbridge questions import file.xml` (#20): a Moodle XML export imports
// through the CLI like any other format, its unsupported questions reported
// by line, and the bank serves its questions sanitised with their format.

const samples = join(import.meta.dirname, "../../../examples/question-banks");

const withUnsupported = `<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/SAT/Ratios</text></category></question>
  <question type="multichoice">
    <questiontext format="html"><text><![CDATA[<p>2 : 4 is the same ratio as?<script>steal()</script></p>]]></text></questiontext>
    <idnumber>cli-xml-ratio</idnumber>
    <answer fraction="100" format="html"><text>1 : 2</text></answer>
    <answer fraction="0" format="html"><text>2 : 1</text></answer>
  </question>
  <question type="essay">
    <questiontext format="html"><text>Explain ratios.</text></questiontext>
  </question>
</quiz>
`;

describe.each(ENGINES)("skillbridge questions import of Moodle XML on %s", (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli questions import moodle xml");
  let world: EmbeddedWorld;
  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  it("imports a .xml file by its extension; a re-import is all unchanged", async () => {
    const file = join(world.env.HOME ?? "", "sat.xml");
    copyFileSync(join(samples, "sat.xml"), file);
    const first = testIO(world.env);
    const argv = ["node", "skillbridge", "questions", "import", file, "--bank", "sat", "--json"];
    expect(await main(argv, first), first.err()).toBe(0);
    expect(JSON.parse(first.out())).toMatchObject({ inserted: 4, rejected: [], rows: 4 });
    const again = testIO(world.env);
    expect(await main(argv, again)).toBe(0);
    expect(JSON.parse(again.out())).toMatchObject({ inserted: 0, unchanged: 4, updated: 0 });
  });

  it("reports an unsupported question by line with exit 1, imports the rest sanitised", async () => {
    // A .txt name: the content says it is Moodle XML.
    const file = join(world.env.HOME ?? "", "export.txt");
    writeFileSync(file, withUnsupported);
    const io = testIO(world.env);
    expect(
      await main(
        ["node", "skillbridge", "questions", "import", file, "--bank", "sat", "--json"],
        io,
      ),
    ).toBe(1);
    const report = JSON.parse(io.out());
    expect(report).toMatchObject({ inserted: 1, rows: 2 });
    expect(report.rejected).toEqual([
      expect.objectContaining({
        line: 10,
        errors: [expect.objectContaining({ message: expect.stringMatching(/^Essay questions/) })],
      }),
    ]);
    const session = world.session();
    try {
      const { client } = await session.connect();
      const page = await client.questions.list({ bank: "sat", limit: 10 }).firstPage();
      expect(page.data.map((q) => [q.externalId, q.format, q.topic, q.prompt])).toEqual([
        ["cli-xml-ratio", "html", "Ratios", "<p>2 : 4 is the same ratio as?</p>"],
      ]);
    } finally {
      await session.close();
    }
  });
});
