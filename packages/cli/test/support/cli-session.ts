import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import {
  type DatabaseEngine,
  databaseOptionsFromEnv,
  openDatabase,
  PasswordHasher,
  type SkillBridgeDatabase,
} from "@skillbridge/core";
import { removeDir } from "../../../core/test/support/copy-dir.js";
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

/**
 * The PGlite data dirs of the worlds this process holds open (`CliIO.openDataDirs`):
 * an in-process command on one uses that database instead of opening the
 * data dir, about 0.4 s of CPU each time (#22). Opening on each run (the
 * lock, the copy of a new data dir) is tested on the built binary and by
 * the in-process runs outside a world (test/cli.test.ts); every command
 * still migrates and checks the held database as it would a fresh one.
 */
const HELD_DATA_DIRS = new Map<string, SkillBridgeDatabase>();

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
    openDataDirs: HELD_DATA_DIRS,
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
 *
 * On PGlite the world holds its data dir open for its in-process commands
 * (`HELD_DATA_DIRS`): SQL between commands goes through `withDatabase`,
 * and the built binary cannot run on a world's data dir.
 */
export interface EmbeddedWorld {
  readonly env: Record<string, string | undefined>;
  /**
   * Runs `work` on the world's database between commands, as an operator
   * with psql would: the database the world holds open, else one opened
   * (DATABASE_URL or the data dir) and closed for it.
   */
  withDatabase<T>(work: (db: SkillBridgeDatabase) => Promise<T>): Promise<T>;
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
  const dataDir = resolve(dir, "data");
  let held: SkillBridgeDatabase | undefined;
  if (engine === "pglite") {
    await seedDataDir(dataDir, { migrated });
    held = await openDatabase({ dataDir });
    HELD_DATA_DIRS.set(dataDir, held);
  }
  const env: Record<string, string | undefined> = {
    SKILLBRIDGE_DATA_DIR: dataDir,
    XDG_CONFIG_HOME: join(dir, "config"),
    HOME: dir,
    DATABASE_URL: scratch?.url,
    CI: "true",
  };
  const sessions: Session[] = [];
  return {
    env,
    async withDatabase(work) {
      if (held) return work(held);
      const db = await openDatabase(databaseOptionsFromEnv(env));
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    },
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
      if (held) {
        HELD_DATA_DIRS.delete(dataDir);
        await held.close();
      }
      await scratch?.drop();
      removeDir(dir);
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
