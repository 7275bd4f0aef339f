import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import {
  BUNDLED_DATA_DIR_MANIFEST,
  BUNDLED_SNAPSHOT,
  bundledPGliteSnapshot,
  migrate,
  openDatabase,
} from "../../packages/core/src/index.js";
import { createTally } from "./support/tally.js";

// A new embedded data dir starts as a copy of the migrated data dir the build
// bundles (docs/cli.md), and a database in memory from the same database as a
// gzipped tarball. Both are shortcuts, never requirements: a template that
// does not start is removed and the data dir is initialised, a tarball that
// does not load leaves the database to start empty (`initdb` in WebAssembly,
// which is why these faults live here and not in `npm test`).

const tally = createTally("faults-data-dir");
afterAll(() => tally.save());

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sb-faults-data-dir-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("a damaged bundled data dir", () => {
  it("a template that does not start only costs the shortcut: the data dir is initialised and migrates", async () => {
    const broken = tempDir();
    writeFileSync(join(broken, "PG_VERSION"), "17\n");
    writeFileSync(join(broken, "postgresql.conf"), "this is not a configuration\n");
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir, templateDir: broken });
    try {
      const applied = (await migrate(db)).flatMap((r) => r.applied);
      expect(applied.length).toBeGreaterThan(0);
      tally.faults += 1;
      tally.note(
        `a bundled data dir that does not start: initialised instead, ${applied.length} migrations applied`,
      );
    } finally {
      await db.close();
    }
  });
});

describe("a damaged bundled snapshot", () => {
  it("a tarball cut short is refused before PGlite reads it: the database in memory starts empty and migrates", async () => {
    const dist = tempDir();
    // A manifest naming the installed PGlite (the snapshot is offered), and half a gzip stream.
    const pglite = JSON.parse(
      readFileSync(
        join(import.meta.dirname, "../../node_modules/@electric-sql/pglite/package.json"),
        "utf8",
      ),
    ) as { version: string };
    writeFileSync(
      join(dist, BUNDLED_DATA_DIR_MANIFEST),
      JSON.stringify({ pglite: pglite.version }),
    );
    writeFileSync(join(dist, BUNDLED_SNAPSHOT), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3]));
    // Refused before PGlite's loader sees it (whose failed gunzip would reject a promise no
    // one handles): no snapshot, and this file's run would report that rejection if there were one.
    expect(bundledPGliteSnapshot(dist)).toBeUndefined();
    // A whole gzip stream of a tar that stops half-way: refused the same way.
    const whole = readFileSync(
      join(import.meta.dirname, "../../packages/core/dist", BUNDLED_SNAPSHOT),
    );
    writeFileSync(join(dist, BUNDLED_SNAPSHOT), gzipSync(gunzipSync(whole).subarray(0, 1 << 20)));
    expect(bundledPGliteSnapshot(dist)).toBeUndefined();
    const db = await openDatabase({ memory: true, snapshot: bundledPGliteSnapshot(dist) });
    try {
      const applied = (await migrate(db)).flatMap((r) => r.applied);
      expect(applied.length).toBeGreaterThan(0);
      tally.faults += 1;
      tally.note(
        `a bundled snapshot that does not load: initialised instead, ${applied.length} migrations applied`,
      );
    } finally {
      await db.close();
    }
  });
});
