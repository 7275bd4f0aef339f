import type { AcademyRole } from "../tenancy/context.js";

/** The signed-in academy user a request acts for (the tenant is the transaction's). */
export interface Actor {
  readonly userId: string;
  readonly role: AcademyRole;
  /**
   * The platform admin acting as this user through impersonation, if any:
   * such an actor may not create or change credentials.
   */
  readonly impersonatorId?: string | null | undefined;
}

/** Staff see an academy's answers and reference material; learners and parents never do. */
export function isStaff(actor: Actor): boolean {
  return actor.role === "admin" || actor.role === "instructor";
}
