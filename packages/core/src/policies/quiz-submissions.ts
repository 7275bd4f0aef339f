import type { Actor } from "./actor.js";

/**
 * Which quiz submissions an actor may see (API.md, "Visibility"):
 * - admin: all
 * - instructor: submissions to quizzes of the courses they teach, and to
 *   academy-wide quizzes they wrote (the quizzes they manage)
 * - student: their own
 * - parent: their linked students'
 * Submissions to a quiz of a soft-deleted course are hidden from everyone.
 */
export type QuizSubmissionScope =
  | { readonly kind: "all" }
  | { readonly kind: "taughtOrAuthored"; readonly instructorId: string }
  | { readonly kind: "student"; readonly studentId: string }
  | { readonly kind: "linkedStudents"; readonly parentId: string };

export function quizSubmissionReadScope(actor: Actor): QuizSubmissionScope {
  switch (actor.role) {
    case "admin":
      return { kind: "all" };
    case "instructor":
      return { kind: "taughtOrAuthored", instructorId: actor.userId };
    case "student":
      return { kind: "student", studentId: actor.userId };
    case "parent":
      return { kind: "linkedStudents", parentId: actor.userId };
  }
}

export const quizSubmissionRules = {
  /**
   * Only a student submits, and only to a published quiz they can see (of a
   * course they are enrolled in, or academy-wide): the quiz read scope.
   */
  create: (actor: Actor, quiz: { readonly status: string }) =>
    actor.role === "student" && quiz.status === "published",
} as const;
