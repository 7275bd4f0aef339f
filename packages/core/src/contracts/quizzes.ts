import { z } from "zod";
import {
  AT_LEAST_ONE_FIELD,
  hasAtLeastOneField,
  IsoDateTimeSchema,
  PageQuerySchema,
  pageOf,
  TitleSchema,
  UuidSchema,
} from "./common.js";
import { QUIZ_POLICY_INPUT_FIELDS, QUIZ_POLICY_OUTPUT_FIELDS } from "./quiz-policy.js";
import {
  LearnerQuizQuestionSchema,
  QuizItemInputSchema,
  QuizQuestionSchema,
} from "./quiz-questions.js";

/** A quiz is a draft until its instructor publishes it; learners see published quizzes only. */
export const QuizStatusSchema = z.enum(["draft", "published"]).meta({ id: "QuizStatus" });

/** The kinds of upload quiz generation reads. */
export const SourceKindSchema = z
  .enum(["text", "markdown", "pdf", "docx"])
  .meta({ id: "SourceKind" });

/** Why generated questions were left out of the draft, and how many. */
export const DroppedQuestionsSchema = z
  .object({
    /** Not valid against the question schema (missing options, an answer not among them…). */
    invalid: z.number().int().min(0),
    /** Their `source` passage is not in the document: the question is not grounded in it. */
    unsupported: z.number().int().min(0),
    /** The same prompt as a question already kept. */
    duplicate: z.number().int().min(0),
    /** Valid, but beyond the count asked for. */
    surplus: z.number().int().min(0),
  })
  .meta({ id: "DroppedQuestions" });

/** How a generated draft was made: for the reviewing instructor (staff only). */
export const QuizGenerationSchema = z
  .object({
    provider: z.enum(["groq", "offline"]),
    /** True when the offline rules wrote the questions: no model was asked. */
    offline: z.boolean(),
    model: z.string(),
    source: z.object({
      fileName: z.string(),
      kind: SourceKindSchema,
      bytes: z.number().int().min(0),
      pages: z.number().int().min(0).nullable(),
      characters: z.number().int().min(0),
    }),
    /** Chunks of the document sent to the model (long documents are sampled evenly). */
    chunks: z.number().int().min(0),
    requested: z.number().int().min(1),
    accepted: z.number().int().min(0),
    dropped: DroppedQuestionsSchema,
  })
  .meta({ id: "QuizGeneration" });

/** A quiz as admins and instructors see it: answers included. */
export const QuizSchema = z
  .object({
    id: UuidSchema,
    courseId: UuidSchema.nullable(),
    title: z.string(),
    status: QuizStatusSchema,
    questions: z.array(QuizQuestionSchema),
    ...QUIZ_POLICY_OUTPUT_FIELDS,
    createdBy: UuidSchema,
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
    publishedAt: IsoDateTimeSchema.nullable(),
    generation: QuizGenerationSchema.nullable(),
  })
  .meta({ id: "Quiz" });

/** Students and parents: published quizzes, questions without answers, no generation notes. */
export const LearnerQuizSchema = z
  .object({
    id: UuidSchema,
    courseId: UuidSchema.nullable(),
    title: z.string(),
    status: QuizStatusSchema,
    questions: z.array(LearnerQuizQuestionSchema),
    ...QUIZ_POLICY_OUTPUT_FIELDS,
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
    publishedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: "LearnerQuiz" });

/** An item of `GET /quizzes`: no questions, so the same for every role. */
export const QuizSummarySchema = z
  .object({
    id: UuidSchema,
    courseId: UuidSchema.nullable(),
    title: z.string(),
    status: QuizStatusSchema,
    questionCount: z.number().int().min(0),
    ...QUIZ_POLICY_OUTPUT_FIELDS,
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
    publishedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: "QuizSummary" });

/** Most questions a quiz holds. */
export const MAX_QUIZ_QUESTIONS = 100;

/**
 * `POST /quizzes`: a draft written by hand. Items are questions, or bank
 * questions by id (`{ bankQuestionId }`), copied in. Unlimited attempts and
 * per-question results unless said otherwise.
 */
export const CreateQuizBodySchema = z
  .strictObject({
    title: TitleSchema,
    courseId: UuidSchema.optional(),
    questions: z.array(QuizItemInputSchema).min(1).max(MAX_QUIZ_QUESTIONS),
    ...QUIZ_POLICY_INPUT_FIELDS,
  })
  .meta({ id: "CreateQuizBody" });

/**
 * `PATCH /quizzes/:id`: review a draft (title, questions) and publish it
 * with `status: "published"`. Publishing is one way, and a published quiz's
 * questions no longer change (students may have answered them); its attempt
 * policy may (it applies to every submission from then on).
 */
export const UpdateQuizBodySchema = z
  .strictObject({
    title: TitleSchema.optional(),
    questions: z.array(QuizItemInputSchema).min(1).max(MAX_QUIZ_QUESTIONS).optional(),
    status: z.literal("published").optional(),
    ...QUIZ_POLICY_INPUT_FIELDS,
  })
  .refine(hasAtLeastOneField, { message: AT_LEAST_ONE_FIELD })
  .meta({ id: "UpdateQuizBody" });

/** Most questions one generation writes. */
export const MAX_GENERATED_QUESTIONS = 50;

/**
 * The text fields of `POST /quizzes/generate` (multipart/form-data, beside
 * the `file` part). Form fields are strings, so `count` is coerced.
 */
export const GenerateQuizFieldsSchema = z
  .strictObject({
    title: TitleSchema,
    count: z.coerce.number<number>().int().min(1).max(MAX_GENERATED_QUESTIONS).default(10),
    courseId: UuidSchema.optional(),
  })
  .meta({ id: "GenerateQuizFields" });

/** `GET /quizzes`: a page, optionally of one course and/or status. */
export const QuizListQuerySchema = PageQuerySchema.extend({
  courseId: UuidSchema.optional(),
  status: QuizStatusSchema.optional(),
}).meta({ id: "QuizListQuery" });

export const QuizPageSchema = pageOf(QuizSummarySchema).meta({ id: "QuizPage" });

export type QuizStatus = z.infer<typeof QuizStatusSchema>;
export type SourceKind = z.infer<typeof SourceKindSchema>;
export type DroppedQuestions = z.infer<typeof DroppedQuestionsSchema>;
export type QuizGeneration = z.infer<typeof QuizGenerationSchema>;
export type Quiz = z.infer<typeof QuizSchema>;
export type LearnerQuiz = z.infer<typeof LearnerQuizSchema>;
export type QuizSummary = z.infer<typeof QuizSummarySchema>;
export type QuizPage = z.infer<typeof QuizPageSchema>;
export type CreateQuizBody = z.input<typeof CreateQuizBodySchema>;
export type UpdateQuizBody = z.input<typeof UpdateQuizBodySchema>;
export type GenerateQuizFields = z.infer<typeof GenerateQuizFieldsSchema>;
/** What a client may send: `count` may be left out or be a number. */
export type GenerateQuizFieldsInput = z.input<typeof GenerateQuizFieldsSchema>;
export type QuizListQuery = z.infer<typeof QuizListQuerySchema>;
export type QuizListQueryInput = z.input<typeof QuizListQuerySchema>;
