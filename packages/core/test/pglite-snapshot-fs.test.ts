import { gzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { SnapshotMemoryFS, snapshotFiles } from "../src/db/pglite-snapshot-fs.js";
import { openDatabase, type PGliteSnapshot, pgliteSnapshotFrom } from "../src/index.js";
import { migratedSnapshot } from "./support/database-templates.js";

// An in-memory database opened from a snapshot gets the snapshot's files
// written straight into its file system (src/db/pglite-snapshot-fs.ts) instead
// of through PGlite's `loadDataDir`. It must be the same database, and no two
// databases opened from one snapshot may share a byte.

async function bytesOf(snapshot: PGliteSnapshot): Promise<Uint8Array> {
  return new Uint8Array(await snapshot.arrayBuffer());
}

/** Every path under a PGlite's data directory, files with their sizes. */
function listing(pglite: PGlite): string[] {
  const fs = pglite.Module.FS;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of fs.readdir(dir)) {
      if (name === "." || name === "..") continue;
      const path = `${dir}/${name}`;
      const stat = fs.stat(path);
      if (fs.isDir(stat.mode)) {
        out.push(`${path}/`);
        walk(path);
      } else out.push(path);
    }
  };
  walk("/pglite/data");
  // Files PostgreSQL itself writes on every start (pid, control file, WAL, stats) differ in content, not in place.
  return out.sort();
}

async function tablesAndMigrations(pglite: PGlite) {
  const tables = await pglite.query<{ name: string }>(
    "select schemaname || '.' || tablename as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1",
  );
  const migrations = await pglite.query<{ name: string }>(
    "select name from skillbridge_platform_migrations order by name",
  );
  return { tables: tables.rows.map((r) => r.name), migrations: migrations.rows.map((r) => r.name) };
}

describe("an in-memory database opened from a snapshot", () => {
  it("holds the same files and the same database as PGlite's own loader gives", async () => {
    const snapshot = await migratedSnapshot();
    const files = await snapshotFiles(snapshot);
    expect(files, "the tests' snapshot is a plain tarball").toBeDefined();
    const written = await PGlite.create({ fs: new SnapshotMemoryFS(files ?? []) });
    const loaded = await PGlite.create({
      loadDataDir: pgliteSnapshotFrom(await bytesOf(snapshot)),
    });
    try {
      expect(listing(written)).toEqual(listing(loaded));
      const shape = await tablesAndMigrations(written);
      expect(shape.migrations.length).toBeGreaterThan(0);
      expect(shape.tables).toContain("public.courses");
      expect(shape).toEqual(await tablesAndMigrations(loaded));
    } finally {
      await written.close();
      await loaded.close();
    }
  });

  it("shares nothing with the snapshot or another database opened from it", async () => {
    const snapshot = pgliteSnapshotFrom(await bytesOf(await migratedSnapshot()));
    const before = Buffer.from(await bytesOf(snapshot));
    const first = await openDatabase({ memory: true, snapshot });
    try {
      await sql`create table scratch (id int primary key, note text)`.execute(first.kysely);
      await sql`insert into scratch select g, repeat('x', 500) from generate_series(1, 2000) g`.execute(
        first.kysely,
      );
      await sql`checkpoint`.execute(first.kysely);
    } finally {
      await first.close();
    }
    expect(Buffer.from(await bytesOf(snapshot)).equals(before), "the snapshot's bytes").toBe(true);
    const second = await openDatabase({ memory: true, snapshot });
    try {
      const found = await sql<{ n: number }>`
        select count(*)::int as n from pg_tables where tablename = 'scratch'
      `.execute(second.kysely);
      expect(found.rows[0]?.n).toBe(0);
    } finally {
      await second.close();
    }
  });

  it("goes through PGlite's loader when the snapshot is not a plain tarball of files", async () => {
    const tar = await bytesOf(await migratedSnapshot());
    // Gzipped (the build's bundled tarball is, on disk): PGlite gunzips it itself.
    const gzipped = pgliteSnapshotFrom(gzipSync(tar));
    expect(await snapshotFiles(gzipped)).toBeUndefined();
    const db = await openDatabase({ memory: true, snapshot: gzipped });
    try {
      const rows = await sql<{ n: number }>`
        select count(*)::int as n from skillbridge_platform_migrations
      `.execute(db.kysely);
      expect(rows.rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await db.close();
    }

    // A header whose checksum does not add up, a path out of the data directory,
    // a symbolic link, and an archive cut short are each not parsed.
    const header = (edit: (block: Uint8Array) => void, fixChecksum: boolean) => {
      const copy = tar.slice();
      const block = copy.subarray(0, 512);
      edit(block);
      if (fixChecksum) {
        block.fill(32, 148, 156);
        const sum = block.reduce((a, b) => a + b, 0);
        block.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
      }
      return pgliteSnapshotFrom(copy);
    };
    const name = (value: string) => (block: Uint8Array) => {
      block.fill(0, 0, 100);
      block.fill(0, 345, 500);
      block.set(new TextEncoder().encode(value), 0);
    };
    expect(await snapshotFiles(header((b) => (b[0] = (b[0] ?? 0) ^ 1), false))).toBeUndefined();
    expect(await snapshotFiles(header(name("../../etc/passwd"), true))).toBeUndefined();
    expect(await snapshotFiles(header((b) => (b[156] = 0x32), true))).toBeUndefined();
    expect(await snapshotFiles(pgliteSnapshotFrom(tar.subarray(0, 4096)))).toBeUndefined();
    // The same edits' control: a header rewritten with a good checksum and a plain name parses.
    expect(await snapshotFiles(header(name("PG_VERSION"), true))).toBeDefined();
  });
});
