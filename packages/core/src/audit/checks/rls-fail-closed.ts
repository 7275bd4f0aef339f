import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { type Executor, qualifiedName, rows } from "../../catalog/sql.js";
import type { CatalogTable } from "../../catalog/tables.js";
import { TENANT_ROLE } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition, AuditContext } from "../audit-context.js";
import { count, finder, ran, skipped } from "../check-result.js";
import {
  type EffectiveRule,
  effectiveRules,
  readsTenantSetting,
  withSettingMissing,
} from "../policy-expressions.js";
import { type Attempt, isolated } from "../savepoint.js";
import { DESIGN_POLICY } from "./rls-policies.js";

const identity = {
  id: "rls.fail-closed",
  title: "Policies fail closed without app.tenant_id (evaluated as the tenant role)",
};
const find = finder(identity);

/** The states of `app.tenant_id` in which a policy must admit no row of an academy. */
type Scenario = "missing" | "empty" | "other";
const SCENARIO_TEXT: Record<Scenario, string> = {
  missing: "never set on the connection",
  empty: "empty (as a finished transaction leaves it)",
  other: "naming another academy",
};

/** Runs `query` as the tenant role with `app.tenant_id` set to `setting`, then rolls it all back. */
function asTenantRole<T>(
  db: Executor,
  setting: string,
  query: () => Promise<T>,
  timeoutMs?: number,
): Promise<Attempt<T>> {
  return isolated(db, async () => {
    await sql`select set_config('role', ${TENANT_ROLE}, true), set_config('app.tenant_id', ${setting}, true)`.execute(
      db,
    );
    if (timeoutMs !== undefined) {
      await sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`.execute(db);
    }
    return query();
  });
}

/**
 * Evaluates `expression` on a row of `table` holding only `tenant_id = rowTenant`
 * (every other column NULL), as the policy would judge it.
 */
async function admits(
  db: Executor,
  table: CatalogTable,
  expression: string,
  rowTenant: string,
  setting: string,
): Promise<Attempt<boolean>> {
  return asTenantRole(db, setting, async () => {
    const [row] = await rows(
      db,
      sql<{ admitted: boolean }>`
        select coalesce((${sql.raw(expression)}), false) as admitted
        from json_populate_record(null::${sql.id(table.schema, table.name)},
                                  json_build_object('tenant_id', ${rowTenant}::uuid)) as ${sql.id(table.name)}`,
    );
    return row?.admitted === true;
  });
}

function ruleName(rule: EffectiveRule): string {
  return rule.side === "using" ? `${rule.command} (USING)` : `${rule.command} (WITH CHECK)`;
}

/** Which rules admit a foreign academy's row, per scenario; and whether its own row is admitted. */
async function evaluateTable(db: Executor, table: CatalogTable, rules: readonly EffectiveRule[]) {
  const rowTenant = randomUUID();
  const other = randomUUID();
  const open = new Map<Scenario, string[]>();
  const ownRefused: string[] = [];
  const verdicts = new Map<string, { open: Scenario[]; own: boolean }>();
  for (const rule of rules) {
    if (rule.expression === null) continue;
    let verdict = verdicts.get(rule.expression);
    if (!verdict) {
      const opened: Scenario[] = [];
      if (readsTenantSetting(rule.expression)) {
        const r = await admits(db, table, withSettingMissing(rule.expression), rowTenant, "");
        if (r.ok && r.value) opened.push("missing");
      }
      for (const [scenario, setting] of [
        ["empty", ""],
        ["other", other],
      ] as const) {
        const r = await admits(db, table, rule.expression, rowTenant, setting);
        if (r.ok && r.value) opened.push(scenario);
      }
      const own = await admits(db, table, rule.expression, rowTenant, rowTenant);
      verdict = { open: opened, own: own.ok && own.value };
      verdicts.set(rule.expression, verdict);
    }
    for (const scenario of verdict.open)
      open.set(scenario, [...(open.get(scenario) ?? []), ruleName(rule)]);
    if (!verdict.own && (rule.command === "SELECT" || rule.command === "INSERT"))
      ownRefused.push(ruleName(rule));
  }
  return { open, ownRefused };
}

/** Whether a tenant transaction with this setting reads any row of the table at all. */
async function seesLiveRows(
  ctx: AuditContext,
  table: { schema: string; name: string },
  setting: string,
) {
  return asTenantRole(
    ctx.db,
    setting,
    async () => {
      const [row] = await rows(
        ctx.db,
        sql<{
          visible: boolean;
        }>`select exists (select 1 from ${sql.id(table.schema, table.name)}) as visible`,
      );
      return row?.visible === true;
    },
    ctx.dataTimeoutMs,
  );
}

/**
 * Proves, rather than reads, that each tenant table's policies fail closed:
 * as the tenant role, in a savepoint that is rolled back, every rule RLS
 * enforces (USING and WITH CHECK of each command) is evaluated on a row of
 * one academy while `app.tenant_id` is missing, empty, or names another
 * academy; none may admit it. Then the live table is read in the same states:
 * any visible row is a leak proven on real data.
 */
export const rlsFailClosed: AuditCheckDefinition = {
  ...identity,
  async run(ctx) {
    const { catalog } = ctx;
    if (!catalog.role.exists)
      return skipped(identity, `the tenant role ${TENANT_ROLE} does not exist`);
    if (!catalog.role.canSet) {
      return skipped(identity, `the connecting user cannot SET ROLE ${TENANT_ROLE}`);
    }
    const findings = [];
    const tables = catalog.tenantTables.filter((t) => t.rls);
    for (const table of tables) {
      const name = qualifiedName(table);
      const policies = catalog.policies.filter(
        (p) => p.schema === table.schema && p.table === table.name,
      );
      const { open, ownRefused } = await evaluateTable(ctx.db, table, effectiveRules(policies));
      for (const [scenario, rules] of open) {
        findings.push(
          find(
            "high",
            name,
            `Fails open when app.tenant_id is ${SCENARIO_TEXT[scenario]}: ${rules.join(", ")} admit a row of any academy (policies: ${policies.map((p) => p.name).join(", ")}).`,
            `Replace the policies with the design's single one, with no OR branch that holds without the setting: ${DESIGN_POLICY(name)}`,
          ),
        );
      }
      if (ownRefused.length > 0 && open.size === 0) {
        findings.push(
          find(
            "low",
            name,
            `${ownRefused.join(", ")} refuse a row of the academy named by app.tenant_id (evaluated on a row holding only tenant_id): the academy may be unable to read or write its own rows.`,
            DESIGN_POLICY(name),
          ),
        );
      }
      for (const [scenario, setting] of [
        ["empty", ""],
        ["other", randomUUID()],
      ] as const) {
        const live = await seesLiveRows(ctx, table, setting);
        if (live.ok && live.value) {
          findings.push(
            find(
              "high",
              name,
              `Proven on live rows: a tenant transaction with app.tenant_id ${SCENARIO_TEXT[scenario]} reads rows of this table.`,
              `Replace the policies: ${DESIGN_POLICY(name)}`,
            ),
          );
          break;
        }
      }
    }
    // The academies table is the one platform table tenant transactions read, through its own policy.
    let academies = 0;
    if (
      catalog.grants.some(
        (g) => g.schema === "public" && g.table === "academies" && g.privileges.includes("SELECT"),
      )
    ) {
      academies = 1;
      const live = await seesLiveRows(ctx, { schema: "public", name: "academies" }, "");
      if (live.ok && live.value) {
        findings.push(
          find(
            "high",
            "public.academies",
            "A tenant transaction without app.tenant_id reads academy rows: every academy's name and slug are visible to tenant code.",
            "alter table public.academies enable row level security; keep only the policy academy_self (id = the setting) for the tenant role.",
          ),
        );
      }
    }
    return ran(
      identity,
      `${count(tables.length + academies, "table")} evaluated as ${TENANT_ROLE} with app.tenant_id missing, empty and foreign`,
      findings,
    );
  },
};
