import { z } from "zod";
import { UuidSchema } from "./common.js";

/**
 * The questions a quiz holds. They follow the shared bank's question model
 * (branch `questions`, `contracts/questions.ts`): the same type names and the
 * same field names (`prompt`, `options[{id, text}]`, `answer`, `explanation`,
 * `topic`, `difficulty`), restricted to the three types a quiz written from
 * an uploaded document needs: multiple choice, multi-select and numeric
 * entry. Bank-only fields (`externalId`, `bank`, `tags`) are absent; `source`
 * (the sentence of the document a generated question rests on) is quiz-only.
 *
 * When the bank's contract lands, these per-type schemas can be replaced by
 * its inputs minus the bank-only fields, keeping this file's exports.
 */

export const QUIZ_QUESTION_TYPES = ["multiple_choice", "multi_select", "numeric_entry"] as const;

export const QuizQuestionTypeSchema = z.enum(QUIZ_QUESTION_TYPES).meta({ id: "QuizQuestionType" });

const noNul = (value: string) => !value.includes("\u0000");

function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, "Must not be empty.")
    .max(max)
    .refine(noNul, "Text may not contain NUL characters.");
}

/** Option ids are what answers name: short, case-sensitive, no spaces (as in the bank). */
export const QuizOptionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,16}$/, "Use 1-16 letters, digits, '-' or '_'.");

const OptionInputSchema = z.strictObject({ id: QuizOptionIdSchema, text: text(2_000) });

/** A number as written: integer, decimal or fraction (`-2`, `0.75`, `3/4`). */
const NumericTextSchema = z
  .union([z.number().refine(Number.isFinite, "Must be finite."), z.string().trim()])
  .transform((value) => (typeof value === "number" ? String(value) : value))
  .pipe(
    z
      .string()
      .regex(
        /^-?(\d+(\.\d+)?|\.\d+|\d+\/[1-9]\d*)$/,
        "Must be a number or a fraction such as 0.75, -2 or 3/4.",
      ),
  );

const common = {
  /** Keep a question's id when editing a draft; new questions get one. */
  id: UuidSchema.optional(),
  prompt: text(5_000),
  explanation: text(5_000).optional(),
  topic: text(100).optional(),
  difficulty: z.number().int().min(1).max(5).optional(),
  /** For generated questions: the passage of the source document the answer rests on. */
  source: text(2_000).optional(),
};

type Ctx = z.RefinementCtx;

function optionIds(options: readonly { id: string }[], ctx: Ctx): Set<string> {
  const seen = new Set<string>();
  options.forEach((option, i) => {
    if (seen.has(option.id))
      ctx.addIssue({
        code: "custom",
        path: ["options", i, "id"],
        message: "Option ids must be unique.",
      });
    seen.add(option.id);
  });
  return seen;
}

const MultipleChoiceInput = z
  .strictObject({
    ...common,
    type: z.literal("multiple_choice"),
    options: z.array(OptionInputSchema).min(2).max(10),
    answer: QuizOptionIdSchema,
  })
  .superRefine((q, ctx) => {
    if (!optionIds(q.options, ctx).has(q.answer))
      ctx.addIssue({
        code: "custom",
        path: ["answer"],
        message: `"${q.answer}" is not one of the option ids.`,
      });
  });

const MultiSelectInput = z
  .strictObject({
    ...common,
    type: z.literal("multi_select"),
    options: z.array(OptionInputSchema).min(2).max(10),
    answer: z.array(QuizOptionIdSchema).min(1, "Select at least one option."),
  })
  .superRefine((q, ctx) => {
    const ids = optionIds(q.options, ctx);
    if (new Set(q.answer).size !== q.answer.length)
      ctx.addIssue({ code: "custom", path: ["answer"], message: "Answer ids must be unique." });
    q.answer.forEach((id, i) => {
      if (!ids.has(id))
        ctx.addIssue({
          code: "custom",
          path: ["answer", i],
          message: `"${id}" is not one of the option ids.`,
        });
    });
  });

const NumericEntryInput = z.strictObject({
  ...common,
  type: z.literal("numeric_entry"),
  answer: NumericTextSchema,
  tolerance: z.number().min(0).refine(Number.isFinite, "Must be finite.").optional(),
});

/** One question in `POST /quizzes` or `PATCH /quizzes/:id`, and what generation must produce. */
export const QuizQuestionInputSchema = z
  .discriminatedUnion("type", [MultipleChoiceInput, MultiSelectInput, NumericEntryInput], {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `type must be one of: ${QUIZ_QUESTION_TYPES.join(", ")}.`
        : undefined,
  })
  .meta({ id: "QuizQuestionInput" });

// ─── output: the staff view and the learner view ─────────────────────────────

const OptionSchema = z.object({ id: z.string(), text: z.string() }).meta({ id: "QuizOption" });

const commonOutput = {
  id: UuidSchema,
  prompt: z.string(),
  explanation: z.string().nullable(),
  topic: z.string().nullable(),
  difficulty: z.number().int().nullable(),
  source: z.string().nullable(),
};

const outputs = {
  multiple_choice: z.object({
    ...commonOutput,
    type: z.literal("multiple_choice"),
    options: z.array(OptionSchema),
    answer: z.string(),
  }),
  multi_select: z.object({
    ...commonOutput,
    type: z.literal("multi_select"),
    options: z.array(OptionSchema),
    answer: z.array(z.string()),
  }),
  numeric_entry: z.object({
    ...commonOutput,
    type: z.literal("numeric_entry"),
    answer: z.string(),
    tolerance: z.number().nullable(),
  }),
};

/** A quiz question as admins and instructors see it: with its answer. */
export const QuizQuestionSchema = z
  .discriminatedUnion("type", [
    outputs.multiple_choice,
    outputs.multi_select,
    outputs.numeric_entry,
  ])
  .meta({ id: "QuizQuestion" });

const hidden = { answer: true, explanation: true, source: true } as const;

/**
 * Students and parents: no `answer`, no `explanation`, no `source` (the
 * source sentence gives the answer away). Output objects strip unknown
 * keys, so parsing a full question through it drops them.
 */
export const LearnerQuizQuestionSchema = z
  .discriminatedUnion("type", [
    outputs.multiple_choice.omit(hidden),
    outputs.multi_select.omit(hidden),
    outputs.numeric_entry.omit({ ...hidden, tolerance: true }),
  ])
  .meta({ id: "LearnerQuizQuestion" });

export type QuizQuestionType = z.infer<typeof QuizQuestionTypeSchema>;
/** What a client may send (numbers allowed for numeric answers). */
export type QuizQuestionInput = z.input<typeof QuizQuestionInputSchema>;
/** A validated question, before it gets its stored shape. */
export type ParsedQuizQuestion = z.output<typeof QuizQuestionInputSchema>;
export type QuizQuestion = z.infer<typeof QuizQuestionSchema>;
export type LearnerQuizQuestion = z.infer<typeof LearnerQuizQuestionSchema>;
