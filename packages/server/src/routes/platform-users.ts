import { CreatePlatformUserBodySchema, UserSchema } from "@skillbridge/core/contracts";
import { defineRoute } from "../route.js";

export const platformUserRoutes = [
  defineRoute({
    method: "post",
    path: "/admin/users",
    summary:
      "Create a platform user: a platform_admin, or a content_manager (imports, retires and reads the shared bank; no academy access). Audit-logged",
    tag: "platform",
    auth: "platform",
    roles: ["platform_admin"],
    body: CreatePlatformUserBodySchema,
    status: 201,
    response: UserSchema,
    errors: [400, 401, 403, 409, 413, 429],
    handler: async ({ body, platform, deps }) =>
      platform((trx, user) =>
        deps.services.platformUsers.createFor(trx, { platformUserId: user.id }, body),
      ),
  }),
];
