import {
  CreateEnrollmentBodySchema,
  EnrollmentPageSchema,
  EnrollmentSchema,
  IdParamsSchema,
  PageQuerySchema,
} from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

export const enrollmentRoutes = [
  defineRoute({
    method: "post",
    path: "/courses/{id}/enrollments",
    summary: "Enroll a student in a course",
    tag: "enrollments",
    auth: "academy",
    roles: ["admin", "instructor"],
    params: IdParamsSchema,
    body: CreateEnrollmentBodySchema,
    status: 201,
    response: EnrollmentSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.enrollments.create(trx, actor, params.id, body)),
  }),
  defineRoute({
    method: "get",
    path: "/courses/{id}/enrollments",
    summary: "A course's roster",
    tag: "enrollments",
    auth: "academy",
    roles: ["admin", "instructor"],
    params: IdParamsSchema,
    query: PageQuerySchema,
    status: 200,
    response: EnrollmentPageSchema,
    errors: [400, 401, 403, 404, 429],
    handler: async ({ params, query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.enrollments.list(trx, actor, params.id, query)),
  }),
];
