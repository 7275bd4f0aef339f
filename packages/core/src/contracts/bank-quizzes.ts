import { z } from "zod";
import { TitleSchema, UuidSchema } from "./common.js";
import {
  BANK_SECTIONS,
  QuestionBankSchema,
  QuestionSectionSchema,
  QuestionTypeSchema,
} from "./questions.js";
import { QUIZ_POLICY_INPUT_FIELDS } from "./quiz-policy.js";
import { MAX_QUIZ_QUESTIONS } from "./quizzes.js";

const Level = z.number().int().min(1).max(5);

/**
 * `POST /quizzes/from-bank`: a draft quiz of `count` different questions
 * drawn at random from the shared bank's questions that match every filter
 * given (docs/learning.md, "Quizzes from the bank"). Fewer matches than
 * `count` is a 409 `bank_too_small`.
 */
export const CreateQuizFromBankBodySchema = z
  .strictObject({
    title: TitleSchema,
    courseId: UuidSchema.optional(),
    bank: QuestionBankSchema,
    /** Any of these topics (exact names, as the bank lists them). */
    topics: z.array(z.string().trim().min(1).max(100)).min(1).max(50).optional(),
    /** Any of these sections of the bank (SAT `reading_writing`, `math`; GRE `verbal`, `quantitative`). */
    sections: z
      .array(QuestionSectionSchema)
      .min(1)
      .max(2)
      .refine((list) => new Set(list).size === list.length, "Sections must be unique.")
      .optional(),
    /** Any of these types. */
    types: z.array(QuestionTypeSchema).min(1).max(8).optional(),
    /** The bank's 1-5 levels, both ends included. */
    minDifficulty: Level.optional(),
    maxDifficulty: Level.optional(),
    count: z.number().int().min(1).max(MAX_QUIZ_QUESTIONS),
    ...QUIZ_POLICY_INPUT_FIELDS,
  })
  .refine(
    (body) =>
      body.minDifficulty === undefined ||
      body.maxDifficulty === undefined ||
      body.minDifficulty <= body.maxDifficulty,
    { path: ["maxDifficulty"], message: "Must be at least minDifficulty." },
  )
  .superRefine((body, ctx) => {
    body.sections?.forEach((section, i) => {
      if (!BANK_SECTIONS[body.bank].includes(section))
        ctx.addIssue({
          code: "custom",
          path: ["sections", i],
          message: `"${section}" is not a section of the ${body.bank} bank (${BANK_SECTIONS[body.bank].join(", ")}).`,
        });
    });
  })
  .meta({ id: "CreateQuizFromBankBody" });

export type CreateQuizFromBankBody = z.input<typeof CreateQuizFromBankBodySchema>;
export type ParsedQuizFromBankBody = z.output<typeof CreateQuizFromBankBodySchema>;
