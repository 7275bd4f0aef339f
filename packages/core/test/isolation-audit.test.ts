import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditFinding, IsolationAuditReport } from "../src/contracts/index.js";
import { runIsolationAudit, type SkillBridgeDatabase, TENANT_ROLE } from "../src/index.js";
import { tenantSchemaDdl } from "../src/schema/migrate.js";
import { TENANT_TABLES } from "../src/schema/tenant-tables.js";
import { auditWith, exec } from "./support/audit-with.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// The audit must find real breaches, not restate the happy path. Each breach is
// applied with SQL inside a transaction, the audit runs in that transaction,
// and the transaction is rolled back: DDL and even role changes (cluster-wide
// on a real server) never outlive the test. Two seeded academies give every
// tenant table live rows, so behavioural and data checks have something to see.

function highs(report: IsolationAuditReport): AuditFinding[] {
  return report.findings.filter((f) => f.severity === "high");
}

function statusOf(report: IsolationAuditReport, check: string): string | undefined {
  return report.checks.find((c) => c.id === check)?.status;
}

describe.each(ENGINES)("isolation audit (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let a: SeededAcademy;
  let b: SeededAcademy;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    const services = fastServices();
    a = await seedAcademy(db, services, "audit-a");
    b = await seedAcademy(db, services, "audit-b");
  });
  afterAll(() => dispose());

  it("a clean, seeded database passes every check with no finding", async () => {
    const report = await runIsolationAudit(db);
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.id, c.status])).toEqual(
      report.checks.map((c) => [c.id, "passed"]),
    );
    expect(report.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining([
        "rls.enabled",
        "rls.policy",
        "rls.fail-closed",
        "foreign-keys.composite",
        "views.security-invoker",
        "functions.security-definer",
        "role.attributes",
        "data.cross-tenant-rows",
        "citus.readiness",
        "schemas.dedicated",
      ]),
    );
  });

  it("RLS not forced on a tenant table is high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(trx, "alter table courses no force row level security"),
    );
    expect(report.ok).toBe(false);
    expect(highs(report)).toContainEqual(
      expect.objectContaining({ check: "rls.enabled", object: "public.courses" }),
    );
  });

  it("RLS disabled on a tenant table is high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(trx, "alter table enrollments disable row level security"),
    );
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "rls.enabled",
        object: "public.enrollments",
        detail: expect.stringMatching(/disabled/),
      }),
    );
  });

  it("a new table with tenant_id and no policy is found from the catalog, listed or not", async () => {
    const report = await auditWith(db, async (trx) => {
      await exec(
        trx,
        `create table side_notes (
           tenant_id uuid not null references academies (id),
           id uuid not null default gen_random_uuid(),
           body text,
           primary key (tenant_id, id));
         alter table side_notes enable row level security;
         alter table side_notes force row level security;`,
      );
    });
    expect(highs(report)).toContainEqual(
      expect.objectContaining({ check: "rls.policy", object: "public.side_notes" }),
    );
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        severity: "medium",
        check: "tenant-tables.catalog",
        object: "public.side_notes",
      }),
    );
  });

  it("a policy with an OR branch that holds when app.tenant_id was never set fails open: high", async () => {
    const setting = "(select nullif(current_setting('app.tenant_id', true), '')::uuid)";
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `drop policy tenant_isolation on courses;
         create policy tenant_isolation on courses for all
           using (tenant_id = ${setting} or current_setting('app.tenant_id', true) is null)
           with check (tenant_id = ${setting} or current_setting('app.tenant_id', true) is null);`,
      ),
    );
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "rls.fail-closed",
        object: "public.courses",
        detail: expect.stringMatching(/never set on the connection: SELECT \(USING\)/),
      }),
    );
    // The text reads like the design (keyed on tenant_id): only behaviour gives it away.
    expect(report.findings.filter((f) => f.check === "rls.policy")).toEqual([]);
  });

  it("a policy that fails open on an empty setting is proven on live rows", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `drop policy tenant_isolation on submissions;
         create policy tenant_isolation on submissions for all
           using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid
                  or nullif(current_setting('app.tenant_id', true), '') is null);`,
      ),
    );
    const found = highs(report).filter((f) => f.object === "public.submissions");
    expect(found).toContainEqual(
      expect.objectContaining({
        check: "rls.fail-closed",
        detail: expect.stringMatching(/^Proven on live rows/),
      }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ detail: expect.stringMatching(/empty .*: SELECT \(USING\)/) }),
    );
  });

  it("an extra permissive policy that is not keyed on tenant_id widens access: found by text and behaviour", async () => {
    const report = await auditWith(db, (trx) =>
      exec(trx, "create policy everyone_reads on assignments for select using (true)"),
    );
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        severity: "medium",
        check: "rls.policy",
        object: "public.assignments policy everyone_reads",
      }),
    );
    expect(highs(report)).toContainEqual(
      expect.objectContaining({ check: "rls.fail-closed", object: "public.assignments" }),
    );
  });

  it("a foreign key into a tenant table without tenant_id is high", async () => {
    const report = await auditWith(db, async (trx) => {
      const { rows } = await sql<{ name: string }>`
        select conname as name from pg_constraint
        where conrelid = 'enrollments'::regclass and confrelid = 'courses'::regclass`.execute(trx);
      await exec(trx, "create unique index courses_id_only on courses (id)");
      await exec(trx, `alter table enrollments drop constraint ${rows[0]?.name}`);
      await exec(
        trx,
        "alter table enrollments add constraint enrollments_course_loose foreign key (course_id) references courses (id)",
      );
    });
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "foreign-keys.composite",
        object: "public.enrollments foreign key enrollments_course_loose",
      }),
    );
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        severity: "medium",
        check: "keys.tenant-scoped",
        object: "public.courses unique index courses_id_only",
      }),
    );
    expect(report.findings).toContainEqual(
      expect.objectContaining({ check: "citus.readiness", severity: "low" }),
    );
  });

  it("a table without tenant_id that references a tenant table holds tenant data: high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `create unique index users_id_only on users (id);
         create table login_events (id uuid primary key, user_id uuid references users (id), at timestamptz);
         create table export_jobs (id uuid primary key, student_id uuid)`,
      ),
    );
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "tenant-data.without-tenant-id",
        object: "public.login_events",
      }),
    );
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        severity: "medium",
        check: "tenant-data.without-tenant-id",
        object: "public.export_jobs",
      }),
    );
  });

  it("a view over a tenant table without security_invoker is high; with it, clean", async () => {
    const definer = await auditWith(db, (trx) =>
      exec(trx, "create view course_titles as select tenant_id, title from courses"),
    );
    expect(highs(definer)).toContainEqual(
      expect.objectContaining({
        check: "views.security-invoker",
        object: "view public.course_titles",
      }),
    );
    const invoker = await auditWith(db, (trx) =>
      exec(
        trx,
        "create view course_titles with (security_invoker = true) as select tenant_id, title from courses",
      ),
    );
    expect(statusOf(invoker, "views.security-invoker")).toBe("passed");
    expect(invoker.ok).toBe(true);
  });

  it("a view reading a tenant table through another view is found too", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `create view inner_titles with (security_invoker = true) as select tenant_id, title from courses;
         create view outer_titles as select title from inner_titles;`,
      ),
    );
    expect(highs(report)).toContainEqual(
      expect.objectContaining({ object: "view public.outer_titles" }),
    );
  });

  it("a SECURITY DEFINER function reading a tenant table is high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        "create function count_users() returns bigint language sql security definer as $$ select count(*) from users $$",
      ),
    );
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "functions.security-definer",
        object: "function public.count_users()",
      }),
    );
  });

  it("a row pointing into another academy (written with constraints off) is found in the data", async () => {
    const report = await auditWith(db, async (trx) => {
      // Replica mode skips foreign-key triggers: the only way such a row gets in.
      await exec(trx, "set local session_replication_role = replica");
      await sql`
        insert into enrollments (tenant_id, course_id, student_id)
        values (${a.academyId}, ${b.courses.c1}, ${a.users.s2})`.execute(trx);
      await exec(trx, "set local session_replication_role = origin");
    });
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "data.cross-tenant-rows",
        object: "public.enrollments → public.courses",
      }),
    );
    expect(report.findings.filter((f) => f.check !== "data.cross-tenant-rows")).toEqual([]);
  });

  it("the serving role given BYPASSRLS is high (and its policies stop holding on live rows)", async () => {
    const report = await auditWith(db, (trx) => exec(trx, `alter role ${TENANT_ROLE} bypassrls`));
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "role.attributes",
        object: `role ${TENANT_ROLE}`,
        detail: expect.stringMatching(/BYPASSRLS/),
      }),
    );
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "rls.fail-closed",
        detail: expect.stringMatching(/^Proven on live rows/),
      }),
    );
  });

  it("TRUNCATE or a platform table granted to the serving role is high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `grant truncate on courses to ${TENANT_ROLE}; grant select on platform_users to ${TENANT_ROLE}`,
      ),
    );
    expect(highs(report).map((f) => [f.check, f.object])).toEqual(
      expect.arrayContaining([
        ["role.privileges", "public.courses"],
        ["role.privileges", "public.platform_users"],
      ]),
    );
  });

  it("a nullable tenant_id is high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        "alter table study_plans drop constraint study_plans_pkey, alter column tenant_id drop not null",
      ),
    );
    expect(highs(report)).toContainEqual(
      expect.objectContaining({
        check: "tenant-id.column",
        object: "public.study_plans.tenant_id",
      }),
    );
  });

  describe("dedicated schemas", () => {
    it("a schema holding a faithful copy of the tenant tables passes, and is audited table by table", async () => {
      const report = await auditWith(db, (trx) =>
        exec(trx, `create schema academy_x; ${tenantSchemaDdl("academy_x")}`),
      );
      expect(report.findings).toEqual([]);
      expect(report.checks.find((c) => c.id === "schemas.dedicated")?.summary).toMatch(
        /^1 dedicated schema compared with public/,
      );
      expect(report.checks.find((c) => c.id === "rls.enabled")?.summary).toMatch(
        new RegExp(`^${2 * TENANT_TABLES.length} tables`),
      );
    });

    it("a copy whose RLS is off or whose policy differs is found", async () => {
      const report = await auditWith(db, (trx) =>
        exec(
          trx,
          `create schema academy_y; ${tenantSchemaDdl("academy_y")}
           alter table academy_y.courses disable row level security;
           drop policy tenant_isolation on academy_y.users;
           create policy tenant_isolation on academy_y.users for select using (true);`,
        ),
      );
      expect(highs(report)).toContainEqual(
        expect.objectContaining({ check: "rls.enabled", object: "academy_y.courses" }),
      );
      expect(report.findings).toContainEqual(
        expect.objectContaining({ check: "schemas.dedicated", object: "academy_y.users" }),
      );
      expect(highs(report)).toContainEqual(
        expect.objectContaining({ check: "rls.fail-closed", object: "academy_y.users" }),
      );
    });

    it("an academy placed in a dedicated schema with no such schema is high", async () => {
      const report = await auditWith(db, async (trx) => {
        await sql`update academies set placement = 'schema' where id = ${b.academyId}`.execute(trx);
      });
      expect(highs(report)).toContainEqual(
        expect.objectContaining({ check: "schemas.dedicated", object: "academies.placement" }),
      );
    });
  });

  it("after every rolled-back breach the database audits clean again", async () => {
    const report = await runIsolationAudit(db);
    expect(report.findings).toEqual([]);
  });
});
