import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { PlanQuestion, StudyPlanItem } from "../contracts/index.js";
import type { TenantDb } from "../tenancy/context.js";
import { difficultyForSuccess, difficultyPrior, eloExpected } from "./elo.js";
import type { WeakSpotRow } from "./weak-spots.js";

/**
 * How a study plan picks practice (docs/learning-plans.md): for each weak
 * spot, bank questions of that topic whose predicted success for this
 * student is nearest {@link PLAN_RULES.targetSuccess}, leaving out questions
 * the student answered in the last {@link PLAN_RULES.recentDays} days.
 */
export const PLAN_RULES = {
  targetSuccess: 0.75,
  /** Weak spots a plan covers, weakest first. */
  maxTopics: 5,
  questionsPerTopic: 5,
  /** Bank questions per topic considered, nearest the target level first. */
  candidatesPerTopic: 200,
  recentDays: 14,
} as const;

/** The 1-5 bank level whose prior difficulty is `rating` (not rounded). */
const levelFor = (rating: number) => 3 + (rating - difficultyPrior(3)) / 150;

/**
 * A digest of the student's mastery rows: the plan built from them is
 * reused exactly while this stays the same.
 */
export async function masteryBasis(trx: TenantDb, studentId: string): Promise<string> {
  const rows = await trx
    .selectFrom("mastery")
    .select(["topic", "p_known", "attempts", "rating"])
    .where("student_id", "=", studentId)
    .orderBy("topic")
    .execute();
  const hash = createHash("sha256");
  for (const r of rows) hash.update(JSON.stringify([r.topic, r.p_known, r.attempts, r.rating]));
  return `sha256:${hash.digest("hex")}`;
}

/**
 * The plan's items for these weak spots: bank questions chosen by predicted
 * success, in the caller's tenant transaction (the bank is shared; its
 * difficulty here is this academy's `question_ratings`, else the level's prior).
 */
export async function choosePractice(
  trx: TenantDb,
  studentId: string,
  weakSpots: readonly WeakSpotRow[],
  now: Date = new Date(),
): Promise<StudyPlanItem[]> {
  const since = new Date(now.getTime() - PLAN_RULES.recentDays * 86_400_000);
  const items: StudyPlanItem[] = [];
  for (const spot of weakSpots.slice(0, PLAN_RULES.maxTopics)) {
    const target = levelFor(difficultyForSuccess(spot.rating, PLAN_RULES.targetSuccess));
    const candidates = await trx
      .selectFrom("exam_questions as eq")
      .select(["eq.id", "eq.bank", "eq.type", "eq.topic", "eq.difficulty"])
      .where("eq.topic", "=", spot.topic)
      .orderBy(sql`abs(eq.difficulty - ${target}::double precision)`)
      .orderBy("eq.id")
      .limit(PLAN_RULES.candidatesPerTopic)
      .execute();
    const ids = candidates.map((c) => c.id);
    const ratings =
      ids.length === 0
        ? []
        : await trx
            .selectFrom("question_ratings")
            .select(["question_id", "rating"])
            .where("question_id", "in", ids)
            .execute();
    const recent =
      ids.length === 0
        ? []
        : await trx
            .selectFrom("question_attempts")
            .select("question_id")
            .distinct()
            .where("student_id", "=", studentId)
            .where("question_id", "in", ids)
            .where("answered_at", ">=", since)
            .execute();
    const ratingOf = new Map(ratings.map((r) => [r.question_id, r.rating]));
    const attempted = new Set(recent.map((r) => r.question_id));
    const questions: PlanQuestion[] = candidates
      .filter((c) => !attempted.has(c.id))
      .map((c) => ({
        id: c.id,
        bank: c.bank as PlanQuestion["bank"],
        type: c.type as PlanQuestion["type"],
        topic: c.topic,
        difficulty: c.difficulty,
        predictedSuccess: eloExpected(
          spot.rating,
          ratingOf.get(c.id) ?? difficultyPrior(c.difficulty),
        ),
      }))
      .sort(
        (a, b) =>
          Math.abs(a.predictedSuccess - PLAN_RULES.targetSuccess) -
            Math.abs(b.predictedSuccess - PLAN_RULES.targetSuccess) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .slice(0, PLAN_RULES.questionsPerTopic);
    items.push({
      topic: spot.topic,
      mastery: spot.mastery,
      targetSuccess: PLAN_RULES.targetSuccess,
      questions,
    });
  }
  return items;
}
