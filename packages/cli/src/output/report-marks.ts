/** One mark per check status, the same on a terminal and in plain text. */
export const CHECK_MARK = { passed: "✔", warning: "!", failed: "✖", skipped: "-" } as const;

/** Terminal colours of check statuses and finding severities. */
export const STATUS_COLOR = {
  passed: "green",
  warning: "yellow",
  failed: "red",
  skipped: "gray",
} as const;
export const SEVERITY_COLOR = { high: "red", medium: "yellow", low: "cyan" } as const;
