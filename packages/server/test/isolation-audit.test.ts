import { IsolationAuditReportSchema } from "@skillbridge/core/contracts";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// GET /admin/isolation-audit runs the core audit on the server's own database.
// Who may call it is the route matrix's business; here, what it answers.

describe.each(ENGINES)("GET /admin/isolation-audit on %s", (engine) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    token = await t.platformToken();
  });
  afterAll(() => t?.dispose());

  it("answers the report of a clean database: ok, every check passed, no finding", async () => {
    const res = await t.request("GET", "/api/v1/admin/isolation-audit", { token });
    expect(res.status).toBe(200);
    const report = IsolationAuditReportSchema.parse(res.body);
    expect(report).toMatchObject({ ok: true, findings: [] });
    expect(report.checks.length).toBeGreaterThanOrEqual(16);
    expect(new Set(report.checks.map((c) => c.status))).toEqual(new Set(["passed"]));
  });

  it("reports a breach made after the server started, with ok false", async () => {
    await sql`create view course_titles as select tenant_id, title from courses`.execute(
      t.db.kysely,
    );
    try {
      const res = await t.request("GET", "/api/v1/admin/isolation-audit", { token });
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.findings).toContainEqual({
        severity: "high",
        check: "views.security-invoker",
        object: "view public.course_titles",
        detail: expect.stringContaining("bypasses row-level security"),
        fix: "alter view public.course_titles set (security_invoker = true);",
      });
    } finally {
      await sql`drop view course_titles`.execute(t.db.kysely);
    }
  });

  it("is read-only: the audit leaves no row and no object behind", async () => {
    const before = await sql<{ n: number }>`
      select (select count(*) from pg_class)::int + (select count(*) from audit_log)::int as n`.execute(
      t.db.kysely,
    );
    await t.request("GET", "/api/v1/admin/isolation-audit", { token });
    const after = await sql<{ n: number }>`
      select (select count(*) from pg_class)::int + (select count(*) from audit_log)::int as n`.execute(
      t.db.kysely,
    );
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});
