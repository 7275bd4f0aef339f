import { qualifiedName } from "../../catalog/sql.js";
import type { CatalogView } from "../../catalog/views.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "views.security-invoker",
  title: "Views over tenant tables run with the caller's rights (security_invoker)",
};
const find = finder(identity);

/** Views that read tenant data, directly or through other views. */
function overTenantData(views: readonly CatalogView[], isTenant: (name: string) => boolean) {
  const byName = new Map(views.map((v) => [qualifiedName(v), v]));
  const memo = new Map<string, string[]>();
  const tenantReads = (view: CatalogView, path: Set<string>): string[] => {
    const name = qualifiedName(view);
    const known = memo.get(name);
    if (known) return known;
    const found = new Set<string>();
    for (const read of view.reads) {
      if (isTenant(read)) found.add(read);
      const inner = byName.get(read);
      if (inner && !path.has(read)) {
        for (const t of tenantReads(inner, new Set([...path, name]))) found.add(t);
      }
    }
    const result = [...found].sort();
    memo.set(name, result);
    return result;
  };
  return views
    .map((view) => ({ view, tables: tenantReads(view, new Set()) }))
    .filter((v) => v.tables.length > 0);
}

/**
 * A view runs with its owner's rights unless `security_invoker = true`: RLS of
 * what it reads is then checked against the owner, and an owner that is a
 * superuser or has BYPASSRLS sees every academy. A materialized view keeps a
 * copy of the rows that no policy guards at all.
 */
export const views: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = [];
    const found = overTenantData(catalog.views, catalog.isTenantTable);
    for (const { view, tables } of found) {
      const name = qualifiedName(view);
      if (view.materialized) {
        findings.push(
          find(
            "high",
            `materialized view ${name}`,
            `Stores a copy of rows of ${tables.join(", ")}; no row-level security applies to a materialized view, so whoever can read it reads every academy.`,
            `drop materialized view ${name}; serve the data from a security_invoker view or a tenant table with RLS.`,
          ),
        );
      } else if (!view.securityInvoker) {
        findings.push(
          find(
            view.ownerBypassesRls ? "high" : "medium",
            `view ${name}`,
            view.ownerBypassesRls
              ? `Reads ${tables.join(", ")} with the rights of its owner ${view.owner}, who bypasses row-level security: every academy's rows are visible through it.`
              : `Reads ${tables.join(", ")} with the rights of its owner ${view.owner} rather than the caller's: isolation through it holds only while that owner never gains BYPASSRLS or ownership without FORCE.`,
            `alter view ${name} set (security_invoker = true);`,
          ),
        );
      }
    }
    return ran(
      identity,
      `${count(catalog.views.length, "view")} examined, ${found.length} over tenant tables`,
      findings,
    );
  },
};
