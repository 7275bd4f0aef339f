import { z } from "zod";
import { ProblemFieldErrorSchema } from "./common.js";
import { QuestionBankSchema, type QuestionInput } from "./questions.js";

/**
 * The most questions one `POST /admin/questions/batch` takes (more is a 400).
 * Clients also keep a batch's JSON under {@link QUESTION_BATCH_MAX_BYTES}.
 */
export const QUESTION_BATCH_MAX = 1_000;

/** The batch route's body limit in bytes (larger is a 413); every other route keeps the default. */
export const QUESTION_BATCH_MAX_BYTES = 8 * 1024 * 1024;

/**
 * One item of a batch. Items are checked one by one against `QuestionInput`
 * (see the `ExamQuestion` model): an invalid item is reported in `rejected`
 * by its position, and the others are still imported (unless `strict`).
 */
const QuestionBatchItemSchema = z.record(z.string(), z.unknown()).meta({
  id: "QuestionBatchItem",
  description:
    "A QuestionInput object (externalId, type, prompt, topic, difficulty, answer and the type's fields). Validated per item.",
});

/** `POST /admin/questions/batch`. */
export const QuestionBatchBodySchema = z
  .strictObject({
    bank: QuestionBankSchema,
    questions: z.array(QuestionBatchItemSchema).min(1).max(QUESTION_BATCH_MAX),
    /** Validate and classify (inserted / updated / unchanged) without writing anything. */
    dryRun: z.boolean().optional(),
    /** Any rejected item: write nothing from this batch (the counts are then all 0). */
    strict: z.boolean().optional(),
  })
  .meta({ id: "QuestionBatchBody" });

/** Why one question was not imported. `line` is the source line for file imports. */
export const QuestionRejectionSchema = z
  .object({
    /** 0-based position: in the batch (HTTP) or among the file's questions (file imports). */
    index: z.number().int().min(0),
    line: z.number().int().min(1).optional(),
    externalId: z.string().optional(),
    errors: z.array(ProblemFieldErrorSchema),
  })
  .meta({ id: "QuestionRejection" });

/** One question an import rewrote (or, in a dry run, would rewrite), and which of its fields change. */
export const QuestionUpdateSchema = z
  .object({
    /** 0-based position: in the batch (HTTP) or among the file's questions (file imports). */
    index: z.number().int().min(0),
    line: z.number().int().min(1).optional(),
    externalId: z.string(),
    /** The model's field names: `prompt`, `options`, `answer`, `tolerance`, `explanation`… */
    fields: z.array(z.string()),
  })
  .meta({ id: "QuestionUpdate" });

/**
 * What an import did. Re-importing the same content reports every question
 * `unchanged` and writes nothing; with `dryRun` the counts say what would happen.
 * `updates` (present when something was updated) names each rewritten
 * question and what changed in it: nothing is overwritten unseen.
 */
export const QuestionImportReportSchema = z
  .object({
    inserted: z.number().int().min(0),
    updated: z.number().int().min(0),
    unchanged: z.number().int().min(0),
    rejected: z.array(QuestionRejectionSchema),
    updates: z.array(QuestionUpdateSchema).optional(),
  })
  .meta({ id: "QuestionImportReport" });

export type QuestionBatchBody = z.infer<typeof QuestionBatchBodySchema>;
export type QuestionBatchBodyInput = z.input<typeof QuestionBatchBodySchema>;
/** The batch body with typed questions: what a client should build (the SDK takes this). */
export type QuestionBatchRequest = Omit<QuestionBatchBodyInput, "questions"> & {
  readonly questions: readonly QuestionInput[];
};
export type QuestionRejection = z.infer<typeof QuestionRejectionSchema>;
export type QuestionUpdate = z.infer<typeof QuestionUpdateSchema>;
export type QuestionImportReport = z.infer<typeof QuestionImportReportSchema>;
