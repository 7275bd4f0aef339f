import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  importQuestions,
  QuestionFileError,
  type ReadQuestionFileOptions,
  readQuestionFile,
  type SkillBridgeDatabase,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { readAll } from "./support/question-files.js";

// Identity without overwrites, the bank guards, defaults and the hand-made
// shape, through readQuestionFile and importQuestions on both engines.

const file = (text: string, options: ReadQuestionFileOptions) => readQuestionFile([text], options);

describe.each(ENGINES)("question identity and guards on %s", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;

  const stored = async () =>
    (
      await sql<{
        bank: string;
        external_id: string;
        content: unknown;
        explanation: string | null;
      }>`
        select bank, external_id, content, explanation from exam_questions order by bank, external_id`.execute(
        db.kysely,
      )
    ).rows;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
  });
  afterAll(async () => {
    await dispose?.();
  });
  beforeEach(async () => {
    await sql`truncate exam_questions`.execute(db.kysely);
  });

  it("a change to a question the file names is reported as updated with its fields; a dry run shows it first", async () => {
    const gre = { bank: "gre", format: "gift" } as const;
    const first =
      "// [id:speed]\n::Speed:: Speed in m/s? {#10:1 ####Distance over time.}\n\n// [id:pick]\nPick {=a ~b}\n";
    expect(await importQuestions(db, file(first, gre))).toMatchObject({ inserted: 2 });
    const before = await stored();
    const second =
      "// [id:speed]\n::Speed:: Speed in m/s? {#10:5}\n\n// [id:pick]\nPick {=a ~b ~c}\n";
    const dry = await importQuestions(db, file(second, gre), { dryRun: true });
    expect(dry).toEqual({
      inserted: 0,
      updated: 2,
      unchanged: 0,
      rejected: [],
      updates: [
        { index: 0, line: 2, externalId: "speed", fields: ["explanation", "tolerance"] },
        { index: 1, line: 5, externalId: "pick", fields: ["options"] },
      ],
    });
    expect(await stored()).toEqual(before);
    expect(await importQuestions(db, file(second, gre))).toEqual(dry);
    expect((await stored()).find((q) => q.external_id === "speed")).toMatchObject({
      content: { tolerance: 5 },
      explanation: null,
    });
  });

  it("a title or a shared stem never names a question: questions without ids are told apart by content", async () => {
    const aiken = { bank: "sat", format: "aiken" } as const;
    const text =
      "Which of the following is correct?\nA) 1 < 2\nB) 2 < 1\nANSWER: A\n\nWhich of the following is correct?\nA) 3 > 4\nB) 4 > 3\nANSWER: B\n";
    expect(await importQuestions(db, file(text, aiken))).toMatchObject({ inserted: 2 });
    const gift = { bank: "gre", format: "gift" } as const;
    await importQuestions(db, file("::Q1:: Tolerance one {#10:1}\n", gift));
    expect(await importQuestions(db, file("::Q1:: Tolerance one {#10:5}\n", gift))).toMatchObject({
      inserted: 1,
      updated: 0,
    });
    expect(await stored()).toHaveLength(4);
    // The same file again: all unchanged.
    expect(await importQuestions(db, file(text, aiken))).toMatchObject({
      inserted: 0,
      unchanged: 2,
    });
  });

  it("a file meant for the other bank is refused whole with a hint, and nothing is written", async () => {
    const csv = [
      "type,prompt,topic,difficulty,choices,answer",
      "multiple_choice,One?,t,1,1|2,A",
      "multiple_choice,Two?,t,1,1|2,B",
      "grid_in,Three quarters?,t,2,,3/4",
      "grid_in,Half?,t,2,,1/2",
    ].join("\n");
    let thrown: unknown;
    try {
      await importQuestions(db, file(csv, { bank: "gre", format: "csv" }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QuestionFileError);
    expect((thrown as Error).message).toMatch(/this looks like a SAT file: --bank sat/);
    expect(await stored()).toEqual([]);
    expect(await importQuestions(db, file(csv, { bank: "sat", format: "csv" }))).toMatchObject({
      inserted: 4,
      rejected: [],
    });
  });

  it("takes the bank from the file when the file says it", async () => {
    const json = JSON.stringify({
      bank: "gre",
      questions: [
        { prompt: "Two?", topic: "t", difficulty: "easy", choices: ["1", "2"], answer: 1 },
      ],
    });
    expect(await importQuestions(db, file(json, { format: "json" }))).toMatchObject({
      inserted: 1,
    });
    const csv = "bank,prompt,topic,difficulty,choices,answer\nsat,One?,t,hard,1|2,A\n";
    expect(await importQuestions(db, file(csv, { format: "csv" }))).toMatchObject({ inserted: 1 });
    expect((await stored()).map((q) => q.bank)).toEqual(["gre", "sat"]);
    expect(() => file("Q {=1 ~2}\n", { format: "gift" })).toThrow(/--bank sat or --bank gre/);
    await expect(
      readAll(["prompt,answer,choices\nOne?,A,1|2\n"], { format: "csv" }),
    ).rejects.toThrow(/does not say which bank/);
  });

  it("fills topic, difficulty and section from defaults where rows do not say", async () => {
    const csv = "prompt,choices,answer\nTen times two?,(A) 10|(B) 20,1\n";
    const [row] = await readAll([csv], {
      bank: "sat",
      format: "csv",
      defaults: { topic: "warm-up", difficulty: "medium", section: "math" },
    });
    expect(row?.ok && row.question).toMatchObject({
      topic: "warm-up",
      difficulty: 3,
      section: "math",
      options: [
        { id: "A", text: "10" },
        { id: "B", text: "20" },
      ],
      answer: "B",
    });
    // "1" is also a choice's text here: the reader refuses to guess.
    const [ambiguous] = await readAll(
      ["prompt,choices,answer,topic,difficulty\nOne?,1|2,1,t,1\n"],
      {
        bank: "sat",
        format: "csv",
      },
    );
    expect(ambiguous?.ok === false && ambiguous.errors[0]?.message).toMatch(/could be choice B/);
    expect(() =>
      readQuestionFile([csv], { bank: "sat", format: "csv", defaults: { section: "verbal" } }),
    ).toThrow(/SAT bank's sections are reading_writing, math; not verbal/);
    expect(() =>
      readQuestionFile([csv], { bank: "sat", format: "csv", defaults: { difficulty: "tough" } }),
    ).toThrow(/default difficulty must be 1-5 or easy, medium, hard/);
  });

  it("checks that someone can enter a SAT grid-in's answer", async () => {
    const sat = { bank: "sat", format: "gift" } as const;
    const report = await importQuestions(
      db,
      file(
        "Big {#123456}\n\nNegative {#-12345}\n\nThird {=1/3}\n\nLong decimal {#0.123456}\n",
        sat,
      ),
    );
    // -12345 fits (six with the sign); 1/3 and 0.123456 fit as .3333 and .1234.
    expect(report.inserted).toBe(3);
    expect(report.rejected.map((r) => [r.line, r.errors[0]?.message])).toEqual([
      [1, expect.stringMatching(/No one can enter "123456" in a grid-in/)],
    ]);
  });
});
