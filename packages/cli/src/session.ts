import { readLogin, type StoredLogin } from "./config-store.js";
import type { Connection } from "./connection/connection.js";
import { openEmbedded } from "./connection/embedded.js";
import { openRemote, sameServer } from "./connection/remote.js";
import { CliError, type ErrorContext } from "./errors.js";
import { type CliIO, isCI } from "./io.js";
import { renderPlain } from "./output/plain.js";
import type { CommandOutput, View } from "./output/view.js";
import { Prompter } from "./prompter.js";

type TerminalUi = typeof import("./output/terminal-ui.js");
let terminalUiLoading: Promise<TerminalUi> | undefined;

/** Ink and React, loaded the first time something is drawn on a terminal (output/terminal-ui.ts). */
function terminalUi(): Promise<TerminalUi> {
  terminalUiLoading ??= import("./output/terminal-ui.js");
  return terminalUiLoading;
}

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

/** Where the API URL of a run comes from, for messages that must say so. */
export interface ApiUrlChoice {
  readonly url: string;
  readonly from: "--api-url" | "SKILLBRIDGE_API_URL" | "login";
  /** The stored login, when `from` is "login". */
  readonly login?: StoredLogin | undefined;
}

/** An http(s) URL, or a usage error naming where it came from. */
function checkedApiUrl(url: string, from: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new CliError(
      `${from} must be an http(s) URL; got "${url}".`,
      "For example --api-url http://127.0.0.1:3000.",
    );
  }
  return url;
}

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
    return this.apiUrlChoice?.url;
  }

  /** The API URL with where it came from; a URL that is not http(s) is a usage error (exit 1). */
  get apiUrlChoice(): ApiUrlChoice | undefined {
    if (this.options.apiUrl) {
      return { url: checkedApiUrl(this.options.apiUrl, "--api-url"), from: "--api-url" };
    }
    const env = this.io.env.SKILLBRIDGE_API_URL;
    if (env) return { url: checkedApiUrl(env, "SKILLBRIDGE_API_URL"), from: "SKILLBRIDGE_API_URL" };
    const login = readLogin(this.io.env);
    return login ? { url: login.apiUrl, from: "login", login } : undefined;
  }

  /**
   * For operator jobs that work on the local database itself (`init`, `db
   * migrate`, `db status`): refuses when the run is remote, naming why it is.
   */
  requireLocal(command: string, does: string): void {
    const choice = this.apiUrlChoice;
    if (!choice) return;
    if (choice.from === "login") {
      throw new CliError(
        `\`${command}\` ${does}, but you are logged in to ${choice.url} (as ${choice.login?.email}), which makes every command talk to that server.`,
        "Run `skillbridge logout` first, then run it where the database is.",
      );
    }
    throw new CliError(
      `\`${command}\` ${does}, but ${choice.from} names a server (${choice.url}).`,
      `Run it where the database is, without ${choice.from}.`,
    );
  }

  /**
   * What an error message may need to know about this run: a stored login
   * made against another server than the one talked to (its token is not sent).
   */
  errorContext(): ErrorContext {
    try {
      const choice = this.apiUrlChoice;
      const login = readLogin(this.io.env);
      if (!choice || !login || this.io.env.SKILLBRIDGE_TOKEN) return {};
      if (sameServer(login.apiUrl, choice.url)) return {};
      return { loginMismatch: { loginUrl: login.apiUrl, apiUrl: choice.url } };
    } catch {
      return {};
    }
  }

  /**
   * The API connection, opened once per run. `allowUnsafeDatabase` (the
   * isolation audit only) starts the embedded server over a database that
   * fails the start-up safety check, on 127.0.0.1 for this run, so that the
   * audit can report what is wrong with it. `unlimited` (the isolation
   * probe) lifts the embedded server's per-academy request budget.
   */
  connect(
    options: { allowUnsafeDatabase?: boolean; unlimited?: boolean } = {},
  ): Promise<Connection> {
    this.#connection ??= (async () => {
      const apiUrl = this.apiUrl;
      if (apiUrl) return openRemote({ apiUrl, env: this.io.env });
      return this.task("Starting the embedded server", () =>
        openEmbedded({
          dataDir: this.dataDir,
          env: this.io.env,
          verbose: this.options.verbose,
          checkSafety: options.allowUnsafeDatabase !== true,
          unlimited: options.unlimited === true,
          passwords: this.io.passwords,
          openDataDirs: this.io.openDataDirs,
        }),
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
    const spinner = (await terminalUi()).liveLine(this.io.stderr, `${label}…`);
    try {
      return await fn();
    } finally {
      spinner.done();
    }
  }

  /**
   * A spinner line on stderr, drawn once Ink has loaded: updates before that
   * are kept, and the latest is drawn first; `done` before it loaded draws nothing.
   */
  #liveLine(text: string): { update(text: string): void; done(): void } {
    let latest = text;
    let finished = false;
    let live: { update(text: string): void; done(): void } | undefined;
    void terminalUi()
      .then((ui) => {
        if (!finished) live = ui.liveLine(this.io.stderr, latest);
      })
      // Progress is a nicety: a terminal that cannot draw it still gets the result.
      .catch(() => {});
    return {
      update: (next) => {
        latest = next;
        live?.update(next);
      },
      done: () => {
        finished = true;
        live?.done();
      },
    };
  }

  /**
   * A live progress line on stderr (rows, rows/s, rejected) while a long job
   * runs, when a person is watching; a no-op otherwise.
   */
  progress(label: string): { update(rows: number, rejected: number): void; done(): void } {
    if (!this.#decorated || !this.io.stderr.isTTY) return { update() {}, done() {} };
    const started = Date.now();
    const text = (rows: number, rejected: number) => {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      return `${label}: ${rows.toLocaleString("en")} rows, ${Math.round(rows / seconds).toLocaleString("en")} rows/s, ${rejected} rejected`;
    };
    const line = this.#liveLine(text(0, 0));
    return { update: (rows, rejected) => line.update(text(rows, rejected)), done: line.done };
  }

  /**
   * True when the run is known to act as a platform user before connecting:
   * embedded mode (the operator), or a stored platform login with no
   * SKILLBRIDGE_TOKEN; undefined when only the server can tell.
   */
  get actsAsPlatformUser(): boolean | undefined {
    const choice = this.apiUrlChoice;
    if (!choice) return true;
    if (choice.from === "login" && !this.io.env.SKILLBRIDGE_TOKEN)
      return choice.login?.academy === null;
    return undefined;
  }

  /** Which backend answered, once connected: the server's URL, or the local database. */
  async #answeredBy(): Promise<string | undefined> {
    const connection = await this.#connection?.catch(() => undefined);
    if (!connection) return undefined;
    return connection.mode === "remote"
      ? connection.apiUrl
      : `embedded (${connection.description})`;
  }

  /**
   * A live count on stderr (`label: 120/480 checks`) while a long job runs, when
   * a person is watching; a no-op otherwise.
   */
  counter(label: string): { update(done: number, total: number): void; done(): void } {
    if (!this.#decorated || !this.io.stderr.isTTY) return { update() {}, done() {} };
    const text = (done: number, total: number) =>
      `${label}: ${done.toLocaleString("en")}/${total.toLocaleString("en")} checks`;
    const line = this.#liveLine(text(0, 0));
    return { update: (done, total) => line.update(text(done, total)), done: line.done };
  }

  /** Prints a command's result: JSON with --json, Ink on a terminal, plain text otherwise. */
  async print(output: CommandOutput): Promise<void> {
    const { stdout } = this.io;
    if (this.options.json) {
      stdout.write(`${JSON.stringify(output.data, null, 2)}\n`);
      return;
    }
    if (this.options.quiet) {
      if (output.quiet !== undefined) stdout.write(`${output.quiet}\n`);
      else if (output.view.kind === "text") stdout.write(renderPlain(output.view));
      return;
    }
    const view = withBackend(output.view, await this.#answeredBy());
    if (!stdout.isTTY) {
      stdout.write(renderPlain(view));
      return;
    }
    await (await terminalUi()).renderView(stdout, view, this.options.color);
  }

  /** A line for the person at the terminal (stderr), unless --quiet or --json. */
  note(line: string): void {
    if (!this.options.quiet && !this.options.json) this.io.stderr.write(`${line}\n`);
  }
}

/**
 * A human view that says which backend answered: a `server` field on a
 * summary (unless it has one), a footer under a table on a terminal, a note
 * under panels and reports.
 */
function withBackend(view: View, answeredBy: string | undefined): View {
  if (!answeredBy) return view;
  switch (view.kind) {
    case "summary":
      if (view.fields.some(([label]) => label === "server")) return view;
      return { ...view, fields: [...view.fields, ["server", answeredBy]] };
    case "table":
      return { ...view, footer: `answered by ${answeredBy}` };
    case "panels":
      return { ...view, notes: [...(view.notes ?? []), `Answered by ${answeredBy}.`] };
    case "report":
      return { ...view, footer: `answered by ${answeredBy}` };
    default:
      return view;
  }
}
