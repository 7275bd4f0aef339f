import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { pgliteVersion } from "../../../scripts/core-source-key.mjs";
import {
  BUNDLED_DATA_DIR,
  BUNDLED_DATA_DIR_MANIFEST,
  BUNDLED_SNAPSHOT,
  bundledPGliteDataDir,
  bundledPGliteSnapshot,
  migrate,
  openDatabase,
} from "../src/index.js";
import { migratedSnapshot, seedDataDir } from "./support/database-templates.js";

// #21: a new embedded data dir starts as a copy of the migrated data dir the
// build writes beside core (scripts/build-pglite-data-dir.mjs), not from
// initdb and every migration; a database in memory, from the same database
// as a gzipped tarball. These tests lay a directory out as the build
// lays out `packages/core/dist` and hand it to `bundledPGliteDataDir`. A
// template that does not start falls back to initdb (seconds of WebAssembly):
// that fault is in test/reliability/faults-data-dir.test.ts.

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "sb-bundled-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const installedPGlite = async () => pgliteVersion(join(import.meta.dirname, "../../.."));

/** A build's output: the migrated data dir, the same database as a gzipped tarball, the manifest. */
async function build(pglite: string): Promise<string> {
  const dist = tempDir();
  await seedDataDir(join(dist, "embedded"), { migrated: true });
  renameSync(join(dist, "embedded", "pgdata"), join(dist, BUNDLED_DATA_DIR));
  const tarball = new Uint8Array(await (await migratedSnapshot()).arrayBuffer());
  writeFileSync(join(dist, BUNDLED_SNAPSHOT), gzipSync(tarball));
  writeFileSync(join(dist, BUNDLED_DATA_DIR_MANIFEST), JSON.stringify({ pglite }));
  return dist;
}

const platformMigrations = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
  (
    await sql<{ n: number }>`
      select count(*)::int as n from public.skillbridge_platform_migrations`.execute(db.kysely)
  ).rows[0]?.n ?? 0;

describe("the data dir the build bundles", () => {
  it("starts a new data dir migrated, with nothing left to apply, and leaves the template as it was", async () => {
    const dist = await build(await installedPGlite());
    const template = bundledPGliteDataDir(dist);
    expect(template).toBe(join(dist, BUNDLED_DATA_DIR));
    let asked = 0;
    const templateDir = () => {
      asked++;
      return template;
    };
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir, templateDir });
    try {
      expect(await platformMigrations(db)).toBeGreaterThan(0);
      expect((await migrate(db)).flatMap((r) => r.applied)).toEqual([]);
      await sql`create table public.only_in_the_copy (id int)`.execute(db.kysely);
    } finally {
      await db.close();
    }
    // An existing data dir never asks for it; the template never sees the copy's writes.
    const again = await openDatabase({ dataDir, templateDir });
    await again.close();
    expect(asked).toBe(1);
    const second = await openDatabase({ dataDir: tempDir(), templateDir });
    try {
      const { rows } = await sql<{ t: string | null }>`
        select to_regclass('public.only_in_the_copy')::text as t`.execute(second.kysely);
      expect(rows[0]?.t).toBeNull();
    } finally {
      await second.close();
    }
    expect(existsSync(join(template ?? "", "skillbridge.pid"))).toBe(false);
  });

  it("a copy cut short (no PG_VERSION yet, as the copy writes it last) is made again on the next start", async () => {
    const template = bundledPGliteDataDir(await build(await installedPGlite()));
    const dataDir = tempDir();
    // What a killed copy leaves: some of the files, not PG_VERSION.
    mkdirSync(join(dataDir, "pgdata", "base"), { recursive: true });
    writeFileSync(join(dataDir, "pgdata", "base", "half-written"), "x");
    writeFileSync(join(dataDir, "pgdata", "postgresql.conf"), "# cut short\n");
    const db = await openDatabase({ dataDir, templateDir: template });
    try {
      expect(await platformMigrations(db)).toBeGreaterThan(0);
      expect((await migrate(db)).flatMap((r) => r.applied)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("starts a database in memory migrated, from the same database gzipped", async () => {
    const snapshot = bundledPGliteSnapshot(await build(await installedPGlite()));
    // Handed over unpacked (a plain tar), after its end was checked.
    expect(snapshot?.size).toBe((await (await migratedSnapshot()).arrayBuffer()).byteLength);
    const db = await openDatabase({ memory: true, snapshot });
    try {
      expect(await platformMigrations(db)).toBeGreaterThan(0);
      expect((await migrate(db)).flatMap((r) => r.applied)).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("is not used when missing or made by another PGlite version", async () => {
    expect(bundledPGliteDataDir(tempDir())).toBeUndefined();
    expect(bundledPGliteSnapshot(tempDir())).toBeUndefined();
    const other = await build("0.0.1-other");
    expect(bundledPGliteDataDir(other)).toBeUndefined();
    expect(bundledPGliteSnapshot(other)).toBeUndefined();
    const damaged = await build(await installedPGlite());
    writeFileSync(join(damaged, BUNDLED_DATA_DIR_MANIFEST), "{ not json");
    expect(bundledPGliteDataDir(damaged)).toBeUndefined();
    expect(bundledPGliteSnapshot(damaged)).toBeUndefined();
  });
});
