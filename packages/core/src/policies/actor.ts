import type { AcademyRole } from "../tenancy/context.js";

/** The signed-in academy user a request acts for (the tenant is the transaction's). */
export interface Actor {
  readonly userId: string;
  readonly role: AcademyRole;
}

/** Staff see an academy's answers and reference material; learners and parents never do. */
export function isStaff(actor: Actor): boolean {
  return actor.role === "admin" || actor.role === "instructor";
}
