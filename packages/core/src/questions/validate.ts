import {
  BANK_QUESTION_TYPES,
  BANK_SECTIONS,
  type Question,
  type QuestionBank,
  QuestionInputSchema,
  type QuestionSection,
  TYPE_SECTIONS,
} from "../contracts/index.js";
import { issueMessage } from "../contracts/issue-messages.js";
import type { FieldProblem } from "../errors.js";
import { fieldProblems } from "../services/parse-input.js";
import { contentId } from "./content-id.js";
import { gridInEntry } from "./grid-in.js";
import { parseNumber } from "./numbers.js";
import { difficultyValue, simpleShape } from "./simple-shape.js";
import { safeQuestionTexts } from "./text-format.js";

export type QuestionValidation =
  | {
      readonly ok: true;
      readonly question: Question;
      /** True when the id was made from the content (the input stated none). */
      readonly generatedId: boolean;
    }
  | { readonly ok: false; readonly errors: FieldProblem[] };

/**
 * What a row takes when it does not say (the CLI's `--topic`, `--difficulty`
 * and `--section`). A row's own value always wins; a section is given only
 * where the type does not decide it and only if it is one of the bank's.
 */
export interface QuestionDefaults {
  readonly topic?: string | undefined;
  /** 1-5 or a word (`easy`, `medium`, `hard`…; see `simpleShape`). */
  readonly difficulty?: number | string | undefined;
  readonly section?: QuestionSection | undefined;
}

export interface ValidateQuestionOptions {
  readonly defaults?: QuestionDefaults | undefined;
}

const OTHER_BANK: Readonly<Record<QuestionBank, QuestionBank>> = { sat: "gre", gre: "sat" };
/** Stands in for a missing externalId while the rest is checked; replaced by the content's id. */
const PENDING_ID = "pending";

function withDefaults(value: unknown, defaults: QuestionDefaults | undefined): unknown {
  if (!defaults || value === null || typeof value !== "object" || Array.isArray(value))
    return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if (out.topic === undefined && defaults.topic !== undefined) out.topic = defaults.topic;
  if (out.difficulty === undefined && defaults.difficulty !== undefined)
    out.difficulty = difficultyValue(defaults.difficulty);
  return out;
}

/**
 * Checks one candidate against the question model and the bank: the hand-made
 * shape read (`simpleShape`: choices as strings, answers as indexes or
 * letters, difficulty words), the caller's defaults filled in, the type's
 * structural rules, a `bank` field that matches (when given), a type the
 * bank holds, a section of the bank that agrees with the type, and grid-in
 * answers a student can enter. A missing section is inferred where the type
 * decides it (`TYPE_SECTIONS`). HTML texts are sanitised and markdown loses
 * its raw HTML (`text-format.ts`). A missing `externalId` is made from the
 * content (`contentId`). Messages are written for the person who wrote the
 * file. Never throws for bad input.
 *
 * @example
 * const result = validateQuestion(JSON.parse(line), "gre");
 * if (!result.ok) console.log(result.errors); // [{ path: "answer", message: "…" }]
 */
export function validateQuestion(
  value: unknown,
  bank: QuestionBank,
  options: ValidateQuestionOptions = {},
): QuestionValidation {
  const shaped = simpleShape(withDefaults(value, options.defaults));
  if (!shaped.ok) return { ok: false, errors: shaped.errors };
  const candidate = shaped.value as Record<string, unknown>;
  const generatedId =
    candidate !== null && typeof candidate === "object" && candidate.externalId === undefined;
  const parsed = QuestionInputSchema.safeParse(
    generatedId ? { ...candidate, externalId: PENDING_ID } : candidate,
    { error: issueMessage },
  );
  if (!parsed.success) return { ok: false, errors: fieldProblems(parsed.error) };
  const question = parsed.data;
  const errors: FieldProblem[] = [];
  if (question.bank !== undefined && question.bank !== bank) {
    errors.push({
      path: "bank",
      message: `This question says bank "${question.bank}" but is imported into "${bank}".`,
    });
  }
  if (!BANK_QUESTION_TYPES[bank].includes(question.type)) {
    const other = OTHER_BANK[bank];
    const hint = BANK_QUESTION_TYPES[other].includes(question.type)
      ? ` (a ${other.toUpperCase()} type: --bank ${other}?)`
      : "";
    errors.push({
      path: "type",
      message: `The ${bank.toUpperCase()} bank holds ${BANK_QUESTION_TYPES[bank].join(", ")}; not ${question.type}${hint}.`,
    });
  }
  const decided = TYPE_SECTIONS[question.type];
  const fallback = options.defaults?.section;
  const section =
    question.section ??
    decided ??
    (fallback !== undefined && BANK_SECTIONS[bank].includes(fallback) ? fallback : undefined);
  if (question.section !== undefined) {
    if (!BANK_SECTIONS[bank].includes(question.section)) {
      errors.push({
        path: "section",
        message: `The ${bank.toUpperCase()} bank's sections are ${BANK_SECTIONS[bank].join(", ")}; not ${question.section}.`,
      });
    } else if (decided !== undefined && decided !== question.section) {
      errors.push({
        path: "section",
        message: `A ${question.type} question belongs to ${decided}, not ${question.section}.`,
      });
    }
  }
  // HTML is sanitised and markdown loses its raw HTML here, on every way in (files, batches).
  const safe = safeQuestionTexts({ ...question, bank });
  errors.push(...safe.errors);
  if (question.type === "grid_in") {
    question.answer.forEach((answer, i) => {
      const value = parseNumber(answer, { exponent: true })?.value;
      if (value && gridInEntry(value) === undefined)
        errors.push({
          path: `answer.${i}`,
          message: `No one can enter "${answer}" in a grid-in (at most 5 characters, 6 with a minus sign, as a decimal or a fraction): no response could score.`,
        });
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  const checked = { ...safe.question, ...(section === undefined ? {} : { section }) };
  return {
    ok: true,
    question: generatedId ? { ...checked, externalId: contentId(checked) } : checked,
    generatedId,
  };
}

/**
 * Remembers the externalIds seen so far: a later row with the same id is
 * rejected, the first one stands. Rows count as soon as their id can be read,
 * valid or not, since two rows claiming one id is a mistake either way.
 */
export class DuplicateIds {
  readonly #seen = new Map<string, number>();
  readonly #describe: (first: number) => string;

  /** `describe` names where the first use was: "line 12", "item 3 of this batch". */
  constructor(describe: (first: number) => string) {
    this.#describe = describe;
  }

  /**
   * A problem if `id` was seen before; otherwise records it at `where`.
   * `generated`: the id was made from the content, so a repeat is the same question twice.
   */
  check(id: string | undefined, where: number, generated = false): FieldProblem | undefined {
    if (id === undefined) return undefined;
    const first = this.#seen.get(id);
    if (first !== undefined) {
      return {
        path: "externalId",
        message: generated
          ? `The same question (text, options and answer) as on ${this.#describe(first)}; the first one is kept.`
          : `externalId "${id}" is already used on ${this.#describe(first)}; the first one is kept.`,
      };
    }
    this.#seen.set(id, where);
    return undefined;
  }
}
