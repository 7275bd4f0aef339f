import { CHECK_MARK } from "./report-marks.js";
import type { ReportView, View } from "./view.js";

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
    case "panels": {
      const lines = [view.title];
      for (const panel of view.panels) {
        lines.push("", `== ${panel.title}`);
        for (const section of panel.sections) {
          lines.push(section.heading, ...section.lines.map((line) => `  ${clean(line)}`));
        }
      }
      if (view.notes?.length) lines.push("", ...view.notes);
      return `${lines.join("\n")}\n`;
    }
    case "report":
      return renderReportPlain(view);
    case "summary": {
      const lines = [view.title, ...view.fields.map(([label, value]) => `${label}: ${value}`)];
      if (view.table?.rows.length) {
        // Rows only, as every piped table: no header line to skip.
        const table = view.table;
        lines.push(
          ...table.rows.map((row) => table.columns.map((c) => clean(row[c.key] ?? "")).join("\t")),
        );
      }
      if (view.notes?.length) lines.push(...view.notes);
      return `${lines.join("\n")}\n`;
    }
  }
}

// A tab or newline inside a value would break the row format.
function clean(value: string): string {
  return value.replace(/[\t\r\n]+/g, " ");
}

/** An audit report: the verdict, one line per check, then each finding with its object and fix. */
function renderReportPlain(view: ReportView): string {
  const lines = [view.title, ""];
  for (const check of view.checks) {
    lines.push(`${CHECK_MARK[check.status]} ${check.title} (${check.status}): ${check.summary}`);
  }
  for (const group of view.groups) {
    lines.push("", `${group.severity.toUpperCase()} (${group.findings.length})`);
    for (const finding of group.findings) {
      lines.push(`- ${finding.object} [${finding.check}]`);
      lines.push(`  ${finding.detail}`);
      lines.push(`  fix: ${finding.fix}`);
    }
  }
  if (view.footer) lines.push("", view.footer);
  return `${lines.join("\n")}\n`;
}
