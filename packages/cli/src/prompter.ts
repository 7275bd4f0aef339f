import { issueMessage } from "@skillbridge/core/contracts";
import { CliError, type MissingFlag, MissingFlagError } from "./errors.js";
import type { CliIO } from "./io.js";

type Validate = (value: string) => string | true;

/** The prompt library, loaded for the first question asked (most runs ask none). */
const inquirer = () => import("@inquirer/prompts");

/**
 * Asks for a missing value, on a terminal only. Every question names the flag
 * that answers it, so a run without a terminal (or with CI set) fails at once,
 * naming that flag, instead of hanging.
 */
export class Prompter {
  readonly #io: CliIO;
  readonly interactive: boolean;

  constructor(io: CliIO, interactive: boolean) {
    this.#io = io;
    this.interactive = interactive;
  }

  #context() {
    // Prompts go to stderr, so stdout stays clean for --json and pipes.
    return { input: this.#io.stdin, output: this.#io.stderr, clearPromptOnDone: false };
  }

  /**
   * Before the first prompt of a command: when it cannot ask, every value
   * still missing is reported at once, in one `MissingFlagError`.
   *
   * @example
   * prompt.requireAll([[input.slug, "--slug", "Academy slug"], [input.name, "--name", "Academy name"]]);
   */
  requireAll(values: readonly (readonly [given: unknown, flag: string, what: string])[]): void {
    if (this.interactive) return;
    const missing: MissingFlag[] = values
      .filter(([given]) => given === undefined)
      .map(([, flag, what]) => ({ flag, what: what.replace(/[:?]\s*$/, "") }));
    if (missing.length > 0) throw new MissingFlagError(missing);
  }

  /** The flag's value, or the answer to a prompt, or a `MissingFlagError` when it cannot ask. */
  async text(
    given: string | undefined,
    flag: string,
    message: string,
    validate?: Validate,
  ): Promise<string> {
    if (given !== undefined) return given;
    if (!this.interactive) {
      throw new MissingFlagError({ flag, what: message.replace(/[:?]\s*$/, "") });
    }
    const { input } = await inquirer();
    return input({ message, ...(validate ? { validate } : {}) }, this.#context());
  }

  /** A secret typed without echo. */
  async secret(
    given: string | undefined,
    flag: string,
    message: string,
    validate?: Validate,
  ): Promise<string> {
    if (given !== undefined) return given;
    if (!this.interactive) {
      throw new MissingFlagError({ flag, what: message.replace(/[:?]\s*$/, "") });
    }
    const { password } = await inquirer();
    return password({ message, mask: "*", ...(validate ? { validate } : {}) }, this.#context());
  }

  /**
   * A destructive step: `--yes`, or the user types `expected` (the slug) back.
   * Without a terminal and without `--yes` it refuses, naming `--yes`.
   */
  async confirmTyped(yes: boolean, expected: string, message: string): Promise<void> {
    if (yes) return;
    if (!this.interactive) {
      throw new CliError(
        `Missing --yes: ${message}`,
        "Pass --yes to confirm; there is no terminal to ask on.",
      );
    }
    const { input } = await inquirer();
    await input(
      {
        message: `${message} Type "${expected}" to confirm:`,
        validate: (value) =>
          value.trim() === expected || `Type "${expected}" exactly, or Ctrl-C to stop.`,
      },
      this.#context(),
    );
  }
}

/** Checks a prompt answer with a zod-like schema, returning its first message. */
export function validateWith(schema: {
  safeParse(
    value: unknown,
    params: { error: typeof issueMessage },
  ): { success: boolean; error?: { issues: { message: string }[] } };
}): Validate {
  return (value) => {
    const result = schema.safeParse(value, { error: issueMessage });
    return result.success || (result.error?.issues[0]?.message ?? "Invalid value");
  };
}
