import { describe, expect, it } from "vitest";
import {
  ExamQuestionSchema,
  LearnerExamQuestionSchema,
  QUESTION_TYPES,
  QuestionInputSchema,
} from "../src/contracts/index.js";
import { validateQuestion } from "../src/index.js";
import { greQuestions, satQuestions } from "./support/questions.js";

// The question model's structural rules, one per type, as the importer and
// the batch route apply them (validateQuestion = schema + bank rules).

const byType = (type: string) => {
  const found = [...greQuestions(), ...satQuestions()].find((q) => q.type === type);
  if (!found) throw new Error(`no sample of ${type}`);
  return found as Record<string, unknown>;
};

function problems(value: unknown, bank: "sat" | "gre" = "gre"): string[] {
  const result = validateQuestion(value, bank);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
}

describe("the question model", () => {
  it("accepts a sample of every type in its bank", () => {
    const all = [
      ...greQuestions().map((q) => [q, "gre"] as const),
      ...satQuestions().map((q) => [q, "sat"] as const),
    ];
    expect(new Set(all.map(([q]) => q.type))).toEqual(new Set(QUESTION_TYPES));
    for (const [question, bank] of all) expect(problems(question, bank), question.type).toEqual([]);
  });

  it("fills the bank in and keeps numeric answers as the author's text", () => {
    const result = validateQuestion({ ...byType("numeric_entry"), answer: 0.75 }, "gre");
    expect(result).toMatchObject({ ok: true, question: { bank: "gre", answer: "0.75" } });
  });

  it("names the types when the type is missing or unknown", () => {
    expect(problems({ ...byType("multiple_choice"), type: "essay" })).toEqual([
      expect.stringMatching(/^type: type must be one of: multiple_choice, multi_select/),
    ]);
  });

  it("refuses unknown fields (strict), naming them", () => {
    expect(problems({ ...byType("multiple_choice"), tenantId: "x" })).toEqual([
      'tenantId: Unknown field "tenantId".',
    ]);
  });

  it("refuses a difficulty outside 1-5, empty text and NUL characters", () => {
    expect(problems({ ...byType("multiple_choice"), difficulty: 6 })[0]).toMatch(/^difficulty/);
    expect(problems({ ...byType("multiple_choice"), difficulty: 2.5 })[0]).toMatch(/^difficulty/);
    expect(problems({ ...byType("multiple_choice"), prompt: "   " })[0]).toMatch(
      /^prompt: Must not be empty/,
    );
    expect(problems({ ...byType("multiple_choice"), topic: "a\u0000b" })[0]).toMatch(
      /^topic: .*NUL/,
    );
    // Half of a UTF-16 pair has no UTF-8 form: a row that holds one is rejected, not stored as U+FFFD.
    expect(problems({ ...byType("multiple_choice"), prompt: "Which \ud800 value?" })).toEqual([
      "prompt: Text may not contain an unpaired UTF-16 surrogate: it would be stored as U+FFFD.",
    ]);
    expect(problems({ ...byType("multiple_choice"), topic: "alg\udc00ebra" })[0]).toMatch(
      /^topic: .*unpaired UTF-16 surrogate/,
    );
    expect(problems({ ...byType("multiple_choice"), prompt: "Which value? 🎓" })).toEqual([]);
  });

  it("multiple choice: the answer must be one of unique option ids", () => {
    const q = byType("multiple_choice");
    expect(problems({ ...q, answer: "Z" })).toEqual(['answer: "Z" is not one of the option ids.']);
    expect(
      problems({
        ...q,
        options: [
          { id: "A", text: "1" },
          { id: "A", text: "2" },
        ],
        answer: "A",
      }),
    ).toEqual(["options.1.id: Option ids must be unique."]);
    expect(problems({ ...q, options: [{ id: "A", text: "only" }], answer: "A" })[0]).toMatch(
      /^options/,
    );
  });

  it("multi-select: at least one answer, each an option, none twice", () => {
    const q = byType("multi_select");
    expect(problems({ ...q, answer: [] })).toEqual(["answer: Select at least one option."]);
    expect(problems({ ...q, answer: ["A", "A"] })).toEqual(["answer: Answer ids must be unique."]);
    expect(problems({ ...q, answer: ["A", "Q"] })).toEqual([
      'answer.1: "Q" is not one of the option ids.',
    ]);
  });

  it("quantitative comparison: the answer is one of the fixed choices A-D, and no options are given", () => {
    const q = byType("quantitative_comparison");
    expect(problems({ ...q, answer: "E" })[0]).toMatch(/^answer/);
    expect(problems({ ...q, options: [{ id: "A", text: "x" }] })).toEqual([
      'options: Unknown field "options".',
    ]);
  });

  it("numeric entry: a number or fraction (no mixed numbers), a tolerance of 0 or more", () => {
    const q = byType("numeric_entry");
    expect(problems({ ...q, answer: "1 1/2" })[0]).toMatch(
      /^answer: Must be a number or a fraction/,
    );
    expect(problems({ ...q, answer: "abc" })[0]).toMatch(/^answer/);
    expect(problems({ ...q, tolerance: -0.1 })[0]).toMatch(/^tolerance/);
    expect(problems({ ...q, answer: "-2.5e3" })).toEqual([]);
  });

  it("grid-in: 1-10 accepted answers, each a number or fraction", () => {
    const q = byType("grid_in");
    expect(problems({ ...q, answer: [] }, "sat")[0]).toMatch(/^answer/);
    expect(problems({ ...q, answer: ["1/3", "one third"] }, "sat")[0]).toMatch(/^answer\.1/);
  });

  it("text completion: 5 options for one blank, 3 per blank for two or three, one answer per blank", () => {
    const q = byType("text_completion") as {
      blanks: { options: { id: string; text: string }[] }[];
    };
    const five = [..."ABCDE"].map((id) => ({ id, text: id.toLowerCase() }));
    const four = [..."PQRS"].map((id) => ({ id, text: id.toLowerCase() }));
    expect(problems({ ...q, blanks: [{ options: five }], answer: ["C"] })).toEqual([]);
    expect(problems({ ...q, blanks: [{ options: five.slice(0, 3) }], answer: ["C"] })).toEqual([
      "blanks.0.options: A one-blank text completion has exactly 5 options.",
    ]);
    expect(
      problems({ ...q, blanks: [{ options: four }, q.blanks[1]], answer: ["P", "E"] }),
    ).toEqual([
      "blanks.0.options: Each blank of a two- or three-blank text completion has exactly 3 options.",
    ]);
    expect(problems({ ...q, answer: ["A"] })).toEqual(["answer: Give one answer per blank."]);
    expect(problems({ ...q, answer: ["E", "A"] })).toEqual([
      'answer.0: "E" is not an option of blank 1.',
      'answer.1: "A" is not an option of blank 2.',
    ]);
    const reused = {
      options: [
        { id: "A", text: "x" },
        { id: "Y", text: "y" },
        { id: "Z", text: "z" },
      ],
    };
    expect(problems({ ...q, blanks: [q.blanks[0], reused], answer: ["A", "Y"] })).toEqual([
      "blanks.1.options.0.id: Option ids must be unique across all blanks.",
    ]);
    expect(
      problems({
        ...q,
        blanks: [...q.blanks, ...q.blanks, ...q.blanks, ...q.blanks],
        answer: ["A", "E", "A", "E"],
      })[0],
    ).toMatch(/^blanks/);
  });

  it("sentence equivalence: exactly 6 options and exactly two different right ones", () => {
    const q = byType("sentence_equivalence") as { options: unknown[] };
    expect(problems({ ...q, options: q.options.slice(0, 5) })).toEqual([
      "options: Sentence equivalence has exactly 6 options.",
    ]);
    expect(problems({ ...q, answer: ["A"] })).toEqual([
      "answer: Sentence equivalence has exactly two answers.",
    ]);
    expect(problems({ ...q, answer: ["A", "B", "C"] })).toEqual([
      "answer: Sentence equivalence has exactly two answers.",
    ]);
    expect(problems({ ...q, answer: ["A", "A"] })).toEqual([
      "answer: The two answers must differ.",
    ]);
  });

  it("select in passage: the answer indexes one of the sentences", () => {
    const q = byType("select_in_passage");
    expect(problems({ ...q, answer: 3 })).toEqual([
      "answer: Must be a sentence index from 0 to 2.",
    ]);
    expect(problems({ ...q, answer: -1 })[0]).toMatch(/^answer/);
    expect(problems({ ...q, sentences: ["Only one."], answer: 0 })[0]).toMatch(/^sentences/);
  });

  it("keeps each bank to its types: no grid-ins in the GRE, no GRE-only types in the SAT", () => {
    expect(problems(byType("grid_in"), "gre")).toEqual([
      "type: The GRE bank holds multiple_choice, multi_select, quantitative_comparison, numeric_entry, text_completion, sentence_equivalence, select_in_passage; not grid_in (a SAT type: --bank sat?).",
    ]);
    for (const type of [
      "multi_select",
      "quantitative_comparison",
      "numeric_entry",
      "text_completion",
      "sentence_equivalence",
      "select_in_passage",
    ])
      expect(problems(byType(type), "sat")[0], type).toMatch(
        /^type: The SAT bank holds multiple_choice, grid_in/,
      );
  });

  it("refuses a question that names another bank than the import's", () => {
    expect(problems({ ...byType("multiple_choice"), bank: "sat" }, "gre")).toEqual([
      'bank: This question says bank "sat" but is imported into "gre".',
    ]);
  });

  it("the learner view drops answer and explanation from a full question", () => {
    const full = {
      id: "7b7a3d8e-3a5f-4b8e-9d0a-1c2b3d4e5f60",
      externalId: "x",
      bank: "gre",
      section: "verbal",
      format: "plain",
      type: "multiple_choice",
      prompt: "p",
      topic: "t",
      standardId: null,
      difficulty: 2,
      explanation: "secret reasoning",
      passage: null,
      tags: [],
      options: [{ id: "A", text: "a" }],
      answer: "A",
      createdAt: "2025-01-15T10:30:00.000Z",
      updatedAt: "2025-01-15T10:30:00.000Z",
      retiredAt: null,
    };
    expect(ExamQuestionSchema.parse(full)).toEqual(full);
    const learner = LearnerExamQuestionSchema.parse(full);
    expect(learner).not.toHaveProperty("answer");
    expect(learner).not.toHaveProperty("explanation");
    expect(learner).toMatchObject({ options: [{ id: "A", text: "a" }], prompt: "p" });
  });

  it("exposes the input schema for clients: strict and discriminated on type", () => {
    expect(QuestionInputSchema.safeParse({ ...byType("multiple_choice") }).success).toBe(true);
  });
});
