import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE_WASM } from "../../../test/support/baseline-wasm.js";
import {
  dedicatedSchemaName,
  openDatabase,
  type SkillBridgeDatabase,
  TENANT_TABLES,
  withPlatform,
} from "../src/index.js";
import { createScratchDatabase, ENGINES, seedDataDir } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { seedAcademy } from "./support/seed.js";

// A real kill: a separate process moves an academy to a dedicated schema and is
// sent SIGKILL half-way through the copy (users, courses … already copied, the
// transaction open). What it leaves must be the academy whole in its old
// placement, with no half-made schema, and a new move must then succeed.

const root = join(import.meta.dirname, "../../..");

function runChild(env: Record<string, string>): ChildProcess {
  return spawn(
    process.execPath,
    [...BASELINE_WASM, "--import", "tsx", "packages/core/test/support/move-child.ts"],
    { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** SIGKILLs the child once it says "paused"; resolves with the steps it reported. */
function killWhenPaused(child: ChildProcess): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`child never paused: ${out} ${err}`)), 90_000);
    child.stderr?.on("data", (chunk) => {
      err += chunk;
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("paused\n")) child.kill("SIGKILL");
    });
    child.on("close", (_code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL")
        reject(new Error(`child ended without being killed: ${out} ${err}`));
      else resolve(out.trim().split("\n"));
    });
  });
}

async function snapshot(db: SkillBridgeDatabase, schema: string, academyId: string) {
  const out: Record<string, string[]> = {};
  for (const table of TENANT_TABLES) {
    const result = await sql<{ row: string }>`
      select to_jsonb(t)::text as row from ${sql.table(`${schema}.${table}`)} t
      where t.tenant_id = ${academyId} order by t.id`.execute(db.kysely);
    out[table] = result.rows.map((r) => r.row);
  }
  return out;
}

async function schemaCount(db: SkillBridgeDatabase, schema: string) {
  const result = await sql<{ n: number }>`
    select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(db.kysely);
  return result.rows[0]?.n;
}

describe.each(ENGINES)("a move killed half-way on %s", (engine) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("leaves the academy whole in its old placement, and the move can be run again", async () => {
    let options: { dataDir: string } | { url: string };
    if (engine === "pglite") {
      const dataDir = mkdtempSync(join(tmpdir(), "sb-move-kill-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      await seedDataDir(dataDir, { migrated: true }); // a copy of the run's migrated data dir
      options = { dataDir };
    } else {
      const scratch = await createScratchDatabase({ migrated: true });
      cleanups.push(() => scratch.drop());
      options = { url: scratch.url };
    }
    const setup = await openDatabase(options);
    const services = fastServices();
    const academy = await seedAcademy(setup, services, "killed-mover");
    const before = await snapshot(setup, "public", academy.academyId);
    await setup.close();

    const steps = await killWhenPaused(
      runChild({
        ...("url" in options
          ? { SB_CHILD_DATABASE_URL: options.url }
          : { SB_CHILD_DATA_DIR: options.dataDir }),
        SB_CHILD_ACADEMY: academy.academyId,
        SB_CHILD_TO: "schema",
        SB_CHILD_PAUSE_AT: "submissions",
      }),
    );
    expect(steps.slice(0, 3)).toEqual([
      "step copy users",
      "step copy parent_links",
      "step copy courses",
    ]);
    expect(steps.at(-1)).toBe("paused");

    // The files (or the server) the killed process left behind, opened as after a crash.
    const db = await openDatabase(options);
    cleanups.push(() => db.close());
    const placement = await withPlatform(db, (trx) =>
      trx
        .selectFrom("academies")
        .select("placement")
        .where("id", "=", academy.academyId)
        .executeTakeFirstOrThrow(),
    );
    expect(placement.placement).toBe("shared");
    expect(await snapshot(db, "public", academy.academyId)).toEqual(before);
    expect(await schemaCount(db, dedicatedSchemaName(academy.academyId))).toBe(0);

    const moved = await services.academies.move(db, { platformUserId: null }, academy.academyId, {
      to: "schema",
    });
    expect(moved.to).toBe("schema");
    expect(await snapshot(db, dedicatedSchemaName(academy.academyId), academy.academyId)).toEqual(
      before,
    );
  });
});
