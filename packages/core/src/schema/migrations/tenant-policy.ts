import { TENANT_ROLE } from "../tenant-tables.js";

/**
 * The current academy as the policies see it. `nullif` turns the empty string
 * that a reset transaction-local setting leaves behind into NULL, and
 * `tenant_id = NULL` matches no row: no setting, no rows (fail closed). The
 * sub-select lets Postgres evaluate it once per statement, not per row.
 */
export const TENANT_ID_SETTING =
  "(select nullif(current_setting('app.tenant_id', true), '')::uuid)";

/** Quotes an SQL identifier (schema names come from code, but quote anyway). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * What every tenant table gets: RLS enabled and FORCED, one policy for every
 * command with the same expression in USING and WITH CHECK, and DML (only)
 * for the tenant role.
 */
export function tenantPolicyDdl(schema: string, table: string): string {
  const t = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  return `
alter table ${t} enable row level security;
alter table ${t} force row level security;
create policy tenant_isolation on ${t} for all
  using (tenant_id = ${TENANT_ID_SETTING})
  with check (tenant_id = ${TENANT_ID_SETTING});
grant select, insert, update, delete on ${t} to ${TENANT_ROLE};`;
}
