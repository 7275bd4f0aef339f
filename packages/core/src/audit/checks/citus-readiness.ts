import { qualifiedName } from "../../catalog/sql.js";
import type { AuditFinding } from "../../contracts/isolation-audit.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";
import { pairsTenantIds } from "./foreign-keys.js";

const identity = {
  id: "citus.readiness",
  title: "The schema could be distributed by tenant_id with Citus as it is",
};
const find = finder(identity);

/** Replicated to every node: the platform tables tenant tables may reference. */
export const CITUS_REFERENCE_TABLES = ["public.academies", "public.exam_questions"] as const;

/**
 * What `create_distributed_table(t, 'tenant_id')` (every tenant table,
 * co-located) and `create_reference_table` (academies, exam_questions) would
 * refuse: unique constraints and indexes without the distribution column,
 * foreign keys between distributed tables that do not pair tenant_id,
 * distributed tables referencing plain local tables, reference tables
 * referencing distributed or local ones, a nullable or mistyped tenant_id.
 * Blockers are `low`: they stop scaling out, not isolation (the other checks
 * rate the same defects for isolation).
 */
export const citusReadiness: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings: AuditFinding[] = [];
    const reference = new Set<string>(CITUS_REFERENCE_TABLES);
    const kindOf = (name: string) =>
      catalog.isTenantTable(name) ? "distributed" : reference.has(name) ? "reference" : "local";
    const blocker = (object: string, detail: string, fix: string) =>
      findings.push(find("low", object, `Citus: ${detail}`, fix));

    const types = new Set(catalog.tenantTables.map((t) => t.tenantId?.type));
    if (types.size > 1) {
      blocker(
        "tenant_id",
        `tenant_id has several types (${[...types].join(", ")}): tables can only be co-located on one type.`,
        "Make tenant_id uuid everywhere.",
      );
    }
    for (const table of catalog.tenantTables) {
      const name = qualifiedName(table);
      if (table.tenantId && !table.tenantId.notNull) {
        blocker(
          name,
          "the distribution column tenant_id is nullable.",
          `alter table ${name} alter column tenant_id set not null;`,
        );
      }
      for (const key of catalog.constraints) {
        if (key.schema !== table.schema || key.table !== table.name || key.type === "f") continue;
        if (!key.columns.includes("tenant_id")) {
          blocker(
            `${name} ${key.name}`,
            `the ${key.type === "p" ? "primary key" : "unique or exclusion constraint"} (${key.columns.join(", ")}) lacks the distribution column.`,
            "Include tenant_id in it.",
          );
        }
      }
      for (const index of catalog.indexes) {
        if (index.schema !== table.schema || index.table !== table.name) continue;
        if (index.unique && !index.backsConstraint && !index.columns.includes("tenant_id")) {
          blocker(
            `${name} ${index.name}`,
            "a unique index lacks the distribution column.",
            "Include tenant_id in it.",
          );
        }
      }
    }
    let examined = 0;
    for (const key of catalog.constraints) {
      if (key.type !== "f" || !key.references) continue;
      examined++;
      const from = `${key.schema}.${key.table}`;
      const to = `${key.references.schema}.${key.references.table}`;
      const object = `${from} foreign key ${key.name}`;
      const [source, target] = [kindOf(from), kindOf(to)];
      if (source === "distributed" && target === "distributed" && !pairsTenantIds(key)) {
        blocker(
          object,
          `references distributed ${to} without pairing tenant_id with tenant_id.`,
          "Make it composite: (tenant_id, x) references (tenant_id, id).",
        );
      } else if (source === "distributed" && target === "local") {
        blocker(
          object,
          `a distributed table references ${to}, which would stay a local table.`,
          `Make ${to} a reference table, or drop the key.`,
        );
      } else if (source === "reference" && target !== "reference") {
        blocker(
          object,
          `reference table ${from} references ${target} table ${to}.`,
          "Reference tables may reference only reference tables.",
        );
      } else if (source === "local" && target === "distributed") {
        blocker(
          object,
          `local table ${from} references distributed ${to}.`,
          `Distribute ${from} by tenant_id as well, or drop the key.`,
        );
      }
    }
    return ran(
      identity,
      findings.length === 0
        ? `ready: ${count(catalog.tenantTables.length, "table")} distributed by tenant_id, ${CITUS_REFERENCE_TABLES.join(" and ")} as reference tables (${count(examined, "foreign key")} examined)`
        : `${count(findings.length, "blocker")} to distributing by tenant_id`,
      findings,
    );
  },
};
