import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import type { QuestionBank } from "../contracts/index.js";
import { QuestionFileError } from "../errors.js";
import { parseAikenQuestions } from "./formats/aiken.js";
import { parseCsvQuestions } from "./formats/csv.js";
import { type FormatDefaults, parseGiftQuestions } from "./formats/gift.js";
import { parseJsonQuestions } from "./formats/json.js";
import { parseNdjson } from "./formats/ndjson.js";
import type { QuestionRow, SourceRow } from "./rows.js";
import { type QuestionSource, readLines, readTextBlocks } from "./text-source.js";
import { validateQuestionRows } from "./validate.js";

export const QUESTION_FORMATS = ["json", "ndjson", "csv", "gift", "aiken"] as const;
export type QuestionFormat = (typeof QUESTION_FORMATS)[number];

const EXTENSIONS: Readonly<Record<string, QuestionFormat>> = {
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".csv": "csv",
  ".gift": "gift",
  ".aiken": "aiken",
};

/**
 * The format a file name implies: `.json`, `.ndjson`/`.jsonl`, `.csv`,
 * `.gift`, `.aiken`. Anything else (`.txt` could be GIFT or Aiken) is a
 * {@link QuestionFileError} asking for an explicit format.
 *
 * @example
 * inferQuestionFormat("banks/gre-verbal.ndjson"); // "ndjson"
 */
export function inferQuestionFormat(path: string): QuestionFormat {
  const extension = extname(path).toLowerCase();
  const format = EXTENSIONS[extension];
  if (!format) {
    throw new QuestionFileError(
      `Cannot tell the format of "${path}" from its extension${extension ? ` (${extension})` : ""}: name one of ${QUESTION_FORMATS.join(", ")}.`,
    );
  }
  return format;
}

export interface ReadQuestionFileOptions {
  /** The bank the rows are for: a row naming another bank, or a type the bank lacks, is rejected. */
  readonly bank: QuestionBank;
  /** Required unless `source` is a path whose extension names it (see {@link inferQuestionFormat}). */
  readonly format?: QuestionFormat | undefined;
  /** Topic and difficulty for GIFT and Aiken questions that do not say (default `general`, 3). */
  readonly defaults?: Partial<FormatDefaults> | undefined;
}

/**
 * Reads a question file as a stream of validated rows, in file order, each
 * with its 0-based `index` among the file's questions and its 1-based source
 * `line`: `{ ok: true, question }` ready to import, or `{ ok: false, errors }`.
 * A repeated externalId rejects the later row. No database is touched.
 *
 * Only the current chunk and question are held in memory, in every format.
 * A problem with the file as a whole (UTF-16 or invalid UTF-8, broken CSV
 * quoting, JSON that is not `{ "questions": [...] }`, an unknown CSV column)
 * is thrown as a {@link QuestionFileError} with the line, when iteration
 * reaches it; rows before it have been yielded by then.
 *
 * @example
 * for await (const row of readQuestionFile("gre.csv", { bank: "gre" })) {
 *   if (row.ok) send(row.question);
 *   else console.log(`line ${row.line}: ${row.errors.map((e) => e.message).join("; ")}`);
 * }
 */
export function readQuestionFile(
  source: QuestionSource,
  options: ReadQuestionFileOptions,
): AsyncIterable<QuestionRow> {
  const format =
    options.format ??
    (typeof source === "string"
      ? inferQuestionFormat(source)
      : source instanceof URL
        ? inferQuestionFormat(fileURLToPath(source))
        : undefined);
  if (!format) {
    throw new QuestionFileError(`Name the format (${QUESTION_FORMATS.join(", ")}) of a stream.`);
  }
  if (!QUESTION_FORMATS.includes(format)) {
    throw new QuestionFileError(`Unknown format "${format}": use ${QUESTION_FORMATS.join(", ")}.`);
  }
  return validateQuestionRows(parseQuestionRows(source, format, options), { bank: options.bank });
}

/** The parse stage alone: candidate objects per question, before validation. */
export function parseQuestionRows(
  source: QuestionSource,
  format: QuestionFormat,
  options: Pick<ReadQuestionFileOptions, "bank" | "defaults">,
): AsyncIterable<SourceRow> {
  const defaults = options.defaults ?? {};
  switch (format) {
    case "json":
      return parseJsonQuestions(readTextBlocks(source), { bank: options.bank });
    case "ndjson":
      return parseNdjson(readLines(source));
    case "csv":
      return parseCsvQuestions(readTextBlocks(source));
    case "gift":
      return parseGiftQuestions(readLines(source), { bank: options.bank, defaults });
    case "aiken":
      return parseAikenQuestions(readLines(source), { defaults });
  }
}
