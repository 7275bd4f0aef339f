import { z } from "zod";
import { IsoDateTimeSchema, PageQuerySchema, pageOf, UuidSchema } from "./common.js";

/** How a stored tutor reply came to be: the model's draft passed the guard, a stricter redraft did, or a safe hint replaced both. */
export const TutorGuardOutcomeSchema = z
  .enum(["passed", "regenerated", "fallback"])
  .meta({ id: "TutorGuardOutcome" });

/**
 * One message of a tutor session. Tutor messages say which hint level they
 * were written at, how the output guard treated them, and which provider
 * wrote them (`offline` replies are also labelled in their text).
 */
export const TutorMessageSchema = z
  .object({
    role: z.enum(["student", "tutor"]),
    content: z.string(),
    createdAt: IsoDateTimeSchema,
    hintLevel: z.number().int().min(0).max(3).optional(),
    guard: TutorGuardOutcomeSchema.optional(),
    provider: z.enum(["groq", "offline"]).optional(),
  })
  .meta({ id: "TutorMessage" });

/** A Socratic tutoring session of one student on one assignment; messages are append-only. */
export const TutorSessionSchema = z
  .object({
    id: UuidSchema,
    assignmentId: UuidSchema,
    studentId: UuidSchema,
    hintLevel: z.number().int().min(0).max(3),
    messages: z.array(TutorMessageSchema),
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
  })
  .meta({ id: "TutorSession" });

/** A session in a list: everything but the messages, which `GET /tutor-sessions/:id` returns. */
export const TutorSessionSummarySchema = TutorSessionSchema.omit({ messages: true })
  .extend({ messageCount: z.number().int().min(0) })
  .meta({ id: "TutorSessionSummary" });

/** `POST /tutor-sessions`: a student opens a session on an assignment of a course they are enrolled in. */
export const CreateTutorSessionBodySchema = z
  .strictObject({ assignmentId: UuidSchema })
  .meta({ id: "CreateTutorSessionBody" });

/** `POST /tutor-sessions/:id/messages`. */
export const SendTutorMessageBodySchema = z
  .strictObject({ content: z.string().trim().min(1).max(4_000) })
  .meta({ id: "SendTutorMessageBody" });

/** The guarded reply, and the session with both new messages appended. */
export const TutorReplySchema = z
  .object({ reply: TutorMessageSchema, session: TutorSessionSchema })
  .meta({ id: "TutorReply" });

/** `GET /tutor-sessions`: a page, optionally narrowed to an assignment and/or a student. */
export const TutorSessionListQuerySchema = PageQuerySchema.extend({
  assignmentId: UuidSchema.optional(),
  studentId: UuidSchema.optional(),
}).meta({ id: "TutorSessionListQuery" });

export const TutorSessionPageSchema = pageOf(TutorSessionSummarySchema).meta({
  id: "TutorSessionPage",
});

export type TutorGuardOutcome = z.infer<typeof TutorGuardOutcomeSchema>;
export type TutorMessage = z.infer<typeof TutorMessageSchema>;
export type TutorSession = z.infer<typeof TutorSessionSchema>;
export type TutorSessionSummary = z.infer<typeof TutorSessionSummarySchema>;
export type TutorSessionPage = z.infer<typeof TutorSessionPageSchema>;
export type CreateTutorSessionBody = z.infer<typeof CreateTutorSessionBodySchema>;
export type SendTutorMessageBody = z.infer<typeof SendTutorMessageBodySchema>;
export type TutorReply = z.infer<typeof TutorReplySchema>;
export type TutorSessionListQuery = z.infer<typeof TutorSessionListQuerySchema>;
export type TutorSessionListQueryInput = z.input<typeof TutorSessionListQuerySchema>;
