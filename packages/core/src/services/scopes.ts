import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { CourseScope } from "../policies/courses.js";
import type { QuizSubmissionScope } from "../policies/quiz-submissions.js";
import type { QuizScope } from "../policies/quizzes.js";
import type { SubmissionScope } from "../policies/submissions.js";
import type { TutorSessionScope } from "../policies/tutor-sessions.js";
import type { UserScope } from "../policies/users.js";

// Scope filters are written against fixed aliases (u = users, c = courses,
// s = submissions, t = tutor sessions) and use Kysely builders for their sub-queries, so the
// tenant-scope plugin stamps those too. Quizzes: q = quizzes, left-joined to c = courses.
// biome-ignore lint/suspicious/noExplicitAny: filters are applied to aliased builders of several shapes.
type AnyEb = ExpressionBuilder<any, any>;

const TRUE = sql<SqlBool>`true`;

export function userScopeFilter(eb: AnyEb, scope: UserScope): Expression<SqlBool> {
  switch (scope.kind) {
    case "all":
      return TRUE;
    case "self":
      return eb("u.id", "=", scope.userId);
    case "selfAndTaughtStudents":
      return eb.or([
        eb("u.id", "=", scope.instructorId),
        eb.exists(
          eb
            .selectFrom("enrollments as se")
            .innerJoin("courses as sc", "sc.id", "se.course_id")
            .select(sql.lit(1).as("one"))
            .whereRef("se.student_id", "=", "u.id")
            .where("sc.instructor_id", "=", scope.instructorId)
            .where("sc.deleted_at", "is", null),
        ),
      ]);
    case "selfAndLinkedStudents":
      return eb.or([
        eb("u.id", "=", scope.parentId),
        eb.exists(
          eb
            .selectFrom("parent_links as spl")
            .select(sql.lit(1).as("one"))
            .whereRef("spl.student_id", "=", "u.id")
            .where("spl.parent_id", "=", scope.parentId),
        ),
      ]);
  }
}

export function courseScopeFilter(eb: AnyEb, scope: CourseScope): Expression<SqlBool> {
  switch (scope.kind) {
    case "all":
      return TRUE;
    case "taughtBy":
      return eb("c.instructor_id", "=", scope.instructorId);
    case "enrolled":
      return eb.exists(
        eb
          .selectFrom("enrollments as se")
          .select(sql.lit(1).as("one"))
          .whereRef("se.course_id", "=", "c.id")
          .where("se.student_id", "=", scope.studentId),
      );
    case "linkedEnrolled":
      return eb.exists(
        eb
          .selectFrom("enrollments as se")
          .innerJoin("parent_links as spl", "spl.student_id", "se.student_id")
          .select(sql.lit(1).as("one"))
          .whereRef("se.course_id", "=", "c.id")
          .where("spl.parent_id", "=", scope.parentId),
      );
  }
}

/**
 * A student's own work (`alias.student_id`), joined to `a` (assignments) and `c`
 * (courses): what submissions and tutor sessions share.
 */
function studentWorkScopeFilter(
  eb: AnyEb,
  scope: SubmissionScope,
  alias: "s" | "t",
): Expression<SqlBool> {
  switch (scope.kind) {
    case "all":
      return TRUE;
    case "taughtBy":
      return eb("c.instructor_id", "=", scope.instructorId);
    case "student":
      return eb(`${alias}.student_id`, "=", scope.studentId);
    case "linkedStudents":
      return eb.exists(
        eb
          .selectFrom("parent_links as spl")
          .select(sql.lit(1).as("one"))
          .whereRef("spl.student_id", "=", `${alias}.student_id`)
          .where("spl.parent_id", "=", scope.parentId),
      );
  }
}

/** Expects `s` (submissions) joined to `a` (assignments) and `c` (courses). */
export function submissionScopeFilter(eb: AnyEb, scope: SubmissionScope): Expression<SqlBool> {
  return studentWorkScopeFilter(eb, scope, "s");
}

/** Expects `t` (tutor_sessions) joined to `a` (assignments) and `c` (courses). */
export function tutorSessionScopeFilter(eb: AnyEb, scope: TutorSessionScope): Expression<SqlBool> {
  return studentWorkScopeFilter(eb, scope, "t");
}

/** Expects `q` (quizzes) left-joined to `c` (courses); a quiz without a course has `c.*` null. */
export function quizScopeFilter(eb: AnyEb, scope: QuizScope): Expression<SqlBool> {
  const published = eb("q.status", "=", "published");
  const academyWide = eb("q.course_id", "is", null);
  switch (scope.kind) {
    case "all":
      return TRUE;
    case "taughtOrAuthored":
      return eb.or([
        eb("c.instructor_id", "=", scope.instructorId),
        eb.and([academyWide, eb("q.created_by", "=", scope.instructorId)]),
      ]);
    case "enrolledPublished":
      return eb.and([
        published,
        eb.or([
          academyWide,
          eb.exists(
            eb
              .selectFrom("enrollments as se")
              .select(sql.lit(1).as("one"))
              .whereRef("se.course_id", "=", "q.course_id")
              .where("se.student_id", "=", scope.studentId),
          ),
        ]),
      ]);
    case "linkedPublished":
      return eb.and([
        published,
        eb.or([
          academyWide,
          eb.exists(
            eb
              .selectFrom("enrollments as se")
              .innerJoin("parent_links as spl", "spl.student_id", "se.student_id")
              .select(sql.lit(1).as("one"))
              .whereRef("se.course_id", "=", "q.course_id")
              .where("spl.parent_id", "=", scope.parentId),
          ),
        ]),
      ]);
  }
}

/**
 * Expects `qs` (quiz_submissions) joined to `q` (quizzes), left-joined to `c`
 * (courses). Instructors see the submissions to the quizzes they manage.
 */
export function quizSubmissionScopeFilter(
  eb: AnyEb,
  scope: QuizSubmissionScope,
): Expression<SqlBool> {
  switch (scope.kind) {
    case "all":
      return TRUE;
    case "taughtOrAuthored":
      return eb.or([
        eb("c.instructor_id", "=", scope.instructorId),
        eb.and([eb("q.course_id", "is", null), eb("q.created_by", "=", scope.instructorId)]),
      ]);
    case "student":
      return eb("qs.student_id", "=", scope.studentId);
    case "linkedStudents":
      return eb.exists(
        eb
          .selectFrom("parent_links as spl")
          .select(sql.lit(1).as("one"))
          .whereRef("spl.student_id", "=", "qs.student_id")
          .where("spl.parent_id", "=", scope.parentId),
      );
  }
}
