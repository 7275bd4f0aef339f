import { sql } from "kysely";
import type { CatalogConstraint } from "../../catalog/keys.js";
import { qualifiedName, rows } from "../../catalog/sql.js";
import type { CatalogTable } from "../../catalog/tables.js";
import type { AuditCheckDefinition, AuditContext } from "../audit-context.js";
import { count, finder, ran, skipped } from "../check-result.js";
import { isolated, sqlState } from "../savepoint.js";

const identity = {
  id: "data.cross-tenant-rows",
  title: "No row references a row of another academy (sampled data)",
};
const find = finder(identity);

const EXAMPLES = 3;

/** `tablesample` for tables bigger than the sample, so one check stays bounded on any size. */
function sampleClause(table: CatalogTable, sampleRows: number) {
  if (!(table.estimatedRows > sampleRows)) return sql``;
  const percent = Math.max(0.01, Math.min(100, (100 * sampleRows) / table.estimatedRows));
  return sql`tablesample system (${sql.lit(Number(percent.toFixed(4)))})`;
}

/** The child's key columns (without tenant_id) to name offending rows by. */
function keyColumns(ctx: AuditContext, table: CatalogTable): string[] {
  const pk = ctx.catalog.constraints.find(
    (k) => k.schema === table.schema && k.table === table.name && k.type === "p",
  );
  return (pk?.columns ?? []).filter((c) => c !== "tenant_id");
}

/** (child column, parent column) of a foreign key, tenant_id left out. */
function pairsOf(key: CatalogConstraint): (readonly [string, string])[] {
  const refs = key.references?.columns ?? [];
  return key.columns
    .map((column, i) => [column, refs[i]] as const)
    .filter(
      (p): p is readonly [string, string] =>
        p[0] !== "tenant_id" && p[1] !== undefined && p[1] !== "tenant_id",
    );
}

async function offending(
  ctx: AuditContext,
  child: CatalogTable,
  parent: CatalogTable,
  pairs: readonly (readonly [string, string])[],
) {
  const on = sql.join(
    pairs.map(([c, p]) => sql`${sql.ref(`p.${p}`)} = ${sql.ref(`c.${c}`)}`),
    sql` and `,
  );
  const ids = keyColumns(ctx, child);
  const label =
    ids.length > 0
      ? sql.join(
          ids.map((c) => sql`${sql.ref(`c.${c}`)}::text`),
          sql` || ',' || `,
        )
      : sql`c.ctid::text`;
  return isolated(ctx.db, async () => {
    await sql`select set_config('statement_timeout', ${String(ctx.dataTimeoutMs)}, true)`.execute(
      ctx.db,
    );
    return rows(
      ctx.db,
      sql<{ row: string }>`
        select ${label} as row
        from ${sql.id(child.schema, child.name)} as c ${sampleClause(child, ctx.sampleRows)}
        join ${sql.id(parent.schema, parent.name)} as p on ${on}
        where c.tenant_id is distinct from p.tenant_id
        limit ${sql.lit(EXAMPLES)}`,
    );
  });
}

/**
 * Reads the data itself: for every foreign key between tenant tables, rows
 * whose tenant_id differs from the referenced row's. Composite keys make that
 * impossible, unless they were bypassed (`session_replication_role = replica`,
 * disabled triggers, a key added NOT VALID) or are missing. Each query is
 * bounded by `statement_timeout` and a LIMIT, and big tables are sampled.
 * Needs a connecting user that bypasses row-level security (else it would see
 * no rows at all).
 */
export const crossTenantRows: AuditCheckDefinition = {
  ...identity,
  async run(ctx) {
    const { catalog } = ctx;
    const user = catalog.connectingUser;
    if (!user.superuser && !user.bypassRls) {
      return skipped(
        identity,
        `the connecting user ${user.name} is subject to row-level security and cannot read across academies; run the audit with a BYPASSRLS role to include data checks`,
      );
    }
    const byName = new Map(catalog.tenantTables.map((t) => [qualifiedName(t), t]));
    const findings = [];
    let examined = 0;
    for (const key of catalog.constraints) {
      if (key.type !== "f" || !key.references) continue;
      const child = byName.get(`${key.schema}.${key.table}`);
      const parent = byName.get(`${key.references.schema}.${key.references.table}`);
      if (!child || !parent) continue;
      const pairs = pairsOf(key);
      if (pairs.length === 0) continue;
      examined++;
      const found = await offending(ctx, child, parent, pairs);
      const childName = qualifiedName(child);
      const columns = pairs.map(([c]) => c).join(", ");
      const join = pairs.map(([c, p]) => `p.${p} = c.${c}`).join(" and ");
      if (!found.ok) {
        const timedOut = sqlState(found.error) === "57014";
        findings.push(
          find(
            "low",
            `${childName} → ${qualifiedName(parent)}`,
            timedOut
              ? `The data check of ${columns} did not finish within ${ctx.dataTimeoutMs} ms; its rows are unverified.`
              : `The data check of ${columns} failed: ${(found.error as Error).message}`,
            "Rerun the audit at a quieter time, or with a longer data timeout.",
          ),
        );
        continue;
      }
      if (found.value.length === 0) continue;
      findings.push(
        find(
          "high",
          `${childName} → ${qualifiedName(parent)}`,
          `Rows of ${childName} reference (${columns}) rows of ${qualifiedName(parent)} in another academy, e.g. ${found.value.map((r) => r.row).join("; ")}.`,
          `Find them with: select c.* from ${childName} c join ${qualifiedName(parent)} p on ${join} where c.tenant_id <> p.tenant_id; then repair or delete them, and keep the foreign key composite and validated.`,
        ),
      );
    }
    return ran(
      identity,
      `${count(examined, "foreign key")} checked on the data (up to ${ctx.sampleRows} sampled rows per table, ${ctx.dataTimeoutMs} ms each)`,
      findings,
    );
  },
};
