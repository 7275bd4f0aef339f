import {
  CreatePracticeSetBodySchema,
  IdParamsSchema,
  PracticeAnswerBodySchema,
  PracticeAnswerResultSchema,
  PracticeSetListQuerySchema,
  PracticeSetPageSchema,
  PracticeSetSchema,
} from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

// Practice on the shared bank (docs/learning.md, "Practice sets"). Who sees a
// set is the student rule (core's policies/practice.ts); answers and
// explanations reach students and parents only for answered questions.
export const practiceSetRoutes = [
  defineRoute({
    method: "post",
    path: "/practice-sets",
    summary:
      "Start a practice set on the shared bank (a student): by topics, sections, explicit questions or the study plan; adaptive by default",
    tag: "practice",
    auth: "academy",
    roles: ["student"],
    body: CreatePracticeSetBodySchema,
    status: 201,
    response: PracticeSetSchema,
    errors: [400, 401, 403, 409, 429],
    handler: async ({ body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.practiceSets.create(trx, actor, body)),
  }),
  defineRoute({
    method: "get",
    path: "/practice-sets",
    summary: "Practice sets the caller may see, optionally of one student",
    tag: "practice",
    auth: "academy",
    roles: ACADEMY_ROLES,
    query: PracticeSetListQuerySchema,
    status: 200,
    response: PracticeSetPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.practiceSets.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/practice-sets/{id}",
    summary: "One practice set the caller may see",
    tag: "practice",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: PracticeSetSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.practiceSets.get(trx, actor, params.id)),
  }),
  defineRoute({
    method: "post",
    path: "/practice-sets/{id}/answers",
    summary:
      "Answer the set's current question (its student): scored, recorded for mastery, then the answer and explanation are revealed",
    tag: "practice",
    auth: "academy",
    roles: ["student"],
    params: IdParamsSchema,
    body: PracticeAnswerBodySchema,
    status: 200,
    response: PracticeAnswerResultSchema,
    errors: [400, 401, 403, 404, 409, 429],
    handler: async ({ params, body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.practiceSets.answer(trx, actor, params.id, body)),
  }),
];
