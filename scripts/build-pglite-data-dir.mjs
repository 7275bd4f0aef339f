// Writes a migrated PGlite data dir beside core's bundle
// (packages/core/dist/pglite-migrated), so a new embedded data dir starts as a
// copy of it instead of running initdb and every migration
// (core/src/db/bundled-data-dir.ts; #21, `embedded.freshRatio`), and the same
// database as a gzipped tarball (pglite-migrated.tar.gz, about 5 MB) for
// databases in memory (`bundledPGliteSnapshot`). Run by tsup
// after core's build. initdb in WebAssembly takes seconds, so the directory is
// cached in node_modules/.cache, keyed by the PGlite version and core's
// sources (the migrations and everything they import). The directory is only
// a shortcut, so a failure here warns in one line and leaves the build good:
// new data dirs are then initialised as before.
import { cpSync, existsSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import { coreSourceKey, pgliteVersion } from "./core-source-key.mjs";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "packages/core/dist");
const core = await import(join(dist, "index.js"));
const pglite = pgliteVersion(root);
try {
  const key = coreSourceKey(root);
  const cached = join(root, "node_modules/.cache/skillbridge-build", `pglite-migrated-${key}`);
  if (!existsSync(join(cached, "PG_VERSION"))) {
    const building = `${cached}.${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const db = await core.openDatabase({ dataDir: building });
    try {
      await core.migrate(db);
      // Every page written out: the copy starts with no WAL to replay.
      await sql`checkpoint`.execute(db.kysely);
    } finally {
      await db.close();
    }
    // openDatabase keeps Postgres in `<dataDir>/pgdata`; the lock file is gone once closed.
    renameSync(join(building, "pgdata"), cached);
    rmSync(building, { recursive: true, force: true });
    // Older sources' copies (40 MB each) go: only this one can be bundled again.
    const cache = join(cached, "..");
    for (const entry of readdirSync(cache))
      if (
        /^pglite-migrated-[0-9a-f]{16}(\.tar\.gz)?$/.test(entry) &&
        !join(cache, entry).startsWith(cached)
      )
        rmSync(join(cache, entry), { recursive: true, force: true });
  }
  const target = join(dist, core.BUNDLED_DATA_DIR);
  rmSync(target, { recursive: true, force: true });
  cpSync(cached, target, { recursive: true });
  writeFileSync(join(dist, core.BUNDLED_DATA_DIR_MANIFEST), `${JSON.stringify({ pglite, key })}\n`);
  try {
    const tarball = `${cached}.tar.gz`;
    if (!existsSync(tarball)) {
      // Dumped from a copy: PGlite writes to the data dir it opens, and the cached one stays as built.
      const copy = `${cached}.${process.pid}.copy`;
      rmSync(copy, { recursive: true, force: true });
      cpSync(cached, copy, { recursive: true });
      try {
        const db = await PGlite.create({ dataDir: copy });
        const dump = await db.dumpDataDir("gzip");
        await db.close();
        writeFileSync(`${tarball}.${process.pid}`, Buffer.from(await dump.arrayBuffer()));
        renameSync(`${tarball}.${process.pid}`, tarball);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    }
    cpSync(tarball, join(dist, core.BUNDLED_SNAPSHOT));
  } catch (error) {
    rmSync(join(dist, core.BUNDLED_SNAPSHOT), { force: true });
    console.warn(
      `Warning: no migrated PGlite snapshot bundled (${error instanceof Error ? error.message : error}); databases in memory will run initdb.`,
    );
  }
} catch (error) {
  console.warn(
    `Warning: no migrated PGlite data dir bundled (${error instanceof Error ? error.message : error}); new data dirs will run initdb.`,
  );
}
