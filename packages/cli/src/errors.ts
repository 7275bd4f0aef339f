import { isSkillBridgeError } from "@skillbridge/sdk";

import { EXIT } from "./exit-codes.js";

export { EXIT };

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

/** A flag a prompt would ask for, and what it is. */
export interface MissingFlag {
  readonly flag: string;
  readonly what: string;
}

/**
 * Values that prompts would ask for, in a run that cannot prompt: all of
 * them in one line, so one correction fixes the command.
 */
export class MissingFlagError extends CliError {
  readonly flags: readonly string[];
  constructor(missing: MissingFlag | readonly MissingFlag[]) {
    const all = Array.isArray(missing) ? missing : [missing as MissingFlag];
    const named = all.map(({ flag, what }) => `${flag} (${what.replace(/[\s.:?]+$/, "")})`);
    const list =
      named.length > 1 ? `${named.slice(0, -1).join(", ")} and ${named.at(-1)}` : named[0];
    super(
      `Missing ${list}.`,
      `Pass ${all.length > 1 ? "them as flags" : "it as a flag"} (prompts need an interactive terminal, and never run with CI set).`,
    );
    this.flags = all.map((m) => m.flag);
  }
}

/** What an error message may need to know about the run (see `Session.errorContext`). */
export interface ErrorContext {
  /** A stored login for another server than the one talked to: its token was not sent. */
  readonly loginMismatch?: { readonly loginUrl: string; readonly apiUrl: string } | undefined;
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

/** `path: message`, or the message alone when it already names its field ("email is missing"). */
export function fieldProblemLine(error: {
  readonly path: string;
  readonly message: string;
}): string {
  return error.path && !error.message.startsWith(error.path)
    ? `${error.path}: ${error.message}`
    : error.message;
}

function fieldList(errors: readonly { path: string; message: string }[]): string {
  return errors.map(fieldProblemLine).join("; ");
}

/**
 * Turns anything thrown into a CLI error: the API's refusals (4xx) and connection
 * problems become fixable errors with a next step, server faults and unknown
 * exceptions become bugs.
 */
export function toCliError(
  error: unknown,
  context: ErrorContext = {},
): CliError | BugError | InterruptedError {
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
    if (status === 401 && context.loginMismatch) {
      const { loginUrl, apiUrl } = context.loginMismatch;
      return new CliError(
        `Not signed in to ${apiUrl}: your stored login is for ${loginUrl}, and a token is only sent to the server that issued it (${detail})`,
        `Use --api-url ${loginUrl}, or \`skillbridge login --api-url ${apiUrl}\`.`,
      );
    }
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
