/** What a command shows, independent of how: Ink on a terminal, plain text on a pipe. */
export type View = TableView | SummaryView | TextView | PanelsView | ReportView;

export interface TableView {
  readonly kind: "table";
  readonly columns: readonly { readonly key: string; readonly label: string }[];
  readonly rows: readonly Readonly<Record<string, string>>[];
  /** Shown instead of an empty table. */
  readonly empty: string;
  /** A line under the table on a terminal (which server answered); never on a pipe. */
  readonly footer?: string;
}

export interface SummaryView {
  readonly kind: "summary";
  readonly title: string;
  readonly fields: readonly (readonly [label: string, value: string])[];
  /** Lines after the fields, e.g. "shown once: store it now". */
  readonly notes?: readonly string[];
  /** Fields whose value is a secret shown once: highlighted on a terminal. */
  readonly secret?: readonly string[];
  /** A table after the fields (e.g. an import's rejected rows). */
  readonly table?: TableView;
}

/** A bare value (a token) that scripts capture: printed as is, even with --quiet. */
export interface TextView {
  readonly kind: "text";
  readonly text: string;
}

/** Side-by-side panels (the demo's four role views); stacked on a narrow terminal or a pipe. */
export interface PanelsView {
  readonly kind: "panels";
  readonly title: string;
  readonly panels: readonly {
    readonly title: string;
    readonly sections: readonly { readonly heading: string; readonly lines: readonly string[] }[];
  }[];
  readonly notes?: readonly string[];
}

/** An audit: a verdict, each check with its status, findings grouped by severity. */
export interface ReportView {
  readonly kind: "report";
  readonly title: string;
  /** The verdict: no high finding. */
  readonly ok: boolean;
  readonly checks: readonly {
    readonly title: string;
    readonly status: "passed" | "warning" | "failed" | "skipped";
    readonly summary: string;
  }[];
  /** A closing line (which server answered). */
  readonly footer?: string;
  /** Non-empty groups only, high first. */
  readonly groups: readonly {
    readonly severity: "high" | "medium" | "low";
    readonly findings: readonly {
      readonly check: string;
      readonly object: string;
      readonly detail: string;
      readonly fix: string;
    }[];
  }[];
}

/** A command's result: the data (`--json` prints exactly this) and how to show it. */
export interface CommandOutput<T = unknown> {
  readonly data: T;
  readonly view: View;
  /** The process's exit code when the command completed but its verdict is a failure (an audit). */
  readonly exitCode?: number;
  /**
   * What `--quiet` prints: the values a script needs, tab-separated on one
   * line (an id and a one-time password). Without it, quiet prints nothing
   * but a `text` view.
   */
  readonly quiet?: string;
}
