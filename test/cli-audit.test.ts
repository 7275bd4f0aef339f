import { migrate } from "@skillbridge/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EmbeddedWorld,
  embeddedWorld,
  runCli,
} from "../packages/cli/test/support/cli-session.js";

// `skillbridge audit isolation` on the embedded default (PGlite in a data dir
// that starts unmigrated, as on a user's first start), through `main` in this
// process: the exit code is the verdict, 0 without a high finding, 1 with one.
// (A command's exit code reaching the shell: test/cli-pipes.test.ts.)

describe("skillbridge audit isolation", () => {
  let world: EmbeddedWorld;
  beforeAll(async () => {
    world = await embeddedWorld("pglite", { migrated: false });
  });
  afterAll(async () => {
    await world?.dispose();
  });
  const run = (args: readonly string[]) => runCli(args, world.env);

  it("--json on a clean data dir prints exactly { ok, checks, findings } and exits 0", async () => {
    const result = await run(["audit", "isolation", "--json"]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(Object.keys(report).sort()).toEqual(["checks", "findings", "ok"]);
    expect(report).toMatchObject({ ok: true, findings: [] });
    expect(report.checks.every((c: { status: string }) => c.status === "passed")).toBe(true);
  });

  it("exits 1 once the data dir holds a view that reads a tenant table with its owner's rights", async () => {
    await world.withDatabase(async (db) => {
      await migrate(db);
      await sql`create view course_titles as select tenant_id, title from courses`.execute(
        db.kysely,
      );
    });
    const result = await run(["audit", "isolation", "--json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out);
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ severity: "high", object: "view public.course_titles" }),
    );
    const plain = await run(["audit", "isolation"]);
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/^Isolation audit failed: .*\n/);
    expect(plain.out).toContain(
      "fix: alter view public.course_titles set (security_invoker = true);",
    );
  });
});
