import type { Actor } from "./actor.js";
import { studentReadScope } from "./students.js";
import type { UserScope } from "./users.js";

/**
 * Who may see a student's practice sets and mock exams (API.md, "Practice
 * and mock exams": role-filtered as quiz submissions, by the student): the
 * student themself, their linked parents, the instructors of a live course
 * they are enrolled in, and admins; anyone else gets 404. This is the
 * student visibility rule of `/students/:id/*` (`policies/students.ts`),
 * applied to the row's student.
 *
 * Answers and explanations: staff see them for every question of a set;
 * students and parents only for questions already answered.
 */
export function practiceReadScope(actor: Actor): UserScope {
  return studentReadScope(actor);
}

export const practiceRules = {
  /** Only a student starts a practice set or a mock exam, for themself. */
  start: (actor: Actor) => actor.role === "student",
  /** Only the set's (or exam's) own student answers it. */
  answer: (actor: Actor, owner: { readonly studentId: string }) =>
    actor.role === "student" && owner.studentId === actor.userId,
  /** Whether the caller sees answers and explanations of questions not yet answered. */
  seesUnansweredKeys: (actor: Actor) => actor.role === "admin" || actor.role === "instructor",
} as const;
