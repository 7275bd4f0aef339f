import { sql } from "kysely";
import { TENANT_ROLE } from "../schema/tenant-tables.js";
import { type Executor, rows, userSchema } from "./sql.js";

export type TablePrivilege = "SELECT" | "INSERT" | "UPDATE" | "DELETE" | "TRUNCATE";

/** What the tenant role may do to one table (its own grants and PUBLIC's). */
export interface TenantRoleGrant {
  readonly schema: string;
  readonly table: string;
  readonly privileges: readonly TablePrivilege[];
}

interface GrantRow {
  schema: string;
  table: string;
  privileges: TablePrivilege[];
}

/** The tenant role's privileges on every application table it has any on. */
export async function readTenantRoleGrants(db: Executor): Promise<TenantRoleGrant[]> {
  const found = await rows(
    db,
    sql<GrantRow>`
      select n.nspname as schema, c.relname as table,
             array(select p from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
                   where has_table_privilege(${TENANT_ROLE}, c.oid, p))::text[] as privileges
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and ${userSchema("n")}
        and exists (select 1 from pg_roles r where r.rolname = ${TENANT_ROLE})
      order by n.nspname, c.relname`,
  );
  return found.filter((g) => g.privileges.length > 0);
}
