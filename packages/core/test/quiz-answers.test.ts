import { describe, expect, it } from "vitest";
import {
  LearnerQuizQuestionSchema,
  QUESTION_TYPES,
  type QuizQuestion,
  QuizQuestionInputSchema,
} from "../src/contracts/index.js";
import { scoreQuizAnswers, ValidationError } from "../src/index.js";
import {
  readStoredQuestion,
  toLearnerQuestion,
  toStoredQuestion,
} from "../src/services/quiz-question-store.js";

// The quiz question model is the bank's (every type, its rules), without the
// bank-only fields; answers are checked for shape against their question and
// scored by score(); learners get no answer of any type.

const base = { prompt: "Q?", topic: "t", difficulty: 2 };
const six = ["A", "B", "C", "D", "E", "F"].map((id) => ({ id, text: `option ${id}` }));
const INPUTS = [
  { ...base, type: "multiple_choice", options: six.slice(0, 3), answer: "B" },
  { ...base, type: "multi_select", options: six.slice(0, 4), answer: ["A", "C"] },
  { ...base, type: "quantitative_comparison", quantityA: "1", quantityB: "2", answer: "B" },
  { ...base, type: "numeric_entry", answer: 0.5, tolerance: 0 },
  { ...base, type: "grid_in", answer: ["1/2"] },
  { ...base, type: "text_completion", blanks: [{ options: six.slice(0, 5) }], answer: ["E"] },
  { ...base, type: "sentence_equivalence", options: six, answer: ["A", "F"] },
  { ...base, type: "select_in_passage", sentences: ["One.", "Two."], answer: 0 },
] as const;

const stored: QuizQuestion[] = INPUTS.map((input) =>
  toStoredQuestion(QuizQuestionInputSchema.parse(input)),
);
function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

const idOf = (type: string) => stored.find((q) => q.type === type)?.id ?? "";

describe("the quiz question model", () => {
  it("accepts every type of the bank's model and stores each with an id", () => {
    expect(stored.map((q) => q.type)).toEqual([...QUESTION_TYPES]);
    for (const q of stored) expect(q.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.find((q) => q.type === "numeric_entry")).toMatchObject({ answer: "0.5" });
  });

  it("refuses the bank-only fields and requires a topic and a level, as the bank does", () => {
    for (const extra of [{ externalId: "x" }, { bank: "sat" }, { tags: ["a"] }]) {
      const parsed = QuizQuestionInputSchema.safeParse({ ...INPUTS[0], ...extra });
      expect(parsed.success, JSON.stringify(extra)).toBe(false);
    }
    const { topic: _t, ...noTopic } = INPUTS[0];
    expect(QuizQuestionInputSchema.safeParse(noTopic).success).toBe(false);
    // The bank's per-type rules: a sentence equivalence needs two different answers.
    const same = { ...INPUTS[6], answer: ["A", "A"] };
    expect(QuizQuestionInputSchema.safeParse(same).error?.issues[0]?.path).toEqual(["answer"]);
  });

  it("the learner view of every type has no answer, explanation or source", () => {
    for (const q of stored) {
      const learner = toLearnerQuestion({ ...q, explanation: "Why.", source: "Where." });
      for (const key of ["answer", "explanation", "source"])
        expect(Object.hasOwn(learner, key)).toBe(false);
      expect(LearnerQuizQuestionSchema.safeParse(learner).success).toBe(true);
    }
  });

  it("a question stored by the three-type stand-in (no topic, null tolerance) is still read", () => {
    const legacy = {
      id: "7d4f1c1e-2a53-4c9f-9a55-1b0e0c3a9f10",
      type: "numeric_entry",
      prompt: "Half of 3?",
      answer: "3/2",
      explanation: null,
      topic: null,
      difficulty: null,
      source: null,
      tolerance: null,
    };
    expect(readStoredQuestion(legacy)).toMatchObject({ topic: "general", difficulty: 3 });
    expect(readStoredQuestion({ ...legacy, answer: "not a number" })).toBeUndefined();
  });
});

describe("checking and scoring answers", () => {
  it("scores each type by score(): set answers in any order, equal numbers in any form", () => {
    const scored = scoreQuizAnswers(stored, [
      { questionId: idOf("multiple_choice"), answer: "B" },
      { questionId: idOf("multi_select"), answer: ["C", "A"] },
      { questionId: idOf("quantitative_comparison"), answer: "B" },
      { questionId: idOf("numeric_entry"), answer: "2/4" },
      { questionId: idOf("grid_in"), answer: ".5" },
      { questionId: idOf("text_completion"), answer: ["E"] },
      { questionId: idOf("sentence_equivalence"), answer: ["F", "A"] },
      { questionId: idOf("select_in_passage"), answer: 0 },
    ]);
    expect(scored).toMatchObject({ score: 8, maxScore: 8 });
    expect(scored.attempts.map((a) => [a.topic, a.correct, a.level])).toEqual(
      stored.map(() => ["t", true, 2]),
    );
  });

  it("multi-select is all or nothing: a subset and a superset both score 0", () => {
    for (const answer of [["A"], ["A", "B", "C"]]) {
      const scored = scoreQuizAnswers(stored, [{ questionId: idOf("multi_select"), answer }]);
      expect(scored.score, JSON.stringify(answer)).toBe(0);
    }
  });

  it("unanswered questions score 0 and are no attempts", () => {
    const scored = scoreQuizAnswers(stored, [{ questionId: idOf("grid_in"), answer: "1/2" }]);
    expect(scored).toMatchObject({ score: 1, maxScore: 8 });
    expect(scored.attempts).toHaveLength(1);
    expect(scored.results.filter((r) => !r.answered)).toHaveLength(7);
  });

  it.each([
    ["multiple_choice", ["B"], "Choose one option id"],
    ["multiple_choice", "Z", "Choose one option id"],
    ["multi_select", ["A", "A"], "different option ids"],
    ["multi_select", [], "different option ids"],
    ["quantitative_comparison", "E", "A, B, C, D"],
    ["numeric_entry", "half", "number"],
    ["grid_in", 0.5, "as gridded"],
    ["text_completion", ["E", "A"], "each of the 1 blank"],
    ["text_completion", ["F"], "not an option of blank 1"],
    ["sentence_equivalence", ["A", "B", "B"], "exactly two"],
    ["sentence_equivalence", ["A"], "exactly two"],
    ["select_in_passage", 2, "from 0 to 1"],
    ["select_in_passage", 0.5, "from 0 to 1"],
  ])("a %s answer %j is the wrong shape: a problem at its path", (type, answer, message) => {
    const first = type === "grid_in" ? idOf("multiple_choice") : idOf("grid_in");
    const error = caught(() =>
      scoreQuizAnswers(stored, [
        { questionId: first, answer: type === "grid_in" ? "B" : "1/2" },
        { questionId: idOf(type), answer },
      ]),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { path: "answers.1.answer", message: expect.stringContaining(message) },
    ]);
  });

  it("names every unknown and repeated question at once", () => {
    const error = caught(() =>
      scoreQuizAnswers(stored, [
        { questionId: "7d4f1c1e-2a53-4c9f-9a55-1b0e0c3a9f10", answer: "B" },
        { questionId: idOf("multiple_choice"), answer: "B" },
        { questionId: idOf("multiple_choice"), answer: "A" },
      ]),
    );
    expect((error as ValidationError).errors?.map((p) => p.path)).toEqual([
      "answers.0.questionId",
      "answers.2.questionId",
    ]);
  });
});
