import { describe, it } from "vitest";
import { findLeaks } from "../src/ai/tutor/answer-leaks.js";
import { studentProducedAnswer } from "../src/ai/tutor/answer-stated.js";
import { ADVERSARIAL, NUMERIC, WORDY } from "./support/adversarial-text.js";
import { expectLinear, KEYS, PROBLEM } from "./support/tutor-growth.js";

// Bounded work on every input (#18), continued from linear-work-tutor.test.ts:
// the answer guard's two rules, for every kind of answer key.

describe("the tutor's answer guard does work linear in the message", () => {
  it("the guard's deterministic rules (findLeaks) for every kind of answer", async () => {
    for (const [kind, key] of Object.entries(KEYS)) {
      const shapes = kind === "number" ? ADVERSARIAL : kind === "fraction" ? NUMERIC : WORDY;
      await expectLinear(`findLeaks(${kind})`, (text) => findLeaks(text, key), shapes);
    }
  });

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
