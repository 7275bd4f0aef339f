import { qualifiedName } from "../../catalog/sql.js";
import { TENANT_ROLE } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";
import { COMMANDS, covers, keyedOnTenant, tenantRolePolicies } from "../policy-expressions.js";

const identity = {
  id: "rls.policy",
  title: "A policy on tenant_id covers every command, with USING and WITH CHECK",
};
const find = finder(identity);

export const DESIGN_POLICY = (table: string) =>
  `create policy tenant_isolation on ${table} for all using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid)) with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));`;

/**
 * Reads each tenant table's policies as written: one that binds the tenant
 * role for every command, keyed on `tenant_id` and the `app.tenant_id`
 * setting in USING and WITH CHECK. Whether they fail closed is proven by
 * `rls.fail-closed`, which evaluates them.
 */
export const rlsPolicies: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const findings = [];
    let examined = 0;
    for (const table of catalog.tenantTables) {
      const name = qualifiedName(table);
      const own = catalog.policies.filter(
        (p) => p.schema === table.schema && p.table === table.name,
      );
      const binding = tenantRolePolicies(own);
      examined += own.length;
      if (binding.length === 0) {
        findings.push(
          find(
            "high",
            name,
            own.length === 0
              ? "No row-level security policy: with RLS on, tenant transactions see nothing; with it off, everything. The server refuses to start on it."
              : `No policy binds the tenant role ${TENANT_ROLE} (policies: ${own.map((p) => p.name).join(", ")}).`,
            DESIGN_POLICY(name),
          ),
        );
        continue;
      }
      const uncovered = COMMANDS.filter(
        (command) => !binding.some((p) => p.permissive && covers(p, command)),
      );
      if (uncovered.length > 0) {
        findings.push(
          find(
            "medium",
            name,
            `No permissive policy for ${uncovered.join(", ")}: those commands fail for every academy (closed, but not the design's one policy FOR ALL).`,
            DESIGN_POLICY(name),
          ),
        );
      }
      for (const policy of binding.filter((p) => p.permissive)) {
        const reads = policy.command !== "a";
        const writes = policy.command === "*" || policy.command === "a" || policy.command === "w";
        // Postgres reuses USING as the check of an ALL or UPDATE policy without one.
        const check = policy.check ?? (policy.command === "a" ? null : policy.using);
        const keyed = (!reads || keyedOnTenant(policy.using)) && (!writes || keyedOnTenant(check));
        if (!keyed) {
          findings.push(
            find(
              "medium",
              `${name} policy ${policy.name}`,
              `The policy is not keyed on tenant_id = current_setting('app.tenant_id'): USING ${policy.using ?? "(none)"}, WITH CHECK ${policy.check ?? "(none)"}. Permissive policies are OR-ed, so it widens what every academy sees.`,
              `Drop it, or key it on tenant_id: ${DESIGN_POLICY(name)}`,
            ),
          );
        } else if (writes && policy.check === null) {
          findings.push(
            find(
              "low",
              `${name} policy ${policy.name}`,
              "WITH CHECK is implicit (Postgres reuses USING): correct today, but the design spells it out so that a change to USING cannot silently loosen writes.",
              DESIGN_POLICY(name),
            ),
          );
        }
      }
    }
    return ran(
      identity,
      `${count(examined, "policy", "policies")} on ${count(catalog.tenantTables.length, "table")} examined`,
      findings,
    );
  },
};
