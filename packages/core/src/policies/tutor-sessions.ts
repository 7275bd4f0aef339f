import type { Actor } from "./actor.js";
import { type SubmissionScope, submissionReadScope } from "./submissions.js";

/**
 * Which tutor sessions an actor may see (API.md):
 * - admin: all
 * - instructor: sessions on assignments of courses they teach
 * - student: their own
 * - parent: their linked students'
 * Only the session's own student writes to it.
 */
/** Tutor sessions are a student's own work, seen exactly as submissions are. */
export type TutorSessionScope = SubmissionScope;
export const tutorSessionReadScope: (actor: Actor) => TutorSessionScope = submissionReadScope;

export const tutorSessionRules = {
  /** A student opens sessions, on assignments they can see (their enrolled courses'). */
  create: (actor: Actor) => actor.role === "student",
  /** Only the session's own student talks to the tutor in it. */
  message: (actor: Actor, session: { readonly studentId: string }) =>
    actor.role === "student" && actor.userId === session.studentId,
} as const;
