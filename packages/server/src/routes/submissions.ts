import {
  CreateSubmissionBodySchema,
  GradeSubmissionBodySchema,
  IdParamsSchema,
  SubmissionListQuerySchema,
  SubmissionPageSchema,
  SubmissionSchema,
} from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

export const submissionRoutes = [
  defineRoute({
    method: "post",
    path: "/assignments/{id}/submissions",
    summary: "Submit work to an assignment (an enrolled student)",
    tag: "submissions",
    auth: "academy",
    roles: ["student"],
    params: IdParamsSchema,
    body: CreateSubmissionBodySchema,
    status: 201,
    response: SubmissionSchema,
    errors: [400, 401, 403, 404, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.submissions.create(trx, actor, params.id, body)),
  }),
  defineRoute({
    method: "get",
    path: "/submissions",
    summary: "Submissions the caller may see",
    tag: "submissions",
    auth: "academy",
    roles: ACADEMY_ROLES,
    query: SubmissionListQuerySchema,
    status: 200,
    response: SubmissionPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.submissions.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/submissions/{id}",
    summary: "One submission the caller may see",
    tag: "submissions",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: SubmissionSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.submissions.get(trx, actor, params.id)),
  }),
  defineRoute({
    method: "patch",
    path: "/submissions/{id}/grade",
    summary: "Grade a submission (admin, the course's instructor)",
    tag: "submissions",
    auth: "academy",
    roles: ["admin", "instructor"],
    params: IdParamsSchema,
    body: GradeSubmissionBodySchema,
    status: 200,
    response: SubmissionSchema,
    errors: [400, 401, 403, 404, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.submissions.grade(trx, actor, params.id, body)),
  }),
];
