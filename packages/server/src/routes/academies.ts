import { withTenant } from "@skillbridge/core";
import {
  AcademyListQuerySchema,
  AcademyPageSchema,
  AcademySchema,
  AcademyUserQuerySchema,
  CreateAcademyBodySchema,
  CreateAcademyResponseSchema,
  IdParamsSchema,
  MoveAcademyBodySchema,
  MoveAcademyResponseSchema,
  UpdateAcademyBodySchema,
  UserPageSchema,
} from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

const admin = ["platform_admin"] as const;

export const academyRoutes = [
  defineRoute({
    method: "post",
    path: "/admin/academies",
    summary:
      "Onboard an academy and its first admin, atomically (a taken slug is 409 and leaves nothing)",
    tag: "platform",
    auth: "platform",
    roles: admin,
    body: CreateAcademyBodySchema,
    status: 201,
    response: CreateAcademyResponseSchema,
    errors: [400, 401, 403, 409, 413, 429],
    handler: async ({ body, platform, deps }) => {
      const actor = await platform(async (_trx, user) => ({ platformUserId: user.id }));
      return deps.services.academies.onboard(deps.db, actor, body);
    },
  }),
  defineRoute({
    method: "get",
    path: "/admin/academies",
    summary:
      "List academies (live by default; `deleted=include|only` for soft-deleted ones; `slug` for one)",
    tag: "platform",
    auth: "platform",
    roles: admin,
    query: AcademyListQuerySchema,
    status: 200,
    response: AcademyPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, platform, deps }) =>
      platform((trx) => deps.services.academies.list(trx, query)),
  }),
  defineRoute({
    method: "get",
    path: "/admin/academies/{id}",
    summary: "One academy",
    tag: "platform",
    auth: "platform",
    roles: admin,
    params: IdParamsSchema,
    status: 200,
    response: AcademySchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, platform, deps }) =>
      platform((trx) => deps.services.academies.get(trx, params.id)),
  }),
  defineRoute({
    method: "patch",
    path: "/admin/academies/{id}",
    summary: "Rename, suspend or reactivate an academy",
    tag: "platform",
    auth: "platform",
    roles: admin,
    params: IdParamsSchema,
    body: UpdateAcademyBodySchema,
    status: 200,
    response: AcademySchema,
    errors: [400, 401, 403, 404, 413, 429],
    handler: async ({ params, body, platform, deps }) =>
      platform((trx, user) =>
        deps.services.academies.update(trx, { platformUserId: user.id }, params.id, body),
      ),
  }),
  defineRoute({
    method: "delete",
    path: "/admin/academies/{id}",
    summary: "Soft-delete an academy (its users get 401 until it is restored)",
    tag: "platform",
    auth: "platform",
    roles: admin,
    params: IdParamsSchema,
    status: 204,
    errors: [401, 403, 404, 429],
    handler: async ({ params, platform, deps }) =>
      platform((trx, user) =>
        deps.services.academies.delete(trx, { platformUserId: user.id }, params.id),
      ),
  }),
  defineRoute({
    method: "post",
    path: "/admin/academies/{id}/restore",
    summary: "Restore a soft-deleted academy",
    tag: "platform",
    auth: "platform",
    roles: admin,
    params: IdParamsSchema,
    status: 200,
    response: AcademySchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, platform, deps }) =>
      platform((trx, user) =>
        deps.services.academies.restore(trx, { platformUserId: user.id }, params.id),
      ),
  }),
  defineRoute({
    method: "post",
    path: "/admin/academies/{id}/move",
    summary:
      "Move an academy's rows to the shared schema or a dedicated one (one transaction: copy, verify counts and checksums, switch, delete; interrupted, nothing moves)",
    tag: "platform",
    auth: "platform",
    roles: admin,
    params: IdParamsSchema,
    body: MoveAcademyBodySchema,
    status: 200,
    response: MoveAcademyResponseSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ params, body, platform, deps }) => {
      const actor = await platform(async (_trx, user) => ({ platformUserId: user.id }));
      return deps.services.academies.move(deps.db, actor, params.id, body);
    },
  }),

  defineRoute({
    method: "get",
    path: "/admin/academies/{id}/users",
    summary:
      "An academy's user directory (by email or role), so a platform admin can pick whom to impersonate",
    tag: "platform",
    auth: "platform",
    roles: admin,
    params: IdParamsSchema,
    query: AcademyUserQuerySchema,
    status: 200,
    response: UserPageSchema,
    errors: [400, 401, 403, 404, 429],
    handler: async ({ params, query, platform, deps }) => {
      const academy = await platform((trx) => deps.services.academies.getRow(trx, params.id));
      return withTenant(deps.db, { tenantId: academy.id, userId: null, role: "system" }, (trx) =>
        deps.services.users.list(trx, "system", query),
      );
    },
  }),
];
