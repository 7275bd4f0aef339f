import { sql } from "kysely";
import { type CatalogDefinerFunction, readDefinerFunctions } from "../catalog/functions.js";
import {
  type CatalogConstraint,
  type CatalogIndex,
  readConstraints,
  readIndexes,
} from "../catalog/keys.js";
import { type CatalogPolicy, readPolicies } from "../catalog/policies.js";
import { readTenantRoleGrants, type TenantRoleGrant } from "../catalog/privileges.js";
import { type Executor, qualifiedName, rows } from "../catalog/sql.js";
import {
  type CatalogColumn,
  type CatalogTable,
  readColumns,
  readTables,
} from "../catalog/tables.js";
import {
  type ConnectingUser,
  readConnectingUser,
  readTenantRole,
  type TenantRoleState,
} from "../catalog/tenant-role.js";
import { type CatalogView, readViews } from "../catalog/views.js";
import { isolated } from "./savepoint.js";

/**
 * One read of everything the static checks judge, taken inside the audit's
 * transaction so every check sees the same catalog.
 */
export interface CatalogSnapshot {
  readonly tables: readonly CatalogTable[];
  /** Tables with a `tenant_id` column, in any application schema: the catalog's own list. */
  readonly tenantTables: readonly CatalogTable[];
  readonly columns: readonly CatalogColumn[];
  readonly policies: readonly CatalogPolicy[];
  readonly constraints: readonly CatalogConstraint[];
  readonly indexes: readonly CatalogIndex[];
  readonly views: readonly CatalogView[];
  readonly definerFunctions: readonly CatalogDefinerFunction[];
  readonly grants: readonly TenantRoleGrant[];
  readonly role: TenantRoleState;
  readonly connectingUser: ConnectingUser;
  /** Live academies per placement (`shared`, `schema`); empty before migrations. */
  readonly placements: ReadonlyMap<string, number>;
  /** True for `schema.name` of a table with a `tenant_id` column. */
  isTenantTable(qualified: string): boolean;
}

export async function readCatalogSnapshot(db: Executor): Promise<CatalogSnapshot> {
  const tables = await readTables(db);
  const tenantTables = tables.filter((t) => t.tenantId !== null);
  const tenantNames = new Set(tenantTables.map(qualifiedName));
  const placements = new Map<string, number>();
  if (tables.some((t) => t.schema === "public" && t.name === "academies")) {
    // A half-migrated academies table must not stop the rest of the audit.
    const read = await isolated(db, () =>
      rows(
        db,
        sql<{ placement: string; n: number }>`
          select placement, count(*)::int as n from public.academies
          where deleted_at is null group by placement`,
      ),
    );
    if (read.ok) for (const r of read.value) placements.set(r.placement, r.n);
  }
  return {
    tables,
    tenantTables,
    columns: await readColumns(db),
    policies: await readPolicies(db),
    constraints: await readConstraints(db),
    indexes: await readIndexes(db),
    views: await readViews(db),
    definerFunctions: await readDefinerFunctions(db),
    grants: await readTenantRoleGrants(db),
    role: await readTenantRole(db),
    connectingUser: await readConnectingUser(db),
    placements,
    isTenantTable: (qualified) => tenantNames.has(qualified),
  };
}
