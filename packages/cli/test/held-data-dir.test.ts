import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SkillBridgeDatabase } from "@skillbridge/core";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openTestDatabase, seedDataDir } from "../../core/test/support/engines.js";
import { openLocalDatabase } from "../src/connection/local-database.js";

// `CliIO.openDataDirs`: a local command on a data dir this process already
// holds open uses that database, and leaves it open for the next command.

async function tablesNamed(db: SkillBridgeDatabase, name: string): Promise<number> {
  const found = await sql<{ n: number }>`
    select count(*)::int as n from pg_tables where tablename = ${name}`.execute(db.kysely);
  return found.rows[0]?.n ?? 0;
}

describe("a data dir held open by the process", () => {
  const base = mkdtempSync(join(tmpdir(), "skillbridge-held-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("is used as it is and stays open when the command closes it; the data dir is not touched", async () => {
    const held = await openTestDatabase("pglite");
    try {
      const dataDir = join(base, "held");
      const local = await openLocalDatabase({
        dataDir,
        env: {},
        openDataDirs: new Map([[dataDir, held.db]]),
      });
      expect(local.description).toBe(`PGlite in ${dataDir}`);
      expect(local.applied).toEqual([]); // migrated and checked like any other
      await sql`create table held_marker (id int)`.execute(local.db.kysely);
      await local.db.close();
      // Still open, and the same database: the command's close left it alone.
      expect(await tablesNamed(held.db, "held_marker")).toBe(1);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await held.dispose();
    }
  });

  it("is not used for another data dir, nor when DATABASE_URL names the database", async () => {
    const held = await openTestDatabase("pglite");
    try {
      const dataDir = join(base, "other");
      await seedDataDir(dataDir, { migrated: true });
      const elsewhere = await openLocalDatabase({
        dataDir,
        env: {},
        openDataDirs: new Map([[join(base, "held"), held.db]]),
      });
      // Opened from its own files: the held database has no such table.
      await sql`create table other_marker (id int)`.execute(elsewhere.db.kysely);
      await elsewhere.db.close();
      expect(await tablesNamed(held.db, "other_marker")).toBe(0);

      const remote = openLocalDatabase({
        dataDir,
        env: { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
        openDataDirs: new Map([[dataDir, held.db]]),
      });
      // It went to that server (nothing listens there), not to the held database.
      await expect(remote).rejects.toThrow(/ECONNREFUSED 127\.0\.0\.1:1\b/);
    } finally {
      await held.dispose();
    }
  });
});
