import { runIsolationAudit } from "@skillbridge/core";
import { IsolationAuditReportSchema } from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

export const isolationAuditRoutes = [
  defineRoute({
    method: "get",
    path: "/admin/isolation-audit",
    summary:
      "Audit the live database for tenant isolation (read-only): RLS and how the policies behave, keys, foreign keys, views, SECURITY DEFINER functions, the serving role, sampled data, Citus readiness, dedicated schemas",
    tag: "platform",
    auth: "platform",
    roles: ["platform_admin"],
    status: 200,
    response: IsolationAuditReportSchema,
    errors: [401, 403, 429],
    handler: async ({ platform, deps }) => {
      // The caller is re-checked first; the audit then runs in its own rolled-back transaction.
      await platform(async () => undefined);
      return runIsolationAudit(deps.db);
    },
  }),
];
