import {
  CoursePageSchema,
  CourseSchema,
  CreateCourseBodySchema,
  IdParamsSchema,
  PageQuerySchema,
  UpdateCourseBodySchema,
} from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

const everyone = ["admin", "instructor", "student", "parent"] as const;

export const courseRoutes = [
  defineRoute({
    method: "post",
    path: "/courses",
    summary: "Create a course (an instructor only for themself)",
    tag: "courses",
    auth: "academy",
    roles: ["admin", "instructor"],
    body: CreateCourseBodySchema,
    status: 201,
    response: CourseSchema,
    errors: [400, 401, 403, 413, 429],
    handler: async ({ body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.courses.create(trx, actor, body)),
  }),
  defineRoute({
    method: "get",
    path: "/courses",
    summary: "Courses the caller may see",
    tag: "courses",
    auth: "academy",
    roles: everyone,
    query: PageQuerySchema,
    status: 200,
    response: CoursePageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.courses.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/courses/{id}",
    summary: "One course the caller may see",
    tag: "courses",
    auth: "academy",
    roles: everyone,
    params: IdParamsSchema,
    status: 200,
    response: CourseSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.courses.get(trx, actor, params.id)),
  }),
  defineRoute({
    method: "patch",
    path: "/courses/{id}",
    summary: "Update a course (admin, its instructor; reassigning is admin-only)",
    tag: "courses",
    auth: "academy",
    roles: ["admin", "instructor"],
    params: IdParamsSchema,
    body: UpdateCourseBodySchema,
    status: 200,
    response: CourseSchema,
    errors: [400, 401, 403, 404, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.courses.update(trx, actor, params.id, body)),
  }),
  defineRoute({
    method: "delete",
    path: "/courses/{id}",
    summary: "Soft-delete a course",
    tag: "courses",
    auth: "academy",
    roles: ["admin"],
    params: IdParamsSchema,
    status: 204,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.courses.delete(trx, actor, params.id)),
  }),
  defineRoute({
    method: "post",
    path: "/courses/{id}/restore",
    summary: "Restore a soft-deleted course",
    tag: "courses",
    auth: "academy",
    roles: ["admin"],
    params: IdParamsSchema,
    status: 200,
    response: CourseSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.courses.restore(trx, actor, params.id)),
  }),
];
