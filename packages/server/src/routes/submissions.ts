import { isStaff } from "@skillbridge/core";
import {
  CreateSubmissionBodySchema,
  GradeSubmissionBodySchema,
  GradingQueueQuerySchema,
  IdParamsSchema,
  LearnerSubmissionPageSchema,
  LearnerSubmissionSchema,
  SubmissionListQuerySchema,
  SubmissionPageSchema,
  SubmissionSchema,
} from "@skillbridge/core/contracts";
import type { Principal } from "../auth/token-service.js";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

// Staff get `aiReview` (the AI pre-grading state and suggestion); students
// and parents never do: their schemas do not have the key.
const staff = (p: Principal | undefined) =>
  p?.kind === "academy" && isStaff({ userId: p.userId, role: p.role });

export const submissionRoutes = [
  defineRoute({
    method: "post",
    path: "/assignments/{id}/submissions",
    summary: "Submit work to an assignment (an enrolled student); queues its AI pre-grading",
    tag: "submissions",
    auth: "academy",
    roles: ["student"],
    params: IdParamsSchema,
    body: CreateSubmissionBodySchema,
    status: 201,
    response: SubmissionSchema,
    responseFor: (p) => (staff(p) ? SubmissionSchema : LearnerSubmissionSchema),
    errors: [400, 401, 403, 404, 413, 429],
    handler: async ({ params, body, tenant, deps }) => {
      const submission = await tenant((trx, actor) =>
        deps.services.submissions.create(trx, actor, params.id, body),
      );
      // Committed: a worker in this process can take the grading job now.
      deps.workers?.wake();
      return submission;
    },
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
    responseFor: (p) => (staff(p) ? SubmissionPageSchema : LearnerSubmissionPageSchema),
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
    responseFor: (p) => (staff(p) ? SubmissionSchema : LearnerSubmissionSchema),
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.submissions.get(trx, actor, params.id)),
  }),
  defineRoute({
    method: "patch",
    path: "/submissions/{id}/grade",
    summary:
      "Grade a submission (admin, the course's instructor): `{ grade }` overrides any AI suggestion, `{ acceptSuggestion: true }` approves it",
    tag: "submissions",
    auth: "academy",
    roles: ["admin", "instructor"],
    params: IdParamsSchema,
    body: GradeSubmissionBodySchema,
    status: 200,
    response: SubmissionSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.submissions.grade(trx, actor, params.id, body)),
  }),
  defineRoute({
    method: "get",
    path: "/grading-queue",
    summary:
      "Ungraded submissions whose AI pre-grading is done, least certain first: failed gradings, then suggestions by rising confidence",
    tag: "submissions",
    auth: "academy",
    roles: ["admin", "instructor"],
    query: GradingQueueQuerySchema,
    status: 200,
    response: SubmissionPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.submissions.gradingQueue(trx, actor, query)),
  }),
];
