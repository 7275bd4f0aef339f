import { describe, it } from "vitest";
import { answerKey, optionsIn } from "../src/ai/tutor/answer-key.js";
import { socraticPrompt } from "../src/ai/tutor/socratic-prompt.js";
import { tutorTurn } from "../src/ai/tutor/socratic-tutor.js";
import { createOfflineProvider } from "../src/services/offline-responders.js";
import { WORDY } from "./support/adversarial-text.js";
import { expectLinear, PROBLEM } from "./support/tutor-growth.js";

// Bounded work on every input (#18), continued from linear-work-tutor.test.ts
// (a file of its own so the growth files share the cores evenly: in one file
// the tutor's paths took 20 s, the project's last stretch on one core): the
// answer key an instructor writes, and a whole tutor turn with its prompt.

describe("the answer key and a whole tutor turn do work linear in the text", () => {
  it("the answer key and the options, read from an instructor's text", async () => {
    await expectLinear("answerKey(reference)", (text) => answerKey(text));
    await expectLinear("answerKey(problem)", (text) => answerKey("B", text));
    await expectLinear("optionsIn", optionsIn, WORDY);
  });

  it("a whole tutor turn on the offline provider, and its prompt", async () => {
    const llm = createOfflineProvider();
    await expectLinear("tutorTurn", (text) =>
      tutorTurn(
        llm,
        {
          problem: PROBLEM,
          referenceAnswer: "4187",
          studentWork: null,
          history: [],
          message: text,
          hintLevel: 0,
        },
        { judge: false },
      ),
    );
    await expectLinear("socraticPrompt", (text) =>
      socraticPrompt({
        problem: text,
        referenceAnswer: "4187",
        studentWork: text,
        history: [{ role: "student", content: text }],
        message: text,
        hintLevel: 1,
        studentProducedAnswer: false,
        pressure: [],
        strict: false,
      }),
    );
  });
});
