import { z } from "zod";
import { numberText, parseNumber } from "../questions/numbers.js";
import { IsoDateTimeSchema, PageQuerySchema, pageOf, UuidSchema } from "./common.js";

// ─── banks and types ─────────────────────────────────────────────────────────

/** The two shared question banks. */
export const QuestionBankSchema = z.enum(["sat", "gre"]).meta({ id: "QuestionBank" });

export const QUESTION_TYPES = [
  "multiple_choice",
  "multi_select",
  "quantitative_comparison",
  "numeric_entry",
  "grid_in",
  "text_completion",
  "sentence_equivalence",
  "select_in_passage",
] as const;

export const QuestionTypeSchema = z.enum(QUESTION_TYPES).meta({ id: "QuestionType" });

/**
 * The types each bank holds: the digital SAT asks multiple choice and
 * student-produced responses (grid-ins); every other type is the GRE's. A
 * grid-in in the GRE bank is almost certainly a mislabelled file, so it is
 * rejected rather than stored.
 */
export const BANK_QUESTION_TYPES: Readonly<Record<QuestionBank, readonly QuestionType[]>> = {
  sat: ["multiple_choice", "grid_in"],
  gre: [
    "multiple_choice",
    "multi_select",
    "quantitative_comparison",
    "numeric_entry",
    "text_completion",
    "sentence_equivalence",
    "select_in_passage",
  ],
};

// ─── sections ────────────────────────────────────────────────────────────────

/** The sections of the two tests: the digital SAT's two, the GRE's two measures. */
export const QUESTION_SECTIONS = ["reading_writing", "math", "verbal", "quantitative"] as const;

export const QuestionSectionSchema = z.enum(QUESTION_SECTIONS).meta({ id: "QuestionSection" });

/** The sections each bank holds. */
export const BANK_SECTIONS: Readonly<Record<QuestionBank, readonly QuestionSection[]>> = {
  sat: ["reading_writing", "math"],
  gre: ["verbal", "quantitative"],
};

/**
 * The section a type decides on its own: a grid-in is SAT math; quantitative
 * comparison and numeric entry are the GRE's quantitative measure; text
 * completion, sentence equivalence and select-in-passage its verbal one.
 * Multiple choice and multi-select occur in both sections of their test, so
 * the file has to say.
 */
export const TYPE_SECTIONS: Readonly<Partial<Record<QuestionType, QuestionSection>>> = {
  grid_in: "math",
  quantitative_comparison: "quantitative",
  numeric_entry: "quantitative",
  text_completion: "verbal",
  sentence_equivalence: "verbal",
  select_in_passage: "verbal",
};

/** Quantitative comparison's four fixed choices, in the GRE's order. */
export const QUANTITATIVE_COMPARISON_CHOICES = [
  { id: "A", text: "Quantity A is greater." },
  { id: "B", text: "Quantity B is greater." },
  { id: "C", text: "The two quantities are equal." },
  { id: "D", text: "The relationship cannot be determined from the information given." },
] as const;

// ─── text format ─────────────────────────────────────────────────────────────

/**
 * How a question's text is written, one format for the whole question (its
 * prompt, passage, options, quantities, sentences and explanation): `plain`
 * text (the default), `markdown` or `html`. Integrators render accordingly.
 * HTML is sanitised on import to an allowlist and markdown's raw HTML is
 * escaped (docs/question-banks.md), so neither can carry a script.
 */
export const QUESTION_TEXT_FORMATS = ["plain", "markdown", "html"] as const;

export const QuestionTextFormatSchema = z
  .enum(QUESTION_TEXT_FORMATS)
  .meta({ id: "QuestionTextFormat" });

// ─── field rules ─────────────────────────────────────────────────────────────

const noNul = (value: string) => !value.includes("\u0000");

/** With the u flag, only a surrogate outside a pair: it has no UTF-8 form. */
const LONE_SURROGATE = /\p{Cs}/u;
const noLoneSurrogate = (value: string) => !LONE_SURROGATE.test(value);
const LONE_SURROGATE_MESSAGE =
  "Text may not contain an unpaired UTF-16 surrogate: it would be stored as U+FFFD.";

/** Trimmed, non-empty text; Postgres cannot store NUL or a lone surrogate, so they are refused here. */
function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, "Must not be empty.")
    .max(max)
    .refine(noNul, "Text may not contain NUL characters.")
    .refine(noLoneSurrogate, LONE_SURROGATE_MESSAGE);
}

/** An inline image's payload: `data:image/png;base64,…` (a Moodle file kept with its question). */
const INLINE_IMAGE = /data:image\/[a-z+.-]{1,20};base64,[A-Za-z0-9+/=]*/gi;

/** Inline images a text may carry, in characters of base64 (about 1.5 MB of image). */
export const INLINE_IMAGES_MAX = 2_000_000;

/**
 * A question text: like `text(max)`, but inline images do not count towards
 * `max`; their payloads together may take {@link INLINE_IMAGES_MAX}
 * characters. One regular-expression pass, linear in the text.
 */
function richText(max: number) {
  return z
    .string()
    .trim()
    .min(1, "Must not be empty.")
    .refine(noNul, "Text may not contain NUL characters.")
    .refine(noLoneSurrogate, LONE_SURROGATE_MESSAGE)
    .superRefine((value, ctx) => {
      let images = 0;
      const visible = value.replace(INLINE_IMAGE, (uri) => {
        images += uri.length;
        return "";
      });
      if (visible.length > max)
        ctx.addIssue({
          code: "custom",
          message: `Too long: at most ${max} characters (inline images aside).`,
        });
      if (images > INLINE_IMAGES_MAX)
        ctx.addIssue({
          code: "custom",
          message: `Inline images take ${images} characters here; at most ${INLINE_IMAGES_MAX}.`,
        });
    });
}

/** Unique per bank; the key imports upsert on. Any printable text without control characters. */
export const ExternalIdSchema = z
  .string()
  .trim()
  .min(1, "Must not be empty.")
  .max(128)
  .regex(/^[^\p{Cc}]+$/u, "Must not contain control characters.");

/** Option ids are what responses name: short, case-sensitive, no spaces. */
export const OptionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,16}$/, "Use 1-16 letters, digits, '-' or '_'.");

const OptionInputSchema = z.strictObject({ id: OptionIdSchema, text: richText(2_000) });

/**
 * A number or fraction as authors write it; a JSON number becomes its text.
 * A codec rather than a transform, so JSON Schema can describe both sides.
 */
const NumericAnswerSchema = z.codec(
  z.union([z.number().refine(Number.isFinite, "Must be finite."), z.string()]),
  z
    .string()
    .refine(
      (text) => parseNumber(text, { exponent: true }) !== undefined,
      "Must be a number or a fraction such as 0.75, -2 or 3/4 (no mixed numbers).",
    ),
  {
    decode: (value) => (typeof value === "number" ? numberText(value) : value.trim()),
    encode: (text) => text,
  },
);

/**
 * The fields every question has, in the bank and in a quiz (`quiz-questions.ts`
 * builds its model from these and the per-type pieces below).
 */
export const QUESTION_COMMON_FIELDS = {
  prompt: richText(20_000),
  topic: text(100),
  standardId: text(100).optional(),
  difficulty: z.number().int().min(1).max(5),
  explanation: richText(20_000).optional(),
  passage: richText(50_000).optional(),
};

const common = {
  externalId: ExternalIdSchema,
  /** Optional in files and batches: the import's bank is used, and a different one is rejected. */
  bank: QuestionBankSchema.optional(),
  /** Optional: inferred from the type where the type decides it (`TYPE_SECTIONS`). */
  section: QuestionSectionSchema.optional(),
  /** How every text of the question is written; `plain` when absent. */
  format: QuestionTextFormatSchema.optional(),
  ...QUESTION_COMMON_FIELDS,
  tags: z
    .array(text(50))
    .max(20)
    .refine((tags) => new Set(tags).size === tags.length, "Tags must be unique.")
    .optional(),
};

type Ctx = z.RefinementCtx;

function uniqueIds(options: readonly { id: string }[], ctx: Ctx, path: (string | number)[]) {
  const seen = new Set<string>();
  options.forEach((option, i) => {
    if (seen.has(option.id))
      ctx.addIssue({
        code: "custom",
        path: [...path, i, "id"],
        message: "Option ids must be unique.",
      });
    seen.add(option.id);
  });
  return seen;
}

function answerIn(ids: ReadonlySet<string>, answer: string, ctx: Ctx, path: (string | number)[]) {
  if (!ids.has(answer))
    ctx.addIssue({ code: "custom", path, message: `"${answer}" is not one of the option ids.` });
}

// ─── each type's own fields and structural rules ─────────────────────────────

const BlankInputSchema = z.strictObject({ options: z.array(OptionInputSchema).min(3).max(5) });

/**
 * Each type's own input fields (beside the common ones). Shared with the
 * quiz question model, so a quiz question and a bank question of one type
 * are validated by the same rules.
 */
export const QUESTION_TYPE_FIELDS = {
  multiple_choice: {
    type: z.literal("multiple_choice"),
    options: z.array(OptionInputSchema).min(2).max(10),
    answer: OptionIdSchema,
  },
  multi_select: {
    type: z.literal("multi_select"),
    options: z.array(OptionInputSchema).min(2).max(10),
    answer: z.array(OptionIdSchema).min(1, "Select at least one option."),
  },
  quantitative_comparison: {
    type: z.literal("quantitative_comparison"),
    quantityA: richText(2_000),
    quantityB: richText(2_000),
    answer: z.enum(["A", "B", "C", "D"]),
  },
  numeric_entry: {
    type: z.literal("numeric_entry"),
    answer: NumericAnswerSchema,
    tolerance: z.number().min(0).refine(Number.isFinite, "Must be finite.").optional(),
  },
  grid_in: {
    type: z.literal("grid_in"),
    /** Every accepted answer; fraction and decimal forms of the same value need only one. */
    answer: z.array(NumericAnswerSchema).min(1).max(10),
  },
  text_completion: {
    type: z.literal("text_completion"),
    blanks: z.array(BlankInputSchema).min(1).max(3),
    answer: z.array(OptionIdSchema).min(1).max(3),
  },
  sentence_equivalence: {
    type: z.literal("sentence_equivalence"),
    options: z.array(OptionInputSchema).length(6, "Sentence equivalence has exactly 6 options."),
    answer: z.array(OptionIdSchema).length(2, "Sentence equivalence has exactly two answers."),
  },
  select_in_passage: {
    type: z.literal("select_in_passage"),
    /** The passage, one entry per sentence, in order; the answer is an index into it. */
    sentences: z.array(richText(2_000)).min(2).max(60),
    answer: z.number().int().min(0),
  },
};

type Options = readonly { readonly id: string }[];

/** The cross-field rules of the types that have them (an answer among the options…). */
export const QUESTION_TYPE_RULES = {
  multiple_choice(q: { readonly options: Options; readonly answer: string }, ctx: Ctx) {
    answerIn(uniqueIds(q.options, ctx, ["options"]), q.answer, ctx, ["answer"]);
  },
  multi_select(q: { readonly options: Options; readonly answer: readonly string[] }, ctx: Ctx) {
    const ids = uniqueIds(q.options, ctx, ["options"]);
    if (new Set(q.answer).size !== q.answer.length)
      ctx.addIssue({ code: "custom", path: ["answer"], message: "Answer ids must be unique." });
    q.answer.forEach((id, i) => {
      answerIn(ids, id, ctx, ["answer", i]);
    });
  },
  text_completion(
    q: {
      readonly blanks: readonly { readonly options: Options }[];
      readonly answer: readonly string[];
    },
    ctx: Ctx,
  ) {
    const perBlank = q.blanks.length === 1 ? 5 : 3;
    const all = new Set<string>();
    q.blanks.forEach((blank, b) => {
      if (blank.options.length !== perBlank) {
        ctx.addIssue({
          code: "custom",
          path: ["blanks", b, "options"],
          message:
            q.blanks.length === 1
              ? "A one-blank text completion has exactly 5 options."
              : "Each blank of a two- or three-blank text completion has exactly 3 options.",
        });
      }
      blank.options.forEach((option, i) => {
        if (all.has(option.id)) {
          ctx.addIssue({
            code: "custom",
            path: ["blanks", b, "options", i, "id"],
            message: "Option ids must be unique across all blanks.",
          });
        }
        all.add(option.id);
      });
    });
    if (q.answer.length !== q.blanks.length) {
      ctx.addIssue({ code: "custom", path: ["answer"], message: "Give one answer per blank." });
      return;
    }
    q.answer.forEach((id, b) => {
      const ids = new Set(q.blanks[b]?.options.map((o) => o.id));
      if (!ids.has(id))
        ctx.addIssue({
          code: "custom",
          path: ["answer", b],
          message: `"${id}" is not an option of blank ${b + 1}.`,
        });
    });
  },
  sentence_equivalence(
    q: { readonly options: Options; readonly answer: readonly string[] },
    ctx: Ctx,
  ) {
    const ids = uniqueIds(q.options, ctx, ["options"]);
    if (q.answer[0] === q.answer[1])
      ctx.addIssue({ code: "custom", path: ["answer"], message: "The two answers must differ." });
    q.answer.forEach((id, i) => {
      answerIn(ids, id, ctx, ["answer", i]);
    });
  },
  select_in_passage(
    q: { readonly sentences: readonly string[]; readonly answer: number },
    ctx: Ctx,
  ) {
    if (q.answer >= q.sentences.length)
      ctx.addIssue({
        code: "custom",
        path: ["answer"],
        message: `Must be a sentence index from 0 to ${q.sentences.length - 1}.`,
      });
  },
};

/** The message of a union given an unknown type. */
export function unknownTypeMessage(types: readonly string[]) {
  return (issue: { readonly code?: string | undefined }) =>
    issue.code === "invalid_union" ? `type must be one of: ${types.join(", ")}.` : undefined;
}

// ─── input: one strict schema per type, with its structural rules ────────────

const F = QUESTION_TYPE_FIELDS;
const R = QUESTION_TYPE_RULES;

/**
 * One question as a file row or an item of `POST /admin/questions/batch`:
 * strict (unknown fields fail), with each type's structural rules.
 * Validate with `validateQuestion` (core) to also check the bank.
 */
export const QuestionInputSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ ...common, ...F.multiple_choice }).superRefine(R.multiple_choice),
      z.strictObject({ ...common, ...F.multi_select }).superRefine(R.multi_select),
      z.strictObject({ ...common, ...F.quantitative_comparison }),
      z.strictObject({ ...common, ...F.numeric_entry }),
      z.strictObject({ ...common, ...F.grid_in }),
      z.strictObject({ ...common, ...F.text_completion }).superRefine(R.text_completion),
      z.strictObject({ ...common, ...F.sentence_equivalence }).superRefine(R.sentence_equivalence),
      z.strictObject({ ...common, ...F.select_in_passage }).superRefine(R.select_in_passage),
    ],
    { error: unknownTypeMessage(QUESTION_TYPES) },
  )
  .meta({ id: "QuestionInput" });

// ─── output: the stored question, full and learner views ─────────────────────

const OptionSchema = z.object({ id: z.string(), text: z.string() }).meta({ id: "QuestionOption" });

/** The common output fields of a question, in the bank and in a quiz. */
export const QUESTION_COMMON_OUTPUT_FIELDS = {
  prompt: z.string(),
  topic: z.string(),
  standardId: z.string().nullable(),
  difficulty: z.number().int(),
  explanation: z.string().nullable(),
  passage: z.string().nullable(),
};

const commonOutput = {
  id: UuidSchema,
  externalId: z.string(),
  bank: QuestionBankSchema,
  section: QuestionSectionSchema.nullable(),
  format: QuestionTextFormatSchema,
  ...QUESTION_COMMON_OUTPUT_FIELDS,
  tags: z.array(z.string()),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  /** When the question was retired (out of practice, mock exams and quizzes from the bank); null: live. */
  retiredAt: IsoDateTimeSchema.nullable(),
};

/** Each type's own output fields, shared with the quiz question model. */
export const QUESTION_TYPE_OUTPUT_FIELDS = {
  multiple_choice: {
    type: z.literal("multiple_choice"),
    options: z.array(OptionSchema),
    answer: z.string(),
  },
  multi_select: {
    type: z.literal("multi_select"),
    options: z.array(OptionSchema),
    answer: z.array(z.string()),
  },
  quantitative_comparison: {
    type: z.literal("quantitative_comparison"),
    quantityA: z.string(),
    quantityB: z.string(),
    answer: z.enum(["A", "B", "C", "D"]),
  },
  numeric_entry: {
    type: z.literal("numeric_entry"),
    tolerance: z.number().optional(),
    answer: z.string(),
  },
  grid_in: {
    type: z.literal("grid_in"),
    answer: z.array(z.string()),
  },
  text_completion: {
    type: z.literal("text_completion"),
    blanks: z.array(z.object({ options: z.array(OptionSchema) })),
    answer: z.array(z.string()),
  },
  sentence_equivalence: {
    type: z.literal("sentence_equivalence"),
    options: z.array(OptionSchema),
    answer: z.array(z.string()),
  },
  select_in_passage: {
    type: z.literal("select_in_passage"),
    sentences: z.array(z.string()),
    answer: z.number().int(),
  },
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

/** A question of the shared bank as platform users, academy admins and instructors see it. */
export const ExamQuestionSchema = z
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
  .meta({ id: "ExamQuestion" });

const hidden = { answer: true, explanation: true } as const;

/**
 * The view for students and parents: no `answer`, no `explanation`. Output
 * objects strip unknown keys, so parsing a full question through it drops them.
 */
export const LearnerExamQuestionSchema = z
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
  .meta({ id: "LearnerExamQuestion" });

/** Longest `q` (text search) a list takes: the query is parsed and matched in time linear in it. */
export const QUESTION_SEARCH_MAX = 200;

/**
 * `GET /questions`: optional filters, keyset pages in creation order.
 * `externalId` is an exact match (with `bank`, at most one question);
 * `q` is a text search of prompt and passage (web-search syntax: words,
 * `"a phrase"`, `-not`, `or`; English stemming); `retired` decides whether
 * retired questions are left out (default), listed too, or listed alone.
 */
export const QuestionListQuerySchema = PageQuerySchema.extend({
  bank: QuestionBankSchema.optional(),
  type: QuestionTypeSchema.optional(),
  topic: z.string().trim().min(1).max(100).optional(),
  section: QuestionSectionSchema.optional(),
  externalId: ExternalIdSchema.optional(),
  q: z
    .string()
    .trim()
    .min(1, "Must not be empty.")
    .max(QUESTION_SEARCH_MAX)
    .refine(noNul, "Text may not contain NUL characters.")
    .optional(),
  retired: z.enum(["exclude", "include", "only"]).default("exclude"),
}).meta({ id: "QuestionListQuery" });

export const ExamQuestionPageSchema = pageOf(ExamQuestionSchema).meta({ id: "ExamQuestionPage" });
export const LearnerExamQuestionPageSchema = pageOf(LearnerExamQuestionSchema).meta({
  id: "LearnerExamQuestionPage",
});

export type QuestionBank = z.infer<typeof QuestionBankSchema>;
export type QuestionType = z.infer<typeof QuestionTypeSchema>;
export type QuestionSection = z.infer<typeof QuestionSectionSchema>;
export type QuestionTextFormat = z.infer<typeof QuestionTextFormatSchema>;
/** What a file row or batch item may hold (numbers for numeric answers, `bank` and `tags` optional). */
export type QuestionInput = z.input<typeof QuestionInputSchema>;
/**
 * A validated question, ready to store: numeric answers are text, `bank` is
 * the import's. Produced by `validateQuestion` and `readQuestionFile`.
 */
export type Question = z.output<typeof QuestionInputSchema> & { readonly bank: QuestionBank };
export type ExamQuestion = z.infer<typeof ExamQuestionSchema>;
export type LearnerExamQuestion = z.infer<typeof LearnerExamQuestionSchema>;
export type ExamQuestionPage = z.infer<typeof ExamQuestionPageSchema>;
export type LearnerExamQuestionPage = z.infer<typeof LearnerExamQuestionPageSchema>;
export type QuestionListQuery = z.infer<typeof QuestionListQuerySchema>;
export type QuestionListQueryInput = z.input<typeof QuestionListQuerySchema>;
