import { withTenant } from "@skillbridge/core";
import {
  AcademyListQuerySchema,
  AcademyPageSchema,
  AcademySchema,
  AcademyUserQuerySchema,
  CreateAcademyBodySchema,
  CreateAcademyResponseSchema,
  CreateUserBodySchema,
  IdParamsSchema,
  MoveAcademyBodySchema,
  MoveAcademyResponseSchema,
  UpdateAcademyBodySchema,
  UserPageSchema,
  UserSchema,
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
      const created = await deps.services.academies.onboard(deps.db, actor, body);
      // It may have taken a spare schema: another is made in the background.
      if (created.academy.placement === "schema") deps.spares.refill();
      return created;
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
      const moved = await deps.services.academies.move(deps.db, actor, params.id, body);
      if (moved.to === "schema") deps.spares.refill();
      return moved;
    },
  }),

  defineRoute({
    method: "get",
    path: "/admin/academies/{id}/users",
    summary:
      "An academy's user directory (by email or role), so a platform admin can pick whom to impersonate; every read is written to the audit log first",
    tag: "platform",
    auth: "platform",
    roles: admin,
    params: IdParamsSchema,
    query: AcademyUserQuerySchema,
    status: 200,
    response: UserPageSchema,
    errors: [400, 401, 403, 404, 429],
    handler: async ({ params, query, platform, deps }) => {
      // People's names and emails: the read is on the audit trail before it happens
      // (#18 finding 8), in the transaction that re-checks the platform admin.
      const academy = await platform(async (trx, user) => {
        const row = await deps.services.academies.getRow(trx, params.id);
        await deps.services.auditLog.record(trx, {
          actorId: user.id,
          actorKind: "platform_user",
          action: "academy.users.read",
          academyId: row.id,
          targetType: "academy",
          targetId: row.id,
          details: {
            filters: { role: query.role ?? null, email: query.email ?? null },
            page: { limit: query.limit ?? null, cursor: query.cursor !== undefined },
          },
        });
        return row;
      });
      return withTenant(deps.db, { tenantId: academy.id, userId: null, role: "system" }, (trx) =>
        deps.services.users.list(trx, "system", query),
      );
    },
  }),
  defineRoute({
    method: "post",
    path: "/admin/academies/{id}/users",
    summary:
      "Create a user in an academy as a platform admin (written to the audit log first): what the CLI and the demo use, since an impersonation cannot create users",
    tag: "platform",
    auth: "platform",
    roles: admin,
    params: IdParamsSchema,
    body: CreateUserBodySchema,
    status: 201,
    response: UserSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ params, body, platform, deps }) => {
      // A platform admin's own, audited act (#18 finding 3): not an impersonation, so
      // the new account's password is the platform admin's doing, on the record.
      const academy = await platform(async (trx, user) => {
        const row = await deps.services.academies.getRow(trx, params.id);
        await deps.services.auditLog.record(trx, {
          actorId: user.id,
          actorKind: "platform_user",
          action: "academy.users.create",
          academyId: row.id,
          targetType: "academy",
          targetId: row.id,
          details: { role: body.role, email: body.email },
        });
        return row;
      });
      return withTenant(deps.db, { tenantId: academy.id, userId: null, role: "system" }, (trx) =>
        deps.services.users.create(trx, "system", body),
      );
    },
  }),
];
