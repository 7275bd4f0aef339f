import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { bundledPGliteSnapshot, openDatabase, pgliteSnapshotFrom } from "../src/index.js";
import { extractTarball, slimSnapshot } from "./support/slim-snapshot.js";

// The test suite's PGlite snapshots leave out the template databases' files and
// spare WAL (support/slim-snapshot.ts): the databases opened from them must be
// the product's migrated database to every query, only smaller to unpack.

const dir = mkdtempSync(join(tmpdir(), "sb-slim-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a test can see of a database: its tables, migrations and roles. */
async function shape(tarball: Uint8Array) {
  const db = await openDatabase({ memory: true, snapshot: pgliteSnapshotFrom(tarball) });
  try {
    const tables = await sql<{ name: string }>`
      select schemaname || '.' || tablename as name from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema') order by 1
    `.execute(db.kysely);
    const migrations = await sql<{ name: string }>`
      select name from skillbridge_platform_migrations order by name
    `.execute(db.kysely);
    const roles = await sql<{ rolname: string }>`
      select rolname from pg_roles where rolname like 'skillbridge%' order by 1
    `.execute(db.kysely);
    return {
      tables: tables.rows.map((row) => row.name),
      migrations: migrations.rows.map((row) => row.name),
      roles: roles.rows.map((row) => row.rolname),
    };
  } finally {
    await db.close();
  }
}

describe("the test suite's slim PGlite snapshot", () => {
  it("holds the same migrated database as the build's snapshot in under half the bytes", async () => {
    const bundled = bundledPGliteSnapshot(join(import.meta.dirname, "../dist"));
    expect(bundled, "the build bundles a migrated snapshot").toBeDefined();
    const full = new Uint8Array(await (bundled as Blob).arrayBuffer());
    const slim = await slimSnapshot(full);
    expect(slim.byteLength).toBeLessThan(full.byteLength / 2);

    const before = await shape(full);
    expect(before.migrations.length).toBeGreaterThan(0);
    expect(await shape(slim)).toEqual(before);

    // Unpacked as a data dir, it keeps the templates' directories but not their relation files.
    const pgdata = join(dir, "pgdata");
    extractTarball(slim, pgdata);
    const templateDirs = readdirSync(join(pgdata, "base")).filter((name) => name !== "5");
    expect(templateDirs.length).toBe(2);
    for (const name of templateDirs)
      expect(readdirSync(join(pgdata, "base", name)).filter((file) => /^\d/.test(file))).toEqual(
        [],
      );
    const db = await openDatabase({ dataDir: dir });
    try {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from academies`.execute(
        db.kysely,
      );
      expect(rows[0]?.n).toBe(0);
    } finally {
      await db.close();
    }
  });
});
