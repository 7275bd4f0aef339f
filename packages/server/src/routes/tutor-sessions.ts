import { ForbiddenError } from "@skillbridge/core";
import {
  CreateTutorSessionBodySchema,
  IdParamsSchema,
  SendTutorMessageBodySchema,
  TutorReplySchema,
  TutorSessionListQuerySchema,
  TutorSessionPageSchema,
  TutorSessionSchema,
} from "@skillbridge/core/contracts";
import { ACADEMY_ROLES, defineRoute } from "../route.js";

export const tutorSessionRoutes = [
  defineRoute({
    method: "post",
    path: "/tutor-sessions",
    summary: "Open a Socratic tutor session on an assignment (an enrolled student)",
    tag: "tutor-sessions",
    auth: "academy",
    roles: ["student"],
    body: CreateTutorSessionBodySchema,
    status: 201,
    response: TutorSessionSchema,
    errors: [400, 401, 403, 404, 409, 413, 429],
    handler: async ({ body, tenant, deps }) =>
      tenant((trx, actor) => deps.services.tutorSessions.create(trx, actor, body)),
  }),
  defineRoute({
    method: "get",
    path: "/tutor-sessions",
    summary: "Tutor sessions the caller may see (summaries, without messages)",
    tag: "tutor-sessions",
    auth: "academy",
    roles: ACADEMY_ROLES,
    query: TutorSessionListQuerySchema,
    status: 200,
    response: TutorSessionPageSchema,
    errors: [400, 401, 403, 429],
    handler: async ({ query, tenant, deps }) =>
      tenant((trx, actor) => deps.services.tutorSessions.list(trx, actor, query)),
  }),
  defineRoute({
    method: "get",
    path: "/tutor-sessions/{id}",
    summary: "One tutor session with its messages",
    tag: "tutor-sessions",
    auth: "academy",
    roles: ACADEMY_ROLES,
    params: IdParamsSchema,
    status: 200,
    response: TutorSessionSchema,
    errors: [401, 403, 404, 429],
    handler: async ({ params, tenant, deps }) =>
      tenant((trx, actor) => deps.services.tutorSessions.get(trx, actor, params.id)),
  }),
  defineRoute({
    method: "post",
    path: "/tutor-sessions/{id}/messages",
    summary:
      "Send the tutor a message (the session's student): the reply has passed the output guard",
    tag: "tutor-sessions",
    auth: "academy",
    roles: ["student"],
    params: IdParamsSchema,
    body: SendTutorMessageBodySchema,
    status: 200,
    response: TutorReplySchema,
    errors: [400, 401, 403, 404, 409, 413, 429, 502, 503],
    handler: async ({ params, body, tenant, deps, principal, ctx }) => {
      if (principal?.kind !== "academy") throw new ForbiddenError();
      // A client that hangs up stops the model calls made for it.
      const abort = new AbortController();
      // (The response's close, not the request's: that one fires once the body is read.)
      ctx.res.once("close", () => {
        if (!ctx.res.writableFinished) abort.abort(new Error("client closed the request"));
      });
      return deps.services.tutorSessions.sendMessage(
        tenant,
        principal.academyId,
        params.id,
        body,
        abort.signal,
      );
    },
  }),
];
