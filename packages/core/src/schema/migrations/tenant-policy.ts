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
