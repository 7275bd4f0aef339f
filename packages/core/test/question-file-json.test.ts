import { describe, expect, it } from "vitest";
import {
  chunks,
  fileError,
  firstRowBeforeTail,
  readAll,
  summary,
} from "./support/question-files.js";
import { greQuestions } from "./support/questions.js";

// The canonical JSON file, { "questions": [...] }, read as a stream.

const gre = { bank: "gre", format: "json" } as const;
const file = (questions: unknown[], extra = "") =>
  `{${extra}\n  "questions": [\n${questions.map((q) => `    ${JSON.stringify(q)}`).join(",\n")}\n  ]\n}\n`;

describe("JSON question files", () => {
  it("yields each question with its index and the line its object starts on", async () => {
    const rows = await readAll([file(greQuestions().slice(0, 3))], gre);
    expect(summary(rows)).toEqual([
      [3, "gre-mc", "ok"],
      [4, "gre-ms", "ok"],
      [5, "gre-qc", "ok"],
    ]);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it("reads the same rows whatever the chunk boundaries (even inside strings and escapes)", async () => {
    const questions = greQuestions().map((q) => ({
      ...q,
      prompt: `${q.prompt} "quoted" {braces} [brackets] \\ é ✓`,
    }));
    const text = JSON.stringify({ questions }, null, 2);
    const whole = await readAll([text], gre);
    expect(whole.every((r) => r.ok)).toBe(true);
    for (const size of [1, 3, 7, 64]) expect(await readAll(chunks(text, size), gre)).toEqual(whole);
  });

  it("streams: the first question arrives before the rest of the file is read", async () => {
    const [a, b] = greQuestions();
    const { firstArrivedBeforeTail, rows } = await firstRowBeforeTail(
      `{"questions": [\n${JSON.stringify(a)},\n`,
      `${JSON.stringify(b)}\n]}\n`,
      gre,
    );
    expect(firstArrivedBeforeTail).toBe(true);
    expect(summary(rows)).toEqual([
      [2, "gre-mc", "ok"],
      [3, "gre-ms", "ok"],
    ]);
  });

  it("a multi-line question is found on its first line", async () => {
    const text = JSON.stringify({ questions: greQuestions().slice(0, 2) }, null, 2);
    const rows = await readAll([text], gre);
    const lines = text.split("\n");
    for (const row of rows) expect(lines[row.line - 1]?.trim()).toBe("{");
    expect(lines[rows[1]?.line ?? 0]).toContain('"externalId": "gre-ms"');
  });

  it("rejects a question that is not valid JSON alone and reads on", async () => {
    const [a, b] = greQuestions();
    const text = `{"questions": [\n${JSON.stringify(a)},\n{"externalId": "broken" "type": 1},\n${JSON.stringify(b)}\n]}`;
    expect(summary(await readAll([text], gre))).toEqual([
      [2, "gre-mc", "ok"],
      [3, undefined, expect.stringMatching(/^: Not valid JSON/)],
      [4, "gre-ms", "ok"],
    ]);
  });

  it("validates each question: a wrong answer and a repeated externalId reject only those rows", async () => {
    const [a, b] = greQuestions();
    const rows = await readAll([file([a, { ...b, answer: ["Q"] }, { ...a, prompt: "Copy" }])], gre);
    expect(summary(rows)).toEqual([
      [3, "gre-mc", "ok"],
      [4, "gre-ms", 'answer.0: "Q" is not one of the option ids.'],
      [
        5,
        "gre-mc",
        'externalId: externalId "gre-mc" is already used on line 3 of this file; the first one is kept.',
      ],
    ]);
  });

  it("accepts a matching top-level bank and $schema; an empty questions array has no rows", async () => {
    expect(await readAll(['{"$schema": "x", "bank": "gre", "questions": []}'], gre)).toEqual([]);
  });

  it.each([
    ["an array at the top", "[]", 1, /is an object/],
    [
      "another bank",
      '{"bank": "sat", "questions": []}',
      1,
      /bank "sat" but is imported into "gre"/,
    ],
    [
      "an unknown top-level field",
      '{"questions": [], "version": 2}',
      1,
      /Unknown top-level field "version"/,
    ],
    ["questions that are not an array", '{"questions": {}}', 1, /must be an array/],
    ["no questions at all", '{"bank": "gre"}', undefined, /no "questions" array/],
    ["a trailing comma", '{"questions": [\n{"a": 1},\n]}', 3, /Expected a value/],
    ["brackets that do not match", '{"questions": [\n{"a": [1, 2}\n]}', 2, /brackets do not match/],
    ["text after the end", '{"questions": []}\n{}', 2, /after the end/],
    ["a string over a line break", '{"questions": [\n{"a": "x\ny"}]}', 2, /line break/],
  ])("%s is a file-level error with its line", async (_, text, line, message) => {
    const { error } = await fileError([text], gre);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(message);
  });

  it("a file cut off inside a question is a file-level error after the questions before it", async () => {
    const [a, b] = greQuestions();
    const text = `{"questions": [\n${JSON.stringify(a)},\n${JSON.stringify(b).slice(0, 40)}`;
    const { error, rows } = await fileError([text], gre);
    expect(summary(rows)).toEqual([[2, "gre-mc", "ok"]]);
    expect(error.message).toMatch(
      /ends before it is complete \(the question starting on line 3 is incomplete\)/,
    );
  });
});
