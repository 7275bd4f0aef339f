import type { ExamQuestion, QuestionInput } from "../contracts/index.js";
import { CSV_COLUMNS } from "./formats/csv.js";

/**
 * Exporting the bank in the importers' own formats (docs/question-banks.md,
 * "Export"): each question becomes the canonical input object it would be
 * imported from, so an exported file re-imports with every question
 * `unchanged` (same content hash). Ids, timestamps and `retiredAt` are the
 * bank's, not the question's, and are left out.
 */

/** The file formats `questions export` writes. */
export const EXPORT_FORMATS = ["json", "ndjson", "csv"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The input object a stored question is imported from: every field the
 * content hash covers, in the model's field order, and nothing else.
 *
 * @example
 * const input = toQuestionInput(await client.questions.get(id));
 */
export function toQuestionInput(q: ExamQuestion): QuestionInput {
  const common = {
    externalId: q.externalId,
    bank: q.bank,
    ...(q.section === null ? {} : { section: q.section }),
    prompt: q.prompt,
    topic: q.topic,
    ...(q.standardId === null ? {} : { standardId: q.standardId }),
    difficulty: q.difficulty,
    ...(q.explanation === null ? {} : { explanation: q.explanation }),
    ...(q.passage === null ? {} : { passage: q.passage }),
    ...(q.tags.length === 0 ? {} : { tags: [...q.tags] }),
  };
  const options = (list: readonly { id: string; text: string }[]) =>
    list.map(({ id, text }) => ({ id, text }));
  switch (q.type) {
    case "multiple_choice":
      return { ...common, type: q.type, options: options(q.options), answer: q.answer };
    case "multi_select":
    case "sentence_equivalence":
      return { ...common, type: q.type, options: options(q.options), answer: [...q.answer] };
    case "quantitative_comparison":
      return {
        ...common,
        type: q.type,
        quantityA: q.quantityA,
        quantityB: q.quantityB,
        answer: q.answer,
      };
    case "numeric_entry":
      return {
        ...common,
        type: q.type,
        answer: q.answer,
        ...(q.tolerance === undefined ? {} : { tolerance: q.tolerance }),
      };
    case "grid_in":
      return { ...common, type: q.type, answer: [...q.answer] };
    case "text_completion":
      return {
        ...common,
        type: q.type,
        blanks: q.blanks.map((blank) => ({ options: options(blank.options) })),
        answer: [...q.answer],
      };
    case "select_in_passage":
      return { ...common, type: q.type, sentences: [...q.sentences], answer: q.answer };
  }
}

/** A question that the CSV layout cannot hold (option ids other than A, B, C… in order). */
export class CsvExportError extends Error {
  override readonly name = "CsvExportError";
}

const LETTERS = "ABCDEFGHI";

/** RFC 4180: quoted when it holds a comma, a quote, a line break or edge spaces. */
function cell(value: string | number | undefined): string {
  if (value === undefined) return "";
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A `|`-separated list cell, with `\` and `|` escaped as the CSV reader unescapes them. */
const list = (items: readonly (string | number)[]) =>
  items.map((item) => String(item).replace(/[\\|]/g, (c) => `\\${c}`)).join("|");

/** The CSV header line `toCsvLine` rows follow. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(",")}\n`;
}

/**
 * One question as a CSV line in `CSV_COLUMNS` order (see `formats/csv.ts`).
 * Throws `CsvExportError` for what the CSV layout cannot express, so the
 * caller can say which question needs JSON instead.
 */
export function toCsvLine(q: ExamQuestion): string {
  const input = toQuestionInput(q) as Record<string, unknown> & QuestionInput;
  const cells = new Map<string, string | number | undefined>();
  for (const key of [
    "externalId",
    "bank",
    "section",
    "type",
    "prompt",
    "topic",
    "standardId",
    "difficulty",
    "explanation",
    "passage",
    "quantityA",
    "quantityB",
    "tolerance",
  ])
    cells.set(key, input[key] as string | number | undefined);
  if (input.tags) cells.set("tags", list(input.tags));
  const lettered = (options: readonly { id: string; text: string }[], from = 0) => {
    options.forEach((option, i) => {
      const letter = LETTERS.charAt(from + i);
      if (option.id !== letter)
        throw new CsvExportError(
          `${q.externalId}: option "${option.id}" would have to be "${letter || "a tenth option"}" in CSV`,
        );
      cells.set(`option${letter}`, option.text);
    });
  };
  switch (input.type) {
    case "multiple_choice":
      lettered(input.options);
      cells.set("answer", input.answer);
      break;
    case "multi_select":
    case "sentence_equivalence":
      lettered(input.options);
      cells.set("answer", list(input.answer));
      break;
    case "text_completion":
      if (input.blanks.length === 1) lettered(input.blanks[0]?.options ?? []);
      else
        input.blanks.forEach((blank, b) => {
          if (blank.options.length !== 3)
            throw new CsvExportError(`${q.externalId}: each blank needs exactly 3 options in CSV`);
          lettered(blank.options, 3 * b);
        });
      cells.set("answer", list(input.answer));
      break;
    case "grid_in":
      cells.set("answer", list(input.answer as string[]));
      break;
    case "select_in_passage":
      cells.set("sentences", list(input.sentences));
      cells.set("answer", input.answer);
      break;
    default:
      cells.set("answer", input.answer as string);
  }
  return `${CSV_COLUMNS.map((column) => cell(cells.get(column))).join(",")}\n`;
}
