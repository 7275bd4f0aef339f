import { qualifiedName } from "../../catalog/sql.js";
import { TENANT_TABLES } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "tenant-data.without-tenant-id",
  title: "No table holds tenant data without a tenant_id column",
};
const find = finder(identity);

/** `users` → `user`, `quizzes` → `quiz`, `study_plans` → `study_plan`. */
function singular(name: string): string {
  if (name.endsWith("zzes")) return name.slice(0, -3);
  if (name.endsWith("ies")) return `${name.slice(0, -3)}y`;
  return name.endsWith("s") ? name.slice(0, -1) : name;
}

/** People of an academy, named by role in reference columns. */
const PERSON_COLUMNS = ["student_id", "instructor_id", "parent_id"];

/**
 * A table without `tenant_id` is outside every tenant guard: no policy, no
 * scope, no composite key. If it references a tenant table (a foreign key),
 * or has a uuid column named like a reference to one (`user_id`,
 * `course_id`, `student_id`…), it holds tenant data outside the tenancy.
 */
export const untenantedData: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = [];
    const untenanted = catalog.tables.filter((t) => t.tenantId === null);
    const tenantNames = new Set([...TENANT_TABLES, ...catalog.tenantTables.map((t) => t.name)]);
    const referenceNames = new Set([
      ...[...tenantNames].map((n) => `${singular(n)}_id`),
      ...PERSON_COLUMNS,
    ]);
    for (const table of untenanted) {
      const name = qualifiedName(table);
      const keys = catalog.constraints.filter(
        (k) =>
          k.schema === table.schema &&
          k.table === table.name &&
          k.type === "f" &&
          k.references !== null &&
          catalog.isTenantTable(`${k.references.schema}.${k.references.table}`),
      );
      for (const key of keys) {
        findings.push(
          find(
            "high",
            name,
            `Has no tenant_id but references tenant table ${key.references?.schema}.${key.references?.table} (${key.columns.join(", ")}, foreign key ${key.name}): its rows are tenant data that no policy, scope or composite key guards, readable across academies.`,
            `Make it a tenant table: add tenant_id uuid not null references public.academies (id), a composite foreign key (tenant_id, ${key.columns.join(", ")}), a primary key (tenant_id, id), forced RLS with the tenant policy, and list it in TENANT_TABLES.`,
          ),
        );
      }
      const referenced = new Set(keys.flatMap((k) => k.columns));
      const suspects = catalog.columns.filter(
        (c) =>
          c.schema === table.schema &&
          c.table === table.name &&
          c.type === "uuid" &&
          referenceNames.has(c.name) &&
          !referenced.has(c.name),
      );
      if (suspects.length > 0) {
        findings.push(
          find(
            "medium",
            name,
            `Has no tenant_id but uuid columns named like references to tenant rows (${suspects.map((c) => c.name).join(", ")}): if they hold academy rows' ids, this is tenant data outside the tenancy.`,
            "If it is tenant data, make it a tenant table (tenant_id, composite keys, forced RLS, TENANT_TABLES); if not, rename the columns to say what they reference.",
          ),
        );
      }
    }
    return ran(
      identity,
      `${count(untenanted.length, "table")} without tenant_id examined`,
      findings,
    );
  },
};
