import { TENANT_TABLES } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "tenant-tables.catalog",
  title: "The catalog's tenant tables are the ones TENANT_TABLES lists",
};
const find = finder(identity);

/**
 * TENANT_TABLES drives the tenant-scope plugin, the grants and the isolation
 * suite; the catalog (any table with `tenant_id`) is the truth. A table in
 * one and not the other has lost a layer.
 */
export const tenantTablesListed: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const listed = new Set<string>(TENANT_TABLES);
    const shared = catalog.tables.filter((t) => t.schema === "public");
    const findings = [];
    for (const table of shared) {
      if (table.tenantId !== null && !listed.has(table.name)) {
        findings.push(
          find(
            "medium",
            `public.${table.name}`,
            "Has a tenant_id column but is not in TENANT_TABLES: the tenant-scope plugin adds no tenant_id filter to it and the isolation suite does not cover it, so RLS is its only guard.",
            "Add it to TENANT_TABLES (packages/core/src/schema/tenant-tables.ts) and to the isolation tests, or drop the column if the table is not tenant data.",
          ),
        );
      }
    }
    for (const name of TENANT_TABLES) {
      const table = shared.find((t) => t.name === name);
      if (!table) {
        findings.push(
          find(
            "high",
            `public.${name}`,
            "A tenant table of TENANT_TABLES is missing: the database is not migrated (or was altered by hand).",
            "Run the migrations (skillbridge init, or migrate(db) at start-up).",
          ),
        );
      } else if (table.tenantId === null) {
        findings.push(
          find(
            "high",
            `public.${name}`,
            "Listed in TENANT_TABLES but has no tenant_id column: nothing ties its rows to an academy, and no tenant policy can exist on it.",
            `Restore the column: alter table public.${name} add column tenant_id uuid not null references public.academies (id); then its key, policy and grants (see tenant-0001-init).`,
          ),
        );
      }
    }
    return ran(
      identity,
      `${count(TENANT_TABLES.length, "listed table")}, ${count(catalog.tenantTables.length, "table")} with tenant_id in the catalog`,
      findings,
    );
  },
};
