import type { StoredQuestion } from "./stored-question.js";

/** COPY's text format escapes: backslash, and the tab, newline and return that delimit. */
function field(value: string | null): string {
  if (value === null) return "\\N";
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
      )
    : value;
}

/** A text[] literal: every element quoted, `"` and `\` escaped inside. */
function textArray(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

/** One question as a line of COPY text, columns in `IMPORT_COLUMNS` order. */
export function copyRow(q: StoredQuestion): string {
  return `${[
    q.bank,
    q.external_id,
    q.type,
    q.topic,
    q.standard_id,
    q.section,
    String(q.difficulty),
    q.prompt,
    q.passage,
    q.explanation,
    q.content,
    q.answer,
    textArray(q.tags),
    q.content_hash,
    q.format,
  ]
    .map(field)
    .join("\t")}\n`;
}
