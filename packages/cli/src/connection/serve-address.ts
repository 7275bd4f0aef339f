import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

// `skillbridge serve` on a PGlite data dir holds it alone. It leaves its
// address in the data dir, so a command that finds the database in use can
// name the server to talk to instead — its real port, not a guess.

const FILE = "serve.json";

interface ServeAddress {
  readonly pid: number;
  readonly url: string;
}

/** Records that this process serves `url` from `dataDir`; returns the removal. */
export function writeServeAddress(dataDir: string, url: string): () => void {
  const file = join(dataDir, FILE);
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${JSON.stringify({ pid: process.pid, url } satisfies ServeAddress)}\n`);
  } catch {
    // Only a hint for other commands' messages: serving goes on without it.
    return () => {};
  }
  return () => rmSync(file, { force: true });
}

/** The URL served from `dataDir` by process `pid`, if that process left one. */
export function readServeAddress(dataDir: string, pid: number): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, FILE), "utf8")) as Partial<ServeAddress>;
    return parsed.pid === pid && typeof parsed.url === "string" ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}
