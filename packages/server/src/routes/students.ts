import { IdParamsSchema, WeakSpotListSchema } from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

// A student's learning record. Who may see it is one rule in core
// (`assertStudentVisible`): admins, the student's instructors, the student,
// linked parents; 404 for anyone else.
export const studentRoutes = [
  defineRoute({
    method: "get",
    path: "/students/{id}/weak-spots",
    summary:
      "A student's weak spots: topics with mastery below 0.6 after at least 3 attempts, weakest first",
    tag: "students",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: WeakSpotListSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) => ({
      data: await tenant((trx, actor) => deps.services.weakSpots.ofStudent(trx, actor, params.id)),
    }),
  }),
];
