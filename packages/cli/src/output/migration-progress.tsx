import type { TenantMigrationEvent } from "@skillbridge/core";
import { Box, render, Text } from "ink";
import type { CliIO } from "../io.js";

export interface MigrationProgressState {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly running: readonly string[];
}

const WIDTH = 30;

/** `[██████░░░░] 12/100 schemas · 4 running · 0 failed`, and the schemas in flight. */
export function MigrationProgress({
  state,
  color,
}: {
  readonly state: MigrationProgressState;
  readonly color: boolean;
}) {
  const filled = state.total === 0 ? WIDTH : Math.round((WIDTH * state.completed) / state.total);
  return (
    <Box flexDirection="column">
      <Text>
        {color ? (
          <Text color="green">{"█".repeat(filled)}</Text>
        ) : (
          <Text>{"█".repeat(filled)}</Text>
        )}
        <Text dimColor={color}>{"░".repeat(WIDTH - filled)}</Text>
        {` ${state.completed}/${state.total} schemas · ${state.running.length} running · ${state.failed} failed`}
      </Text>
      {state.running.length > 0 ? (
        <Text dimColor={color}>{`  migrating ${state.running.join(", ")}`}</Text>
      ) : null}
    </Box>
  );
}

/** The Ink progress bar on stderr, for `migrationReporter` on a terminal (migration-reporter.ts). */
export function terminalMigrationReporter(io: CliIO, options: { color: boolean }) {
  let state: MigrationProgressState = { total: 0, completed: 0, failed: 0, running: [] };
  let finished = false;
  const instance = render(<MigrationProgress state={state} color={options.color} />, {
    stdout: io.stderr as NodeJS.WriteStream,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  const update = (next: MigrationProgressState) => {
    state = next;
    instance.rerender(<MigrationProgress state={state} color={options.color} />);
  };
  return {
    onEvent: (event: TenantMigrationEvent) => {
      if (event.type === "plan") update({ ...state, total: event.behind });
      else if (event.type === "start")
        update({ ...state, running: [...state.running, event.schema] });
      else {
        update({
          ...state,
          completed: event.completed,
          failed: state.failed + (event.type === "failed" ? 1 : 0),
          running: state.running.filter((s) => s !== event.schema),
        });
      }
    },
    done: () => {
      if (finished) return;
      finished = true;
      instance.unmount();
    },
  };
}
