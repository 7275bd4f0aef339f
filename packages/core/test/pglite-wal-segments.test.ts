import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { bundledPGliteDataDir, openDatabase, type SkillBridgeDatabase } from "../src/index.js";
import { migratedSnapshot } from "./support/database-templates.js";

// New PGlite databases are made with 1 MB WAL segments (core/src/db/pglite-params.ts):
// the bundled data dir every new data dir copies (the build makes it with
// `openDatabase`'s own initdb, so that path is proven too) and the snapshot
// every in-memory database unpacks. A data dir made with PostgreSQL's 16 MB
// segments (every user's before this change) still opens.

const dir = mkdtempSync(join(tmpdir(), "sb-wal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function segmentSize(db: SkillBridgeDatabase): Promise<string | undefined> {
  const { rows } = await sql<{ wal_segment_size: string }>`show wal_segment_size`.execute(
    db.kysely,
  );
  return rows[0]?.wal_segment_size;
}

/** The WAL segment files of a data dir and their sizes. */
function walFiles(pgdata: string): number[] {
  const wal = join(pgdata, "pg_wal");
  return readdirSync(wal)
    .filter((name) => /^[0-9A-F]{24}$/.test(name))
    .map((name) => statSync(join(wal, name)).size);
}

describe("PGlite's WAL segments", () => {
  it("are 1 MB in the bundled data dir that every new data dir copies", () => {
    // The build's output (the test global setup builds when a source is newer).
    const bundled = bundledPGliteDataDir(join(import.meta.dirname, "../dist"));
    expect(bundled, "the build bundles a migrated data dir").toBeDefined();
    const sizes = walFiles(bundled as string);
    expect(sizes.length).toBeGreaterThan(0);
    expect(new Set(sizes)).toEqual(new Set([1024 * 1024]));
  });

  it("are 1 MB in a database opened from the migrated snapshot", async () => {
    const db = await openDatabase({ memory: true, snapshot: await migratedSnapshot() });
    try {
      expect(await segmentSize(db)).toBe("1MB");
    } finally {
      await db.close();
    }
  });

  it("stay 16 MB in a data dir made before, which opens and works as it did", async () => {
    const pgdata = join(dir, "old", "pgdata");
    mkdirSync(pgdata, { recursive: true });
    const old = await PGlite.create({ dataDir: pgdata });
    await old.exec("create table kept (x int); insert into kept values (42)");
    await old.close();
    const db = await openDatabase({ dataDir: join(dir, "old") });
    try {
      expect(await segmentSize(db)).toBe("16MB");
      const { rows } = await sql<{ x: number }>`select x from kept`.execute(db.kysely);
      expect(rows).toEqual([{ x: 42 }]);
    } finally {
      await db.close();
    }
  });
});
