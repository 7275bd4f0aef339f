import { describe, expect, it } from "vitest";
import { validateQuestion } from "../src/index.js";
import { readAll } from "./support/question-files.js";

// #20: "options inside the stem" — text dumps of SAT and GRE sets write the
// choices as the prompt's last lines. The hand-made shape reads them as the
// options when the row gives none, and leaves every other prompt alone.

const base = { topic: "t", difficulty: 3 };

function shaped(prompt: string, extra: Record<string, unknown> = {}, bank: "sat" | "gre" = "sat") {
  const result = validateQuestion({ ...base, prompt, answer: "B", ...extra }, bank);
  return result.ok ? result.question : { errors: result.errors };
}

describe("options written inside a prompt", () => {
  it("become the options, each style of letter, the stem keeping its own lines", () => {
    for (const [prompt, stem] of [
      ["2 + 2 = ?\nA) 3\nB) 4\nC) 5", "2 + 2 = ?"],
      ["2 + 2 = ?\n(A) 3\n(B) 4\n(C) 5\n\n", "2 + 2 = ?"],
      ["2 + 2 = ?\r\na. 3\r\nb. 4\r\nc. 5", "2 + 2 = ?"],
      ["Line one.\nLine two?\nA)3\nB)4\nC)5", "Line one.\nLine two?"],
    ] as const) {
      expect(shaped(prompt)).toMatchObject({
        type: "multiple_choice",
        prompt: stem,
        options: [
          { id: "A", text: "3" },
          { id: "B", text: "4" },
          { id: "C", text: "5" },
        ],
        answer: "B",
      });
    }
  });

  it("keeps roman-numeral statements in the stem", () => {
    expect(
      shaped("Which must be true?\nI. x > 0\nII. y > 0\nA) I only\nB) II only\nC) I and II"),
    ).toMatchObject({
      prompt: "Which must be true?\nI. x > 0\nII. y > 0",
      options: [
        { id: "A", text: "I only" },
        { id: "B", text: "II only" },
        { id: "C", text: "I and II" },
      ],
    });
  });

  it("reads a list answer as multi-select", () => {
    expect(shaped("Primes?\nA) 2\nB) 3\nC) 4", { answer: ["a", "B"] }, "gre")).toMatchObject({
      type: "multi_select",
      prompt: "Primes?",
      answer: ["A", "B"],
    });
  });

  it("is not read where it would be a guess, and validation names what is missing", () => {
    for (const prompt of [
      // Not from A, out of order, a gap, a single line, text after the options, no stem.
      "Pick one\nB) 3\nC) 4",
      "Pick one\nA) 3\nC) 4",
      "Pick one\nA) 3\nB) 4\nD) 5",
      "What time is it?\nA.M. or P.M.",
      "Pick one\nA) 3\nB) 4\nExplain your choice.",
      "A) 3\nB) 4",
    ]) {
      const result = shaped(prompt);
      expect(result, prompt).toHaveProperty("errors");
    }
    // Options given: the prompt stays as written.
    expect(shaped("Pick one\nA) 3\nB) 4", { choices: ["x", "y"] })).toMatchObject({
      prompt: "Pick one\nA) 3\nB) 4",
      options: [
        { id: "A", text: "x" },
        { id: "B", text: "y" },
      ],
    });
    // Another type, or a prompt in HTML or markdown: left to that type's rules.
    for (const extra of [{ type: "grid_in", answer: ["3"] }, { format: "markdown" }]) {
      const result = validateQuestion(
        { ...base, prompt: "Pick one\nA) 3\nB) 4", answer: "B", ...extra },
        "sat",
      );
      if (result.ok) expect(result.question.prompt).toBe("Pick one\nA) 3\nB) 4");
      else expect(result.errors.map((e) => e.path)).not.toContain("prompt");
    }
  });

  it("reads the same from a CSV cell as from JSON", async () => {
    const csv = 'prompt,topic,difficulty,answer\n"2 + 2 = ?\n(A) 3\n(B) 4",arithmetic,easy,B\n';
    const [row] = await readAll([csv], { format: "csv", bank: "sat" });
    expect(row).toMatchObject({
      ok: true,
      question: {
        type: "multiple_choice",
        prompt: "2 + 2 = ?",
        options: [
          { id: "A", text: "3" },
          { id: "B", text: "4" },
        ],
        answer: "B",
        difficulty: 2,
      },
    });
  });
});
