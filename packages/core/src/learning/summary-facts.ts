import type { SummaryFact } from "../contracts/index.js";
import type { Actor } from "../policies/actor.js";
import { quizSubmissionReadScope } from "../policies/quiz-submissions.js";
import { submissionReadScope } from "../policies/submissions.js";
import { tutorSessionReadScope } from "../policies/tutor-sessions.js";
import {
  quizSubmissionScopeFilter,
  submissionScopeFilter,
  tutorSessionScopeFilter,
} from "../services/scopes.js";
import type { TenantDb } from "../tenancy/context.js";
import { gamificationOf } from "./gamification.js";
import { weakSpotsOf } from "./weak-spots.js";

/** The summary covers the 7 days before it is asked for. */
export const SUMMARY_PERIOD_DAYS = 7;

/** Everything a weekly summary is written from: this student's rows the viewer may read. */
export interface SummaryInput {
  readonly student: { readonly id: string; readonly name: string; readonly email: string };
  readonly period: { readonly from: Date; readonly to: Date };
  readonly facts: readonly SummaryFact[];
  /** Every other user of the academy (deleted ones too): what the text must not name. */
  readonly others: readonly { readonly name: string; readonly email: string }[];
}

const iso = (d: Date | string) => new Date(d).toISOString();
const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * Reads the week's facts of one student, in the caller's tenant transaction,
 * as `viewer` may see them (docs/learning.md, "Scoped aggregates"): grades
 * released in the period, quiz results and tutor use go through the same
 * read scopes as `GET /submissions`, `/quiz-submissions` and
 * `/tutor-sessions` (an instructor: the courses they teach), so a summary
 * never shows a row its reader could not open directly. Weak spots, streak
 * and XP are cross-course by nature (per topic, per student) and name no
 * course. Every query is narrowed to `studentId`; that the viewer may see
 * the student at all is the caller's check (`assertStudentVisible`).
 */
export async function summaryInput(
  trx: TenantDb,
  viewer: Actor,
  studentId: string,
  now: Date = new Date(),
): Promise<SummaryInput> {
  const from = new Date(now.getTime() - SUMMARY_PERIOD_DAYS * 86_400_000);
  const student = await trx
    .selectFrom("users")
    .select(["id", "name", "email"])
    .where("id", "=", studentId)
    .executeTakeFirstOrThrow();
  const facts: SummaryFact[] = [];

  const grades = await trx
    .selectFrom("submissions as s")
    .innerJoin("assignments as a", "a.id", "s.assignment_id")
    .innerJoin("courses as c", "c.id", "a.course_id")
    .select(["a.title", "c.title as course", "s.grade", "a.max_points", "s.graded_at"])
    .where("s.student_id", "=", studentId)
    .where("s.grade", "is not", null)
    .where("s.graded_at", ">=", from)
    .where("s.graded_at", "<=", now)
    .where("a.deleted_at", "is", null)
    .where("c.deleted_at", "is", null)
    .where((eb) => submissionScopeFilter(eb, submissionReadScope(viewer)))
    .orderBy("s.graded_at")
    .execute();
  for (const g of grades) {
    facts.push({
      kind: "grade",
      label: `${g.title} (${g.course})`,
      value: `${num(g.grade ?? 0)} / ${num(g.max_points)}`,
      at: g.graded_at === null ? null : iso(g.graded_at),
    });
  }

  const quizzes = await trx
    .selectFrom("quiz_submissions as qs")
    .innerJoin("quizzes as q", "q.id", "qs.quiz_id")
    .leftJoin("courses as c", "c.id", "q.course_id")
    .select(["q.title", "qs.score", "qs.max_score", "qs.submitted_at"])
    .where("qs.student_id", "=", studentId)
    // As `GET /quiz-submissions`: a soft-deleted course hides its quizzes' results.
    .where((eb) => eb.or([eb("q.course_id", "is", null), eb("c.deleted_at", "is", null)]))
    .where((eb) => quizSubmissionScopeFilter(eb, quizSubmissionReadScope(viewer)))
    .where("qs.submitted_at", ">=", from)
    .where("qs.submitted_at", "<=", now)
    .orderBy("qs.submitted_at")
    .execute();
  for (const q of quizzes) {
    facts.push({
      kind: "quiz",
      label: q.title,
      value: `${num(q.score)} / ${num(q.max_score)}`,
      at: iso(q.submitted_at),
    });
  }

  for (const spot of await weakSpotsOf(trx, studentId)) {
    facts.push({
      kind: "weakSpot",
      label: spot.topic,
      value: `mastery ${Math.round(spot.mastery * 100)}% after ${spot.attempts} attempts`,
      at: iso(spot.lastSeenAt),
    });
  }

  const game = await gamificationOf(trx, studentId, now);
  facts.push({
    kind: "streak",
    label: "current streak",
    value: `${game.streakDays} day${game.streakDays === 1 ? "" : "s"}`,
    at: null,
  });
  facts.push({ kind: "xp", label: "experience points", value: `${game.xp} XP`, at: null });

  const sessions = await trx
    .selectFrom("tutor_sessions as t")
    .innerJoin("assignments as a", "a.id", "t.assignment_id")
    .innerJoin("courses as c", "c.id", "a.course_id")
    .select("t.messages")
    .where("t.student_id", "=", studentId)
    .where("t.updated_at", ">=", from)
    .where("a.deleted_at", "is", null)
    .where("c.deleted_at", "is", null)
    .where((eb) => tutorSessionScopeFilter(eb, tutorSessionReadScope(viewer)))
    .execute();
  let messages = 0;
  let active = 0;
  for (const session of sessions) {
    const asked = (Array.isArray(session.messages) ? session.messages : []).filter((m) => {
      const { role, createdAt } = (m ?? {}) as { role?: unknown; createdAt?: unknown };
      if (role !== "student" || typeof createdAt !== "string") return false;
      const at = Date.parse(createdAt);
      return at >= from.getTime() && at <= now.getTime();
    }).length;
    messages += asked;
    if (asked > 0) active += 1;
  }
  facts.push({
    kind: "tutor",
    label: "AI tutor",
    value: `${messages} message${messages === 1 ? "" : "s"} in ${active} session${active === 1 ? "" : "s"}`,
    at: null,
  });

  const others = await trx
    .selectFrom("users")
    .select(["name", "email"])
    .where("id", "!=", studentId)
    .execute();
  return { student, period: { from, to: now }, facts, others };
}
