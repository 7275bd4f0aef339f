import type { View } from "./view.js";

/**
 * Plain text for pipes and files: tables as tab-separated rows without a header
 * (as gh does when stdout is not a terminal), summaries as `label: value` lines,
 * no colour, no animation.
 */
export function renderPlain(view: View): string {
  switch (view.kind) {
    case "text":
      return `${view.text}\n`;
    case "table":
      if (view.rows.length === 0) return "";
      return `${view.rows.map((row) => view.columns.map((c) => clean(row[c.key] ?? "")).join("\t")).join("\n")}\n`;
    case "summary": {
      const lines = [view.title, ...view.fields.map(([label, value]) => `${label}: ${value}`)];
      if (view.notes?.length) lines.push(...view.notes);
      return `${lines.join("\n")}\n`;
    }
  }
}

// A tab or newline inside a value would break the row format.
function clean(value: string): string {
  return value.replace(/[\t\r\n]+/g, " ");
}
