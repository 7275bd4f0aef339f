import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// A new embedded data dir used to run `initdb` in WebAssembly and then every
// migration: the first command in a new directory took twice as long as the
// next (#21, `embedded.freshRatio`). `npm run build` writes a migrated PGlite
// data dir beside core's bundle (scripts/build-pglite-data-dir.mjs), made by
// the same PGlite and the same migrations as the bundle, and a new data dir
// starts as a copy of it. A plain file copy, not PGlite's tarball loader:
// unpacking the 42 MB tarball through PGlite's in-WebAssembly file system
// took about as long as initdb itself (1.9-2.4 s against 0.6 s to open the
// result). Run from the sources (tests, tsx) there is no such directory and a
// new data dir is initialised as before.

/** The directory `npm run build` writes into `packages/core/dist`. */
export const BUNDLED_DATA_DIR = "pglite-migrated";
/** Beside it: `{ "pglite": "<the version that made it>" }`. */
export const BUNDLED_DATA_DIR_MANIFEST = "pglite-migrated.json";

/** The installed PGlite's version (its package.json is not exported, so found from its entry). */
function installedPGliteVersion(): string | undefined {
  try {
    let dir = dirname(fileURLToPath(import.meta.resolve("@electric-sql/pglite")));
    for (let up = 0; up < 4; up++, dir = dirname(dir)) {
      const file = join(dir, "package.json");
      if (!existsSync(file)) continue;
      const manifest = JSON.parse(readFileSync(file, "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === "@electric-sql/pglite") return manifest.version;
    }
  } catch {
    // Not resolvable from here: no version, so no template.
  }
  return undefined;
}

/**
 * The migrated PGlite data dir `npm run build` bundled with core, for
 * `openDatabase({ dataDir, templateDir })`; undefined when there is none (run
 * from the sources) or another PGlite version than the installed one made it.
 *
 * @example
 * const db = await openDatabase({ dataDir: ".skillbridge", templateDir: bundledPGliteDataDir });
 */
export function bundledPGliteDataDir(
  from: string = dirname(fileURLToPath(import.meta.url)),
): string | undefined {
  const dir = join(from, BUNDLED_DATA_DIR);
  const manifestFile = join(from, BUNDLED_DATA_DIR_MANIFEST);
  if (!existsSync(join(dir, "PG_VERSION")) || !existsSync(manifestFile)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { pglite?: unknown };
    return manifest.pglite === installedPGliteVersion() ? dir : undefined;
  } catch {
    // A damaged manifest only costs the shortcut: the data dir is initialised instead.
    return undefined;
  }
}
