import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate, openDatabase } from "@skillbridge/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDataDirs } from "./support/seed-data-dirs.js";

// `skillbridge audit isolation` as a user runs it: the built binary, spawned,
// on the embedded default (PGlite in a temp data dir). The exit code is the
// verdict: 0 without a high finding, 1 with one.

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages/cli/bin/skillbridge.js");
const home = mkdtempSync(join(tmpdir(), "skillbridge-audit-e2e-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
// Each data dir starts initialised (no `initdb` in every spawned process); the commands still migrate it.
beforeAll(() => seedDataDirs(home, ["data"]));

function run(
  args: readonly string[],
  dataDir: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: home,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        XDG_CONFIG_HOME: join(home, "config"),
        SKILLBRIDGE_DATA_DIR: dataDir,
        CI: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("skillbridge audit isolation (the binary)", () => {
  const dataDir = join(home, "data");

  it("--json on a clean data dir prints exactly { ok, checks, findings } and exits 0", async () => {
    const result = await run(["audit", "isolation", "--json"], dataDir);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(Object.keys(report).sort()).toEqual(["checks", "findings", "ok"]);
    expect(report).toMatchObject({ ok: true, findings: [] });
    expect(report.checks.every((c: { status: string }) => c.status === "passed")).toBe(true);
  });

  it("exits 1 once the data dir holds a view that reads a tenant table with its owner's rights", async () => {
    const db = await openDatabase({ dataDir });
    try {
      await migrate(db);
      await sql`create view course_titles as select tenant_id, title from courses`.execute(
        db.kysely,
      );
    } finally {
      await db.close();
    }
    const result = await run(["audit", "isolation", "--json"], dataDir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out);
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ severity: "high", object: "view public.course_titles" }),
    );
    const plain = await run(["audit", "isolation"], dataDir);
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/^Isolation audit failed: .*\n/);
    expect(plain.out).toContain(
      "fix: alter view public.course_titles set (security_invoker = true);",
    );
  });
});
