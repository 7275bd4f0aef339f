import { AuditEventPageSchema, PageQuerySchema } from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

export const auditLogRoutes = [
  defineRoute({
    method: "get",
    path: "/admin/audit-log",
    summary: "The platform's audit trail, oldest first",
    tag: "platform",
    auth: "platform",
    roles: ["platform_admin"],
    query: PageQuerySchema,
    status: 200,
    response: AuditEventPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, platform, deps }) =>
      platform((trx) => deps.services.auditLog.list(trx, query)),
  }),
];
