import { z } from "zod";
import { IsoDateTimeSchema, PageQuerySchema, pageOf, UuidSchema } from "./common.js";

// ─── AI pre-grading (staff only) ─────────────────────────────────────────────

/**
 * Where a submission stands with AI pre-grading: `queued` (a grading job is
 * waiting or running), `suggested` (a suggestion awaits the instructor),
 * `failed` (grading gave up: grade it by hand), `skipped` (nothing to grade:
 * already graded, or its assignment is gone), then `accepted` or
 * `overridden` once the instructor graded it.
 */
export const AiReviewStatusSchema = z
  .enum(["queued", "suggested", "failed", "skipped", "accepted", "overridden"])
  .meta({ id: "AiReviewStatus" });

/** The model's score for one rubric criterion, after the evidence was checked. */
export const CriterionSuggestionSchema = z
  .object({
    criterionId: z.string(),
    points: z.number().min(0),
    maxPoints: z.number().min(0),
    /** Quotes from the submission that support the score; each was found in it verbatim. */
    evidence: z.array(z.string()),
    rationale: z.string(),
    /** 0..1, after penalties (fabricated or missing evidence, out-of-range points). */
    confidence: z.number().min(0).max(1),
    /** Why confidence was lowered: `unverified_evidence`, `no_evidence`, `points_out_of_range`, `missing`. */
    flags: z.array(z.string()),
  })
  .meta({ id: "CriterionSuggestion" });

/** A suggested grade. Never shown to students or parents; never a grade until approved. */
export const GradeSuggestionSchema = z
  .object({
    /** On the assignment's scale (`maxPoints`): the criteria's points, scaled if the rubric sums differently. */
    grade: z.number().min(0),
    maxPoints: z.number().min(0),
    /** The lowest criterion confidence: the review queue shows the least certain first. */
    confidence: z.number().min(0).max(1),
    feedback: z.string(),
    criteria: z.array(CriterionSuggestionSchema),
    /** Whole-submission flags, e.g. `possible_prompt_injection`, `offline`. */
    flags: z.array(z.string()),
    /** Evidence quotes dropped because they are not in the submission. */
    droppedEvidence: z.number().int().min(0),
    provider: z.enum(["groq", "offline"]),
    model: z.string(),
    offline: z.boolean(),
  })
  .meta({ id: "GradeSuggestion" });

/** The pre-grading state of a submission, for admins and the course's instructor. */
export const AiReviewSchema = z
  .object({
    status: AiReviewStatusSchema,
    confidence: z.number().min(0).max(1).nullable(),
    suggestion: GradeSuggestionSchema.nullable(),
    /** Why grading failed (status `failed`). */
    error: z.string().nullable(),
    suggestedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: "AiReview" });

// ─── submissions ─────────────────────────────────────────────────────────────

const submissionShape = {
  id: UuidSchema,
  assignmentId: UuidSchema,
  studentId: UuidSchema,
  content: z.string(),
  grade: z.number().nullable(),
  feedback: z.string().nullable(),
  gradedAt: IsoDateTimeSchema.nullable(),
  submittedAt: IsoDateTimeSchema,
};

/**
 * A submission; the grading fields are null until an instructor grades it.
 * `aiReview` is present for admins and the course's instructor only (null
 * when the submission was never queued for pre-grading).
 */
export const SubmissionSchema = z
  .object({ ...submissionShape, aiReview: AiReviewSchema.nullable().optional() })
  .meta({ id: "Submission" });

/**
 * Students and parents: no `aiReview`, not even as a key (output objects
 * strip unknown keys). What they see of grading is the approved grade only.
 */
export const LearnerSubmissionSchema = z.object(submissionShape).meta({ id: "LearnerSubmission" });

/** `POST /assignments/:id/submissions`. Not trimmed: whitespace can matter in an answer. */
export const CreateSubmissionBodySchema = z
  .strictObject({ content: z.string().min(1).max(100_000) })
  .meta({ id: "CreateSubmissionBody" });

/**
 * `PATCH /submissions/:id/grade`: `{ grade, feedback? }` grades (overriding
 * any AI suggestion), `{ acceptSuggestion: true, feedback? }` approves the
 * suggestion as it stands (its feedback too, unless `feedback` is given).
 * The upper bound of `grade` is the assignment's `maxPoints`, which only the
 * server knows, so it checks that; zod numbers already reject NaN and Infinity.
 */
export const GradeSubmissionBodySchema = z
  .strictObject({
    grade: z.number().min(0).optional(),
    feedback: z.string().max(20_000).optional(),
    acceptSuggestion: z.literal(true).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.grade === undefined && body.acceptSuggestion === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["grade"],
        message: "Give a grade, or acceptSuggestion: true.",
      });
    if (body.grade !== undefined && body.acceptSuggestion !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["acceptSuggestion"],
        message: "Give a grade or accept the suggestion, not both.",
      });
  })
  .meta({ id: "GradeSubmissionBody" });

/** `GET /submissions`: a page, optionally narrowed to an assignment and/or a student. */
export const SubmissionListQuerySchema = PageQuerySchema.extend({
  assignmentId: UuidSchema.optional(),
  studentId: UuidSchema.optional(),
}).meta({ id: "SubmissionListQuery" });

/** `GET /submissions` response for admins and instructors. */
export const SubmissionPageSchema = pageOf(SubmissionSchema).meta({ id: "SubmissionPage" });

/** `GET /submissions` response for students and parents. */
export const LearnerSubmissionPageSchema = pageOf(LearnerSubmissionSchema).meta({
  id: "LearnerSubmissionPage",
});

/** `GET /grading-queue`: ungraded submissions awaiting review, optionally of one assignment or course. */
export const GradingQueueQuerySchema = PageQuerySchema.extend({
  assignmentId: UuidSchema.optional(),
  courseId: UuidSchema.optional(),
}).meta({ id: "GradingQueueQuery" });

export type AiReviewStatus = z.infer<typeof AiReviewStatusSchema>;
export type CriterionSuggestion = z.infer<typeof CriterionSuggestionSchema>;
export type GradeSuggestion = z.infer<typeof GradeSuggestionSchema>;
export type AiReview = z.infer<typeof AiReviewSchema>;
export type Submission = z.infer<typeof SubmissionSchema>;
export type LearnerSubmission = z.infer<typeof LearnerSubmissionSchema>;
export type SubmissionPage = z.infer<typeof SubmissionPageSchema>;
export type LearnerSubmissionPage = z.infer<typeof LearnerSubmissionPageSchema>;
export type CreateSubmissionBody = z.infer<typeof CreateSubmissionBodySchema>;
export type GradeSubmissionBody = z.infer<typeof GradeSubmissionBodySchema>;
export type SubmissionListQuery = z.infer<typeof SubmissionListQuerySchema>;
export type SubmissionListQueryInput = z.input<typeof SubmissionListQuerySchema>;
export type GradingQueueQuery = z.infer<typeof GradingQueueQuerySchema>;
export type GradingQueueQueryInput = z.input<typeof GradingQueueQuerySchema>;
