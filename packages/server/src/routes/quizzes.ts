import { ForbiddenError, isStaff } from "@skillbridge/core";
import {
  CreateQuizBodySchema,
  CreateQuizFromBankBodySchema,
  GenerateQuizFieldsSchema,
  IdParamsSchema,
  LearnerQuizSchema,
  QuizListQuerySchema,
  QuizPageSchema,
  QuizSchema,
  UpdateQuizBodySchema,
} from "@skillbridge/core/contracts";
import type { Principal } from "../auth/token-service.js";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

const staff = (p: Principal | undefined) =>
  p?.kind === "academy" && isStaff({ userId: p.userId, role: p.role });

export const quizRoutes = [
  defineRoute({
    method: "get",
    path: "/quizzes",
    summary: "Quizzes the caller may see (summaries; drafts for staff only)",
    tag: "quizzes",
    auth: "academy",
    roles: ACADEMY_ROLES,
    query: QuizListQuerySchema,
    status: 200,
    response: QuizPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.quizzes.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/quizzes/{id}",
    summary: "One quiz: answers for staff; students and parents get the questions only",
    tag: "quizzes",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: QuizSchema,
    responseFor: (p) => (staff(p) ? QuizSchema : LearnerQuizSchema),
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.quizzes.get(trx, actor, params.id)),
  }),
  defineRoute({
    method: "post",
    path: "/quizzes",
    summary:
      "Write a draft quiz by hand (admin; an instructor for a course they teach): questions, or shared-bank questions by id (`{ bankQuestionId }`, copied in); optional attempt policy",
    tag: "quizzes",
    auth: "academy",
    roles: ["admin", "instructor"],
    body: CreateQuizBodySchema,
    status: 201,
    response: QuizSchema,
    errors: [400, 401, 403, 404, 413, 429],
    handler: async ({ body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.quizzes.create(trx, actor, body)),
  }),
  defineRoute({
    method: "post",
    path: "/quizzes/from-bank",
    summary:
      "Draw a draft quiz at random from the shared bank (bank, topics, types, difficulty range, count; no repeats); too few matching questions: 409 bank_too_small",
    tag: "quizzes",
    auth: "academy",
    roles: ["admin", "instructor"],
    body: CreateQuizFromBankBodySchema,
    status: 201,
    response: QuizSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.quizzes.fromBank(trx, actor, body)),
  }),
  defineRoute({
    method: "post",
    path: "/quizzes/generate",
    summary:
      "Generate a draft quiz from an uploaded document (multipart: `file` — text, Markdown, PDF or DOCX — plus `title`, `count`, `courseId`)",
    tag: "quizzes",
    auth: "academy",
    roles: ["admin", "instructor"],
    body: GenerateQuizFieldsSchema,
    upload: { field: "file", maxBytes: (deps) => deps.services.quizzes.sourceLimits.maxBytes },
    status: 201,
    response: QuizSchema,
    errors: [400, 401, 403, 404, 413, 415, 422, 429, 502, 503],
    handler: async ({ body, upload, tenant, deps, principal, ctx }) => {
      if (principal?.kind !== "academy" || !upload) throw new ForbiddenError();
      // A client that hangs up stops the model calls made for it.
      const abort = new AbortController();
      ctx.res.once("close", () => {
        if (!ctx.res.writableFinished) abort.abort(new Error("client closed the request"));
      });
      return deps.services.quizzes.generate(
        tenant,
        principal.academyId,
        body,
        upload,
        abort.signal,
      );
    },
  }),
  defineRoute({
    method: "patch",
    path: "/quizzes/{id}",
    summary:
      'Review a quiz: edit a draft\'s title and questions, publish it with `status: "published"`, set its attempt policy (`allowedAttempts`, `results`)',
    tag: "quizzes",
    auth: "academy",
    roles: ["admin", "instructor"],
    params: IdParamsSchema,
    body: UpdateQuizBodySchema,
    status: 200,
    response: QuizSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.quizzes.update(trx, actor, params.id, body)),
  }),
];
