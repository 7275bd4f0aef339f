import { migrate } from "@skillbridge/core";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { dealtTests } from "../../core/test/support/sampling.js";
import { auditIsolation } from "../src/commands/audit/isolation.js";
import { main } from "../src/main.js";
import { type EmbeddedWorld, ENGINES, embeddedWorld, testIO } from "./support/cli-session.js";

// `skillbridge audit isolation` on the embedded mode over each engine: the
// command function, and `main` for the exit code and the JSON on stdout.

const argv = (...args: string[]) => ["node", "skillbridge", ...args];

describe.each(ENGINES)("skillbridge audit isolation on %s", (engine) => {
  // Each test runs on one engine per run, the engines alternating (support/sampling.ts).
  const it = dealtTests(ENGINES, engine, "cli audit isolation");
  let world: EmbeddedWorld;
  beforeEach(async () => {
    world = await embeddedWorld(engine);
  });
  afterEach(async () => {
    await world?.dispose();
  });

  /** Applies SQL to the world's local database, as an operator with psql would. */
  async function breach(statement: string) {
    await world.withDatabase(async (db) => {
      await migrate(db);
      await sql.raw(statement).execute(db.kysely);
    });
  }

  it("a clean database: ok, no finding, exit 0, an Ink report that says so", async () => {
    const session = world.session();
    const output = await auditIsolation(session);
    await session.close();
    expect(output.data.ok).toBe(true);
    expect(output.data.findings).toEqual([]);
    expect(output.exitCode).toBe(0);
    expect(output.view).toMatchObject({
      kind: "report",
      ok: true,
      title: expect.stringMatching(
        /^Isolation audit passed: (\d+) of \1 checks passed, no finding$/,
      ),
      groups: [],
    });
  });

  it("--json prints exactly { ok, checks, findings } and exits 0 on a clean database", async () => {
    const io = testIO(world.env);
    const code = await main(argv("audit", "isolation", "--json"), io);
    expect(code).toBe(0);
    const printed = JSON.parse(io.out());
    expect(Object.keys(printed).sort()).toEqual(["checks", "findings", "ok"]);
    expect(printed.ok).toBe(true);
  });

  it("audits a database that is unsafe to serve instead of refusing it, and exits 1 on its high finding", async () => {
    await breach("alter table courses no force row level security");
    const io = testIO(world.env);
    const code = await main(argv("audit", "isolation", "--json"), io);
    expect(io.err()).toBe("");
    expect(code).toBe(1);
    const printed = JSON.parse(io.out());
    expect(printed.ok).toBe(false);
    expect(printed.findings[0]).toMatchObject({
      severity: "high",
      check: "rls.enabled",
      object: "public.courses",
    });
    // Every other command still refuses to serve that database.
    const other = testIO(world.env);
    expect(await main(argv("tenants", "list"), other)).toBe(1);
    expect(other.err()).toMatch(/does not FORCE row-level security/);
  });

  it("only low or medium findings: the report warns, and the exit code stays 0", async () => {
    await breach("create index courses_title_idx on courses (title)");
    const io = testIO(world.env);
    const code = await main(argv("audit", "isolation"), io);
    expect(code).toBe(0);
    expect(io.out()).toMatch(
      /^Isolation audit passed: \d+ of \d+ checks passed; findings: 1 low\n/,
    );
    expect(io.out()).toMatch(
      /\nLOW \(1\)\n- public\.courses index courses_title_idx \[indexes\.tenant-leading\]\n/,
    );
  });

  // The probe drives every route as every role: minutes on a loaded machine.
  it("--probe adds the probe's checks, runs against the embedded server and removes the fixtures for good", {
    timeout: 240_000,
  }, async () => {
    const session = world.session();
    const output = await auditIsolation(session, { probe: true });
    const { client } = await session.connect();
    const academies = await client.academies
      .list({ deleted: "include", limit: 100 })
      .toArray({ limit: 100 });
    await session.close();
    // Only the documented gap: the multipart upload route the probe cannot build.
    expect(output.data.findings.map((f) => [f.severity, f.check, f.object])).toEqual([
      ["low", "probe.coverage", "POST /quizzes/generate"],
    ]);
    expect(output.data.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        "probe.fixtures",
        "probe.cross-academy",
        "probe.role-visibility",
        "probe.coverage",
      ]),
    );
    // Not soft-deleted: gone, even from the list of deleted academies.
    expect(academies.filter((a) => a.slug.startsWith("audit-fixture-"))).toEqual([]);
  });
});
