import { CommanderError } from "commander";
import { BugError, EXIT, toCliError } from "./errors.js";
import { type CliIO, processIO } from "./io.js";
import { buildProgram, type RunState } from "./program.js";

const REPORT_URL = "https://github.com/skillbridge/skillbridge/issues";

/**
 * Runs `skillbridge` with `argv` (as `process.argv`) and returns the exit code.
 * Never throws: fixable errors print one line (exit 1), bugs print "please
 * report" with the request id (exit 70), a stack trace only with --verbose.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const state: RunState = { session: undefined, exitCode: EXIT.ok };
  const program = buildProgram(io, state);
  const verbose = argv.includes("--verbose");
  try {
    await program.parseAsync([...argv]);
    return state.exitCode;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Commander already printed its message (unknown option, missing argument, help).
      if (thrown.exitCode === 0) return EXIT.ok;
      io.stderr.write("Run `skillbridge --help` for usage.\n");
      return EXIT.failure;
    }
    const error = toCliError(thrown);
    if (error instanceof BugError) {
      const requestId = error.requestId ? ` (request id ${error.requestId})` : "";
      io.stderr.write(
        `Unexpected error: ${error.message}${requestId}. Please report it: ${REPORT_URL}\n`,
      );
      if (verbose) {
        const cause = error.cause instanceof Error ? error.cause : error;
        io.stderr.write(`${cause.stack ?? String(cause)}\n`);
      } else {
        io.stderr.write("Rerun with --verbose for details.\n");
      }
      return error.exitCode;
    }
    if ("hint" in error && error.hint) io.stderr.write(`Error: ${error.message} ${error.hint}\n`);
    else io.stderr.write(`Error: ${error.message}\n`);
    return error.exitCode;
  } finally {
    await state.session?.close().catch(() => {});
  }
}
