import type { CatalogDefinerFunction } from "../../catalog/functions.js";
import { qualifiedName } from "../../catalog/sql.js";
import type { CatalogTable } from "../../catalog/tables.js";
import { TENANT_ROLE } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "functions.security-definer",
  title: "No SECURITY DEFINER function touches tenant tables",
};
const find = finder(identity);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Tenant tables a function's body names (as a word, quoted or not) or depends on. */
function tenantTablesTouched(
  fn: CatalogDefinerFunction,
  tables: readonly CatalogTable[],
): string[] {
  return tables
    .filter((t) => {
      const name = qualifiedName(t);
      if (fn.dependsOn.includes(name)) return true;
      const word = new RegExp(
        `(^|[^A-Za-z0-9_$])"?${escapeRegExp(t.name)}"?($|[^A-Za-z0-9_$])`,
        "i",
      );
      return word.test(fn.source);
    })
    .map(qualifiedName);
}

/**
 * A SECURITY DEFINER function runs as its owner whoever calls it: if the
 * owner bypasses RLS (a superuser, BYPASSRLS), any caller reads or writes
 * every academy through it. Functions are found by their body naming a
 * tenant table (PL/pgSQL bodies are not tracked by Postgres) or by recorded
 * dependencies (SQL-standard bodies).
 */
export const definerFunctions: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = [];
    for (const fn of catalog.definerFunctions) {
      const touched = tenantTablesTouched(fn, catalog.tenantTables);
      if (touched.length === 0) continue;
      const name = `${fn.schema}.${fn.signature}`;
      const callers = fn.tenantRoleCanExecute
        ? `${TENANT_ROLE} can call it`
        : `${TENANT_ROLE} cannot call it directly`;
      findings.push(
        find(
          fn.ownerBypassesRls ? "high" : "medium",
          `function ${name}`,
          fn.ownerBypassesRls
            ? `SECURITY DEFINER, owned by ${fn.owner} who bypasses row-level security, and touches ${touched.join(", ")}: every caller acts on every academy's rows (${callers}).`
            : `SECURITY DEFINER and touches ${touched.join(", ")}: it runs as ${fn.owner}, not the caller, so isolation through it rests on that owner's rights (${callers}).`,
          `alter function ${fn.schema}.${fn.signature} security invoker; (or drop it, and do the work through withTenant)`,
        ),
      );
    }
    return ran(
      identity,
      `${count(catalog.definerFunctions.length, "SECURITY DEFINER function")} examined`,
      findings,
    );
  },
};
