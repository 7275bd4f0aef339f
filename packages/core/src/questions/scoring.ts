import { toleranceRational } from "./gift-numbers.js";
import { gridInAccepts, readGridIn } from "./grid-in.js";
import { equals, parseNumber, type Rational, within } from "./numbers.js";

/**
 * What scoring needs of a question: its type and answer (and a numeric
 * entry's tolerance). A validated `Question` and a stored `ExamQuestion` both fit.
 */
export type ScorableQuestion =
  | { readonly type: "multiple_choice"; readonly answer: string }
  | { readonly type: "multi_select"; readonly answer: readonly string[] }
  | { readonly type: "quantitative_comparison"; readonly answer: "A" | "B" | "C" | "D" }
  | {
      readonly type: "numeric_entry";
      readonly answer: string;
      readonly tolerance?: number | undefined;
    }
  | { readonly type: "grid_in"; readonly answer: readonly string[] }
  | { readonly type: "text_completion"; readonly answer: readonly string[] }
  | { readonly type: "sentence_equivalence"; readonly answer: readonly string[] }
  | { readonly type: "select_in_passage"; readonly answer: number };

/** The response each type takes. */
export interface QuestionResponses {
  multiple_choice: string;
  /** Every option chosen; order does not matter. */
  multi_select: readonly string[];
  quantitative_comparison: "A" | "B" | "C" | "D";
  numeric_entry: string | number;
  grid_in: string;
  /** One option id per blank, in blank order. */
  text_completion: readonly string[];
  /** The two options chosen. */
  sentence_equivalence: readonly string[];
  /** The index of the chosen sentence. */
  select_in_passage: number;
}

export interface ScoreResult {
  readonly correct: boolean;
  readonly score: 0 | 1;
  readonly maxScore: 1;
  /** Set when the response could not be read for this type (wrong shape, not a number…). */
  readonly invalid?: string;
}

const right: ScoreResult = { correct: true, score: 1, maxScore: 1 };
const wrong: ScoreResult = { correct: false, score: 0, maxScore: 1 };
const invalid = (reason: string): ScoreResult => ({ ...wrong, invalid: reason });

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

function sameSet(chosen: readonly string[], answer: readonly string[]): boolean {
  const set = new Set(chosen);
  return set.size === new Set(answer).size && answer.every((id) => set.has(id));
}

function numeric(answer: string): Rational {
  const parsed = parseNumber(answer, { exponent: true });
  // Answers are validated on import; a stored one that does not parse is a bug.
  if (!parsed) throw new TypeError(`Stored numeric answer "${answer}" is not a number.`);
  return parsed.value;
}

/**
 * Scores one response, all or nothing: multi-select, sentence equivalence and
 * text completion give no partial credit. Numeric entry takes any equal value
 * (3/4, 0.75, 36/48; 1.2 and 1.20) or one within the tolerance; grid-ins
 * follow the SAT's rules (see `gridInAccepts`). A response of the wrong shape
 * scores 0 with `invalid` saying why; it never throws.
 *
 * @example
 * score({ type: "numeric_entry", answer: "3/4" }, "0.75"); // { correct: true, score: 1, maxScore: 1 }
 * score({ type: "grid_in", answer: ["1/3"] }, ".33").correct; // false: .333 or .3333 fill the grid
 */
export function score(question: ScorableQuestion, response: unknown): ScoreResult {
  switch (question.type) {
    case "multiple_choice":
    case "quantitative_comparison":
      if (typeof response !== "string") return invalid("Choose one option id.");
      return response === question.answer ? right : wrong;
    case "multi_select":
      if (!isStringArray(response)) return invalid("Choose a list of option ids.");
      return sameSet(response, question.answer) ? right : wrong;
    case "sentence_equivalence":
      if (!isStringArray(response) || new Set(response).size !== 2)
        return invalid("Choose exactly two different options.");
      return sameSet(response, question.answer) ? right : wrong;
    case "text_completion":
      if (!isStringArray(response) || response.length !== question.answer.length)
        return invalid(`Choose one option for each of the ${question.answer.length} blanks.`);
      return response.every((id, i) => id === question.answer[i]) ? right : wrong;
    case "select_in_passage":
      if (typeof response !== "number" || !Number.isInteger(response))
        return invalid("Choose a sentence by its index.");
      return response === question.answer ? right : wrong;
    case "numeric_entry": {
      // A JS number has no typed form to judge, so its own text (exponent and all) is read.
      const given =
        typeof response === "number"
          ? parseNumber(String(response), { exponent: true })
          : typeof response === "string"
            ? parseNumber(response)
            : undefined;
      if (!given) return invalid("Enter a number or a fraction.");
      const answer = numeric(question.answer);
      if (equals(given.value, answer)) return right;
      const tolerance = question.tolerance;
      if (tolerance === undefined || tolerance === 0) return wrong;
      // The tolerance is the decimal its JSON number names (0.0005, not the double's binary
      // expansion), compared exactly: both ends of a range `{#3.141..3.142}` are inside it.
      const bound = toleranceRational(tolerance);
      return bound && within(given.value, answer, bound) ? right : wrong;
    }
    case "grid_in": {
      if (typeof response !== "string") return invalid("Enter the answer as text, as gridded.");
      const reading = readGridIn(response);
      if (!reading.ok) return invalid(reading.reason);
      const { number } = reading;
      return question.answer.some((accepted) => gridInAccepts(numeric(accepted), number))
        ? right
        : wrong;
    }
  }
}
