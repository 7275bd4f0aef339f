import {
  CreateMockExamBodySchema,
  IdParamsSchema,
  MockExamListQuerySchema,
  MockExamPageSchema,
  MockExamSchema,
  SubmitMockModuleBodySchema,
} from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

// SAT and GRE mock exams (docs/learning.md, "Mock exams"): modules timed by
// the server, second modules routed by the first. Visibility: the student
// rule (core's policies/practice.ts). No route ever returns an answer key.
export const mockExamRoutes = [
  defineRoute({
    method: "post",
    path: "/mock-exams",
    summary:
      "Start a SAT or GRE mock exam (a student) at its first module; too few bank questions: 409 bank_too_small",
    tag: "practice",
    auth: "academy",
    roles: ["student"],
    body: CreateMockExamBodySchema,
    status: 201,
    response: MockExamSchema,
    errors: [400, 401, 403, 409, 429],
    handler: async ({ body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.mockExams.create(trx, actor, body)),
  }),
  defineRoute({
    method: "get",
    path: "/mock-exams",
    summary: "Mock exams the caller may see, optionally of one student",
    tag: "practice",
    auth: "academy",
    roles: ACADEMY_ROLES,
    query: MockExamListQuerySchema,
    status: 200,
    response: MockExamPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.mockExams.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/mock-exams/{id}",
    summary: "One mock exam the caller may see",
    tag: "practice",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: MockExamSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.mockExams.get(trx, actor, params.id)),
  }),
  defineRoute({
    method: "post",
    path: "/mock-exams/{id}/modules",
    summary:
      "Submit the current module's answers (its student); after the module's endsAt they count as unanswered",
    tag: "practice",
    auth: "academy",
    roles: ["student"],
    params: IdParamsSchema,
    body: SubmitMockModuleBodySchema,
    status: 200,
    response: MockExamSchema,
    errors: [400, 401, 403, 404, 409, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.mockExams.submitModule(trx, actor, params.id, body)),
  }),
];
