import { qualifiedName } from "../../catalog/sql.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "indexes.tenant-leading",
  title: "Indexes on tenant tables begin with tenant_id",
};
const find = finder(identity);

/** Every query of a tenant table is scoped by tenant_id; an index that does not lead with it serves no academy alone. */
export const tenantIndexes: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = [];
    let examined = 0;
    for (const table of catalog.tenantTables) {
      const name = qualifiedName(table);
      for (const index of catalog.indexes.filter(
        (i) => i.schema === table.schema && i.table === table.name,
      )) {
        examined++;
        if (index.columns[0] === "tenant_id") continue;
        findings.push(
          find(
            "low",
            `${name} index ${index.name}`,
            `The index begins with ${index.columns[0] ?? "an expression"}, not tenant_id: tenant-scoped queries cannot use it well, and its ordering mixes academies.`,
            `Recreate it led by tenant_id: create index … on ${name} (tenant_id, ${index.columns.map((c) => c ?? "(expression)").join(", ")});`,
          ),
        );
      }
    }
    return ran(identity, `${count(examined, "index", "indexes")} examined`, findings);
  },
};
