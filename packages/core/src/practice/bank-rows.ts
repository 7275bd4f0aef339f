import type { LearnerExamQuestion, QuizQuestion } from "../contracts/index.js";
import { type ScorableQuestion, type ScoreResult, score } from "../questions/scoring.js";
import { toLearnerExamQuestion } from "../questions/stored-question.js";
import { answerProblem } from "../services/quiz-answers.js";
import type { TenantDb } from "../tenancy/context.js";

/**
 * Bank questions by id, as practice and mock exams serve and score them.
 * Reads by id do not go through the candidate filter (`candidates.ts`): a
 * question already put before a student stays readable and scorable.
 */

const LEARNER_COLUMNS = [
  "eq.id",
  "eq.bank",
  "eq.external_id",
  "eq.type",
  "eq.topic",
  "eq.standard_id",
  "eq.section",
  "eq.format",
  "eq.difficulty",
  "eq.prompt",
  "eq.passage",
  "eq.content",
  "eq.tags",
  "eq.created_at",
  "eq.updated_at",
] as const;

/** The questions as a student sees them (no answer, no explanation), keyed by id. */
export async function learnerQuestions(
  trx: TenantDb,
  ids: readonly string[],
): Promise<Map<string, LearnerExamQuestion>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom("exam_questions as eq")
    .select(LEARNER_COLUMNS)
    .where("eq.id", "in", [...ids])
    .execute();
  return new Map(rows.map((row) => [row.id, toLearnerExamQuestion(row)]));
}

/** What scoring and the reveal need of a question. */
export interface KeyedQuestion {
  readonly id: string;
  readonly bank: string;
  readonly topic: string;
  readonly section: string | null;
  readonly difficulty: number;
  readonly scorable: ScorableQuestion;
  readonly answer: string | number | string[];
  readonly explanation: string | null;
  /** The type's own fields (options, blanks, sentences, tolerance). */
  readonly content: Record<string, unknown>;
}

/**
 * Scores a response with the tests' own rules (`score()`, no partial
 * credit), or says why it cannot be an answer to this question (an option
 * the question does not have, a list for a single choice…): the same checks
 * as a quiz answer's, since the bank and quizzes share the question model.
 */
export function scoreResponse(
  question: KeyedQuestion,
  response: unknown,
): { readonly problem: string } | ScoreResult {
  const problem = answerProblem(
    {
      type: question.scorable.type,
      ...question.content,
      answer: question.answer,
    } as unknown as QuizQuestion,
    response,
  );
  return problem === undefined ? score(question.scorable, response) : { problem };
}

/** The questions with their answers and explanations, keyed by id. */
export async function keyedQuestions(
  trx: TenantDb,
  ids: readonly string[],
): Promise<Map<string, KeyedQuestion>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom("exam_questions as eq")
    .select([
      "eq.id",
      "eq.bank",
      "eq.type",
      "eq.topic",
      "eq.section",
      "eq.difficulty",
      "eq.content",
      "eq.answer",
      "eq.explanation",
    ])
    .where("eq.id", "in", [...ids])
    .execute();
  return new Map(
    rows.map((row) => {
      const tolerance = (row.content as { tolerance?: unknown }).tolerance;
      const scorable = {
        type: row.type,
        answer: row.answer,
        ...(typeof tolerance === "number" ? { tolerance } : {}),
      } as ScorableQuestion;
      return [
        row.id,
        {
          id: row.id,
          bank: row.bank,
          topic: row.topic,
          section: row.section,
          difficulty: row.difficulty,
          scorable,
          answer: row.answer as string | number | string[],
          explanation: row.explanation,
          content: row.content,
        },
      ];
    }),
  );
}
