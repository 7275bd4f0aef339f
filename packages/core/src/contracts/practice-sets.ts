import { z } from "zod";
import { IsoDateTimeSchema, PageQuerySchema, pageOf, UuidSchema } from "./common.js";
import {
  BANK_SECTIONS,
  LearnerExamQuestionSchema,
  QuestionBankSchema,
  QuestionSectionSchema,
} from "./questions.js";
import { QuizAnswerValueSchema } from "./quiz-submissions.js";

/** Most questions one practice set holds (and most explicit `questionIds`). */
export const PRACTICE_SET_MAX = 50;
/** Questions in a set when the body names no `count` and no explicit questions. */
export const PRACTICE_SET_DEFAULT_COUNT = 10;

const TopicSchema = z.string().trim().min(1).max(100);

/**
 * `POST /practice-sets` (students). Draw from the bank by `topics` and/or
 * `sections` (none: the whole bank), or practise explicit questions:
 * `questionIds` (up to 50, e.g. the items of a study plan) or
 * `fromStudyPlan: true` (the questions the student's study plan lists now).
 * `count` defaults to 10, or to the number of explicit questions.
 */
export const CreatePracticeSetBodySchema = z
  .strictObject({
    bank: QuestionBankSchema,
    topics: z
      .array(TopicSchema)
      .min(1)
      .max(20)
      .refine((list) => new Set(list).size === list.length, "Topics must be unique.")
      .optional(),
    sections: z
      .array(QuestionSectionSchema)
      .min(1)
      .max(2)
      .refine((list) => new Set(list).size === list.length, "Sections must be unique.")
      .optional(),
    questionIds: z
      .array(UuidSchema)
      .min(1)
      .max(PRACTICE_SET_MAX)
      .refine((list) => new Set(list).size === list.length, "Question ids must be unique.")
      .optional(),
    fromStudyPlan: z.boolean().optional(),
    count: z.number().int().min(1).max(PRACTICE_SET_MAX).optional(),
    adaptive: z.boolean().default(true),
  })
  .superRefine((body, ctx) => {
    const explicit = body.questionIds !== undefined || body.fromStudyPlan === true;
    if (body.questionIds !== undefined && body.fromStudyPlan === true)
      ctx.addIssue({
        code: "custom",
        path: ["fromStudyPlan"],
        message: "Give questionIds or fromStudyPlan, not both.",
      });
    if (explicit && (body.topics !== undefined || body.sections !== undefined))
      ctx.addIssue({
        code: "custom",
        path: [body.topics !== undefined ? "topics" : "sections"],
        message: "Explicit questions (questionIds, fromStudyPlan) take no topic or section filter.",
      });
    body.sections?.forEach((section, i) => {
      if (!BANK_SECTIONS[body.bank].includes(section))
        ctx.addIssue({
          code: "custom",
          path: ["sections", i],
          message: `"${section}" is not a section of the ${body.bank} bank (${BANK_SECTIONS[body.bank].join(", ")}).`,
        });
    });
  })
  .meta({ id: "CreatePracticeSetBody" });

/** `POST /practice-sets/:id/answers`: the answer to the set's current question. */
export const PracticeAnswerBodySchema = z
  .strictObject({
    questionId: UuidSchema,
    answer: QuizAnswerValueSchema,
    timeSpentMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .meta({ id: "PracticeAnswerBody" });

/** A bank question's answer as stored: an option id, ids, a number's text or a sentence index. */
export const BankAnswerSchema = z
  .union([z.string(), z.number(), z.array(z.string())])
  .meta({ id: "BankAnswer" });

/**
 * One question of a set, in the order presented. `response`, `correct`,
 * `answer` and `explanation` appear once it is answered; staff also get the
 * answer and explanation of the current question.
 */
export const PracticeSetItemSchema = z
  .object({
    position: z.number().int().min(0),
    questionId: UuidSchema,
    topic: z.string(),
    section: QuestionSectionSchema.nullable(),
    difficulty: z.number().int().min(1).max(5),
    /** Adaptive sets: the chance (Elo) the student had of answering it right when it was chosen. */
    predictedSuccess: z.number().min(0).max(1).optional(),
    presentedAt: IsoDateTimeSchema,
    answered: z.boolean(),
    response: QuizAnswerValueSchema.optional(),
    correct: z.boolean().optional(),
    answer: BankAnswerSchema.optional(),
    explanation: z.string().nullable().optional(),
    answeredAt: IsoDateTimeSchema.optional(),
    timeSpentMs: z.number().int().min(0).optional(),
  })
  .meta({ id: "PracticeSetItem" });

/** What the set was asked to draw from (echoed as given). */
export const PracticeSetFiltersSchema = z
  .object({
    topics: z.array(z.string()).optional(),
    sections: z.array(QuestionSectionSchema).optional(),
    questionIds: z.array(UuidSchema).optional(),
    fromStudyPlan: z.boolean().optional(),
  })
  .meta({ id: "PracticeSetFilters" });

export const PracticeSetStatusSchema = z
  .enum(["in_progress", "finished"])
  .meta({ id: "PracticeSetStatus" });

export const PracticeSetSchema = z
  .object({
    id: UuidSchema,
    studentId: UuidSchema,
    bank: QuestionBankSchema,
    adaptive: z.boolean(),
    status: PracticeSetStatusSchema,
    total: z.number().int().min(0),
    answered: z.number().int().min(0),
    correct: z.number().int().min(0),
    /** The question to answer now (never with its answer); null once finished. */
    current: LearnerExamQuestionSchema.nullable(),
    items: z.array(PracticeSetItemSchema),
    filters: PracticeSetFiltersSchema,
    createdAt: IsoDateTimeSchema,
    updatedAt: IsoDateTimeSchema,
    finishedAt: IsoDateTimeSchema.nullable(),
  })
  .meta({ id: "PracticeSet" });

/** `POST /practice-sets/:id/answers`: the verdict, then (only now) the answer and explanation. */
export const PracticeAnswerResultSchema = z
  .object({
    questionId: UuidSchema,
    correct: z.boolean(),
    answer: BankAnswerSchema,
    explanation: z.string().nullable(),
    set: PracticeSetSchema,
  })
  .meta({ id: "PracticeAnswerResult" });

/** `GET /practice-sets`: optionally one student's, optionally by status. */
export const PracticeSetListQuerySchema = PageQuerySchema.extend({
  studentId: UuidSchema.optional(),
  status: PracticeSetStatusSchema.optional(),
}).meta({ id: "PracticeSetListQuery" });

export const PracticeSetPageSchema = pageOf(PracticeSetSchema).meta({ id: "PracticeSetPage" });

export type CreatePracticeSetBody = z.input<typeof CreatePracticeSetBodySchema>;
export type ParsedPracticeSetBody = z.output<typeof CreatePracticeSetBodySchema>;
export type PracticeAnswerBody = z.input<typeof PracticeAnswerBodySchema>;
export type BankAnswer = z.infer<typeof BankAnswerSchema>;
export type PracticeSetItem = z.infer<typeof PracticeSetItemSchema>;
export type PracticeSetFilters = z.infer<typeof PracticeSetFiltersSchema>;
export type PracticeSetStatus = z.infer<typeof PracticeSetStatusSchema>;
export type PracticeSet = z.infer<typeof PracticeSetSchema>;
export type PracticeAnswerResult = z.infer<typeof PracticeAnswerResultSchema>;
export type PracticeSetListQuery = z.infer<typeof PracticeSetListQuerySchema>;
export type PracticeSetListQueryInput = z.input<typeof PracticeSetListQuerySchema>;
export type PracticeSetPage = z.infer<typeof PracticeSetPageSchema>;
