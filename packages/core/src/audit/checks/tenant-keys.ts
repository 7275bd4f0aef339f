import { qualifiedName } from "../../catalog/sql.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "keys.tenant-scoped",
  title: "Primary keys and unique constraints include tenant_id",
};
const find = finder(identity);

const KIND = { p: "primary key", u: "unique constraint", x: "exclusion constraint" } as const;

/**
 * A key without `tenant_id` makes uniqueness span academies: a value taken in
 * one academy is refused in another (the conflict itself tells that it
 * exists), and Citus cannot distribute the table.
 */
export const tenantKeys: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = [];
    let examined = 0;
    for (const table of catalog.tenantTables) {
      const name = qualifiedName(table);
      const own = (k: { schema: string; table: string }) =>
        k.schema === table.schema && k.table === table.name;
      const keys = catalog.constraints.filter((k) => own(k) && k.type !== "f");
      if (!keys.some((k) => k.type === "p")) {
        findings.push(
          find(
            "low",
            name,
            "No primary key: rows cannot be addressed as (tenant_id, id), and composite foreign keys cannot reference it.",
            `alter table ${name} add primary key (tenant_id, id);`,
          ),
        );
      }
      for (const key of keys) {
        examined++;
        if (key.type === "f" || key.columns.includes("tenant_id")) continue;
        findings.push(
          find(
            "medium",
            `${name} ${KIND[key.type]} ${key.name}`,
            `The ${KIND[key.type]} on (${key.columns.join(", ")}) spans academies: a value taken in one academy is refused in another, which reveals that it exists.`,
            `alter table ${name} drop constraint ${key.name}; alter table ${name} add ${key.type === "p" ? "primary key" : "unique"} (tenant_id, ${key.columns.join(", ")});`,
          ),
        );
      }
      for (const index of catalog.indexes.filter((i) => own(i) && i.unique && !i.backsConstraint)) {
        examined++;
        if (index.columns.includes("tenant_id")) continue;
        findings.push(
          find(
            "medium",
            `${name} unique index ${index.name}`,
            "The unique index does not include tenant_id: uniqueness spans academies, and a refused value reveals that it exists elsewhere.",
            `Recreate it with tenant_id first: create unique index … on ${name} (tenant_id, …);`,
          ),
        );
      }
    }
    return ran(
      identity,
      `${count(examined, "key")} on ${count(catalog.tenantTables.length, "table")} examined`,
      findings,
    );
  },
};
