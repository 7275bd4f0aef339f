// What a migrated PGlite database follows from: core's sources (the
// migrations and everything they import) and the PGlite version. Keys the
// build's bundled data dir (scripts/build-pglite-data-dir.mjs) and the test
// suite's snapshots (packages/core/test/support/database-templates.ts), so a
// change to either makes new ones and a cache never serves a stale schema.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Every file under `dir`, sorted. */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
    )
    .sort();
}

/** The installed PGlite's version, read from the repository's node_modules. */
export function pgliteVersion(root) {
  return JSON.parse(
    readFileSync(join(root, "node_modules/@electric-sql/pglite/package.json"), "utf8"),
  ).version;
}

/** 16 hex digits over the PGlite version and every file of packages/core/src under `root`. */
export function coreSourceKey(root) {
  const hash = createHash("sha256").update(pgliteVersion(root));
  for (const file of files(join(root, "packages/core/src"))) {
    hash.update(file.slice(root.length));
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 16);
}
