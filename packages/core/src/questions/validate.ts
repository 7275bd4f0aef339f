import {
  BANK_QUESTION_TYPES,
  type Question,
  type QuestionBank,
  QuestionInputSchema,
} from "../contracts/index.js";
import type { FieldProblem } from "../errors.js";
import { fieldProblems } from "../services/parse-input.js";
import { externalIdOf, position, type QuestionRow, type SourceRow } from "./rows.js";

export type QuestionValidation =
  | { readonly ok: true; readonly question: Question }
  | { readonly ok: false; readonly errors: FieldProblem[] };

/**
 * Checks one candidate against the question model and the bank: the type's
 * structural rules, a `bank` field that matches (when given) and a type the
 * bank holds. Never throws for bad input.
 *
 * @example
 * const result = validateQuestion(JSON.parse(line), "gre");
 * if (!result.ok) console.log(result.errors); // [{ path: "answer", message: "…" }]
 */
export function validateQuestion(value: unknown, bank: QuestionBank): QuestionValidation {
  const parsed = QuestionInputSchema.safeParse(value);
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
    errors.push({
      path: "type",
      message: `The ${bank.toUpperCase()} bank holds ${BANK_QUESTION_TYPES[bank].join(", ")}; not ${question.type}.`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, question: { ...question, bank } };
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

  /** A problem if `id` was seen before; otherwise records it at `where`. */
  check(id: string | undefined, where: number): FieldProblem | undefined {
    if (id === undefined) return undefined;
    const first = this.#seen.get(id);
    if (first !== undefined) {
      return {
        path: "externalId",
        message: `externalId "${id}" is already used on ${this.#describe(first)}; the first one is kept.`,
      };
    }
    this.#seen.set(id, where);
    return undefined;
  }
}

/**
 * The validation stage of a file import: each parsed row becomes a valid
 * question or a rejection with its errors, and a repeated externalId rejects
 * the later row.
 */
export async function* validateQuestionRows(
  rows: AsyncIterable<SourceRow>,
  options: { readonly bank: QuestionBank },
): AsyncGenerator<QuestionRow, void, undefined> {
  const duplicates = new DuplicateIds((line) => `line ${line} of this file`);
  for await (const row of rows) {
    const externalId = row.externalId ?? (row.ok ? externalIdOf(row.value) : undefined);
    const at = position(row.index, row.line, externalId);
    const duplicate = duplicates.check(externalId, row.line);
    if (!row.ok) {
      yield { ...at, ok: false, errors: row.errors };
      continue;
    }
    if (duplicate) {
      yield { ...at, ok: false, errors: [duplicate] };
      continue;
    }
    const result = validateQuestion(row.value, options.bank);
    yield result.ok
      ? { ...at, ok: true, question: result.question }
      : { ...at, ok: false, errors: result.errors };
  }
}
