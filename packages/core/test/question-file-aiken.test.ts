import { describe, expect, it } from "vitest";
import { chunks, firstRowBeforeTail, readAll, summary } from "./support/question-files.js";

const sat = { bank: "sat", format: "aiken" } as const;

describe("Aiken question files", () => {
  it("reads question, lettered options (A. or A)) and ANSWER into a multiple choice", async () => {
    const rows = await readAll(["What is 2 + 2?\nA. 3\nB) 4\nC. 5\nANSWER: B\n"], sat);
    expect(rows).toEqual([
      {
        index: 0,
        line: 1,
        externalId: expect.stringMatching(/^q-[0-9a-f]{20}$/),
        ok: true,
        format: "plain",
        question: {
          externalId: rows[0]?.externalId,
          bank: "sat",
          type: "multiple_choice",
          prompt: "What is 2 + 2?",
          topic: "general",
          difficulty: 3,
          options: [
            { id: "A", text: "3" },
            { id: "B", text: "4" },
            { id: "C", text: "5" },
          ],
          answer: "B",
        },
      },
    ]);
  });

  it("derives the externalId from the whole question: the same stem with other options is another question", async () => {
    const a = await readAll(["Q?\nA. x\nB. y\nANSWER: A\n"], sat);
    const again = await readAll(["Q?\nA. x\nB. y\nANSWER: A\n"], sat);
    const b = await readAll(["Q?\nA. x changed\nB. y\nANSWER: B\n"], sat);
    expect(a[0]?.externalId).toBe(again[0]?.externalId);
    expect(a[0]?.externalId).not.toBe(b[0]?.externalId);
  });

  it("keeps a question's text over several lines", async () => {
    const rows = await readAll(
      [
        "Complete the text.\nThe committee _____ next spring.\nA. will publish\nB. publishing\nANSWER: A\n",
      ],
      sat,
    );
    expect(rows[0]?.ok && rows[0].question.prompt).toBe(
      "Complete the text.\nThe committee _____ next spring.",
    );
  });

  it("a question without an ANSWER line is rejected alone, the next one is read", async () => {
    const text = "First?\nA. x\nB. y\n\nSecond?\nA. p\nB. q\nANSWER: B\n\nLast?\nA. 1\nB. 2\n";
    expect(summary(await readAll([text], sat))).toEqual([
      [1, undefined, "answer: No ANSWER: line after the options."],
      [5, expect.stringMatching(/^q-/), "ok"],
      [10, undefined, "answer: No ANSWER: line after the options."],
    ]);
  });

  it.each([
    [
      "an answer that is not an option",
      "Q?\nA. x\nB. y\nANSWER: D\n",
      /"D" is not one of the option ids/,
    ],
    [
      "options out of order",
      "Q?\nA. x\nC. y\nANSWER: A\n",
      /lettered A, B, C… in order; found A, C/,
    ],
    ["an ANSWER before any option", "Q?\nANSWER: A\n", /ANSWER line with no options/],
    ["a question with no options at the end", "Q?\n", /No options/],
  ])("rejects %s", async (_, text, message) => {
    const rows = await readAll([text], sat);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ok === false && rows[0].errors[0]?.message).toMatch(message);
  });

  it("reads the same rows whatever the chunk boundaries, and streams", async () => {
    const text = Array.from({ length: 8 }, (_, i) => `Q${i}?\nA. a\nB. b\nANSWER: A\n`).join("\n");
    const whole = await readAll([text], sat);
    expect(whole).toHaveLength(8);
    for (const size of [1, 11]) expect(await readAll(chunks(text, size), sat)).toEqual(whole);
    const streamed = await firstRowBeforeTail(
      "Q1?\nA. a\nB. b\nANSWER: A\n",
      "Q2?\nA. a\nB. b\nANSWER: B\n",
      sat,
    );
    expect(streamed.firstArrivedBeforeTail).toBe(true);
    expect(streamed.rows).toHaveLength(2);
  });
});
