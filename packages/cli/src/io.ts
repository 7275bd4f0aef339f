import type { Readable, Writable } from "node:stream";
import type { PasswordHasher, SkillBridgeDatabase } from "@skillbridge/core";

/** A stream that may be a terminal. */
export type OutStream = Writable & { isTTY?: boolean; columns?: number };
export type InStream = Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/** Everything a command touches outside itself, so tests can hand in their own. */
export interface CliIO {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdin: InStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Password hashing in the embedded mode (default: scrypt at OWASP strength).
   * The in-process tests pass a cheap cost: hashes are self-describing, so
   * verifying runs the same code, and the CLI's tests spent seconds a test on
   * scrypt. The binary never sets it.
   */
  readonly passwords?: PasswordHasher | undefined;
  /**
   * PGlite databases this process already holds open, by data dir (an
   * absolute path): a local command uses the one for its data dir as it is,
   * and leaves it open, instead of opening the data dir itself. The
   * in-process tests hold a test's data dir open across its commands
   * (opening one costs about 0.4 s of CPU, and a test runs several); the
   * binary never sets it, so each run still opens, migrates and checks.
   */
  readonly openDataDirs?: ReadonlyMap<string, SkillBridgeDatabase> | undefined;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** `CI` set to anything but an explicit false. */
export function isCI(env: CliIO["env"]): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}
