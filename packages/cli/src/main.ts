import { type Command, CommanderError } from "commander";
import { EXIT } from "./exit-codes.js";
import { type CliIO, processIO } from "./io.js";
import { errorLine, stderrColor } from "./output/error-line.js";
import { buildProgram, type RunState } from "./program.js";

export { exitWhenFlushed } from "./exit.js";

const REPORT_URL = "https://github.com/skillbridge/skillbridge/issues";

/**
 * Runs `skillbridge` with `argv` (as `process.argv`) and returns the exit code.
 * Never throws: fixable errors print one `Error:` line (exit 1), bugs print
 * "please report" with the request id (exit 70), a stack trace only with --verbose.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const color = stderrColor(io, argv);
  const state: RunState = { session: undefined, exitCode: EXIT.ok };
  const program = buildProgram(io, state, { errorColor: color });
  const verbose = argv.includes("--verbose");
  try {
    await program.parseAsync([...argv]);
    return state.exitCode;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Commander already printed its message (unknown option, missing argument, help).
      if (thrown.exitCode === 0) return EXIT.ok;
      io.stderr.write(`Run \`${helpCommand(program, argv.slice(2))}\` for usage.\n`);
      return EXIT.failure;
    }
    // Loaded only on failure: the mapping reads the SDK's error classes.
    const { BugError, toCliError } = await import("./errors.js");
    const error = toCliError(thrown, state.session?.errorContext());
    if (error instanceof BugError) {
      const sentence = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
      const requestId = error.requestId ? ` Request id ${error.requestId}.` : "";
      io.stderr.write(
        errorLine(
          `${sentence}${requestId} This is a bug: please report it at ${REPORT_URL}`,
          color,
        ),
      );
      if (verbose) {
        const cause = error.cause instanceof Error ? error.cause : error;
        io.stderr.write(`${cause.stack ?? String(cause)}\n`);
      } else {
        io.stderr.write("Rerun with --verbose for details.\n");
      }
      return error.exitCode;
    }
    const hint = "hint" in error && error.hint ? ` ${error.hint}` : "";
    io.stderr.write(errorLine(`${error.message}${hint}`, color));
    return error.exitCode;
  } finally {
    await state.session?.close().catch(() => {});
  }
}

/**
 * The help of the command a usage error is about: `skillbridge tenants list
 * --help` for `tenants list --nope`, the top-level help when no command was named.
 */
function helpCommand(program: Command, args: readonly string[]): string {
  let command = program;
  const names = ["skillbridge"];
  for (const arg of args) {
    if (arg.startsWith("-")) continue;
    const sub = command.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!sub) continue;
    command = sub;
    names.push(sub.name());
  }
  return [...names, "--help"].join(" ");
}
