import type { Kysely } from "kysely";
import { readPolicies } from "../catalog/policies.js";
import { qualifiedName } from "../catalog/sql.js";
import { readTables } from "../catalog/tables.js";
import { readTenantRole } from "../catalog/tenant-role.js";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { UnsafeDatabaseError } from "../errors.js";
import { dedicatedSchemaName } from "../placement/schema-name.js";
import { TENANT_ROLE, TENANT_TABLES } from "../schema/tenant-tables.js";

/**
 * Lists what would let tenant traffic escape row-level security: a tenant role
 * that is a superuser, has BYPASSRLS or owns a table (owners skip RLS unless it
 * is forced), a tenant table without forced RLS or without a policy, a known
 * tenant table that is missing (in public, or in the dedicated schema of an
 * academy placed in one). Empty when the database is safe to serve.
 * The isolation audit (`runIsolationAudit`) reads the same catalog and goes
 * further: policy behaviour, keys, views, functions, data.
 */
export async function findTenantSafetyProblems(db: SkillBridgeDatabase): Promise<string[]> {
  const kysely = db.kysely as unknown as Kysely<unknown>;
  const problems: string[] = [];

  const role = await readTenantRole(kysely);
  if (!role.exists) return [`the tenant role ${TENANT_ROLE} does not exist (run migrations)`];
  if (role.superuser) problems.push(`the tenant role ${TENANT_ROLE} is a superuser`);
  if (role.bypassRls) problems.push(`the tenant role ${TENANT_ROLE} has BYPASSRLS`);
  if (!role.canSet) problems.push(`the connecting user cannot SET ROLE ${TENANT_ROLE}`);
  for (const name of role.owns) problems.push(`the tenant role ${TENANT_ROLE} owns ${name}`);

  // Every table with a tenant_id column, known or not, must have forced RLS and a policy.
  const tables = (await readTables(kysely)).filter((t) => t.tenantId !== null);
  const withPolicy = new Set((await readPolicies(kysely)).map((p) => `${p.schema}.${p.table}`));
  const seen = new Set<string>();
  for (const t of tables) {
    const name = qualifiedName(t);
    if (t.schema === "public") seen.add(t.name);
    if (!t.rls) problems.push(`${name} has row-level security disabled`);
    else if (!t.forced) problems.push(`${name} does not FORCE row-level security`);
    if (!withPolicy.has(name)) problems.push(`${name} has no row-level security policy`);
  }
  for (const table of TENANT_TABLES) {
    if (!seen.has(table)) problems.push(`tenant table public.${table} is missing (run migrations)`);
  }
  // An academy placed in a dedicated schema whose copy of a tenant table is missing would
  // fall through to public's table on the search_path: refuse rather than misplace rows.
  const present = new Set(tables.map(qualifiedName));
  if (present.has("public.users")) {
    const placed = await db.kysely
      .selectFrom("academies")
      .select("id")
      .where("placement", "=", "schema")
      .execute();
    for (const row of placed) {
      const schema = dedicatedSchemaName(row.id);
      const missing = TENANT_TABLES.filter((t) => !present.has(`${schema}.${t}`));
      if (missing.length > 0) {
        problems.push(
          `academy ${row.id} is placed in schema ${schema}, which lacks ${missing.join(", ")} (run skillbridge db migrate)`,
        );
      }
    }
  }
  return problems;
}

/**
 * Refuses to serve tenant traffic from an unsafe database: throws
 * {@link UnsafeDatabaseError} naming every problem. Servers call it at start-up.
 *
 * @example
 * await migrate(db);
 * await assertTenantSafety(db);
 */
export async function assertTenantSafety(db: SkillBridgeDatabase): Promise<void> {
  const problems = await findTenantSafetyProblems(db);
  if (problems.length > 0) throw new UnsafeDatabaseError(problems);
}
