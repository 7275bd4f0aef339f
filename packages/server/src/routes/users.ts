import {
  CreateUserBodySchema,
  IdParamsSchema,
  UpdateUserBodySchema,
  UserListQuerySchema,
  UserPageSchema,
  UserSchema,
} from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

export const userRoutes = [
  defineRoute({
    method: "post",
    path: "/users",
    summary: "Create a user in the caller's academy",
    tag: "users",
    auth: "academy",
    roles: ["admin"],
    body: CreateUserBodySchema,
    status: 201,
    response: UserSchema,
    errors: [400, 401, 403, 409, 413, 429],
    handler: async ({ body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.users.create(trx, actor, body)),
  }),
  defineRoute({
    method: "get",
    path: "/users",
    summary:
      "Users the caller may see (admin: all; instructor: own students; parent: linked children; student: self)",
    tag: "users",
    auth: "academy",
    roles: ACADEMY_ROLES,
    query: UserListQuerySchema,
    status: 200,
    response: UserPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.users.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/users/{id}",
    summary: "One user the caller may see",
    tag: "users",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: UserSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.users.get(trx, actor, params.id)),
  }),
  defineRoute({
    method: "patch",
    path: "/users/{id}",
    summary:
      "Update a user (admin: anyone; everyone: self). Role changes are not part of this body",
    tag: "users",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    body: UpdateUserBodySchema,
    status: 200,
    response: UserSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.users.update(trx, actor, params.id, body)),
  }),
  defineRoute({
    method: "delete",
    path: "/users/{id}",
    summary: "Soft-delete a user; their tokens stop working at once",
    tag: "users",
    auth: "academy",
    roles: ["admin"],
    params: IdParamsSchema,
    status: 204,
    errors: [401, 403, 404, 409, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.users.delete(trx, actor, params.id)),
  }),
];
