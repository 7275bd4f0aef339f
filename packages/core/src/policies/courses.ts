import type { Actor } from "./actor.js";

/**
 * Which courses an actor may see:
 * - admin: all
 * - instructor: the courses they teach
 * - student: the courses they are enrolled in
 * - parent: the courses their linked students are enrolled in
 */
export type CourseScope =
  | { readonly kind: "all" }
  | { readonly kind: "taughtBy"; readonly instructorId: string }
  | { readonly kind: "enrolled"; readonly studentId: string }
  | { readonly kind: "linkedEnrolled"; readonly parentId: string };

export function courseReadScope(actor: Actor): CourseScope {
  switch (actor.role) {
    case "admin":
      return { kind: "all" };
    case "instructor":
      return { kind: "taughtBy", instructorId: actor.userId };
    case "student":
      return { kind: "enrolled", studentId: actor.userId };
    case "parent":
      return { kind: "linkedEnrolled", parentId: actor.userId };
  }
}

export const courseRules = {
  /** Admins create for any instructor; an instructor only for themself. */
  create: (actor: Actor, instructorId: string) =>
    actor.role === "admin" || (actor.role === "instructor" && actor.userId === instructorId),
  /** Admins and the course's own instructor manage it (assignments, enrollments, edits). */
  manage: (actor: Actor, course: { readonly instructorId: string }) =>
    actor.role === "admin" || (actor.role === "instructor" && actor.userId === course.instructorId),
  /** Handing a course to another instructor is an admin decision. */
  reassign: (actor: Actor) => actor.role === "admin",
  delete: (actor: Actor) => actor.role === "admin",
} as const;
