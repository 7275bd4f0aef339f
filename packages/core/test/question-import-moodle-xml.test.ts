import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  importQuestions,
  readQuestionFile,
  type SkillBridgeDatabase,
  withPlatform,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";

// Moodle XML files into the bank on both engines (#20): the text format is
// stored with each question, HTML arrives sanitised with its images inline,
// and a re-import of the same file changes nothing.

const SAMPLES = join(import.meta.dirname, "../../../examples/question-banks");

describe.each(ENGINES)("Moodle XML import on %s", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
  });
  afterAll(async () => {
    await dispose?.();
  });
  beforeEach(async () => {
    await sql`truncate exam_questions`.execute(db.kysely);
  });

  const stored = async () =>
    (
      await sql<{
        external_id: string;
        type: string;
        topic: string;
        format: string;
        prompt: string;
        explanation: string | null;
        tags: string[];
      }>`select external_id, type, topic, format, prompt, explanation, tags
         from exam_questions order by external_id`.execute(db.kysely)
    ).rows;

  it("imports the SAT sample with formats, topics from categories and images as data URIs", async () => {
    const report = await importQuestions(
      db,
      readQuestionFile(join(SAMPLES, "sat.xml"), { bank: "sat" }),
    );
    expect(report).toEqual({ inserted: 4, updated: 0, unchanged: 0, rejected: [] });
    const rows = await stored();
    expect(rows.map((r) => [r.external_id, r.type, r.topic, r.format])).toEqual([
      ["sat-xml-half", "grid_in", "Arithmetic", "markdown"],
      ["sat-xml-parallel", "multiple_choice", "Linear equations", "plain"],
      ["sat-xml-slope-graph", "multiple_choice", "Linear equations", "html"],
      ["sat-xml-solve-x", "grid_in", "Arithmetic", "plain"],
    ]);
    const slope = rows.find((r) => r.external_id === "sat-xml-slope-graph");
    expect(slope?.prompt).toMatch(/^<p>The line in the graph/);
    expect(slope?.prompt).toContain('<img src="data:image/png;base64,iVBORw0KGgo');
    expect(slope?.prompt).not.toMatch(/style=|class=|@@PLUGINFILE@@/);
    expect(slope?.explanation).toBe("<p>Slope = (5 − 1) / (2 − 0) = <strong>2</strong>.</p>");
    expect(slope?.tags).toEqual(["graphs", "slope"]);

    const again = await importQuestions(
      db,
      readQuestionFile(join(SAMPLES, "sat.xml"), { bank: "sat" }),
    );
    expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 4, rejected: [] });
  });

  it("serves the format in the bank's full and learner views", async () => {
    await importQuestions(db, readQuestionFile(join(SAMPLES, "gre.xml"), { bank: "gre" }));
    const services = fastServices();
    const page = await withPlatform(db, (trx) =>
      services.questions.list(trx, "learner", { bank: "gre", limit: 10 }),
    );
    const formats = page.data.map((q) => [q.externalId, q.format]);
    expect(formats.sort()).toEqual([
      ["gre-xml-primes", "html"],
      ["gre-xml-root-two", "html"],
      ["gre-xml-three-quarters", "plain"],
    ]);
    expect(page.data[0]).not.toHaveProperty("answer");
  });

  it("a changed format alone is an update; a question with no format is the plain one", async () => {
    const xml = (format: string) =>
      `<?xml version="1.0"?><quiz><question type="truefalse"><questiontext format="${format}"><text>Is 2 even?</text></questiontext><idnumber>fmt-switch</idnumber><answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>`;
    const first = await importQuestions(
      db,
      readQuestionFile([xml("plain_text")], { bank: "gre", format: "xml" }),
    );
    expect(first.inserted).toBe(1);
    const plainHash = (
      await sql<{ content_hash: string }>`select content_hash from exam_questions`.execute(
        db.kysely,
      )
    ).rows[0]?.content_hash;
    // The same question through JSON, with no format at all, is the same stored question.
    const json = JSON.stringify({
      questions: [
        {
          externalId: "fmt-switch",
          type: "multiple_choice",
          prompt: "Is 2 even?",
          topic: "general",
          difficulty: 3,
          options: [
            { id: "A", text: "True" },
            { id: "B", text: "False" },
          ],
          answer: "A",
        },
      ],
    });
    expect(
      await importQuestions(db, readQuestionFile([json], { bank: "gre", format: "json" })),
    ).toMatchObject({ unchanged: 1 });
    const html = await importQuestions(
      db,
      readQuestionFile([xml("html")], { bank: "gre", format: "xml" }),
    );
    expect(html).toMatchObject({ inserted: 0, updated: 1 });
    const after = (
      await sql<{
        content_hash: string;
        format: string;
      }>`select content_hash, format from exam_questions`.execute(db.kysely)
    ).rows[0];
    expect(after?.format).toBe("html");
    expect(after?.content_hash).not.toBe(plainHash);
  });

  it("the database refuses a format outside plain, markdown and html", async () => {
    await importQuestions(db, readQuestionFile(join(SAMPLES, "gre.xml"), { bank: "gre" }));
    await expect(sql`update exam_questions set format = 'rtf'`.execute(db.kysely)).rejects.toThrow(
      /exam_questions_format_check/,
    );
  });
});
