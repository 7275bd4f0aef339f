import { isSkillBridgeError } from "@skillbridge/sdk";

/**
 * Exit codes (documented in `--help`): 0 success, 1 a failure the user can fix
 * (bad input, a refused request, a missing flag), 70 a bug (please report),
 * 130 interrupted.
 */
export const EXIT = { ok: 0, failure: 1, bug: 70, interrupted: 130 } as const;

/** A failure the user can fix: one line saying what went wrong and what to do. Exit 1. */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: number = EXIT.failure;
  constructor(
    message: string,
    /** The next step, shown after the message. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A value that a prompt would ask for, in a run that cannot prompt. */
export class MissingFlagError extends CliError {
  constructor(flag: string, what: string) {
    super(
      `Missing ${flag} (${what.replace(/[\s.:?]+$/, "")}).`,
      "Pass it as a flag (prompts need an interactive terminal, and never run with CI set).",
    );
  }
}

/** Something that should not happen: exit 70 with "please report" and the request id. */
export class BugError extends Error {
  override readonly name = "BugError";
  readonly exitCode: number = EXIT.bug;
  constructor(
    message: string,
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The user pressed Ctrl-C at a prompt. */
export class InterruptedError extends Error {
  override readonly name = "InterruptedError";
  readonly exitCode: number = EXIT.interrupted;
}

function fieldList(errors: readonly { path: string; message: string }[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ");
}

/**
 * Turns anything thrown into a CLI error: the API's refusals (4xx) and connection
 * problems become fixable errors with a next step, server faults and unknown
 * exceptions become bugs.
 */
export function toCliError(error: unknown): CliError | BugError | InterruptedError {
  if (error instanceof CliError || error instanceof BugError || error instanceof InterruptedError) {
    return error;
  }
  if (error instanceof Error && error.name === "ExitPromptError") {
    return new InterruptedError("Interrupted.");
  }
  if (isSkillBridgeError(error)) {
    const detail = error.problem?.detail ?? error.message;
    switch (error.code) {
      case "connection_error":
        return new CliError(
          `Cannot reach the SkillBridge API: ${error.message}`,
          "Check --api-url / SKILLBRIDGE_API_URL, or unset it to use the local database.",
        );
      case "timeout":
        return new CliError(`The SkillBridge API did not answer in time.`, "Try again.");
      default:
        break;
    }
    const status = error.status ?? 0;
    if (status === 401) {
      return new CliError(
        `Not signed in, or the session expired (${detail})`,
        "Run `skillbridge login`, or set SKILLBRIDGE_TOKEN.",
      );
    }
    if (status === 403) {
      return new CliError(detail, "Check who you are signed in as: `skillbridge whoami`.");
    }
    if (status === 429) {
      const retryAfter = (error as { retryAfter?: number | null }).retryAfter;
      return new CliError(
        "Too many requests.",
        retryAfter ? `Retry in ${retryAfter} s.` : "Retry in a moment.",
      );
    }
    if (status >= 400 && status < 500) {
      const fields = error.problem?.errors ?? [];
      return new CliError(fields.length ? `${detail} (${fieldList(fields)})` : detail);
    }
    return new BugError(
      `The server failed (${status || error.code}): ${detail}`,
      error.requestId ?? undefined,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BugError(message, undefined, { cause: error });
}
