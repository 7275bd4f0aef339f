import { ForbiddenError } from "@skillbridge/core";
import { IdParamsSchema, StudyPlanSchema } from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

export const studyPlanRoutes = [
  defineRoute({
    method: "get",
    path: "/students/{id}/study-plan",
    summary:
      "A student's study plan: bank practice aimed at their weak spots (~75% predicted success), with a rationale; never answers",
    tag: "learning",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: StudyPlanSchema,
    errors: [401, 403, 404, 429],
    // It stores the plan it builds, so its second tenant transaction writes.
    writesOnGet: true,
    handler: async ({ params, tenant, deps, principal, ctx }) => {
      if (principal?.kind !== "academy") throw new ForbiddenError();
      const abort = new AbortController();
      ctx.res.once("close", () => {
        if (!ctx.res.writableFinished) abort.abort(new Error("client closed the request"));
      });
      return deps.services.studyPlans.get(tenant, principal.academyId, params.id, abort.signal);
    },
  }),
];
