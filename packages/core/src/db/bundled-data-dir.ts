import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { type PGliteSnapshot, pgliteSnapshotFrom } from "./pglite-snapshot.js";

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
/** The same database as a gzipped tarball, for databases in memory (about 5 MB). */
export const BUNDLED_SNAPSHOT = "pglite-migrated.tar.gz";

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
  if (!existsSync(join(dir, "PG_VERSION"))) return undefined;
  return madeByInstalledPGlite(from) ? dir : undefined;
}

/**
 * The migrated database `npm run build` bundled with core, as a snapshot for
 * `openDatabase({ memory: true, snapshot })`: an in-memory database that
 * starts migrated in well under a second instead of running `initdb` and
 * every migration in WebAssembly (6-9 s). Undefined as for
 * {@link bundledPGliteDataDir}; a snapshot that does not load is only a lost
 * shortcut (`openDatabase` starts the database empty instead).
 *
 * @example
 * const db = await openDatabase({ memory: true, snapshot: bundledPGliteSnapshot() });
 * await migrate(db); // nothing left to apply
 */
export function bundledPGliteSnapshot(
  from: string = dirname(fileURLToPath(import.meta.url)),
): PGliteSnapshot | undefined {
  const file = join(from, BUNDLED_SNAPSHOT);
  if (!existsSync(file) || !madeByInstalledPGlite(from)) return undefined;
  // Unpacked and checked here (80 ms), not by PGlite: its loader gunzips through a
  // DecompressionStream whose write it never awaits, so a damaged file rejects a promise
  // nobody handles, which ends a Node process however openDatabase recovers.
  let tar: Buffer;
  try {
    tar = gunzipSync(readFileSync(file));
  } catch {
    return undefined;
  }
  return wholeTar(tar) ? pgliteSnapshotFrom(tar) : undefined;
}

/** A ustar archive that ends as one does: whole 512-byte blocks, two zero blocks last. */
function wholeTar(tar: Buffer): boolean {
  return (
    tar.length >= 1536 &&
    tar.length % 512 === 0 &&
    tar.toString("latin1", 257, 262) === "ustar" &&
    tar.subarray(tar.length - 1024).every((byte) => byte === 0)
  );
}

/** Whether the manifest beside the bundle names the installed PGlite. */
function madeByInstalledPGlite(from: string): boolean {
  const manifestFile = join(from, BUNDLED_DATA_DIR_MANIFEST);
  if (!existsSync(manifestFile)) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { pglite?: unknown };
    return manifest.pglite === installedPGliteVersion();
  } catch {
    // A damaged manifest only costs the shortcut: the database is initialised instead.
    return false;
  }
}
