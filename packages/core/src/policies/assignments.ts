import { type Actor, isStaff } from "./actor.js";
import { courseRules } from "./courses.js";

/**
 * Assignments are visible exactly where their course is (see `courseReadScope`).
 * Staff get the full view; students and parents never see `referenceAnswer`.
 */
export type AssignmentView = "staff" | "learner";

export function assignmentView(actor: Actor): AssignmentView {
  return isStaff(actor) ? "staff" : "learner";
}

export const assignmentRules = {
  create: (actor: Actor, course: { readonly instructorId: string }) =>
    courseRules.manage(actor, course),
} as const;
