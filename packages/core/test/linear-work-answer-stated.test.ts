import { describe, it } from "vitest";
import { studentProducedAnswer } from "../src/ai/tutor/answer-stated.js";
import { ADVERSARIAL, NUMERIC, WORDY } from "./support/adversarial-text.js";
import { expectLinear, KEYS, PROBLEM } from "./support/tutor-growth.js";

// Bounded work on every input (#18), continued from linear-work-tutor-guard.test.ts:
// the guard's rule of whether the student stated the answer, for every kind of
// answer key, and with the assignment's own text growing.

describe("whether the student stated the answer takes work linear in the texts", () => {
  it("whether the student stated the answer, with the assignment's text set aside", async () => {
    for (const [kind, key] of Object.entries(KEYS)) {
      const shapes = kind === "number" ? ADVERSARIAL : kind === "fraction" ? NUMERIC : WORDY;
      await expectLinear(
        `studentProducedAnswer(${kind})`,
        (text) => studentProducedAnswer(text, key, PROBLEM),
        shapes,
      );
    }
    // The assignment's own text grows too: an instructor writes it.
    await expectLinear(
      "studentProducedAnswer(long problem)",
      (text) => studentProducedAnswer("I got 4187", KEYS.number, text),
      WORDY,
    );
  });
});
