import {
  CreateQuizSubmissionBodySchema,
  IdParamsSchema,
  QuizSubmissionListQuerySchema,
  QuizSubmissionPageSchema,
  QuizSubmissionSchema,
} from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

// Results say which questions were right (where the quiz's policy shows it to
// the caller), never the right answers: the same schema for every role, and it
// has no answer key to leak.
export const quizSubmissionRoutes = [
  defineRoute({
    method: "post",
    path: "/quizzes/{id}/submissions",
    summary:
      "Submit answers to a published quiz (a student who can see it, with an attempt left: else 409 attempts_exhausted): scored per question type; each answer updates the student's mastery",
    tag: "quiz-submissions",
    auth: "academy",
    roles: ["student"],
    params: IdParamsSchema,
    body: CreateQuizSubmissionBodySchema,
    status: 201,
    response: QuizSubmissionSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.quizSubmissions.create(trx, actor, params.id, body)),
  }),
  defineRoute({
    method: "get",
    path: "/quiz-submissions",
    summary: "Quiz submissions the caller may see, optionally of one quiz and/or student",
    tag: "quiz-submissions",
    auth: "academy",
    roles: ACADEMY_ROLES,
    query: QuizSubmissionListQuerySchema,
    status: 200,
    response: QuizSubmissionPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.quizSubmissions.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/quiz-submissions/{id}",
    summary: "One quiz submission the caller may see",
    tag: "quiz-submissions",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: QuizSubmissionSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.quizSubmissions.get(trx, actor, params.id)),
  }),
];
