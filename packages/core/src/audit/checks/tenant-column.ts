import { qualifiedName } from "../../catalog/sql.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "tenant-id.column",
  title: "tenant_id is a NOT NULL uuid referencing academies",
};
const find = finder(identity);

/**
 * `tenant_id` NOT NULL: a NULL matches no policy, and it also switches off
 * composite foreign keys (MATCH SIMPLE skips a key with a NULL column), so
 * such a row may point anywhere. A uuid referencing `academies`, so every row
 * names an academy that exists.
 */
export const tenantColumn: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = [];
    for (const table of catalog.tenantTables) {
      const name = qualifiedName(table);
      const column = table.tenantId;
      if (!column) continue;
      if (!column.notNull) {
        findings.push(
          find(
            "high",
            `${name}.tenant_id`,
            "tenant_id is nullable: a row without an academy escapes every composite foreign key (MATCH SIMPLE skips keys with a NULL column) and belongs to no one.",
            `alter table ${name} alter column tenant_id set not null;`,
          ),
        );
      }
      if (column.type !== "uuid") {
        findings.push(
          find(
            "medium",
            `${name}.tenant_id`,
            `tenant_id is ${column.type}, not uuid: it cannot be compared with the uuid setting without casts, nor co-located with the other tenant tables.`,
            `alter table ${name} alter column tenant_id type uuid using tenant_id::uuid;`,
          ),
        );
      }
      const referencesAcademies = catalog.constraints.some(
        (k) =>
          k.schema === table.schema &&
          k.table === table.name &&
          k.type === "f" &&
          k.columns.length === 1 &&
          k.columns[0] === "tenant_id" &&
          k.references?.schema === "public" &&
          k.references.table === "academies",
      );
      if (!referencesAcademies) {
        findings.push(
          find(
            "medium",
            `${name}.tenant_id`,
            "tenant_id does not reference academies: a row can name an academy that does not exist.",
            `alter table ${name} add foreign key (tenant_id) references public.academies (id);`,
          ),
        );
      }
    }
    return ran(identity, `${count(catalog.tenantTables.length, "table")} examined`, findings);
  },
};
