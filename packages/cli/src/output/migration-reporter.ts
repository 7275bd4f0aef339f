import type { TenantMigrationEvent } from "@skillbridge/core";
import type { CliIO } from "../io.js";

/** One plain line per finished schema, for a pipe or a log file. */
export function progressLine(event: TenantMigrationEvent, total: number): string | null {
  if (event.type === "plan") return `${event.behind} of ${event.total} tenant schemas to migrate`;
  if (event.type === "done") {
    const applied = event.applied.length > 0 ? event.applied.join(", ") : "nothing to apply";
    return `[${event.completed}/${total}] ${event.schema}: ${applied} (${Math.round(event.ms)} ms)`;
  }
  if (event.type === "failed")
    return `[${event.completed}/${total}] ${event.schema}: FAILED ${event.error}`;
  return null;
}

/**
 * Shows the runner's events on stderr: an Ink progress bar when stderr is a
 * terminal, plain lines otherwise; nothing when `enabled` is false.
 */
export async function migrationReporter(
  io: CliIO,
  options: { enabled: boolean; color: boolean },
): Promise<{ onEvent(event: TenantMigrationEvent): void; done(): void }> {
  if (!options.enabled) return { onEvent: () => {}, done: () => {} };
  if (io.stderr.isTTY) {
    // Ink only for a person at a terminal (see output/terminal-ui.ts).
    const { terminalMigrationReporter } = await import("./migration-progress.js");
    return terminalMigrationReporter(io, options);
  }
  let total = 0;
  return {
    onEvent: (event) => {
      if (event.type === "plan") total = event.behind;
      const line = progressLine(event, total);
      if (line) io.stderr.write(`${line}\n`);
    },
    done: () => {},
  };
}
