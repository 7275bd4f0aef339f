import type { CatalogPolicy, PolicyCommand } from "../catalog/policies.js";
import { TENANT_ROLE } from "../schema/tenant-tables.js";

export type Command = "SELECT" | "INSERT" | "UPDATE" | "DELETE";
export const COMMANDS: readonly Command[] = ["SELECT", "INSERT", "UPDATE", "DELETE"];

const CMD: Record<Command, PolicyCommand> = { SELECT: "r", INSERT: "a", UPDATE: "w", DELETE: "d" };

/** Policies that bind the tenant role: those for PUBLIC or for the role by name. */
export function tenantRolePolicies(policies: readonly CatalogPolicy[]): CatalogPolicy[] {
  return policies.filter((p) => p.roles.includes("public") || p.roles.includes(TENANT_ROLE));
}

export function covers(policy: CatalogPolicy, command: Command): boolean {
  return policy.command === "*" || policy.command === CMD[command];
}

/**
 * The expression a policy applies for one side of a command, as Postgres does:
 * USING filters rows read, updated or deleted; WITH CHECK vets rows written,
 * and an ALL or UPDATE policy without one reuses USING. An INSERT policy
 * without WITH CHECK admits any row.
 */
function sideOf(policy: CatalogPolicy, side: "using" | "check"): string {
  if (side === "using") return policy.using ?? "true";
  if (policy.check !== null) return policy.check;
  return policy.command === "a" ? "true" : (policy.using ?? "true");
}

/** One rule row-level security enforces for the tenant role: a command's read or write side. */
export interface EffectiveRule {
  readonly command: Command;
  readonly side: "using" | "check";
  /** Permissive expressions OR-ed, restrictive ones AND-ed; null when nothing permits it. */
  readonly expression: string | null;
}

/** The rules of one table's policies, for every command and side that applies. */
export function effectiveRules(policies: readonly CatalogPolicy[]): EffectiveRule[] {
  const binding = tenantRolePolicies(policies);
  const rules: EffectiveRule[] = [];
  for (const command of COMMANDS) {
    const sides: ("using" | "check")[] =
      command === "SELECT" || command === "DELETE"
        ? ["using"]
        : command === "INSERT"
          ? ["check"]
          : ["using", "check"];
    for (const side of sides) {
      const permissive = binding.filter((p) => p.permissive && covers(p, command));
      const restrictive = binding.filter((p) => !p.permissive && covers(p, command));
      const expression =
        permissive.length === 0
          ? null
          : [
              `(${permissive.map((p) => `(${sideOf(p, side)})`).join(" OR ")})`,
              ...restrictive.map((p) => `(${sideOf(p, side)})`),
            ].join(" AND ");
      rules.push({ command, side, expression });
    }
  }
  return rules;
}

/** `current_setting('app.tenant_id'…)` as Postgres prints it back, with or without `missing_ok`. */
const SETTING = /current_setting\(\s*'app\.tenant_id'(?:::text)?\s*(?:,\s*(?:true|false)\s*)?\)/gi;

export function readsTenantSetting(expression: string): boolean {
  return new RegExp(SETTING.source, "i").test(expression);
}

/**
 * The expression as it evaluates on a connection where `app.tenant_id` was
 * never set: `current_setting(…, true)` is NULL there, and a pooled connection
 * can be in that state. A transaction cannot unset a setting, so the case is
 * evaluated by substitution.
 */
export function withSettingMissing(expression: string): string {
  return expression.replace(SETTING, "(NULL::text)");
}

/** Whether a policy reads like the design's: `tenant_id` compared with the setting. */
export function keyedOnTenant(expression: string | null): boolean {
  return expression !== null && /\btenant_id\b/.test(expression) && readsTenantSetting(expression);
}
