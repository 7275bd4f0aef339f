import { sql } from "kysely";
import type { TenantDb } from "../tenancy/context.js";
import { type BktParams, bktUpdate, DEFAULT_BKT_PARAMS } from "./bkt.js";
import { difficultyPrior, ELO_START, eloUpdate } from "./elo.js";

/** One answer a student gave, as the learning model sees it. */
export interface AttemptInput {
  readonly questionId: string;
  readonly topic: string;
  readonly correct: boolean;
  /** The question's 1-5 level, when it has one: the Elo prior of a question not yet rated here. */
  readonly level?: number | undefined;
  readonly timeMs?: number | null | undefined;
  readonly quizSubmissionId?: string | null | undefined;
}

/** A topic's mastery after the attempts were recorded. */
export interface MasteryChange {
  readonly topic: string;
  readonly before: number;
  readonly after: number;
  readonly attempts: number;
  readonly rating: number;
}

interface MasteryState {
  pKnown: number;
  attempts: number;
  rating: number;
  before: number;
}

interface RatingState {
  rating: number;
  attempts: number;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Records a student's answers and updates what the academy knows from them,
 * in the caller's tenant transaction: one `question_attempts` row per answer,
 * the student's mastery of each topic (BKT probability and Elo ability), and
 * each question's Elo difficulty within the academy. Rows are locked in a
 * fixed order (topics, then question ids, sorted), so concurrent submissions
 * serialise on the rows they share instead of deadlocking, and no update is
 * lost.
 *
 * @example
 * await withTenant(db, ctx, (trx) =>
 *   recordAttempts(trx, studentId, [{ questionId, topic: "algebra", correct: false }]),
 * );
 */
export async function recordAttempts(
  trx: TenantDb,
  studentId: string,
  attempts: readonly AttemptInput[],
  options: { readonly at?: Date; readonly params?: BktParams } = {},
): Promise<MasteryChange[]> {
  if (attempts.length === 0) return [];
  const at = options.at ?? new Date();
  const params = options.params ?? DEFAULT_BKT_PARAMS;

  await trx
    .insertInto("question_attempts")
    .values(
      attempts.map((a) => ({
        student_id: studentId,
        question_id: a.questionId,
        quiz_submission_id: a.quizSubmissionId ?? null,
        topic: a.topic,
        correct: a.correct,
        time_ms: a.timeMs ?? null,
        answered_at: at,
      })),
    )
    .execute();

  const topics = [...new Set(attempts.map((a) => a.topic))].sort(byText);
  const questionIds = [...new Set(attempts.map((a) => a.questionId))].sort(byText);
  const levels = new Map(attempts.map((a) => [a.questionId, a.level]));
  const topicOf = new Map(attempts.map((a) => [a.questionId, a.topic]));

  await trx
    .insertInto("mastery")
    .values(
      topics.map((topic) => ({
        student_id: studentId,
        topic,
        p_known: params.pInit,
        attempts: 0,
        rating: ELO_START,
        last_seen_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(["tenant_id", "student_id", "topic"]).doNothing())
    .execute();
  const masteryRows = await trx
    .selectFrom("mastery")
    .select(["topic", "p_known", "attempts", "rating"])
    .where("student_id", "=", studentId)
    .where("topic", "in", topics)
    .orderBy("topic")
    .forUpdate()
    .execute();
  const mastery = new Map<string, MasteryState>(
    masteryRows.map((r) => [
      r.topic,
      { pKnown: r.p_known, attempts: r.attempts, rating: r.rating, before: r.p_known },
    ]),
  );

  await trx
    .insertInto("question_ratings")
    .values(
      questionIds.map((questionId) => ({
        question_id: questionId,
        topic: topicOf.get(questionId) ?? "",
        rating: difficultyPrior(levels.get(questionId) ?? 3),
        attempts: 0,
        updated_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(["tenant_id", "question_id"]).doNothing())
    .execute();
  const ratingRows = await trx
    .selectFrom("question_ratings")
    .select(["question_id", "rating", "attempts"])
    .where("question_id", "in", questionIds)
    .orderBy("question_id")
    .forUpdate()
    .execute();
  const ratings = new Map<string, RatingState>(
    ratingRows.map((r) => [r.question_id, { rating: r.rating, attempts: r.attempts }]),
  );

  for (const attempt of attempts) {
    const topic = mastery.get(attempt.topic);
    const question = ratings.get(attempt.questionId);
    if (!topic || !question) throw new Error("mastery or rating row missing after upsert");
    topic.pKnown = bktUpdate(topic.pKnown, attempt.correct, params);
    const next = eloUpdate({
      ability: topic.rating,
      abilityAttempts: topic.attempts,
      difficulty: question.rating,
      difficultyAttempts: question.attempts,
      correct: attempt.correct,
    });
    topic.rating = next.ability;
    topic.attempts += 1;
    question.rating = next.difficulty;
    question.attempts += 1;
  }

  for (const [topic, state] of mastery) {
    await trx
      .updateTable("mastery")
      .set({
        p_known: state.pKnown,
        attempts: state.attempts,
        rating: state.rating,
        last_seen_at: sql<Date>`greatest(last_seen_at, ${at})`,
      })
      .where("student_id", "=", studentId)
      .where("topic", "=", topic)
      .execute();
  }
  for (const [questionId, state] of ratings) {
    await trx
      .updateTable("question_ratings")
      .set({ rating: state.rating, attempts: state.attempts, updated_at: at })
      .where("question_id", "=", questionId)
      .execute();
  }

  return topics.flatMap((topic) => {
    const state = mastery.get(topic);
    return state
      ? [
          {
            topic,
            before: state.before,
            after: state.pKnown,
            attempts: state.attempts,
            rating: state.rating,
          },
        ]
      : [];
  });
}
