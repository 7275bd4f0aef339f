import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { DatabaseEngine } from "@skillbridge/core";
import { createScratchDatabase } from "../../../core/test/support/engines.js";
import type { CliIO } from "../../src/io.js";
import { type GlobalOptions, Session } from "../../src/session.js";

export { ENGINES } from "../../../core/test/support/engines.js";

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
  return { stdout, stderr, stdin: input, env, out: () => out, err: () => err };
}

/**
 * A place for the embedded mode to live: a temp data dir (PGlite, the signing
 * secret, the login file), and on PostgreSQL a scratch database as DATABASE_URL.
 */
export interface EmbeddedWorld {
  readonly env: Record<string, string | undefined>;
  session(options?: Partial<GlobalOptions>, io?: TestIO): Session;
  dispose(): Promise<void>;
}

export async function embeddedWorld(engine: DatabaseEngine): Promise<EmbeddedWorld> {
  const dir = mkdtempSync(join(tmpdir(), "skillbridge-cli-"));
  const scratch = engine === "postgres" ? await createScratchDatabase() : undefined;
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
