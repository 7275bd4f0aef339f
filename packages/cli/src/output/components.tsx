import { Box, Text } from "ink";
import { AuditReport } from "./audit-report.js";
import type { PanelsView, SummaryView, TableView, View } from "./view.js";

interface Themed {
  /** Colours on (off with NO_COLOR, --no-color, or a dumb terminal). */
  readonly color: boolean;
}

/** A table with a bold header and columns padded to their widest cell. */
export function Table({ view, color }: { view: TableView } & Themed) {
  if (view.rows.length === 0) {
    return (
      <Text dimColor={color}>
        {view.empty}
        {view.footer ? ` (${view.footer})` : ""}
      </Text>
    );
  }
  const widths = view.columns.map((c) =>
    Math.max(c.label.length, ...view.rows.map((row) => (row[c.key] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return (
    <Box flexDirection="column">
      <Text bold>{line(view.columns.map((c) => c.label.toUpperCase()))}</Text>
      {view.rows.map((row, i) => (
        // Rows have no stable id of their own across views; the position is the identity here.
        // biome-ignore lint/suspicious/noArrayIndexKey: static output, never reordered
        <Text key={i}>{line(view.columns.map((c) => row[c.key] ?? ""))}</Text>
      ))}
      {view.footer ? <Text dimColor={color}>{view.footer}</Text> : null}
    </Box>
  );
}

/** A success summary: a ticked title, aligned fields, secrets highlighted, notes after. */
export function Summary({ view, color }: { view: SummaryView } & Themed) {
  const width = Math.max(0, ...view.fields.map(([label]) => label.length));
  const secret = new Set(view.secret ?? []);
  return (
    <Box flexDirection="column">
      <Text bold>
        {color ? <Text color="green">✔ </Text> : "✔ "}
        {view.title}
      </Text>
      {view.fields.map(([label, value]) => (
        <Text key={label}>
          {"  "}
          {color ? <Text dimColor>{label.padEnd(width)}</Text> : label.padEnd(width)}
          {"  "}
          {secret.has(label) && color ? (
            <Text color="yellow" bold>
              {value}
            </Text>
          ) : (
            value
          )}
        </Text>
      ))}
      {view.table && view.table.rows.length > 0 ? (
        <Box marginTop={1}>
          <Table view={view.table} color={color} />
        </Box>
      ) : null}
      {(view.notes ?? []).map((note) => (
        <Text key={note} {...(color ? { color: "yellow" } : {})}>
          {note}
        </Text>
      ))}
    </Box>
  );
}

/** Panels side by side, each boxed, wrapping to the next row when the terminal is narrow. */
export function Panels({ view, color }: { view: PanelsView } & Themed) {
  return (
    <Box flexDirection="column">
      <Text bold>{view.title}</Text>
      <Box flexDirection="row" flexWrap="wrap">
        {view.panels.map((panel) => (
          <Box
            key={panel.title}
            flexDirection="column"
            borderStyle="round"
            {...(color ? { borderColor: "cyan" } : {})}
            paddingX={1}
            width={40}
          >
            <Text bold>{panel.title}</Text>
            {panel.sections.map((section) => (
              <Box key={section.heading} flexDirection="column" marginTop={1}>
                <Text {...(color ? { color: "green" } : {})}>{section.heading}</Text>
                {section.lines.map((line, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: static output; two lines may read the same
                  <Text key={i} wrap="truncate-end">
                    {"  "}
                    {line}
                  </Text>
                ))}
              </Box>
            ))}
          </Box>
        ))}
      </Box>
      {(view.notes ?? []).map((note) => (
        <Text key={note} dimColor={color}>
          {note}
        </Text>
      ))}
    </Box>
  );
}

/** Any view, for a terminal. */
export function ViewComponent({ view, color }: { view: View } & Themed) {
  if (view.kind === "table") return <Table view={view} color={color} />;
  if (view.kind === "summary") return <Summary view={view} color={color} />;
  if (view.kind === "panels") return <Panels view={view} color={color} />;
  if (view.kind === "report") return <AuditReport view={view} color={color} />;
  return <Text>{view.text}</Text>;
}
