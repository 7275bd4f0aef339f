import { once } from "node:events";
import { type CsvError, parse } from "csv-parse";
import { type FieldProblem, QuestionFileError } from "../../errors.js";
import { position, type SourceRow } from "../rows.js";

/**
 * CSV with a header row. Columns (any order, case and `_`/`-`/space
 * insensitive): prompt and answer, and as the rows need them externalId
 * (made from the content when absent), type (multiple choice when there are
 * choices), topic, difficulty (1-5 or easy|medium|hard), bank, section,
 * format (plain, markdown, html),
 * standardId, explanation, passage, tags, optionA..optionI or choices,
 * quantityA, quantityB, tolerance, sentences. Lists (answer, tags, sentences, choices)
 * are separated by `|` (write `\|` for a literal bar). Empty cells are absent.
 * Quoted fields may hold commas, quotes (`""`) and line breaks.
 */
export const CSV_COLUMNS = [
  "externalId",
  "bank",
  "section",
  "format",
  "type",
  "prompt",
  "topic",
  "standardId",
  "difficulty",
  "explanation",
  "passage",
  "tags",
  "optionA",
  "optionB",
  "optionC",
  "optionD",
  "optionE",
  "optionF",
  "optionG",
  "optionH",
  "optionI",
  "answer",
  "quantityA",
  "quantityB",
  "tolerance",
  "sentences",
  "choices",
] as const;

type Column = (typeof CSV_COLUMNS)[number];
// The rest may come from defaults (topic, difficulty), the content (externalId) or the choices (type).
const REQUIRED: readonly Column[] = ["prompt", "answer"];
const OPTION_LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H", "I"] as const;
const normalise = (name: string) => name.toLowerCase().replace(/[\s_-]/g, "");
const BY_NAME = new Map(CSV_COLUMNS.map((column) => [normalise(column), column]));

/** Splits `a|b\|c` into ["a", "b|c"], trimming each part and dropping empty ones. */
export function splitList(cell: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charAt(i);
    if (c === "\\" && (cell.charAt(i + 1) === "|" || cell.charAt(i + 1) === "\\")) {
      current += cell.charAt(++i);
    } else if (c === "|") {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

/** A cell's number if it is one, else the text (validation then names the field). */
function numeric(cell: string): number | string {
  return /^-?(\d+\.?\d*|\.\d+)$/.test(cell) ? Number(cell) : cell;
}

type Conversion =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly errors: FieldProblem[] };

/** Turns one record into the canonical question object (validation comes after). */
function toQuestion(cells: ReadonlyMap<Column, string>): Conversion {
  const out: Record<string, unknown> = {};
  for (const column of [
    "externalId",
    "bank",
    "section",
    "format",
    "type",
    "prompt",
    "topic",
    "standardId",
    "explanation",
    "passage",
    "quantityA",
    "quantityB",
  ] as const) {
    const value = cells.get(column);
    if (value !== undefined) out[column] = value;
  }
  const difficulty = cells.get("difficulty");
  if (difficulty !== undefined) out.difficulty = numeric(difficulty);
  const choices = cells.get("choices");
  if (choices !== undefined) out.choices = splitList(choices);
  const tags = cells.get("tags");
  if (tags !== undefined) out.tags = splitList(tags);
  const tolerance = cells.get("tolerance");
  if (tolerance !== undefined) out.tolerance = numeric(tolerance);
  const sentences = cells.get("sentences");
  if (sentences !== undefined) out.sentences = splitList(sentences);

  const options = OPTION_LETTERS.flatMap((id) => {
    const text = cells.get(`option${id}`);
    return text === undefined ? [] : [{ id, text }];
  });
  const gap = options.findIndex((option, i) => option.id !== OPTION_LETTERS[i]);
  if (gap !== -1) {
    const missing = OPTION_LETTERS[gap] ?? "";
    return {
      ok: false,
      errors: [
        {
          path: `option${missing}`,
          message: `option${missing} is empty but a later option is set.`,
        },
      ],
    };
  }
  const answer = cells.get("answer");
  if (answer === undefined) {
    if (options.length > 0) out.options = options;
    return { ok: true, value: out };
  }
  switch (out.type) {
    case "multiple_choice":
    case "quantitative_comparison":
    case "numeric_entry":
      out.answer = answer;
      break;
    case "select_in_passage":
      out.answer = numeric(answer);
      break;
    case "text_completion": {
      const answers = splitList(answer);
      out.answer = answers;
      if (answers.length <= 1) {
        out.blanks = [{ options }];
        return { ok: true, value: out };
      }
      // Two or three blanks take three options each: A-C, D-F, G-I.
      const stray = options[3 * answers.length];
      if (stray) {
        return {
          ok: false,
          errors: [
            {
              path: `option${stray.id}`,
              message: `option${stray.id} is set but ${answers.length} blanks use options A-${OPTION_LETTERS[3 * answers.length - 1]}.`,
            },
          ],
        };
      }
      out.blanks = answers.map((_, b) => ({ options: options.slice(3 * b, 3 * b + 3) }));
      return { ok: true, value: out };
    }
    case undefined:
      // The hand-made shape: a list answer is a multi-select, one value a multiple choice.
      out.answer = answer.includes("|") ? splitList(answer) : answer;
      break;
    default:
      out.answer = splitList(answer);
  }
  if (options.length > 0) out.options = options;
  return { ok: true, value: out };
}

/** Reads the header: every column known, none twice, the required ones present. */
function readHeader(record: readonly string[], line: number): (Column | undefined)[] {
  const columns = record.map((name) => BY_NAME.get(normalise(name)));
  const unknown = record.filter((_, i) => columns[i] === undefined && record[i]?.trim() !== "");
  if (unknown.length > 0) {
    throw new QuestionFileError(
      `Unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")}. Columns are: ${CSV_COLUMNS.join(", ")}.`,
      line,
    );
  }
  const seen = new Set<Column>();
  for (const column of columns) {
    if (column === undefined) continue;
    if (seen.has(column)) throw new QuestionFileError(`Column "${column}" appears twice.`, line);
    seen.add(column);
  }
  const missing = REQUIRED.filter((column) => !seen.has(column));
  if (missing.length > 0)
    throw new QuestionFileError(
      `Missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`,
      line,
    );
  return columns;
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/**
 * Streams CSV records as candidate questions (csv-parse underneath). A record
 * with more cells than the header is rejected alone. Broken quoting (a stray
 * quote after a closing one, a quote never closed) is a file-level error
 * naming the line: after it, no parser can tell where records start again.
 */
export async function* parseCsvQuestions(
  blocks: AsyncIterable<string>,
): AsyncGenerator<SourceRow, void, undefined> {
  // The first quoting error, kept rather than thrown so that the records parsed before it
  // (already queued in the stream) still reach the caller; see `quotingError` below.
  let broken: QuestionFileError | undefined;
  const parser = parse({
    bom: true,
    raw: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    record_delimiter: "\n",
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined, raw: unknown) => {
      if (!broken && error) broken = quotingError(error, typeof raw === "string" ? raw : "");
      return undefined;
    },
  });
  // Feed the parser from the source, respecting back-pressure; errors end the parse.
  const stop = new AbortController();
  const feeding = (async () => {
    for await (const block of blocks) {
      if (stop.signal.aborted) return;
      if (!parser.write(block)) await once(parser, "drain", { signal: stop.signal });
    }
    parser.end();
  })().catch((error: unknown) => {
    if (!stop.signal.aborted) parser.destroy(error as Error);
  });

  let header: (Column | undefined)[] | undefined;
  let index = 0;
  try {
    for await (const { record, raw, info } of parser as AsyncIterable<{
      record: string[];
      raw: string;
      info: { lines: number };
    }>) {
      // `info.lines` is the record's last line; its first is that minus the breaks inside it.
      const line = info.lines - newlines(raw.replace(/^\n+/, "").replace(/\n$/, ""));
      // Past a quoting error no parser can tell where records start again: stop there.
      if (broken && line >= (broken.line ?? 0)) throw broken;
      if (!header) {
        header = readHeader(record, line);
        continue;
      }
      if (record.length > header.length) {
        yield {
          ...position(index++, line),
          ok: false,
          errors: [
            {
              path: "",
              message: `This row has ${record.length} cells but the header has ${header.length} columns (an unquoted comma?).`,
            },
          ],
        };
        continue;
      }
      const cells = new Map<Column, string>();
      record.forEach((cell, i) => {
        const column = header?.[i];
        const value = cell.trim();
        if (column !== undefined && value.length > 0) cells.set(column, value);
      });
      const at = position(index++, line, cells.get("externalId"));
      const converted = toQuestion(cells);
      yield converted.ok
        ? { ...at, ok: true, value: converted.value }
        : { ...at, ok: false, errors: converted.errors };
    }
  } finally {
    // Also when the consumer stops early: release the source instead of waiting on it.
    stop.abort();
    parser.destroy();
    await feeding;
  }
  if (broken) throw broken;
  if (!header) throw new QuestionFileError("The CSV is empty: it needs a header row.");
}

/** A csv-parse error as a file-level error on the line where the broken record starts. */
function quotingError(error: CsvError, raw: string): QuestionFileError {
  const lines = (error as CsvError & { lines?: number }).lines;
  const start =
    lines === undefined ? undefined : lines - newlines(raw.replace(/^\n+/, "").replace(/\n$/, ""));
  return new QuestionFileError(
    `The CSV cannot be read from here: ${error.message.replace(/ at line \d+/, "")}. Check the quoting (a quote inside a field is written "").`,
    start,
    { cause: error },
  );
}
