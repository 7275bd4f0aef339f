import type { QuizResultsPolicy, ResultsShown } from "../contracts/index.js";
import { type Actor, isStaff } from "./actor.js";

/** A quiz's attempt policy (docs/learning.md, "Attempt policy"). */
export interface QuizAttemptPolicy {
  /** Null: unlimited. */
  readonly allowedAttempts: number | null;
  readonly results: QuizResultsPolicy;
}

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
  /** Another submission is allowed while the student has attempts left. */
  attemptAllowed: (quiz: QuizAttemptPolicy, attemptsUsed: number) =>
    quiz.allowedAttempts === null || attemptsUsed < quiz.allowedAttempts,
  /**
   * What `actor` sees of a student's scored submission, given how many
   * submissions that student has made to the quiz: staff always which
   * questions were right; students and parents as the quiz's `results` says
   * (`after_last_attempt`: only once every allowed attempt is used).
   */
  resultsShown: (actor: Actor, quiz: QuizAttemptPolicy, attemptsUsed: number): ResultsShown => {
    if (isStaff(actor)) return "per_question";
    switch (quiz.results) {
      case "per_question":
        return "per_question";
      case "score_only":
        return "score_only";
      case "after_last_attempt":
        return quiz.allowedAttempts !== null && attemptsUsed >= quiz.allowedAttempts
          ? "per_question"
          : "score_only";
    }
  },
} as const;
