import { TENANT_ROLE } from "../../schema/tenant-tables.js";
import type { AuditCheckDefinition } from "../audit-context.js";
import { finder, ran } from "../check-result.js";

const identity = {
  id: "role.attributes",
  title: "The serving role is no superuser, has no BYPASSRLS and owns nothing",
};
const find = finder(identity);
const object = `role ${TENANT_ROLE}`;

/**
 * Tenant transactions run as the tenant role (`SET LOCAL ROLE`). A superuser
 * or a BYPASSRLS role skips every policy; an owner skips those not forced; a
 * member of such a role could switch into it.
 */
export const roleAttributes: AuditCheckDefinition = {
  ...identity,
  async run({ catalog }) {
    const { role, connectingUser } = catalog;
    const findings = [];
    if (!role.exists) {
      findings.push(
        find(
          "high",
          object,
          "The tenant role does not exist: tenant transactions cannot run.",
          "Run the migrations.",
        ),
      );
    }
    if (role.superuser) {
      findings.push(
        find(
          "high",
          object,
          "The tenant role is a superuser: row-level security never applies to tenant transactions.",
          `alter role ${TENANT_ROLE} nosuperuser;`,
        ),
      );
    }
    if (role.bypassRls) {
      findings.push(
        find(
          "high",
          object,
          "The tenant role has BYPASSRLS: tenant transactions skip every policy and read every academy.",
          `alter role ${TENANT_ROLE} nobypassrls;`,
        ),
      );
    }
    for (const owned of role.owns) {
      findings.push(
        find(
          "high",
          object,
          `The tenant role owns ${owned}: an owner may alter or drop its policies, and skips them unless RLS is forced.`,
          `alter table ${owned} owner to <the migration role>;`,
        ),
      );
    }
    for (const member of role.privilegedMemberships) {
      findings.push(
        find(
          "high",
          object,
          `The tenant role is a member of ${member}, which is a superuser or has BYPASSRLS: it can SET ROLE into it and skip every policy.`,
          `revoke ${member} from ${TENANT_ROLE};`,
        ),
      );
    }
    if (role.exists && !role.canSet) {
      findings.push(
        find(
          "medium",
          object,
          `The connecting user ${connectingUser.name} cannot SET ROLE ${TENANT_ROLE}: tenant transactions fail (closed), and the server refuses to start.`,
          `grant ${TENANT_ROLE} to ${connectingUser.name};`,
        ),
      );
    }
    const bypass = connectingUser.superuser || connectingUser.bypassRls;
    return ran(
      identity,
      `${TENANT_ROLE} examined; the connecting user ${connectingUser.name} ${bypass ? "bypasses row-level security (so the data checks can read across academies, and platform transactions are not held by RLS)" : "is subject to row-level security"}`,
      findings,
    );
  },
};
