import { describe, it } from "vitest";
import { findLeaks } from "../src/ai/tutor/answer-leaks.js";
import { ADVERSARIAL, NUMERIC, WORDY } from "./support/adversarial-text.js";
import { expectLinear, KEYS } from "./support/tutor-growth.js";

// Bounded work on every input (#18), continued from linear-work-tutor.test.ts:
// the answer guard's deterministic rules, for every kind of answer key. Its
// other rule (whether the student stated the answer) is in
// linear-work-answer-stated.test.ts: one file each, so the growth project's
// two workers finish together (18.7 s for the two in one file, beside 4-19 s
// for the others, was the project's last 10 s alone).

describe("the tutor's answer guard does work linear in the message", () => {
  it("the guard's deterministic rules (findLeaks) for every kind of answer", async () => {
    for (const [kind, key] of Object.entries(KEYS)) {
      const shapes = kind === "number" ? ADVERSARIAL : kind === "fraction" ? NUMERIC : WORDY;
      await expectLinear(`findLeaks(${kind})`, (text) => findLeaks(text, key), shapes);
    }
  });
});
