import type { Actor } from "./actor.js";

/**
 * Which tutor sessions an actor may see (API.md):
 * - admin: all
 * - instructor: sessions on assignments of courses they teach
 * - student: their own
 * - parent: their linked students'
 * Only the session's own student writes to it.
 */
export type TutorSessionScope =
  | { readonly kind: "all" }
  | { readonly kind: "taughtBy"; readonly instructorId: string }
  | { readonly kind: "student"; readonly studentId: string }
  | { readonly kind: "linkedStudents"; readonly parentId: string };

export function tutorSessionReadScope(actor: Actor): TutorSessionScope {
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

export const tutorSessionRules = {
  /** A student opens sessions, on assignments they can see (their enrolled courses'). */
  create: (actor: Actor) => actor.role === "student",
  /** Only the session's own student talks to the tutor in it. */
  message: (actor: Actor, session: { readonly studentId: string }) =>
    actor.role === "student" && actor.userId === session.studentId,
} as const;
