import { render, Text } from "ink";
import Spinner from "ink-spinner";
import { createElement } from "react";
import { readLogin } from "./config-store.js";
import type { Connection } from "./connection/connection.js";
import { openEmbedded } from "./connection/embedded.js";
import { openRemote } from "./connection/remote.js";
import { type CliIO, isCI } from "./io.js";
import { ViewComponent } from "./output/components.js";
import { renderPlain } from "./output/plain.js";
import type { CommandOutput } from "./output/view.js";
import { Prompter } from "./prompter.js";

/** The global flags (see `skillbridge --help`). */
export interface GlobalOptions {
  readonly json: boolean;
  readonly yes: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** Colours: off with `--no-color` or `NO_COLOR`. */
  readonly color: boolean;
  readonly apiUrl?: string | undefined;
  readonly dataDir?: string | undefined;
}

export const DEFAULT_DATA_DIR = ".skillbridge";

/**
 * One CLI run: its streams, flags, prompter and (opened on first use) its
 * connection to the API, embedded or remote.
 */
export class Session {
  readonly io: CliIO;
  readonly options: GlobalOptions;
  readonly prompt: Prompter;
  #connection: Promise<Connection> | undefined;

  constructor(io: CliIO, options: GlobalOptions) {
    this.io = io;
    this.options = options;
    this.prompt = new Prompter(io, Boolean(io.stdin.isTTY) && !isCI(io.env));
  }

  /** `--data-dir`, else `SKILLBRIDGE_DATA_DIR`, else `./.skillbridge`. */
  get dataDir(): string {
    return this.options.dataDir || this.io.env.SKILLBRIDGE_DATA_DIR || DEFAULT_DATA_DIR;
  }

  /** `--api-url`, else `SKILLBRIDGE_API_URL`, else the stored login's server; none: embedded mode. */
  get apiUrl(): string | undefined {
    return this.options.apiUrl || this.io.env.SKILLBRIDGE_API_URL || readLogin(this.io.env)?.apiUrl;
  }

  /** The API connection, opened once per run. */
  connect(): Promise<Connection> {
    this.#connection ??= (async () => {
      const apiUrl = this.apiUrl;
      if (apiUrl) return openRemote({ apiUrl, env: this.io.env });
      return this.task("Starting the embedded server", () =>
        openEmbedded({ dataDir: this.dataDir, env: this.io.env, verbose: this.options.verbose }),
      );
    })();
    return this.#connection;
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) await (await connection.catch(() => undefined))?.close();
  }

  /** Terminal niceties (spinners, Ink) only when a person is watching and wants them. */
  get #decorated(): boolean {
    return !this.options.json && !this.options.quiet;
  }

  /** Runs `fn` with a spinner on stderr when it is a terminal. */
  async task<T>(label: string, fn: () => Promise<T>): Promise<T> {
    if (!this.#decorated || !this.io.stderr.isTTY) return fn();
    const spinner = render(
      createElement(Text, null, createElement(Spinner, { type: "dots" }), ` ${label}…`),
      { stdout: this.io.stderr as NodeJS.WriteStream, patchConsole: false, exitOnCtrlC: false },
    );
    try {
      return await fn();
    } finally {
      spinner.clear();
      spinner.unmount();
    }
  }

  /** Prints a command's result: JSON with --json, Ink on a terminal, plain text otherwise. */
  async print(output: CommandOutput): Promise<void> {
    const { stdout } = this.io;
    if (this.options.json) {
      stdout.write(`${JSON.stringify(output.data, null, 2)}\n`);
      return;
    }
    if (this.options.quiet && output.view.kind !== "text") return;
    if (!stdout.isTTY) {
      stdout.write(renderPlain(output.view));
      return;
    }
    const instance = render(
      createElement(ViewComponent, { view: output.view, color: this.options.color }),
      {
        stdout: stdout as NodeJS.WriteStream,
        patchConsole: false,
        exitOnCtrlC: false,
      },
    );
    instance.unmount();
    await instance.waitUntilExit();
  }

  /** A line for the person at the terminal (stderr), unless --quiet or --json. */
  note(line: string): void {
    if (!this.options.quiet && !this.options.json) this.io.stderr.write(`${line}\n`);
  }
}
