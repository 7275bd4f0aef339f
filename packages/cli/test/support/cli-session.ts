import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { type DatabaseEngine, PasswordHasher } from "@skillbridge/core";
import { createScratchDatabase, seedDataDir } from "../../../core/test/support/engines.js";
import type { CliIO } from "../../src/io.js";
import { main } from "../../src/main.js";
import { type GlobalOptions, Session } from "../../src/session.js";

export { ENGINES } from "../../../core/test/support/engines.js";

/**
 * scrypt at a test's cost (as the server tests' `fastServices`): the
 * embedded server of an in-process command hashes with it. The built binary
 * keeps the OWASP cost, so the process-level tests still pay it.
 */
const CHEAP_PASSWORDS = new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

/** Streams that collect what a command writes; none is a terminal. */
export interface TestIO extends CliIO {
  out(): string;
  err(): string;
}

export function testIO(env: Record<string, string | undefined>, stdin = ""): TestIO {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => {
    out += chunk;
  });
  stderr.on("data", (chunk) => {
    err += chunk;
  });
  const input = new PassThrough();
  input.end(stdin);
  return {
    stdout,
    stderr,
    stdin: input,
    env,
    passwords: CHEAP_PASSWORDS,
    out: () => out,
    err: () => err,
  };
}

/**
 * A place for the embedded mode to live: a temp data dir (PGlite, the signing
 * secret, the login file), and on PostgreSQL a scratch database as DATABASE_URL.
 * The database starts migrated (a copy of the run's prepared one, see
 * core/test/support/database-templates.ts), as after a first start, so a test
 * pays for neither `initdb` nor the migrations. `{ migrated: false }` gives a
 * database as on a user's very first start (initialised, no migration
 * applied): for tests of what that first start does.
 */
export interface EmbeddedWorld {
  readonly env: Record<string, string | undefined>;
  session(options?: Partial<GlobalOptions>, io?: TestIO): Session;
  dispose(): Promise<void>;
}

export async function embeddedWorld(
  engine: DatabaseEngine,
  options: { readonly migrated?: boolean } = {},
): Promise<EmbeddedWorld> {
  const migrated = options.migrated ?? true;
  const dir = mkdtempSync(join(tmpdir(), "skillbridge-cli-"));
  const scratch = engine === "postgres" ? await createScratchDatabase({ migrated }) : undefined;
  if (engine === "pglite") await seedDataDir(join(dir, "data"), { migrated });
  const env: Record<string, string | undefined> = {
    SKILLBRIDGE_DATA_DIR: join(dir, "data"),
    XDG_CONFIG_HOME: join(dir, "config"),
    HOME: dir,
    DATABASE_URL: scratch?.url,
    CI: "true",
  };
  const sessions: Session[] = [];
  return {
    env,
    session(options = {}, io = testIO(env)) {
      const session = new Session(io, {
        json: false,
        yes: false,
        quiet: false,
        verbose: false,
        color: false,
        ...options,
      });
      sessions.push(session);
      return session;
    },
    async dispose() {
      for (const session of sessions) await session.close();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a command run in-process printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `skillbridge <args>` in this process through `main`, as the binary
 * does but without a new process (no Node start, no module load, no wasm
 * compile): for tests of what a command does and prints. Exit codes as a
 * process sees them, signals, pipes and terminals need the built binary.
 *
 * @example
 * const listed = await runCli(["tenants", "list", "--json"], world.env);
 */
export async function runCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
  stdin = "",
): Promise<CliRun> {
  const io = testIO(env, stdin);
  const code = await main(["node", "skillbridge", ...args], io);
  return { code, out: io.out(), err: io.err() };
}
