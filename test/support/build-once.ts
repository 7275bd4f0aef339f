import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

// Tests that run the built `skillbridge` binary need `dist` to match the
// sources. This global setup rebuilds (once per `vitest run`) when any source
// file is newer than the CLI's bundle, so a stale build is never tested.

const root = join(import.meta.dirname, "..", "..");

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function builtAt(): number {
  try {
    return statSync(join(root, "packages/cli/dist/main.js")).mtimeMs;
  } catch {
    return 0;
  }
}

export default function setup(): void {
  const sources = Math.max(
    ...["core", "server", "sdk", "cli"].map((p) => newest(join(root, "packages", p, "src"))),
    statSync(join(root, "tsup.config.ts")).mtimeMs,
  );
  if (builtAt() >= sources) return;
  execFileSync("npm", ["run", "build", "--silent"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
