import type { CatalogConstraint } from "../../catalog/keys.js";
import { qualifiedName } from "../../catalog/sql.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "foreign-keys.composite",
  title: "Foreign keys into tenant tables are composite on tenant_id",
};
const find = finder(identity);

/** The key maps the row's tenant_id onto the referenced row's tenant_id. */
export function pairsTenantIds(key: CatalogConstraint): boolean {
  const refs = key.references?.columns ?? [];
  return key.columns.some((column, i) => column === "tenant_id" && refs[i] === "tenant_id");
}

/** Foreign keys into a tenant table, from tables that have tenant_id themselves. */
export const foreignKeys: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = [];
    let examined = 0;
    for (const key of catalog.constraints) {
      if (key.type !== "f" || !key.references) continue;
      const target = `${key.references.schema}.${key.references.table}`;
      const source = qualifiedName({ schema: key.schema, name: key.table });
      // Tables without tenant_id are the untenanted-data check's concern.
      if (!catalog.isTenantTable(target) || !catalog.isTenantTable(source)) continue;
      examined++;
      if (pairsTenantIds(key)) continue;
      const columns = key.columns.filter((c) => c !== "tenant_id");
      findings.push(
        find(
          "high",
          `${source} foreign key ${key.name}`,
          `(${key.columns.join(", ")}) references ${target} (${key.references.columns.join(", ")}) without tenant_id: a row of one academy can point at a row of another.`,
          `alter table ${source} drop constraint ${key.name}; alter table ${source} add foreign key (tenant_id, ${columns.join(", ")}) references ${target} (tenant_id, ${key.references.columns.filter((c) => c !== "tenant_id").join(", ")});`,
        ),
      );
    }
    return ran(
      identity,
      `${count(examined, "foreign key")} between tenant tables examined`,
      findings,
    );
  },
};
