import { type Kysely, sql } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { UnsafeDatabaseError } from "../errors.js";
import { TENANT_ROLE, TENANT_TABLES } from "../schema/tenant-tables.js";

interface RoleRow {
  rolsuper: boolean;
  rolbypassrls: boolean;
  can_set: boolean;
}

interface TableRow {
  schema: string;
  table: string;
  rls: boolean;
  forced: boolean;
  policies: number;
}

/**
 * Lists what would let tenant traffic escape row-level security: a tenant role
 * that is a superuser, has BYPASSRLS or owns a table (owners skip RLS unless it
 * is forced), a tenant table without forced RLS or without a policy, a known
 * tenant table that is missing. Empty when the database is safe to serve.
 */
export async function findTenantSafetyProblems(db: SkillBridgeDatabase): Promise<string[]> {
  const kysely = db.kysely as unknown as Kysely<unknown>;
  const problems: string[] = [];

  const role = await sql<RoleRow>`
    select rolsuper, rolbypassrls,
           (select rolsuper from pg_roles where rolname = current_user)
             or pg_has_role(current_user, r.oid, 'member') as can_set
    from pg_roles r where rolname = ${TENANT_ROLE}`.execute(kysely);
  const roleRow = role.rows[0];
  if (!roleRow) {
    return [`the tenant role ${TENANT_ROLE} does not exist (run migrations)`];
  }
  if (roleRow.rolsuper) problems.push(`the tenant role ${TENANT_ROLE} is a superuser`);
  if (roleRow.rolbypassrls) problems.push(`the tenant role ${TENANT_ROLE} has BYPASSRLS`);
  if (!roleRow.can_set) problems.push(`the connecting user cannot SET ROLE ${TENANT_ROLE}`);

  const owned = await sql<{ name: string }>`
    select n.nspname || '.' || c.relname as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relowner = (select oid from pg_roles where rolname = ${TENANT_ROLE})`.execute(kysely);
  for (const row of owned.rows) problems.push(`the tenant role ${TENANT_ROLE} owns ${row.name}`);

  // Every table with a tenant_id column, known or not, must have forced RLS and a policy.
  const tables = await sql<TableRow>`
    select n.nspname as schema, c.relname as table,
           c.relrowsecurity as rls, c.relforcerowsecurity as forced,
           (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and n.nspname not in ('pg_catalog', 'information_schema')
      and exists (select 1 from pg_attribute a
                  where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`.execute(
    kysely,
  );
  const seen = new Set<string>();
  for (const t of tables.rows) {
    const name = `${t.schema}.${t.table}`;
    if (t.schema === "public") seen.add(t.table);
    if (!t.rls) problems.push(`${name} has row-level security disabled`);
    else if (!t.forced) problems.push(`${name} does not FORCE row-level security`);
    if (t.policies === 0) problems.push(`${name} has no row-level security policy`);
  }
  for (const table of TENANT_TABLES) {
    if (!seen.has(table)) problems.push(`tenant table public.${table} is missing (run migrations)`);
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
