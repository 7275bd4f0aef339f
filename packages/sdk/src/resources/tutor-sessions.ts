import {
  TutorReplySchema,
  TutorSessionPageSchema,
  TutorSessionSchema,
} from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { TutorReply, TutorSession, TutorSessionSummary } from "../types/models.js";
import type {
  CreateTutorSessionBody,
  SendTutorMessageBody,
  TutorSessionListQuery,
} from "../types/requests.js";

/** `/tutor-sessions`: the Socratic tutor. */
export class TutorSessions extends APIResource {
  /**
   * Opens a session on an assignment (a student enrolled in its course).
   *
   * @example
   * const session = await asStudent.tutorSessions.create({ assignmentId });
   */
  create(body: CreateTutorSessionBody, options?: RequestOptions): APIPromise<TutorSession> {
    return this.request(
      { method: "POST", path: "/tutor-sessions", body, schema: TutorSessionSchema },
      options,
    );
  }

  /**
   * Sends the tutor a message (the session's student). The reply has passed
   * the output guard; a spent AI budget is a `RateLimitError` with `retryAfter`.
   *
   * @example
   * const { reply } = await asStudent.tutorSessions.sendMessage(session.id, { content: "Where do I start?" });
   * console.log(reply.content);
   */
  sendMessage(
    id: string,
    body: SendTutorMessageBody,
    options?: RequestOptions,
  ): APIPromise<TutorReply> {
    return this.request(
      {
        method: "POST",
        path: `/tutor-sessions/${segment(id)}/messages`,
        body,
        schema: TutorReplySchema,
      },
      options,
    );
  }

  /**
   * Sessions the caller may see, as summaries (no messages).
   *
   * @example
   * for await (const s of client.tutorSessions.list({ studentId })) console.log(s.messageCount);
   */
  list(
    query: TutorSessionListQuery = {},
    options?: RequestOptions,
  ): PagePromise<TutorSessionSummary> {
    return this.paginate("/tutor-sessions", query, TutorSessionPageSchema, options);
  }

  /** @example const session = await client.tutorSessions.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<TutorSession> {
    return this.request(
      { method: "GET", path: `/tutor-sessions/${segment(id)}`, schema: TutorSessionSchema },
      options,
    );
  }
}
