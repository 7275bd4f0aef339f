import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { BANK_SECTIONS, type QuestionBank } from "../contracts/index.js";
import { QUESTION_COMMON_FIELDS } from "../contracts/questions.js";
import { QuestionFileError } from "../errors.js";
import { parseAikenQuestions } from "./formats/aiken.js";
import { parseCsvQuestions } from "./formats/csv.js";
import { DEFAULTS, type FormatDefaults, parseGiftQuestions } from "./formats/gift.js";
import { parseJsonQuestions } from "./formats/json.js";
import { looksLikeXml, parseMoodleXmlQuestions } from "./formats/moodle-xml.js";
import { parseNdjson } from "./formats/ndjson.js";
import type { QuestionRow, SourceRow } from "./rows.js";
import { difficultyValue } from "./simple-shape.js";
import { type QuestionSource, readLines, readTextBlocks } from "./text-source.js";
import type { QuestionDefaults } from "./validate.js";
import { validateQuestionRows } from "./validate-rows.js";

export const QUESTION_FORMATS = ["json", "ndjson", "csv", "gift", "aiken", "xml"] as const;
export type QuestionFormat = (typeof QUESTION_FORMATS)[number];

const EXTENSIONS: Readonly<Record<string, QuestionFormat>> = {
  ".json": "json",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
  ".csv": "csv",
  ".gift": "gift",
  ".aiken": "aiken",
  ".xml": "xml",
};

/**
 * The format a file name implies: `.json`, `.ndjson`/`.jsonl`, `.csv`,
 * `.gift`, `.aiken`, `.xml` (Moodle XML). Anything else (`.txt` could be GIFT or Aiken) is a
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
  /**
   * The bank the rows are for: a row naming another bank, or a type the bank
   * lacks, is rejected. When omitted, the bank the file states (a JSON file's
   * top-level `bank`, the rows' `bank` field or column); GIFT needs it given.
   */
  readonly bank?: QuestionBank | undefined;
  /** Required unless `source` is a path whose extension names it (see {@link inferQuestionFormat}). */
  readonly format?: QuestionFormat | undefined;
  /**
   * What rows take when they do not say: topic, difficulty (1-5 or a word)
   * and section, in every format. GIFT and Aiken otherwise use `general` and 3.
   */
  readonly defaults?: QuestionDefaults | undefined;
  /** Rows read ahead for the bank check (see `validateQuestionRows`; default 100, 0 for none). */
  readonly lookahead?: number | undefined;
}

/** The caller's defaults, checked before any row is read (a bad one is a file-level error). */
function checkDefaults(
  defaults: QuestionDefaults | undefined,
  bank: QuestionBank | undefined,
): QuestionDefaults {
  if (!defaults) return {};
  const topic = defaults.topic?.trim();
  if (topic !== undefined && !QUESTION_COMMON_FIELDS.topic.safeParse(topic).success)
    throw new QuestionFileError(`The default topic must be 1-100 characters; got "${topic}".`);
  const difficulty =
    defaults.difficulty === undefined ? undefined : difficultyValue(defaults.difficulty);
  if (difficulty !== undefined && !QUESTION_COMMON_FIELDS.difficulty.safeParse(difficulty).success)
    throw new QuestionFileError(
      `The default difficulty must be 1-5 or easy, medium, hard (very easy, very hard); got "${defaults.difficulty}".`,
    );
  const section = defaults.section;
  if (section !== undefined && bank !== undefined && !BANK_SECTIONS[bank].includes(section))
    throw new QuestionFileError(
      `The ${bank.toUpperCase()} bank's sections are ${BANK_SECTIONS[bank].join(", ")}; not ${section}.`,
    );
  return {
    ...(topic === undefined ? {} : { topic }),
    ...(typeof difficulty === "number" ? { difficulty } : {}),
    ...(section === undefined ? {} : { section }),
  };
}

/**
 * Reads a question file as a stream of validated rows, in file order, each
 * with its 0-based `index` among the file's questions and its 1-based source
 * `line`: `{ ok: true, question }` ready to import, or `{ ok: false, errors }`.
 * A repeated externalId rejects the later row. No database is touched.
 *
 * The format is `options.format`, else the file name's extension, else the
 * content: a source that starts like XML (`<?xml`, `<quiz`) is Moodle XML;
 * anything else is a {@link QuestionFileError} asking for the format.
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
  if (options.format !== undefined && !QUESTION_FORMATS.includes(options.format)) {
    throw new QuestionFileError(
      `Unknown format "${options.format}": use ${QUESTION_FORMATS.join(", ")}.`,
    );
  }
  const path =
    typeof source === "string" ? source : source instanceof URL ? fileURLToPath(source) : undefined;
  const known =
    options.format ?? (path === undefined ? undefined : EXTENSIONS[extname(path).toLowerCase()]);
  const defaults = checkDefaults(options.defaults, options.bank);
  const checks = { bank: options.bank, defaults, lookahead: options.lookahead };
  if (known) {
    return validateQuestionRows(parseQuestionRows(source, known, { ...options, defaults }), checks);
  }
  // No format and no telling extension: Moodle XML says what it is in its first bytes.
  return validateQuestionRows(sniffedRows(source, path, { ...options, defaults }), checks);
}

/** Rows of a source whose format only its content can tell: Moodle XML, or a file error. */
async function* sniffedRows(
  source: QuestionSource,
  path: string | undefined,
  options: ReadQuestionFileOptions,
): AsyncGenerator<SourceRow, void, undefined> {
  const blocks = readTextBlocks(source);
  // Blocks are whole lines: a few are enough to get past leading blank lines.
  const head: string[] = [];
  let start = "";
  while (head.length < 16 && start.length < 256) {
    const next = await blocks.next();
    if (next.done) break;
    head.push(next.value);
    start = (start + next.value).trimStart().slice(0, 4096);
  }
  if (!looksLikeXml(start)) {
    await blocks.return(undefined);
    if (path !== undefined) inferQuestionFormat(path);
    throw new QuestionFileError(`Name the format (${QUESTION_FORMATS.join(", ")}) of a stream.`);
  }
  async function* again(): AsyncGenerator<string, void, undefined> {
    yield* head;
    yield* blocks;
  }
  yield* parseMoodleXmlQuestions(again(), {
    bank: requireBank(options.bank, "Moodle XML"),
    defaults: formatDefaults(options.defaults),
  });
}

/** GIFT and Aiken cannot say topic or difficulty: they fall back to `general` and 3. */
function formatDefaults(given: QuestionDefaults | undefined): Partial<FormatDefaults> {
  return {
    topic: given?.topic ?? DEFAULTS.topic,
    difficulty: typeof given?.difficulty === "number" ? given.difficulty : DEFAULTS.difficulty,
  };
}

function requireBank(bank: QuestionBank | undefined, what: string): QuestionBank {
  if (!bank)
    throw new QuestionFileError(
      `A ${what} file cannot say which bank it is for (its short answers become grid-ins or numeric entries): name it (--bank sat or --bank gre).`,
    );
  return bank;
}

/** The parse stage alone: candidate objects per question, before validation. */
export function parseQuestionRows(
  source: QuestionSource,
  format: QuestionFormat,
  options: Pick<ReadQuestionFileOptions, "bank" | "defaults">,
): AsyncIterable<SourceRow> {
  const defaults = formatDefaults(options.defaults);
  switch (format) {
    case "json":
      return parseJsonQuestions(readTextBlocks(source), { bank: options.bank });
    case "ndjson":
      return parseNdjson(readLines(source));
    case "csv":
      return parseCsvQuestions(readTextBlocks(source));
    case "gift":
      return parseGiftQuestions(readLines(source), {
        bank: requireBank(options.bank, "GIFT"),
        defaults,
      });
    case "aiken":
      return parseAikenQuestions(readLines(source), { defaults });
    case "xml":
      return parseMoodleXmlQuestions(readTextBlocks(source), {
        bank: requireBank(options.bank, "Moodle XML"),
        defaults,
      });
  }
}
