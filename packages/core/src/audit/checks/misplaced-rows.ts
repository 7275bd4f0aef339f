import { sql } from "kysely";
import { rows } from "../../catalog/sql.js";
import { academyIdOfSchema } from "../../placement/schema-name.js";
import { TENANT_TABLES } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition, AuditContext } from "../audit-context.js";
import { count, finder, ran, skipped } from "../check-result.js";
import { isolated, sqlState } from "../savepoint.js";

const identity = {
  id: "data.misplaced-rows",
  title: "Every academy's rows are in the schema its placement names (data)",
};
const find = finder(identity);

interface Misplaced {
  tenant_id: string;
  n: number;
}

/**
 * Rows of `schema.table` that belong elsewhere: in `public`, rows of academies
 * placed in a dedicated schema; in a dedicated schema, rows of any academy but
 * its own, or of its own academy when it is not placed there (a schema not
 * named for an academy holds no academy's rows). The application never reads
 * such rows: they are data a move or a hand edit left behind, and they would
 * reappear or vanish on the next move. Bounded by the data timeout; uses the
 * tenant_id-led indexes.
 */
async function misplaced(ctx: AuditContext, schema: string, table: string) {
  const t = sql.table(`${schema}.${table}`);
  const owner = academyIdOfSchema(schema);
  const where =
    schema === "public"
      ? sql`t.tenant_id in (select id from public.academies where placement = 'schema')`
      : owner === null
        ? sql`true`
        : sql`t.tenant_id <> ${owner}::uuid or not exists (
            select 1 from public.academies a where a.id = ${owner}::uuid and a.placement = 'schema')`;
  return isolated(ctx.db, async () => {
    await sql`select set_config('statement_timeout', ${String(ctx.dataTimeoutMs)}, true)`.execute(
      ctx.db,
    );
    return rows(
      ctx.db,
      sql<Misplaced>`
        select t.tenant_id::text as tenant_id, count(*)::int as n from ${t} t
        where ${where} group by t.tenant_id order by t.tenant_id limit 3`,
    );
  });
}

export const misplacedRows: AuditCheckDefinition = {
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
    const listed = new Set<string>(TENANT_TABLES);
    const targets = catalog.tables.filter((t) => listed.has(t.name) && t.tenantId !== null);
    const findings = [];
    for (const target of targets) {
      const object = `${target.schema}.${target.name}`;
      const found = await misplaced(ctx, target.schema, target.name);
      if (!found.ok) {
        findings.push(
          find(
            "low",
            object,
            sqlState(found.error) === "57014"
              ? `The placement check did not finish within ${ctx.dataTimeoutMs} ms; its rows are unverified.`
              : `The placement check failed: ${(found.error as Error).message}`,
            "Rerun the audit at a quieter time, or with a longer data timeout.",
          ),
        );
        continue;
      }
      for (const row of found.value) {
        findings.push(
          find(
            "high",
            object,
            `${count(row.n, "row")} of academy ${row.tenant_id} ${target.schema === "public" ? "stay in the shared schema although the academy is placed in its dedicated schema" : `lie in ${target.schema}, which is not that academy's placement`}: no request reads them, and a move would clash with them.`,
            `Inspect them with: select * from ${object} where tenant_id = '${row.tenant_id}'; then move them where academies.placement says, or delete them.`,
          ),
        );
      }
    }
    const schemas = new Set(targets.map((t) => t.schema));
    return ran(
      identity,
      `${count(targets.length, "table")} in ${count(schemas.size, "schema")} checked against the academies' placements`,
      findings,
    );
  },
};
