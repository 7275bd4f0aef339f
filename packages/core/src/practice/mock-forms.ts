import type { MockExamKind, MockExamLength, QuestionSection } from "../contracts/index.js";

/**
 * The shapes of the real tests (docs/learning.md, "Mock exams"):
 * - the digital SAT: Reading and Writing, two modules of 27 questions, 32
 *   minutes each; Math, two modules of 22 questions, 35 minutes each;
 * - the GRE General Test (the shorter test, since September 2023): Verbal
 *   Reasoning, a 12-question section of 18 minutes then a 15-question section
 *   of 23 minutes; Quantitative Reasoning, 12 questions in 21 minutes then
 *   15 in 26 minutes (ETS, "GRE General Test Content and Structure").
 * Each section's second module is `harder` or `easier` by the first one's
 * result. `short` forms have {@link SHORT_MODULE_QUESTIONS} questions a
 * module, at the full form's time per question (rounded up to a minute).
 */
export interface ModuleForm {
  readonly questions: number;
  readonly minutes: number;
}

export interface SectionForm {
  readonly section: QuestionSection;
  readonly modules: readonly [ModuleForm, ModuleForm];
}

export const MOCK_FORMS: Readonly<Record<MockExamKind, readonly SectionForm[]>> = {
  sat: [
    {
      section: "reading_writing",
      modules: [
        { questions: 27, minutes: 32 },
        { questions: 27, minutes: 32 },
      ],
    },
    {
      section: "math",
      modules: [
        { questions: 22, minutes: 35 },
        { questions: 22, minutes: 35 },
      ],
    },
  ],
  gre: [
    {
      section: "verbal",
      modules: [
        { questions: 12, minutes: 18 },
        { questions: 15, minutes: 23 },
      ],
    },
    {
      section: "quantitative",
      modules: [
        { questions: 12, minutes: 21 },
        { questions: 15, minutes: 26 },
      ],
    },
  ],
};

export const SHORT_MODULE_QUESTIONS = 4;

/** Module 2 is `harder` when module 1 was answered right at least this often. */
export const HARDER_ROUTE_SHARE = 0.6;

export type ModuleKind = "first" | "harder" | "easier";

/** Relative weight of each level 1-5 in a module of each kind. */
const WEIGHTS: Readonly<Record<ModuleKind, readonly number[]>> = {
  first: [1, 2, 3, 2, 1],
  harder: [0, 1, 2, 3, 3],
  easier: [3, 3, 2, 1, 0],
};

/** Short modules, written out (four questions do not divide by weights sensibly). */
const SHORT: Readonly<Record<ModuleKind, readonly number[]>> = {
  first: [0, 1, 2, 1, 0],
  harder: [0, 0, 1, 2, 1],
  easier: [1, 2, 1, 0, 0],
};

/**
 * How many questions of each level (index 0 = level 1) a module of `kind`
 * with `n` questions holds: the weights scaled to `n` by largest remainder
 * (ties to the easier level). Short modules use their own table.
 */
export function composition(kind: ModuleKind, n: number): number[] {
  if (n === SHORT_MODULE_QUESTIONS) return [...SHORT[kind]];
  const weights = WEIGHTS[kind];
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * n) / sum);
  const counts = exact.map(Math.floor);
  const order = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  let left = n - counts.reduce((a, b) => a + b, 0);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** A module's question count and time limit for a form of `length`. */
export function moduleShape(
  module: ModuleForm,
  length: MockExamLength,
): { questions: number; seconds: number } {
  if (length === "full") return { questions: module.questions, seconds: module.minutes * 60 };
  const minutes = Math.ceil((module.minutes * SHORT_MODULE_QUESTIONS) / module.questions);
  return { questions: SHORT_MODULE_QUESTIONS, seconds: minutes * 60 };
}

/** What one section of a form needs of the bank per level: module 1 plus either route of module 2. */
export function sectionNeeds(form: SectionForm, length: MockExamLength): number[] {
  const [first, second] = form.modules;
  const one = composition("first", moduleShape(first, length).questions);
  const n2 = moduleShape(second, length).questions;
  const harder = composition("harder", n2);
  const easier = composition("easier", n2);
  return one.map((c, i) => c + Math.max(harder[i] ?? 0, easier[i] ?? 0));
}
