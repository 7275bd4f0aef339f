import type { Actor } from "./actor.js";
import { courseRules } from "./courses.js";

/**
 * Which submissions an actor may see:
 * - admin: all
 * - instructor: submissions to assignments of courses they teach
 * - student: their own
 * - parent: their linked students'
 */
export type SubmissionScope =
  | { readonly kind: "all" }
  | { readonly kind: "taughtBy"; readonly instructorId: string }
  | { readonly kind: "student"; readonly studentId: string }
  | { readonly kind: "linkedStudents"; readonly parentId: string };

export function submissionReadScope(actor: Actor): SubmissionScope {
  switch (actor.role) {
    case "admin":
      return { kind: "all" };
    case "instructor":
      return { kind: "taughtBy", instructorId: actor.userId };
    case "student":
      return { kind: "student", studentId: actor.userId };
    case "parent":
      return { kind: "linkedStudents", parentId: actor.userId };
  }
}

export const submissionRules = {
  /** Only a student submits, and only to an assignment of a course they are enrolled in. */
  create: (actor: Actor, enrolled: boolean) => actor.role === "student" && enrolled,
  grade: (actor: Actor, course: { readonly instructorId: string }) =>
    courseRules.manage(actor, course),
} as const;
