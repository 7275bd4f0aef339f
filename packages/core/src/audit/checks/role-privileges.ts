import { qualifiedName } from "../../catalog/sql.js";
import { PLATFORM_TABLES, TENANT_ROLE } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { count, finder, ran } from "../check-result.js";

const identity = {
  id: "role.privileges",
  title: "The serving role reaches tenant tables and nothing else of the platform",
};
const find = finder(identity);

/** What the design grants the tenant role outside tenant tables. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  "public.academies": ["SELECT"],
  "public.exam_questions": ["SELECT"],
  // Its own academy's signed-out tokens (RLS policy revoked_tokens_own_academy): the re-check.
  "public.revoked_tokens": ["SELECT"],
};

/**
 * The tenant role's grants: DML on tenant tables (under RLS), SELECT on its
 * own academy row and on the shared question bank. TRUNCATE ignores
 * row-level security, and platform tables (users of the platform, the audit
 * log, jobs) are not any academy's to read.
 */
export const rolePrivileges: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    if (!catalog.role.exists) return ran(identity, `${TENANT_ROLE} does not exist`, []);
    const findings = [];
    const platform = new Set(PLATFORM_TABLES.map((t) => `public.${t}`));
    for (const grant of catalog.grants) {
      const name = qualifiedName({ schema: grant.schema, name: grant.table });
      if (grant.privileges.includes("TRUNCATE")) {
        findings.push(
          find(
            "high",
            name,
            `${TENANT_ROLE} may TRUNCATE it: TRUNCATE ignores row-level security, so one academy's transaction could empty every academy's rows.`,
            `revoke truncate on ${name} from ${TENANT_ROLE}; revoke truncate on ${name} from public;`,
          ),
        );
      }
      if (catalog.isTenantTable(name)) continue;
      const allowed = ALLOWED[name] ?? [];
      const extra = grant.privileges.filter((p) => p !== "TRUNCATE" && !allowed.includes(p));
      if (extra.length === 0) continue;
      findings.push(
        find(
          platform.has(name) ? "high" : "medium",
          name,
          `${TENANT_ROLE} has ${extra.join(", ")} on ${platform.has(name) ? "a platform table" : "a table without tenant_id"}, which no policy scopes to an academy.`,
          `revoke ${extra.join(", ").toLowerCase()} on ${name} from ${TENANT_ROLE}; (and from public)`,
        ),
      );
    }
    const academies = catalog.tables.find((t) => t.schema === "public" && t.name === "academies");
    if (
      academies &&
      !academies.rls &&
      catalog.grants.some((g) => g.schema === "public" && g.table === "academies")
    ) {
      findings.push(
        find(
          "high",
          "public.academies",
          `${TENANT_ROLE} reads academies, and row-level security is off on it: every academy row is visible to tenant code.`,
          "alter table public.academies enable row level security; (the policy academy_self shows each academy its own row)",
        ),
      );
    }
    return ran(
      identity,
      `${count(catalog.grants.length, "table")} ${TENANT_ROLE} has privileges on examined`,
      findings,
    );
  },
};
