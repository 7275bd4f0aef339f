import { questionView } from "@skillbridge/core";
import {
  ExamQuestionPageSchema,
  ExamQuestionSchema,
  IdParamsSchema,
  LearnerExamQuestionPageSchema,
  LearnerExamQuestionSchema,
  QUESTION_BATCH_MAX,
  QUESTION_BATCH_MAX_BYTES,
  QuestionBatchBodySchema,
  QuestionImportReportSchema,
  QuestionListQuerySchema,
} from "@skillbridge/core/contracts";
import type { Principal } from "../auth/token-service.js";
import { defineRoute } from "../route.js";

/** Students and parents get the learner view; everyone else signed in, the full one. */
const learner = (p: Principal | undefined) => p !== undefined && questionView(p.role) === "learner";

export const questionRoutes = [
  defineRoute({
    method: "post",
    path: "/admin/questions/batch",
    summary: `Import up to ${QUESTION_BATCH_MAX} questions into a shared bank (${QUESTION_BATCH_MAX_BYTES / 1024 / 1024} MiB body): upsert by (bank, externalId), one transaction; rejected[].index is the item's position`,
    tag: "questions",
    auth: "platform",
    roles: ["platform_admin", "content_manager"],
    body: QuestionBatchBodySchema,
    bodyLimitBytes: QUESTION_BATCH_MAX_BYTES,
    status: 200,
    response: QuestionImportReportSchema,
    errors: [400, 401, 403, 413, 429],
    handler: async ({ body, platform, deps }) =>
      platform((trx, user) =>
        deps.services.questions.batch(trx, { platformUserId: user.id }, body),
      ),
  }),
  defineRoute({
    method: "get",
    path: "/questions",
    summary:
      "The shared SAT/GRE bank, filtered by bank, type, topic, section, exact externalId or a text search (q); retired questions only with ?retired=include|only (students and parents never get answer or explanation)",
    tag: "questions",
    auth: "any",
    query: QuestionListQuerySchema,
    status: 200,
    response: ExamQuestionPageSchema,
    responseFor: (p) => (learner(p) ? LearnerExamQuestionPageSchema : ExamQuestionPageSchema),
    errors: [400, 401, 403, 429],
    handler: async ({ query, principal, platform, tenant, deps }) =>
      principal?.kind === "platform"
        ? platform((trx) => deps.services.questions.list(trx, "full", query))
        : tenant((trx, actor) =>
            deps.services.questions.list(trx, questionView(actor.role), query),
          ),
  }),
  defineRoute({
    method: "get",
    path: "/questions/{id}",
    summary: "One question of the shared bank",
    tag: "questions",
    auth: "any",
    params: IdParamsSchema,
    status: 200,
    response: ExamQuestionSchema,
    responseFor: (p) => (learner(p) ? LearnerExamQuestionSchema : ExamQuestionSchema),
    errors: [401, 403, 404, 429],
    handler: async ({ params, principal, platform, tenant, deps }) =>
      principal?.kind === "platform"
        ? platform((trx) => deps.services.questions.get(trx, "full", params.id))
        : tenant((trx, actor) =>
            deps.services.questions.get(trx, questionView(actor.role), params.id),
          ),
  }),
  ...(["retire", "unretire"] as const).map((action) =>
    defineRoute({
      method: "post",
      path: `/questions/{id}/${action}`,
      summary:
        action === "retire"
          ? "Retire a bank question: no longer drawn into practice sets, mock exams or quizzes from the bank, hidden from lists by default; attempts and quiz copies keep it. Idempotent"
          : "Bring a retired bank question back into practice, mock exams and quizzes from the bank. Idempotent",
      tag: "questions",
      auth: "platform",
      roles: ["platform_admin", "content_manager"],
      params: IdParamsSchema,
      status: 200,
      response: ExamQuestionSchema,
      errors: [401, 403, 404, 429],
      handler: async ({ params, platform, deps }) =>
        platform((trx, user) =>
          deps.services.questions.setRetired(
            trx,
            { platformUserId: user.id },
            params.id,
            action === "retire",
          ),
        ),
    }),
  ),
];
