import { z } from "zod";
import { IsoDateTimeSchema, PageQuerySchema, pageOf, UuidSchema } from "./common.js";
import { ResultsShownSchema } from "./quiz-policy.js";

/** Most questions a quiz holds, and so most answers one submission carries. */
const MAX_ANSWERS = 100;

/**
 * What a student may answer, whatever the question's type: an option id or
 * a typed number (`"3/4"`), a number (numeric entry, a sentence index), or a
 * list of option ids (multi-select, text completion, sentence equivalence).
 * Whether it fits its question is checked against the question: a wrong
 * shape is a 400 naming `answers.<i>.answer`.
 */
export const QuizAnswerValueSchema = z
  .union([
    z.string().max(200),
    z.number().refine(Number.isFinite, "Must be finite."),
    z.array(z.string().max(64)).max(10),
  ])
  .meta({ id: "QuizAnswerValue" });

export const QuizAnswerSchema = z
  .strictObject({
    questionId: UuidSchema,
    answer: QuizAnswerValueSchema,
    /** How long the student took on the question, when the client measures it. */
    timeMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .meta({ id: "QuizAnswer" });

/**
 * `POST /quizzes/:id/submissions`. Each question at most once; a question
 * left out is unanswered and scores as wrong (docs/learning.md).
 */
export const CreateQuizSubmissionBodySchema = z
  .strictObject({ answers: z.array(QuizAnswerSchema).min(1).max(MAX_ANSWERS) })
  .meta({ id: "CreateQuizSubmissionBody" });

/**
 * How one question of the quiz was scored. Never the right answer; and
 * `correct` only where the view shows results per question (staff always;
 * students and parents as the quiz's `results` policy says).
 */
export const QuizSubmissionResultSchema = z
  .object({
    questionId: UuidSchema,
    correct: z.boolean().optional(),
    /** False for a question the submission left out (scored as wrong, no attempt recorded). */
    answered: z.boolean(),
    /** What the student answered; null when unanswered. */
    response: QuizAnswerValueSchema.nullable(),
  })
  .meta({ id: "QuizSubmissionResult" });

/** A scored submission: one point per question, all or nothing. */
export const QuizSubmissionSchema = z
  .object({
    id: UuidSchema,
    quizId: UuidSchema,
    studentId: UuidSchema,
    score: z.number().min(0),
    maxScore: z.number().min(0),
    /** Whether `results` say which questions were right (`per_question`) or not (`score_only`). */
    resultsShown: ResultsShownSchema,
    results: z.array(QuizSubmissionResultSchema),
    /** Which of the student's submissions to this quiz it is, from 1. */
    attempt: z.number().int().min(1),
    /** Submissions the student may still make to the quiz; null: unlimited. */
    attemptsLeft: z.number().int().min(0).nullable(),
    submittedAt: IsoDateTimeSchema,
  })
  .meta({ id: "QuizSubmission" });

/** `GET /quiz-submissions`: a page, optionally of one quiz and/or one student. */
export const QuizSubmissionListQuerySchema = PageQuerySchema.extend({
  quizId: UuidSchema.optional(),
  studentId: UuidSchema.optional(),
}).meta({ id: "QuizSubmissionListQuery" });

export const QuizSubmissionPageSchema = pageOf(QuizSubmissionSchema).meta({
  id: "QuizSubmissionPage",
});

export type QuizAnswerValue = z.infer<typeof QuizAnswerValueSchema>;
export type QuizAnswer = z.infer<typeof QuizAnswerSchema>;
export type CreateQuizSubmissionBody = z.input<typeof CreateQuizSubmissionBodySchema>;
export type QuizSubmissionResult = z.infer<typeof QuizSubmissionResultSchema>;
export type QuizSubmission = z.infer<typeof QuizSubmissionSchema>;
export type QuizSubmissionListQuery = z.infer<typeof QuizSubmissionListQuerySchema>;
export type QuizSubmissionListQueryInput = z.input<typeof QuizSubmissionListQuerySchema>;
export type QuizSubmissionPage = z.infer<typeof QuizSubmissionPageSchema>;
