import { type Kysely, sql } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { MigrationFailedError } from "../errors.js";
import { tenantMigrations } from "../schema/migrate.js";
import { quoteIdent } from "../schema/migrations/tenant-policy.js";
import {
  academyIdOfSchema,
  DEDICATED_SCHEMA_PREFIX,
  dedicatedSchemaName,
  SHARED_SCHEMA,
} from "./schema-name.js";

/** Where each schema records its applied tenant migrations (Kysely's migration-table format). */
export const TENANT_MIGRATION_TABLE = "skillbridge_tenant_migrations";

/** The tenant migrations' names in the order they apply (from the one list in migrate.ts). */
export function tenantMigrationNames(): string[] {
  return Object.keys(tenantMigrations(SHARED_SCHEMA)).sort();
}

/** One tenant schema's migration state. */
export interface TenantSchemaState {
  readonly schema: string;
  /** `shared` for `public`; `schema` for an academy's dedicated schema. */
  readonly kind: "shared" | "dedicated";
  /** The academy a dedicated schema belongs to (null for `public`). */
  readonly academyId: string | null;
  /** The schema exists and has its migration table. */
  readonly exists: boolean;
  readonly applied: readonly string[];
  /** Migrations still to apply, in order: non-empty means the schema is behind. */
  readonly pending: readonly string[];
  /** The last applied migration, or null. */
  readonly version: string | null;
  /**
   * A schema named like a dedicated one whose academy is not placed there (or
   * does not exist): the migration runner leaves it alone, the isolation audit
   * reports it.
   */
  readonly stray: boolean;
}

/** Applied names must be the list's first names, in order: anything else is a foreign history. */
export function pendingAfter(schema: string, applied: readonly string[]): string[] {
  const names = tenantMigrationNames();
  applied.forEach((name, i) => {
    if (names[i] !== name) {
      throw new MigrationFailedError(
        `schema ${schema} records tenant migration ${name} where ${names[i] ?? "nothing"} was expected: its history is not this version's`,
      );
    }
  });
  return names.slice(applied.length);
}

const CHUNK = 250;

/** Applied migrations of every schema that has a migration table, in a few union queries. */
async function appliedBySchema(
  db: Kysely<unknown>,
  schemas: readonly string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (let i = 0; i < schemas.length; i += CHUNK) {
    const chunk = schemas.slice(i, i + CHUNK);
    const union = chunk
      .map(
        (s) =>
          `select '${s.replaceAll("'", "''")}'::text as schema, coalesce(array_agg(name::text order by name), '{}') as names from ${quoteIdent(s)}.${TENANT_MIGRATION_TABLE}`,
      )
      .join(" union all ");
    const rows = await sql.raw<{ schema: string; names: string[] }>(union).execute(db);
    for (const row of rows.rows) result.set(row.schema, row.names);
  }
  return result;
}

/**
 * The migration state of every tenant schema: `public`, then the dedicated
 * schema of each academy placed in one (soft-deleted academies included: their
 * rows are still there), in creation order, then stray dedicated-looking
 * schemas. One catalog query, one academies query and one union query per 250
 * schemas.
 */
export async function readTenantSchemaStates(
  database: SkillBridgeDatabase | Kysely<unknown>,
): Promise<TenantSchemaState[]> {
  const db = "engine" in database ? (database.kysely as unknown as Kysely<unknown>) : database;
  const tracked = await sql<{ schema: string }>`
    select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relname = ${TENANT_MIGRATION_TABLE} and c.relkind = 'r'`.execute(db);
  const withTable = new Set(tracked.rows.map((r) => r.schema));
  const existing = await sql<{ schema: string }>`
    select nspname as schema from pg_namespace
    where starts_with(nspname, ${DEDICATED_SCHEMA_PREFIX}) order by nspname`.execute(db);
  // Before the platform migrations there are no academies, hence no dedicated schemas.
  const platform = await sql<{ ok: boolean }>`
    select to_regclass('public.academies') is not null as ok`.execute(db);
  const placed = platform.rows[0]?.ok
    ? await sql<{ id: string }>`
        select id from public.academies where placement = 'schema'
        order by created_at, id`.execute(db)
    : { rows: [] };

  const dedicated = placed.rows.map((r) => dedicatedSchemaName(r.id));
  const placedSet = new Set(dedicated);
  const strays = existing.rows
    .map((r) => r.schema)
    .filter((s) => !placedSet.has(s) && academyIdOfSchema(s) !== null);
  const straySet = new Set(strays);
  const all = [SHARED_SCHEMA, ...dedicated, ...strays];
  const applied = await appliedBySchema(
    db,
    all.filter((s) => withTable.has(s)),
  );
  return all.map((schema) => {
    const names = applied.get(schema) ?? [];
    const exists = withTable.has(schema);
    return {
      schema,
      kind: schema === SHARED_SCHEMA ? "shared" : "dedicated",
      academyId: academyIdOfSchema(schema),
      exists,
      applied: names,
      pending: pendingAfter(schema, names),
      version: names.at(-1) ?? null,
      stray: straySet.has(schema),
    } satisfies TenantSchemaState;
  });
}
