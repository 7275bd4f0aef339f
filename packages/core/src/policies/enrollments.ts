import type { Actor } from "./actor.js";
import { courseRules } from "./courses.js";

/** A course's roster is read and changed by admins and the course's instructor only. */
export const enrollmentRules = {
  list: (actor: Actor, course: { readonly instructorId: string }) =>
    courseRules.manage(actor, course),
  create: (actor: Actor, course: { readonly instructorId: string }) =>
    courseRules.manage(actor, course),
} as const;
