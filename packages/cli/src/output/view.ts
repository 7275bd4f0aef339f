/** What a command shows, independent of how: Ink on a terminal, plain text on a pipe. */
export type View = TableView | SummaryView | TextView;

export interface TableView {
  readonly kind: "table";
  readonly columns: readonly { readonly key: string; readonly label: string }[];
  readonly rows: readonly Readonly<Record<string, string>>[];
  /** Shown instead of an empty table. */
  readonly empty: string;
}

export interface SummaryView {
  readonly kind: "summary";
  readonly title: string;
  readonly fields: readonly (readonly [label: string, value: string])[];
  /** Lines after the fields, e.g. "shown once: store it now". */
  readonly notes?: readonly string[];
  /** Fields whose value is a secret shown once: highlighted on a terminal. */
  readonly secret?: readonly string[];
}

/** A bare value (a token) that scripts capture: printed as is, even with --quiet. */
export interface TextView {
  readonly kind: "text";
  readonly text: string;
}

/** A command's result: the data (`--json` prints exactly this) and how to show it. */
export interface CommandOutput<T = unknown> {
  readonly data: T;
  readonly view: View;
}
