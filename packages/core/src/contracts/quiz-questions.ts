import { z } from "zod";
import { UuidSchema } from "./common.js";
import {
  OptionIdSchema,
  QUESTION_COMMON_FIELDS,
  QUESTION_COMMON_OUTPUT_FIELDS,
  QUESTION_TYPE_FIELDS,
  QUESTION_TYPE_OUTPUT_FIELDS,
  QUESTION_TYPE_RULES,
  QUESTION_TYPES,
  QuestionTextFormatSchema,
  QuestionTypeSchema,
  unknownTypeMessage,
} from "./questions.js";

/**
 * The questions a quiz holds: the shared bank's question model
 * (`contracts/questions.ts`) — the same eight types, the same fields and the
 * same per-type rules — without the bank-only fields (`externalId`, `bank`,
 * `tags`), plus the quiz-only `id` (every question gets one when it is
 * stored) and optional `source` (the sentence of an uploaded document a
 * generated question rests on). As in the bank, `topic` and `difficulty`
 * (1-5) are required: a quiz answer is a learning-model attempt at the topic
 * (docs/learning.md).
 */

export const QUIZ_QUESTION_TYPES = QUESTION_TYPES;

export const QuizQuestionTypeSchema = QuestionTypeSchema;

/** Option ids are what answers name (as in the bank). */
export const QuizOptionIdSchema = OptionIdSchema;

const noNul = (value: string) => !value.includes("\u0000");

const quizCommon = {
  /** Keep a question's id when editing a draft; new questions get one. */
  id: UuidSchema.optional(),
  /**
   * How the question's texts are written, as in the bank; `plain` when absent.
   * HTML is sanitised and markdown loses its raw HTML when the quiz is written.
   */
  format: QuestionTextFormatSchema.optional(),
  ...QUESTION_COMMON_FIELDS,
  /** For generated questions: the passage of the source document the answer rests on. */
  source: z
    .string()
    .trim()
    .min(1, "Must not be empty.")
    .max(2_000)
    .refine(noNul, "Text may not contain NUL characters.")
    .optional(),
};

const F = QUESTION_TYPE_FIELDS;
const R = QUESTION_TYPE_RULES;

/** One question in `POST /quizzes` or `PATCH /quizzes/:id`, and what generation must produce. */
export const QuizQuestionInputSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ ...quizCommon, ...F.multiple_choice }).superRefine(R.multiple_choice),
      z.strictObject({ ...quizCommon, ...F.multi_select }).superRefine(R.multi_select),
      z.strictObject({ ...quizCommon, ...F.quantitative_comparison }),
      z.strictObject({ ...quizCommon, ...F.numeric_entry }),
      z.strictObject({ ...quizCommon, ...F.grid_in }),
      z.strictObject({ ...quizCommon, ...F.text_completion }).superRefine(R.text_completion),
      z
        .strictObject({ ...quizCommon, ...F.sentence_equivalence })
        .superRefine(R.sentence_equivalence),
      z.strictObject({ ...quizCommon, ...F.select_in_passage }).superRefine(R.select_in_passage),
    ],
    { error: unknownTypeMessage(QUIZ_QUESTION_TYPES) },
  )
  .meta({ id: "QuizQuestionInput" });

/**
 * A question of the shared bank, by id, as an item of `POST /quizzes` or
 * `PATCH /quizzes/:id`: the question is copied into the quiz when it is
 * written (docs/learning.md, "Quizzes from the bank"), so a later edit of
 * the bank never changes the quiz. An item without `type` is one of these.
 */
export const BankQuestionItemSchema = z
  .strictObject({
    // What tells this item from a written question (whose `type` is required): no type, or "bank".
    type: z.literal("bank").optional(),
    bankQuestionId: z
      .uuid({
        // Reached by any item without a type, so a missing type is what it says then.
        error: (issue) =>
          issue.input === undefined
            ? `Give the question's type (one of: ${QUIZ_QUESTION_TYPES.join(", ")}), or a bankQuestionId.`
            : undefined,
      })
      .meta({ description: "The id of a question of the shared bank." }),
  })
  .meta({ id: "BankQuestionItem" });

/** An item of a quiz as written: a question of any type, or a bank question by id. */
export const QuizItemInputSchema = z
  .discriminatedUnion("type", [BankQuestionItemSchema, QuizQuestionInputSchema], {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `type must be one of: ${QUIZ_QUESTION_TYPES.join(", ")}; or give only a bankQuestionId.`
        : undefined,
  })
  .meta({ id: "QuizItemInput" });

// ─── output: the staff view and the learner view ─────────────────────────────

const commonOutput = {
  id: UuidSchema,
  /** How the texts are written (a bank copy keeps the bank question's format); render accordingly. */
  format: QuestionTextFormatSchema,
  ...QUESTION_COMMON_OUTPUT_FIELDS,
  source: z.string().nullable(),
  /** The bank question this one was copied from (staff only); null for a question written here. */
  bankQuestionId: UuidSchema.nullable(),
};

const O = QUESTION_TYPE_OUTPUT_FIELDS;
const outputs = {
  multiple_choice: z.object({ ...commonOutput, ...O.multiple_choice }),
  multi_select: z.object({ ...commonOutput, ...O.multi_select }),
  quantitative_comparison: z.object({ ...commonOutput, ...O.quantitative_comparison }),
  numeric_entry: z.object({ ...commonOutput, ...O.numeric_entry }),
  grid_in: z.object({ ...commonOutput, ...O.grid_in }),
  text_completion: z.object({ ...commonOutput, ...O.text_completion }),
  sentence_equivalence: z.object({ ...commonOutput, ...O.sentence_equivalence }),
  select_in_passage: z.object({ ...commonOutput, ...O.select_in_passage }),
};

/** A quiz question as admins and instructors see it: with its answer. */
export const QuizQuestionSchema = z
  .discriminatedUnion("type", [
    outputs.multiple_choice,
    outputs.multi_select,
    outputs.quantitative_comparison,
    outputs.numeric_entry,
    outputs.grid_in,
    outputs.text_completion,
    outputs.sentence_equivalence,
    outputs.select_in_passage,
  ])
  .meta({ id: "QuizQuestion" });

const hidden = { answer: true, explanation: true, source: true, bankQuestionId: true } as const;

/**
 * Students and parents: no `answer`, no `explanation`, no `source` (the
 * source sentence gives the answer away) and no `bankQuestionId` (the bank
 * copy's id would lead to it elsewhere), for every type. Output objects
 * strip unknown keys, so parsing a full question through it drops them.
 */
export const LearnerQuizQuestionSchema = z
  .discriminatedUnion("type", [
    outputs.multiple_choice.omit(hidden),
    outputs.multi_select.omit(hidden),
    outputs.quantitative_comparison.omit(hidden),
    outputs.numeric_entry.omit(hidden),
    outputs.grid_in.omit(hidden),
    outputs.text_completion.omit(hidden),
    outputs.sentence_equivalence.omit(hidden),
    outputs.select_in_passage.omit(hidden),
  ])
  .meta({ id: "LearnerQuizQuestion" });

export type QuizQuestionType = z.infer<typeof QuizQuestionTypeSchema>;
/** What a client may send (numbers allowed for numeric answers). */
export type QuizQuestionInput = z.input<typeof QuizQuestionInputSchema>;
/** A bank question by id, copied into the quiz when it is written. */
export type BankQuestionItem = z.input<typeof BankQuestionItemSchema>;
/** An item of `POST /quizzes` or `PATCH /quizzes/:id`: a written question or a bank question by id. */
export type QuizItemInput = z.input<typeof QuizItemInputSchema>;
/** A validated item. */
export type ParsedQuizItem = z.output<typeof QuizItemInputSchema>;
/** A validated question, before it gets its stored shape. */
export type ParsedQuizQuestion = z.output<typeof QuizQuestionInputSchema>;
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;
export type LearnerQuizQuestion = z.infer<typeof LearnerQuizQuestionSchema>;
