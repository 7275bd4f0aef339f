import { describe, expect, it } from "vitest";
import type { QuestionRow } from "../src/index.js";
import { readAll } from "./support/question-files.js";

// Aiken as Moodle's qformat_aiken reads it, and lettered lines in a stem
// read right or refused with the reason: never a silently different question.

const sat = { bank: "sat", format: "aiken" } as const;
const reason = (row: QuestionRow | undefined) =>
  row?.ok ? "ok" : (row?.errors.map((e) => e.message).join(" | ") ?? "missing");

describe("Aiken read as Moodle reads it", () => {
  it("takes options without a space (A)Incorrect) and in lower case (a) 3)", async () => {
    const rows = await readAll(
      [
        "Which is right?\nA)Incorrect\nB)Correct\nANSWER: B\n\nWhat is 1 + 2?\na) 3\nb) 4\nANSWER: a\n",
      ],
      sat,
    );
    expect(
      rows.map((r) =>
        r.ok && "options" in r.question ? [r.question.options, r.question.answer] : reason(r),
      ),
    ).toEqual([
      [
        [
          { id: "A", text: "Incorrect" },
          { id: "B", text: "Correct" },
        ],
        "B",
      ],
      [
        [
          { id: "A", text: "3" },
          { id: "B", text: "4" },
        ],
        "A",
      ],
    ]);
  });

  it("takes ANSWER: B) Paris, and refuses one whose text is not option B's", async () => {
    const rows = await readAll(
      [
        "Capital of France?\nA) Rome\nB) Paris\nANSWER: B) Paris\n\nCapital of Italy?\nA) Rome\nB) Paris\nANSWER: B) Rome\n",
      ],
      sat,
    );
    expect(rows[0]?.ok && rows[0].question.answer).toBe("B");
    expect(reason(rows[1])).toMatch(/ANSWER: B names "Rome", but option B is "Paris"/);
  });

  it("keeps roman-numeral lines in the stem", async () => {
    const text =
      "Which must be true?\nI. x > 0\nII. y > 0\nIII. x + y > 0\nA) I only\nB) II only\nC) I and III\nD) I, II and III\nANSWER: C\n";
    const [row] = await readAll([text], sat);
    expect(row?.ok && row.question).toMatchObject({
      prompt: "Which must be true?\nI. x > 0\nII. y > 0\nIII. x + y > 0",
      options: [
        { id: "A", text: "I only" },
        { id: "B", text: "II only" },
        { id: "C", text: "I and III" },
        { id: "D", text: "I, II and III" },
      ],
      answer: "C",
    });
  });

  it("refuses a stem whose lettered lines read as options, instead of importing half of it", async () => {
    // "A." and "B." in the stem look like options; the real options follow the stem's last line.
    const text =
      "Consider the statements.\nA. x is even\nB. y is odd\nWhich statement is true?\nA) A only\nB) B only\nANSWER: A\n\nNext?\nA) 1\nB) 2\nANSWER: A\n";
    const rows = await readAll([text], sat);
    expect(rows.map((r) => [r.line, r.ok])).toEqual([
      [1, false],
      [4, false],
      [9, true],
    ]);
    expect(reason(rows[0])).toMatch(/No ANSWER: line/);
    expect(reason(rows[1])).toMatch(/follows the options of the question on line 1/);
  });

  it("names two questions with one stem and different options apart", async () => {
    const text =
      "Which of the following is correct?\nA) 1 < 2\nB) 2 < 1\nANSWER: A\n\nWhich of the following is correct?\nA) 3 > 4\nB) 4 > 3\nANSWER: B\n";
    const rows = await readAll([text], sat);
    expect(rows.map((r) => r.ok)).toEqual([true, true]);
    expect(rows[0]?.externalId).toMatch(/^q-/);
    expect(rows[0]?.externalId).not.toBe(rows[1]?.externalId);
  });
});
