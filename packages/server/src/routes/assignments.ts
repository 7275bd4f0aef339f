import { isStaff } from "@skillbridge/core";
import {
  AssignmentListQuerySchema,
  AssignmentPageSchema,
  AssignmentSchema,
  CreateAssignmentBodySchema,
  IdParamsSchema,
  StudentAssignmentPageSchema,
  StudentAssignmentSchema,
} from "@skillbridge/core/contracts";
import type { Principal } from "../auth/token-service.js";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

const staff = (p: Principal | undefined) =>
  p?.kind === "academy" && isStaff({ userId: p.userId, role: p.role });

export const assignmentRoutes = [
  defineRoute({
    method: "post",
    path: "/courses/{id}/assignments",
    summary: "Add an assignment to a course",
    tag: "assignments",
    auth: "academy",
    roles: ["admin", "instructor"],
    params: IdParamsSchema,
    body: CreateAssignmentBodySchema,
    status: 201,
    response: AssignmentSchema,
    errors: [400, 401, 403, 404, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.assignments.create(trx, actor, params.id, body)),
  }),
  defineRoute({
    method: "get",
    path: "/assignments",
    summary:
      "Assignments of courses the caller may see (students and parents never get referenceAnswer)",
    tag: "assignments",
    auth: "academy",
    roles: ACADEMY_ROLES,
    query: AssignmentListQuerySchema,
    status: 200,
    response: AssignmentPageSchema,
    responseFor: (p) => (staff(p) ? AssignmentPageSchema : StudentAssignmentPageSchema),
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.assignments.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/assignments/{id}",
    summary: "One assignment the caller may see",
    tag: "assignments",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: AssignmentSchema,
    responseFor: (p) => (staff(p) ? AssignmentSchema : StudentAssignmentSchema),
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.assignments.get(trx, actor, params.id)),
  }),
];
