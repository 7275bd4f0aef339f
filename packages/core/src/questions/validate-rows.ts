import { type QuestionBank, QuestionBankSchema } from "../contracts/index.js";
import { QuestionFileError } from "../errors.js";
import { externalIdOf, position, type QuestionRow, type SourceRow } from "./rows.js";
import { DuplicateIds, type QuestionDefaults, validateQuestion } from "./validate.js";

/** How many rows are read ahead to find the file's bank and check that the file fits it. */
export const BANK_CHECK_ROWS = 100;

const OTHER_BANK: Readonly<Record<QuestionBank, QuestionBank>> = { sat: "gre", gre: "sat" };

export interface ValidateQuestionRowsOptions {
  /** The bank to import into; when omitted, the bank the file's questions state. */
  readonly bank?: QuestionBank | undefined;
  /** Filled into rows that do not say (see `QuestionDefaults`). */
  readonly defaults?: QuestionDefaults | undefined;
  /**
   * Rows read ahead before the first is handed on, to find the bank and
   * check the file fits it (default {@link BANK_CHECK_ROWS}; 0 turns the
   * check off, and then `bank` is required).
   */
  readonly lookahead?: number | undefined;
}

function statedBank(row: SourceRow): QuestionBank | undefined {
  if (!row.ok || row.value === null || typeof row.value !== "object") return undefined;
  const parsed = QuestionBankSchema.safeParse((row.value as { bank?: unknown }).bank);
  return parsed.success ? parsed.data : undefined;
}

/** The bank asked for, or the one the file's first rows state (a file-level error if none or both). */
function decideBank(head: readonly SourceRow[], asked: QuestionBank | undefined): QuestionBank {
  if (asked) return asked;
  const seen = new Map<QuestionBank, number>();
  for (const row of head) {
    const bank = statedBank(row);
    if (bank && !seen.has(bank)) seen.set(bank, row.line);
  }
  const [first, second] = [...seen];
  if (!first)
    throw new QuestionFileError(
      "The file does not say which bank its questions are for: name it (--bank sat or --bank gre).",
    );
  if (second)
    throw new QuestionFileError(
      `The file's questions name both banks (${first[0]} on line ${first[1]}, ${second[0]} on line ${second[1]}): import each bank's questions with its own --bank.`,
    );
  return first[0];
}

/**
 * Refuses a file that fits the other bank better: among the rows read
 * ahead, more are valid only in the other bank than only in this one, and
 * they are at least a quarter of the rows. (Multiple choice fits both banks
 * and decides nothing; a lone stray row is rejected alone instead.)
 */
function checkFit(
  head: readonly SourceRow[],
  bank: QuestionBank,
  defaults: QuestionDefaults | undefined,
): void {
  const other = OTHER_BANK[bank];
  let here = 0;
  let there = 0;
  let read = 0;
  let example: number | undefined;
  for (const row of head) {
    if (!row.ok) continue;
    read++;
    const value =
      row.value !== null && typeof row.value === "object"
        ? { ...(row.value as Record<string, unknown>), bank: undefined }
        : row.value;
    const inThis = validateQuestion(value, bank, { defaults }).ok;
    const inOther = validateQuestion(value, other, { defaults }).ok;
    if (inThis && !inOther) here++;
    if (!inThis && inOther) {
      there++;
      example ??= row.line;
    }
  }
  if (there > here && there * 4 >= read) {
    throw new QuestionFileError(
      `${there} of the first ${read} questions cannot go into the ${bank.toUpperCase()} bank but fit the ${other.toUpperCase()} bank (the first on line ${example}): this looks like a ${other.toUpperCase()} file: --bank ${other}. Nothing was imported.`,
    );
  }
}

/**
 * The validation stage of a file import: each parsed row becomes a valid
 * question or a rejection with its errors, and a repeated externalId (or
 * the same content twice, for questions without one) rejects the later row.
 * The first rows are read ahead to take the bank from the file when it is
 * not given and to refuse, as a whole, a file meant for the other bank.
 */
export async function* validateQuestionRows(
  rows: AsyncIterable<SourceRow>,
  options: ValidateQuestionRowsOptions = {},
): AsyncGenerator<QuestionRow, void, undefined> {
  const iterator = rows[Symbol.asyncIterator]();
  const lookahead = options.lookahead ?? BANK_CHECK_ROWS;
  const head: SourceRow[] = [];
  let finished = false;
  // A file-level error inside the read-ahead is thrown after the rows before it, as without it.
  let broken: { error: unknown } | undefined;
  try {
    while (head.length < lookahead) {
      let next: IteratorResult<SourceRow>;
      try {
        next = await iterator.next();
      } catch (error) {
        broken = { error };
        finished = true;
        break;
      }
      if (next.done) {
        finished = true;
        break;
      }
      head.push(next.value);
    }
    let bank: QuestionBank;
    try {
      bank = decideBank(head, options.bank);
    } catch (error) {
      throw broken ? broken.error : error;
    }
    if (head.length > 0) checkFit(head, bank, options.defaults);
    const duplicates = new DuplicateIds((line) => `line ${line} of this file`);
    const check = (row: SourceRow): QuestionRow => {
      const stated = row.externalId ?? (row.ok ? externalIdOf(row.value) : undefined);
      const at = position(row.index, row.line, stated);
      const duplicate = duplicates.check(stated, row.line);
      if (!row.ok) return { ...at, ok: false, errors: row.errors };
      if (duplicate) return { ...at, ok: false, errors: [duplicate] };
      const result = validateQuestion(row.value, bank, { defaults: options.defaults });
      if (!result.ok) return { ...at, ok: false, errors: result.errors };
      const id = result.question.externalId;
      const named = position(row.index, row.line, id);
      const same = result.generatedId ? duplicates.check(id, row.line, true) : undefined;
      if (same) return { ...named, ok: false, errors: [same] };
      return {
        ...named,
        ok: true,
        question: result.question,
        ...(row.format === undefined ? {} : { format: row.format }),
      };
    };
    for (const row of head) yield check(row);
    if (broken) throw broken.error;
    while (!finished) {
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        break;
      }
      yield check(next.value);
    }
  } finally {
    // Also when the consumer stops early or a check throws: let the parser release its source.
    if (!finished) await iterator.return?.();
  }
}
