import { z } from "zod";
import { IsoDateTimeSchema, PageQuerySchema, pageOf, UuidSchema } from "./common.js";
import { LearnerExamQuestionSchema, QuestionSectionSchema } from "./questions.js";
import { QuizAnswerValueSchema } from "./quiz-submissions.js";

export const MockExamKindSchema = z.enum(["sat", "gre"]).meta({ id: "MockExamKind" });
export const MockExamLengthSchema = z.enum(["full", "short"]).meta({ id: "MockExamLength" });
export const MockExamRouteSchema = z.enum(["harder", "easier"]).meta({ id: "MockExamRoute" });
export const MockExamStatusSchema = z
  .enum(["in_progress", "finished"])
  .meta({ id: "MockExamStatus" });

/** `POST /mock-exams` (students): a form shaped like the real test; `short` has 4 questions a module. */
export const CreateMockExamBodySchema = z
  .strictObject({
    exam: MockExamKindSchema,
    length: MockExamLengthSchema.default("full"),
  })
  .meta({ id: "CreateMockExamBody" });

/** Most questions a module holds (the SAT's reading and writing modules). */
const MAX_MODULE_QUESTIONS = 27;

/**
 * `POST /mock-exams/:id/modules`: the answers to the current module, all at
 * once. A question left out is unanswered; after the time limit every
 * answer counts as unanswered.
 */
export const SubmitMockModuleBodySchema = z
  .strictObject({
    answers: z
      .array(z.strictObject({ questionId: UuidSchema, answer: QuizAnswerValueSchema }))
      .max(MAX_MODULE_QUESTIONS),
  })
  .meta({ id: "SubmitMockModuleBody" });

/** The module to answer now: its questions (never their answers) and its deadline. */
export const MockExamCurrentSchema = z
  .object({
    section: QuestionSectionSchema,
    module: z.number().int().min(1).max(2),
    /** Module 2 only: chosen by the first module's result. */
    route: MockExamRouteSchema.optional(),
    questions: z.array(LearnerExamQuestionSchema),
    startedAt: IsoDateTimeSchema,
    /** The server's deadline: answers submitted after it count as unanswered. */
    endsAt: IsoDateTimeSchema,
    timeLimitSeconds: z.number().int().positive(),
  })
  .meta({ id: "MockExamCurrent" });

/** A module's outcome once submitted (no answers: the form may be reused for practice). */
export const MockExamModuleSchema = z
  .object({
    section: QuestionSectionSchema,
    module: z.number().int().min(1).max(2),
    route: MockExamRouteSchema.nullable(),
    total: z.number().int().min(0),
    startedAt: IsoDateTimeSchema,
    endsAt: IsoDateTimeSchema,
    submittedAt: IsoDateTimeSchema.nullable(),
    /** Null until submitted. */
    answered: z.number().int().min(0).nullable(),
    correct: z.number().int().min(0).nullable(),
    /** True when it was submitted after its time limit (every answer counted as unanswered). */
    late: z.boolean(),
  })
  .meta({ id: "MockExamModule" });

export const EstimatedScoreSchema = z
  .object({
    low: z.number().int(),
    high: z.number().int(),
    /** The section's scale: SAT 200-800, GRE 130-170. */
    min: z.number().int(),
    max: z.number().int(),
    /** Always true: an estimate from a practice form, not an official score. */
    estimate: z.literal(true),
  })
  .meta({ id: "EstimatedScore" });

export const MockExamReportSchema = z
  .object({
    sections: z.array(
      z.object({
        section: QuestionSectionSchema,
        correct: z.number().int().min(0),
        total: z.number().int().min(0),
        route: MockExamRouteSchema,
        estimatedScore: EstimatedScoreSchema,
      }),
    ),
    topics: z.array(
      z.object({
        topic: z.string(),
        correct: z.number().int().min(0),
        total: z.number().int().min(0),
      }),
    ),
    /** How the estimate was made, in words (docs/learning.md, "Score estimates"). */
    note: z.string(),
  })
  .meta({ id: "MockExamReport" });

export const MockExamSchema = z
  .object({
    id: UuidSchema,
    studentId: UuidSchema,
    exam: MockExamKindSchema,
    length: MockExamLengthSchema,
    status: MockExamStatusSchema,
    current: MockExamCurrentSchema.nullable(),
    modules: z.array(MockExamModuleSchema),
    report: MockExamReportSchema.nullable(),
    createdAt: IsoDateTimeSchema,
    finishedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: "MockExam" });

/** `GET /mock-exams`: optionally one student's, optionally by status. */
export const MockExamListQuerySchema = PageQuerySchema.extend({
  studentId: UuidSchema.optional(),
  status: MockExamStatusSchema.optional(),
}).meta({ id: "MockExamListQuery" });

export const MockExamPageSchema = pageOf(MockExamSchema).meta({ id: "MockExamPage" });

export type MockExamKind = z.infer<typeof MockExamKindSchema>;
export type MockExamLength = z.infer<typeof MockExamLengthSchema>;
export type MockExamRoute = z.infer<typeof MockExamRouteSchema>;
export type MockExamStatus = z.infer<typeof MockExamStatusSchema>;
export type CreateMockExamBody = z.input<typeof CreateMockExamBodySchema>;
export type SubmitMockModuleBody = z.input<typeof SubmitMockModuleBodySchema>;
export type MockExamCurrent = z.infer<typeof MockExamCurrentSchema>;
export type MockExamModule = z.infer<typeof MockExamModuleSchema>;
export type EstimatedScore = z.infer<typeof EstimatedScoreSchema>;
export type MockExamReport = z.infer<typeof MockExamReportSchema>;
export type MockExam = z.infer<typeof MockExamSchema>;
export type MockExamListQuery = z.infer<typeof MockExamListQuerySchema>;
export type MockExamListQueryInput = z.input<typeof MockExamListQuerySchema>;
export type MockExamPage = z.infer<typeof MockExamPageSchema>;
