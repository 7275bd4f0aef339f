import { ForbiddenError } from "@skillbridge/core";
import { IdParamsSchema, StudentSummarySchema } from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

export const studentSummaryRoutes = [
  defineRoute({
    method: "get",
    path: "/students/{id}/summary",
    summary:
      "The week's summary of a student for parents, written from that student's facts only (listed beside it)",
    tag: "learning",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: StudentSummarySchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps, principal, ctx }) => {
      if (principal?.kind !== "academy") throw new ForbiddenError();
      const abort = new AbortController();
      ctx.res.once("close", () => {
        if (!ctx.res.writableFinished) abort.abort(new Error("client closed the request"));
      });
      return deps.services.studentSummaries.get(
        tenant,
        principal.academyId,
        params.id,
        abort.signal,
      );
    },
  }),
];
