import { GamificationSchema, IdParamsSchema } from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

export const gamificationRoutes = [
  defineRoute({
    method: "get",
    path: "/gamification/me",
    summary: "The signed-in student's XP, level, streak and badges (students only)",
    tag: "learning",
    auth: "academy",
    roles: ["student"],
    status: 200,
    response: GamificationSchema,
    errors: [401, 403, 429],
    handler: async ({ tenant, deps }) =>
      tenant((trx, actor) => deps.services.gamification.me(trx, actor)),
  }),
  defineRoute({
    method: "get",
    path: "/students/{id}/gamification",
    summary:
      "A student's XP, level, streak and badges (admin, their instructors, self, linked parents)",
    tag: "learning",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: GamificationSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.gamification.forStudent(trx, actor, params.id)),
  }),
];
