import { sql } from "kysely";
import { type Executor, rows, userSchema } from "./sql.js";

/** A table (or partitioned table) as the catalog describes it. */
export interface CatalogTable {
  readonly schema: string;
  readonly name: string;
  readonly partitioned: boolean;
  /** Row-level security enabled, and forced (so the owner is subject to it too). */
  readonly rls: boolean;
  readonly forced: boolean;
  readonly owner: string;
  /** The planner's estimate (`reltuples`); -1 or 0 when never analysed. */
  readonly estimatedRows: number;
  /** Its `tenant_id` column, if any: what makes it a tenant table. */
  readonly tenantId: { readonly notNull: boolean; readonly type: string } | null;
}

interface TableRow {
  schema: string;
  name: string;
  kind: string;
  rls: boolean;
  forced: boolean;
  owner: string;
  estimated_rows: number | string;
  has_tenant_id: boolean;
  tenant_id_not_null: boolean | null;
  tenant_id_type: string | null;
}

/** Every table in the application schemas, with its RLS flags and its `tenant_id` column. */
export async function readTables(db: Executor): Promise<CatalogTable[]> {
  const found = await rows(
    db,
    sql<TableRow>`
      select n.nspname as schema, c.relname as name, c.relkind::text as kind,
             c.relrowsecurity as rls, c.relforcerowsecurity as forced,
             pg_get_userbyid(c.relowner) as owner, c.reltuples::float8 as estimated_rows,
             a.attnum is not null as has_tenant_id, a.attnotnull as tenant_id_not_null,
             format_type(a.atttypid, a.atttypmod) as tenant_id_type
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_attribute a
        on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
      where c.relkind in ('r', 'p') and ${userSchema("n")}
      order by n.nspname, c.relname`,
  );
  return found.map((t) => ({
    schema: t.schema,
    name: t.name,
    partitioned: t.kind === "p",
    rls: t.rls,
    forced: t.forced,
    owner: t.owner,
    estimatedRows: Number(t.estimated_rows),
    tenantId: t.has_tenant_id
      ? { notNull: t.tenant_id_not_null === true, type: t.tenant_id_type ?? "unknown" }
      : null,
  }));
}

/** A column of an application table. */
export interface CatalogColumn {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly type: string;
}

/** Every column of every application table (views excluded). */
export async function readColumns(db: Executor): Promise<CatalogColumn[]> {
  return rows(
    db,
    sql<CatalogColumn>`
      select n.nspname as schema, c.relname as table, a.attname as name,
             format_type(a.atttypid, a.atttypmod) as type
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and ${userSchema("n")}
      order by n.nspname, c.relname, a.attnum`,
  );
}
