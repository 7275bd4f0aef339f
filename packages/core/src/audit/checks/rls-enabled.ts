import { qualifiedName } from "../../catalog/sql.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = { id: "rls.enabled", title: "Row-level security is enabled and forced" };
const find = finder(identity);

/** Every table with a `tenant_id` column has RLS enabled and FORCED. */
export const rlsEnabled: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = catalog.tenantTables.flatMap((t) => {
      const name = qualifiedName(t);
      if (!t.rls) {
        return [
          find(
            "high",
            name,
            "Row-level security is disabled: its policies are ignored and every query sees every academy's rows.",
            `alter table ${name} enable row level security; alter table ${name} force row level security;`,
          ),
        ];
      }
      if (!t.forced) {
        return [
          find(
            "high",
            name,
            `Row-level security is not forced: the owner (${t.owner}) skips the policies, so platform work and migrations running as the owner see every academy's rows.`,
            `alter table ${name} force row level security;`,
          ),
        ];
      }
      return [];
    });
    return ran(
      identity,
      `${count(catalog.tenantTables.length, "table")} with tenant_id examined`,
      findings,
    );
  },
};
