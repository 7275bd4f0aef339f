import type { Actor } from "./actor.js";

/**
 * Which quizzes an actor may see. A quiz belongs to a course, or to no
 * course (academy-wide):
 * - admin: all
 * - instructor: quizzes of the courses they teach, and academy-wide quizzes they wrote
 * - student: published quizzes of their courses, and published academy-wide ones
 * - parent: published quizzes of their linked students' courses, and published academy-wide ones
 * Drafts are staff-only. A soft-deleted course hides its quizzes from everyone.
 */
export type QuizScope =
  | { readonly kind: "all" }
  | { readonly kind: "taughtOrAuthored"; readonly instructorId: string }
  | { readonly kind: "enrolledPublished"; readonly studentId: string }
  | { readonly kind: "linkedPublished"; readonly parentId: string };

export function quizReadScope(actor: Actor): QuizScope {
  switch (actor.role) {
    case "admin":
      return { kind: "all" };
    case "instructor":
      return { kind: "taughtOrAuthored", instructorId: actor.userId };
    case "student":
      return { kind: "enrolledPublished", studentId: actor.userId };
    case "parent":
      return { kind: "linkedPublished", parentId: actor.userId };
  }
}

/** What the write rules need to know about a quiz. */
export interface QuizOwnership {
  /** The instructor of the quiz's course; null for an academy-wide quiz. */
  readonly courseInstructorId: string | null;
  readonly createdBy: string;
}

export const quizRules = {
  /** Admins, for any course or none; instructors, for a course they teach or none. */
  create: (actor: Actor, course: { readonly instructorId: string } | null) =>
    actor.role === "admin" ||
    (actor.role === "instructor" && (course === null || course.instructorId === actor.userId)),
  /** Edit and publish: admins; the course's instructor; the author of an academy-wide quiz. */
  manage: (actor: Actor, quiz: QuizOwnership) =>
    actor.role === "admin" ||
    (actor.role === "instructor" &&
      (quiz.courseInstructorId === null
        ? quiz.createdBy === actor.userId
        : quiz.courseInstructorId === actor.userId)),
} as const;
