import { randomUUID } from "node:crypto";
import {
  type LearnerQuizQuestion,
  LearnerQuizQuestionSchema,
  type ParsedQuizQuestion,
  type QuizQuestion,
  QuizQuestionSchema,
} from "../contracts/index.js";
import { parseNumber } from "../questions/numbers.js";

/**
 * How quiz questions sit in `quizzes.questions` (JSONB): each exactly as the
 * staff view (`QuizQuestionSchema`) reads it, with an id and null for every
 * absent optional text field. A copy of a bank question keeps the bank's id
 * as `bankQuestionId` (`services/quiz-bank.ts`); a written one has null.
 */

/** Where a question stored before quiz questions had topics (the three-type stand-in) is filed. */
export const UNFILED_TOPIC = "general";
/** The level such a question gets: the middle of 1-5. */
export const UNFILED_DIFFICULTY = 3;

/** The stored form of a validated question. */
export function toStoredQuestion(question: ParsedQuizQuestion): QuizQuestion {
  const { id, format, standardId, explanation, passage, source, ...rest } = question;
  return {
    ...rest,
    id: id ?? randomUUID(),
    format: format ?? "plain",
    standardId: standardId ?? null,
    explanation: explanation ?? null,
    passage: passage ?? null,
    source: source ?? null,
    bankQuestionId: null,
  } as QuizQuestion;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * A stored item as the staff schema reads it; undefined when it cannot be
 * one (a numeric answer that is not a number cannot be scored, so it is
 * not one either). Items written by the stand-in model (no topic or level, null
 * tolerance, no `standardId` or `passage`) are read with the defaults above.
 */
export function readStoredQuestion(item: unknown): QuizQuestion | undefined {
  const stored = record(item);
  if (!stored) return undefined;
  const upgraded: Record<string, unknown> = {
    ...stored,
    // Quizzes written before questions had a text format hold plain text.
    format: stored.format ?? "plain",
    topic: stored.topic ?? UNFILED_TOPIC,
    difficulty: stored.difficulty ?? UNFILED_DIFFICULTY,
    standardId: stored.standardId ?? null,
    explanation: stored.explanation ?? null,
    passage: stored.passage ?? null,
    source: stored.source ?? null,
    bankQuestionId: stored.bankQuestionId ?? null,
  };
  if (upgraded.tolerance === null) delete upgraded.tolerance;
  const parsed = QuizQuestionSchema.safeParse(upgraded);
  if (!parsed.success) return undefined;
  // The scorer reads numeric answers as numbers: one that is not cannot be scored.
  const question = parsed.data;
  const numbers =
    question.type === "numeric_entry"
      ? [question.answer]
      : question.type === "grid_in"
        ? question.answer
        : [];
  return numbers.every((n) => parseNumber(n, { exponent: true }) !== undefined)
    ? question
    : undefined;
}

/**
 * Students and parents: the question without `answer`, `explanation`,
 * `source` or `bankQuestionId`, for every type.
 */
export function toLearnerQuestion(question: QuizQuestion): LearnerQuizQuestion {
  const {
    answer: _answer,
    explanation: _explanation,
    source: _source,
    bankQuestionId: _bankQuestionId,
    ...shown
  } = question;
  return LearnerQuizQuestionSchema.parse(shown);
}
