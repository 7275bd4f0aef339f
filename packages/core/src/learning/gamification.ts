import { sql } from "kysely";
import { NotFoundError } from "../errors.js";
import type { TenantDb } from "../tenancy/context.js";

/**
 * XP, streaks and badges (docs/learning-plans.md). The rules are data, so
 * the docs, the API and the tests read the same table.
 *
 * XP is a pure function of what the student did, recomputed from the source
 * rows on every award: so awarding one submission twice cannot give its XP
 * twice, and a row the award missed is counted at the next one.
 * - an assignment submission: {@link XP_RULES.submission} XP;
 * - a quiz submission: {@link XP_RULES.quizBase} + up to {@link XP_RULES.quizScore} XP by score share;
 * - a practice-set answer: {@link XP_RULES.practiceCorrect} XP when right;
 * - a finished mock exam: {@link XP_RULES.mockExam} XP;
 * - streaks: the streak badges' bonus XP.
 * The streak is kept in `gamification.streak_days` and `last_active_on`
 * (UTC days): the event's day is its source row's time, so a repeated award
 * for the same row never moves the streak.
 */
export const XP_RULES = {
  submission: 10,
  quizBase: 5,
  quizScore: 20,
  /** Per right answer in a practice set (docs/learning.md, "Practice sets"). */
  practiceCorrect: 2,
  /** Per finished mock exam. */
  mockExam: 20,
  /** XP per level: level 1 at 0 XP, level 2 at 100 XP, and so on. */
  perLevel: 100,
} as const;

export type BadgeId =
  | "first-submission"
  | "first-quiz"
  | "perfect-quiz"
  | "streak-3"
  | "streak-7"
  | "xp-100"
  | "xp-500";

export interface BadgeRule {
  readonly id: BadgeId;
  readonly name: string;
  readonly description: string;
  /** XP the badge itself is worth (the streak badges: the XP a streak earns). */
  readonly bonusXp: number;
}

/** Every badge, in the order they are shown. A badge once earned is kept. */
export const BADGE_RULES: readonly BadgeRule[] = [
  {
    id: "first-submission",
    name: "First submission",
    description: "Submitted a first assignment.",
    bonusXp: 0,
  },
  { id: "first-quiz", name: "First quiz", description: "Submitted a first quiz.", bonusXp: 0 },
  {
    id: "perfect-quiz",
    name: "Perfect quiz",
    description: "Scored full marks on a quiz.",
    bonusXp: 0,
  },
  {
    id: "streak-3",
    name: "3-day streak",
    description: "Active on 3 consecutive UTC days.",
    bonusXp: 15,
  },
  {
    id: "streak-7",
    name: "7-day streak",
    description: "Active on 7 consecutive UTC days.",
    bonusXp: 50,
  },
  { id: "xp-100", name: "100 XP", description: "Reached 100 XP.", bonusXp: 0 },
  { id: "xp-500", name: "500 XP", description: "Reached 500 XP.", bonusXp: 0 },
];

/** What the student did; the source row must already exist in this transaction. */
export type ActivityEvent =
  | { readonly kind: "submission"; readonly submissionId: string }
  | { readonly kind: "quiz"; readonly quizSubmissionId: string }
  | { readonly kind: "practice"; readonly practiceItemId: string }
  | { readonly kind: "mockExam"; readonly mockExamId: string };

/** A stored badge: which one and when it was earned. */
export interface EarnedBadge {
  readonly id: BadgeId;
  readonly awardedAt: string;
}

export interface GamificationState {
  readonly xp: number;
  readonly level: number;
  readonly streakDays: number;
  /** The UTC day (YYYY-MM-DD) of the last activity, or null before any. */
  readonly lastActiveOn: string | null;
  readonly badges: readonly EarnedBadge[];
}

const BADGE_IDS = new Set<string>(BADGE_RULES.map((b) => b.id));
const DAY_MS = 86_400_000;

export const levelOf = (xp: number): number => Math.floor(xp / XP_RULES.perLevel) + 1;

const utcDay = (at: Date): string => at.toISOString().slice(0, 10);
const dayNumber = (day: string): number => Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** The streak after activity on `day`, from the last active day and the streak then. */
export function nextStreak(
  last: string | null,
  streak: number,
  day: string,
): { streakDays: number; lastActiveOn: string } {
  if (last === null) return { streakDays: 1, lastActiveOn: day };
  const gap = dayNumber(day) - dayNumber(last);
  if (gap <= 0) return { streakDays: Math.max(streak, 1), lastActiveOn: last };
  if (gap === 1) return { streakDays: streak + 1, lastActiveOn: day };
  return { streakDays: 1, lastActiveOn: day };
}

/** Stored badges that are well formed (JSONB written by hand could hold anything). */
export function storedBadges(value: unknown): EarnedBadge[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (item === null || typeof item !== "object") return [];
    const { id, awardedAt } = item as { id?: unknown; awardedAt?: unknown };
    return typeof id === "string" && BADGE_IDS.has(id) && typeof awardedAt === "string"
      ? [{ id: id as BadgeId, awardedAt }]
      : [];
  });
}

async function sourceTime(trx: TenantDb, studentId: string, event: ActivityEvent): Promise<Date> {
  switch (event.kind) {
    case "submission": {
      const row = await trx
        .selectFrom("submissions")
        .select("submitted_at")
        .where("id", "=", event.submissionId)
        .where("student_id", "=", studentId)
        .executeTakeFirst();
      if (!row) throw new NotFoundError("Submission");
      return new Date(row.submitted_at);
    }
    case "quiz": {
      const row = await trx
        .selectFrom("quiz_submissions")
        .select("submitted_at")
        .where("id", "=", event.quizSubmissionId)
        .where("student_id", "=", studentId)
        .executeTakeFirst();
      if (!row) throw new NotFoundError("Quiz submission");
      return new Date(row.submitted_at);
    }
    case "practice": {
      const row = await trx
        .selectFrom("practice_set_items as i")
        .innerJoin("practice_sets as ps", "ps.id", "i.practice_set_id")
        .select("i.answered_at")
        .where("i.id", "=", event.practiceItemId)
        .where("ps.student_id", "=", studentId)
        .executeTakeFirst();
      if (!row?.answered_at) throw new NotFoundError("Practice answer");
      return new Date(row.answered_at);
    }
    case "mockExam": {
      const row = await trx
        .selectFrom("mock_exams")
        .select("finished_at")
        .where("id", "=", event.mockExamId)
        .where("student_id", "=", studentId)
        .executeTakeFirst();
      if (!row?.finished_at) throw new NotFoundError("Mock exam");
      return new Date(row.finished_at);
    }
  }
}

/**
 * Awards a student's activity, in the caller's tenant transaction (the one
 * that wrote the submission): locks the student's gamification row, moves
 * the streak by the source row's UTC day, recomputes XP from the student's
 * submissions and quiz submissions, and adds the badges now earned.
 * Idempotent per source row.
 *
 * @example
 * const submission = await trx.insertInto("submissions").values(...).returning("id").executeTakeFirstOrThrow();
 * await awardActivity(trx, studentId, { kind: "submission", submissionId: submission.id });
 * // quiz submissions: await awardActivity(trx, studentId, { kind: "quiz", quizSubmissionId });
 */
export async function awardActivity(
  trx: TenantDb,
  studentId: string,
  event: ActivityEvent,
  options: { readonly now?: Date } = {},
): Promise<GamificationState> {
  const day = utcDay(await sourceTime(trx, studentId, event));
  const now = options.now ?? new Date();

  await trx
    .insertInto("gamification")
    .values({ student_id: studentId, badges: "[]", updated_at: now })
    .onConflict((oc) => oc.columns(["tenant_id", "student_id"]).doNothing())
    .execute();
  const row = await trx
    .selectFrom("gamification")
    .select(["streak_days", "badges", sql<string | null>`last_active_on::text`.as("last_on")])
    .where("student_id", "=", studentId)
    .forUpdate()
    .executeTakeFirstOrThrow();

  const streak = nextStreak(row.last_on, row.streak_days, day);
  const counts = await activityCounts(trx, studentId);
  const held = new Map(storedBadges(row.badges).map((b) => [b.id, b]));
  const at = now.toISOString();
  const earn = (id: BadgeId, earned: boolean) => {
    if (earned && !held.has(id)) held.set(id, { id, awardedAt: at });
  };
  earn("first-submission", counts.submissions > 0);
  earn("first-quiz", counts.quizzes > 0);
  earn("perfect-quiz", counts.perfectQuiz);
  earn("streak-3", streak.streakDays >= 3);
  earn("streak-7", streak.streakDays >= 7);
  const bonus = () =>
    BADGE_RULES.reduce((sum, rule) => sum + (held.has(rule.id) ? rule.bonusXp : 0), 0);
  let xp = counts.activityXp + bonus();
  earn("xp-100", xp >= 100);
  earn("xp-500", xp >= 500);
  xp = counts.activityXp + bonus();

  const badges = BADGE_RULES.flatMap((rule) => {
    const badge = held.get(rule.id);
    return badge ? [badge] : [];
  });
  await trx
    .updateTable("gamification")
    .set({
      xp,
      streak_days: streak.streakDays,
      last_active_on: streak.lastActiveOn,
      badges: JSON.stringify(badges),
      updated_at: now,
    })
    .where("student_id", "=", studentId)
    .execute();
  return {
    xp,
    level: levelOf(xp),
    streakDays: streak.streakDays,
    lastActiveOn: streak.lastActiveOn,
    badges,
  };
}

async function activityCounts(trx: TenantDb, studentId: string) {
  const submissions = await trx
    .selectFrom("submissions")
    .select(sql<string>`count(*)`.as("n"))
    .where("student_id", "=", studentId)
    .executeTakeFirstOrThrow();
  const quizzes = await trx
    .selectFrom("quiz_submissions")
    .select([
      sql<string>`count(*)`.as("n"),
      sql<string | null>`sum(${XP_RULES.quizBase} + case when max_score > 0
        -- numeric, so a half rounds up as the docs say (double precision rounds half to even)
        then round((${XP_RULES.quizScore} * least(greatest(score, 0), max_score) / max_score)::numeric)
        else 0 end)`.as("xp"),
      sql<boolean | null>`bool_or(max_score > 0 and score >= max_score)`.as("perfect"),
    ])
    .where("student_id", "=", studentId)
    .executeTakeFirstOrThrow();
  const practice = await trx
    .selectFrom("practice_set_items as i")
    .innerJoin("practice_sets as ps", "ps.id", "i.practice_set_id")
    .select(sql<string>`count(*)`.as("n"))
    .where("ps.student_id", "=", studentId)
    .where("i.correct", "=", true)
    .executeTakeFirstOrThrow();
  const mockExams = await trx
    .selectFrom("mock_exams")
    .select(sql<string>`count(*)`.as("n"))
    .where("student_id", "=", studentId)
    .where("status", "=", "finished")
    .executeTakeFirstOrThrow();
  const submissionCount = Number(submissions.n);
  return {
    submissions: submissionCount,
    quizzes: Number(quizzes.n),
    perfectQuiz: quizzes.perfect === true,
    activityXp:
      submissionCount * XP_RULES.submission +
      Number(quizzes.xp ?? 0) +
      Number(practice.n) * XP_RULES.practiceCorrect +
      Number(mockExams.n) * XP_RULES.mockExam,
  };
}

/**
 * The student's state (zero before any activity). The streak shown is the
 * live one: 0 once a whole UTC day has passed without activity. Visibility
 * is the caller's.
 */
export async function gamificationOf(
  trx: TenantDb,
  studentId: string,
  now: Date = new Date(),
): Promise<GamificationState> {
  const row = await trx
    .selectFrom("gamification")
    .select(["xp", "streak_days", "badges", sql<string | null>`last_active_on::text`.as("last_on")])
    .where("student_id", "=", studentId)
    .executeTakeFirst();
  if (!row) return { xp: 0, level: 1, streakDays: 0, lastActiveOn: null, badges: [] };
  return {
    xp: row.xp,
    level: levelOf(row.xp),
    streakDays:
      row.last_on !== null && dayNumber(utcDay(now)) - dayNumber(row.last_on) <= 1
        ? row.streak_days
        : 0,
    lastActiveOn: row.last_on,
    badges: storedBadges(row.badges),
  };
}
