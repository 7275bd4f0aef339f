import type { Role } from "../contracts/index.js";

/**
 * The shared question bank is read by every signed-in user; what differs is
 * the view. Platform users, academy admins and instructors get the full
 * question; students and parents never get `answer` or `explanation`.
 */
export type QuestionView = "full" | "learner";

export function questionView(role: Role): QuestionView {
  return role === "student" || role === "parent" ? "learner" : "full";
}
