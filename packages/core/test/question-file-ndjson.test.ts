import { describe, expect, it } from "vitest";
import { chunks, firstRowBeforeTail, readAll, summary } from "./support/question-files.js";
import { greQuestions } from "./support/questions.js";

const gre = { bank: "gre", format: "ndjson" } as const;
const lines = (questions: unknown[]) => questions.map((q) => JSON.stringify(q)).join("\n");

describe("NDJSON question files", () => {
  it("one question per line, blank lines skipped, lines counted as in the file", async () => {
    const [a, b, c] = greQuestions();
    const text = `${JSON.stringify(a)}\n\n   \n${JSON.stringify(b)}\r\n${JSON.stringify(c)}`;
    expect(summary(await readAll([text], gre))).toEqual([
      [1, "gre-mc", "ok"],
      [4, "gre-ms", "ok"],
      [5, "gre-qc", "ok"],
    ]);
  });

  it("rejects a line that is not JSON, or not a question, and reads on", async () => {
    const [a, b] = greQuestions();
    const text = `${JSON.stringify(a)}\n{"externalId": \n42\n${JSON.stringify(b)}\n`;
    expect(summary(await readAll([text], gre))).toEqual([
      [1, "gre-mc", "ok"],
      [2, undefined, expect.stringMatching(/^: Not valid JSON/)],
      [3, undefined, expect.stringMatching(/^: The value must be an object/)],
      [4, "gre-ms", "ok"],
    ]);
  });

  it("reads the same rows whatever the chunk boundaries", async () => {
    const text = lines(greQuestions());
    const whole = await readAll([text], gre);
    expect(whole).toHaveLength(7);
    for (const size of [1, 5, 100]) expect(await readAll(chunks(text, size), gre)).toEqual(whole);
  });

  it("streams: the first line's question arrives before the rest is read", async () => {
    const [a, b] = greQuestions();
    const result = await firstRowBeforeTail(
      `${JSON.stringify(a)}\n`,
      `${JSON.stringify(b)}\n`,
      gre,
    );
    expect(result.firstArrivedBeforeTail).toBe(true);
    expect(result.rows).toHaveLength(2);
  });
});
