import { z } from "zod";

/**
 * What a student and their parents see of a scored submission
 * (docs/learning.md, "Attempt policy"):
 * - `per_question`: the score and which questions were right (the default);
 * - `score_only`: the score alone;
 * - `after_last_attempt`: the score alone until the student has used every
 *   allowed attempt, then which questions were right (with unlimited
 *   attempts there is no last one: the score alone).
 * Staff always see per question. Nobody is ever shown the right answers.
 */
export const QuizResultsPolicySchema = z
  .enum(["per_question", "score_only", "after_last_attempt"])
  .meta({ id: "QuizResultsPolicy" });

/** How many submissions a student may make to a quiz; null: unlimited (the default). */
export const AllowedAttemptsSchema = z
  .number()
  .int()
  .min(1)
  .max(100)
  .nullable()
  .meta({ id: "AllowedAttempts" });

/** What one view of a submission carries: `score_only` views have no per-question `correct`. */
export const ResultsShownSchema = z
  .enum(["per_question", "score_only"])
  .meta({ id: "ResultsShown" });

/** The policy fields of `POST /quizzes`, `POST /quizzes/from-bank` and `PATCH /quizzes/:id`. */
export const QUIZ_POLICY_INPUT_FIELDS = {
  allowedAttempts: AllowedAttemptsSchema.optional(),
  results: QuizResultsPolicySchema.optional(),
};

/** The policy as every view of a quiz shows it (learners too: it is their rules). */
export const QUIZ_POLICY_OUTPUT_FIELDS = {
  allowedAttempts: AllowedAttemptsSchema,
  results: QuizResultsPolicySchema,
};

export type QuizResultsPolicy = z.infer<typeof QuizResultsPolicySchema>;
export type ResultsShown = z.infer<typeof ResultsShownSchema>;
