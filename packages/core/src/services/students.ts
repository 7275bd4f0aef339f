import { NotFoundError } from "../errors.js";
import type { Actor } from "../policies/actor.js";
import { studentReadScope } from "../policies/students.js";
import type { TenantDb } from "../tenancy/context.js";
import { userScopeFilter } from "./scopes.js";

/**
 * Throws `NotFoundError("Student")` unless `studentId` is a live student of
 * the transaction's academy whom `actor` may see (`policies/students.ts`):
 * admins, the student's instructors, the student, linked parents. Another
 * academy's student, a hidden one and an id that is not a student's all
 * answer the same 404. Call it first in every `/students/:id/*` service.
 *
 * @example
 * await assertStudentVisible(trx, actor, studentId);
 * return weakSpotsOf(trx, studentId);
 */
export async function assertStudentVisible(
  trx: TenantDb,
  actor: Actor,
  studentId: string,
): Promise<void> {
  const row = await trx
    .selectFrom("users as u")
    .select("u.id")
    .where("u.id", "=", studentId)
    .where("u.role", "=", "student")
    .where("u.deleted_at", "is", null)
    .where((eb) => userScopeFilter(eb, studentReadScope(actor)))
    .executeTakeFirst();
  if (!row) throw new NotFoundError("Student");
}
