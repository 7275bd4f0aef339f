import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditFinding, IsolationAuditReport } from "../src/contracts/index.js";
import { dedicatedSchemaName, runIsolationAudit, type SkillBridgeDatabase } from "../src/index.js";
import { auditWith, exec } from "./support/audit-with.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// The isolation audit over a real dedicated-schema academy beside a shared one:
// clean as onboarded, and each breach of a dedicated schema (applied in a
// transaction that is rolled back) is found — RLS, keys, migrations, a stray
// schema, and rows lying in a schema other than their academy's placement.

const of = (report: IsolationAuditReport, check: string, severity?: string) =>
  report.findings.filter(
    (f: AuditFinding) => f.check === check && (severity === undefined || f.severity === severity),
  );

describe.each(ENGINES)("isolation audit with a dedicated-schema academy (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let shared: SeededAcademy;
  let dedicated: SeededAcademy;
  let schema: string;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    const services = fastServices();
    shared = await seedAcademy(db, services, "audit-shared");
    dedicated = await seedAcademy(db, services, "audit-dedicated", "schema");
    schema = dedicatedSchemaName(dedicated.academyId);
  });
  afterAll(() => dispose());

  it("as onboarded, every check passes and the dedicated schema is compared with public", async () => {
    const report = await runIsolationAudit(db);
    expect(report.findings).toEqual([]);
    expect(report.checks.find((c) => c.id === "schemas.dedicated")?.summary).toBe(
      "1 dedicated schema compared with public (1 academy placed in one)",
    );
    expect(report.checks.find((c) => c.id === "data.misplaced-rows")?.status).toBe("passed");
  });

  it("RLS not forced on a table of the dedicated schema is high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(trx, `alter table ${schema}.submissions no force row level security`),
    );
    expect(of(report, "schemas.dedicated", "high").map((f) => f.object)).toEqual([
      `${schema}.submissions`,
    ]);
    expect(report.ok).toBe(false);
  });

  it("a key that differs from public's in the dedicated schema is found", async () => {
    const report = await auditWith(db, async (trx) => {
      const key = await sql<{ name: string }>`
        select conname as name from pg_constraint
        where conrelid = ${`${schema}.users`}::regclass and contype = 'u'`.execute(trx);
      await exec(trx, `alter table ${schema}.users drop constraint ${key.rows[0]?.name}`);
    });
    expect(of(report, "schemas.dedicated").map((f) => f.object)).toContain(`${schema}.users`);
  });

  it("a dedicated schema behind public's tenant migrations is found", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `delete from ${schema}.skillbridge_tenant_migrations where name = (select max(name) from ${schema}.skillbridge_tenant_migrations)`,
      ),
    );
    expect(of(report, "schemas.dedicated").map((f) => [f.object, f.detail])).toContainEqual([
      schema,
      expect.stringMatching(/^Behind public by 1 tenant migration/),
    ]);
  });

  it("rows of the dedicated academy left in public are high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `insert into public.users select * from ${schema}.users where role = 'student' limit 1`,
      ),
    );
    expect(of(report, "data.misplaced-rows", "high")).toEqual([
      expect.objectContaining({
        object: "public.users",
        detail: expect.stringContaining(dedicated.academyId),
      }),
    ]);
  });

  it("rows of the shared academy inside the dedicated schema are high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `insert into ${schema}.users select * from public.users where tenant_id = '${shared.academyId}'`,
      ),
    );
    expect(report.ok).toBe(false);
    expect(of(report, "data.misplaced-rows", "high")).toEqual([
      expect.objectContaining({
        object: `${schema}.users`,
        detail: expect.stringContaining(shared.academyId),
      }),
    ]);
  });

  it("an academy set back to 'shared' by hand leaves a stray schema and misplaced rows", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `update public.academies set placement = 'shared' where id = '${dedicated.academyId}'`,
      ),
    );
    expect(of(report, "schemas.dedicated").map((f) => f.object)).toContain(schema);
    expect(of(report, "data.misplaced-rows", "high").map((f) => f.object)).toContain(
      `${schema}.users`,
    );
  });

  it("an academy placed in a schema that does not exist is high", async () => {
    const report = await auditWith(db, (trx) =>
      exec(
        trx,
        `update public.academies set placement = 'schema' where id = '${shared.academyId}'`,
      ),
    );
    expect(of(report, "schemas.dedicated", "high").map((f) => f.object)).toContain(
      dedicatedSchemaName(shared.academyId),
    );
    // Its rows are still in public, which its placement no longer names.
    expect(of(report, "data.misplaced-rows", "high").map((f) => f.object)).toContain(
      "public.users",
    );
  });
});
