import { z } from "zod";
import { IsoDateTimeSchema, PageQuerySchema, pageOf, UuidSchema } from "./common.js";

/** A student's submission; the grading fields are null until it is graded. */
export const SubmissionSchema = z
  .object({
    id: UuidSchema,
    assignmentId: UuidSchema,
    studentId: UuidSchema,
    content: z.string(),
    grade: z.number().nullable(),
    feedback: z.string().nullable(),
    gradedAt: IsoDateTimeSchema.nullable(),
    submittedAt: IsoDateTimeSchema,
  })
  .meta({ id: "Submission" });

/** `POST /assignments/:id/submissions`. Not trimmed: whitespace can matter in an answer. */
export const CreateSubmissionBodySchema = z
  .strictObject({ content: z.string().min(1).max(100_000) })
  .meta({ id: "CreateSubmissionBody" });

/**
 * `PATCH /submissions/:id/grade`. The upper bound is the assignment's `maxPoints`, which only
 * the server knows, so it checks that; zod numbers already reject NaN and Infinity.
 */
export const GradeSubmissionBodySchema = z
  .strictObject({
    grade: z.number().min(0),
    feedback: z.string().max(20_000).optional(),
  })
  .meta({ id: "GradeSubmissionBody" });

/** `GET /submissions`: a page, optionally narrowed to an assignment and/or a student. */
export const SubmissionListQuerySchema = PageQuerySchema.extend({
  assignmentId: UuidSchema.optional(),
  studentId: UuidSchema.optional(),
}).meta({ id: "SubmissionListQuery" });

/** `GET /submissions` response. */
export const SubmissionPageSchema = pageOf(SubmissionSchema).meta({ id: "SubmissionPage" });

export type Submission = z.infer<typeof SubmissionSchema>;
export type SubmissionPage = z.infer<typeof SubmissionPageSchema>;
export type CreateSubmissionBody = z.infer<typeof CreateSubmissionBodySchema>;
export type GradeSubmissionBody = z.infer<typeof GradeSubmissionBodySchema>;
export type SubmissionListQuery = z.infer<typeof SubmissionListQuerySchema>;
export type SubmissionListQueryInput = z.input<typeof SubmissionListQuerySchema>;
