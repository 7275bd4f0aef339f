import type { Actor } from "./actor.js";

/**
 * Which users an actor may see:
 * - admin: everyone in the academy
 * - instructor: self and the students enrolled in courses they teach
 * - student: self
 * - parent: self and the students linked to them
 */
export type UserScope =
  | { readonly kind: "all" }
  | { readonly kind: "self"; readonly userId: string }
  | { readonly kind: "selfAndTaughtStudents"; readonly instructorId: string }
  | { readonly kind: "selfAndLinkedStudents"; readonly parentId: string };

export function userReadScope(actor: Actor): UserScope {
  switch (actor.role) {
    case "admin":
      return { kind: "all" };
    case "instructor":
      return { kind: "selfAndTaughtStudents", instructorId: actor.userId };
    case "student":
      return { kind: "self", userId: actor.userId };
    case "parent":
      return { kind: "selfAndLinkedStudents", parentId: actor.userId };
  }
}

export const userRules = {
  create: (actor: Actor) => actor.role === "admin",
  /** Admins edit anyone; every user edits themself (name, password: never role). */
  update: (actor: Actor, targetId: string) => actor.role === "admin" || actor.userId === targetId,
  /**
   * Only admins change emails, their own included: answering "taken" to anyone
   * else would let them test which addresses the academy has.
   */
  changeEmail: (actor: Actor) => actor.role === "admin",
  /** Admins delete others; deleting oneself would strand an academy without its admin. */
  delete: (actor: Actor, targetId: string) => actor.role === "admin" && actor.userId !== targetId,
} as const;
