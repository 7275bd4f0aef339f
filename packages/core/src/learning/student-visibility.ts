import { sql } from "kysely";
import { NotFoundError } from "../errors.js";
import type { Actor } from "../policies/actor.js";
import type { TenantDb } from "../tenancy/context.js";

/**
 * Who may see a student's learning data (study plan, summary, XP), exactly
 * as API.md says: an academy admin (any student of the academy), an
 * instructor (a student enrolled in a non-deleted course they teach), the
 * student themself, a parent linked to the student. Everyone else, and any
 * id that is not a live student of this academy, gets the same 404.
 *
 * This is the one place the learning routes ask the question; the shared
 * check of `policies/students.ts` replaces it at merge (one edit here).
 *
 * @example
 * await assertCanSeeStudent(trx, actor, studentId); // NotFoundError("Student") otherwise
 */
export async function canSeeStudent(
  trx: TenantDb,
  actor: Actor,
  studentId: string,
): Promise<boolean> {
  let query = trx
    .selectFrom("users as u")
    .select("u.id")
    .where("u.id", "=", studentId)
    .where("u.role", "=", "student")
    .where("u.deleted_at", "is", null);
  switch (actor.role) {
    case "admin":
      break;
    case "student":
      query = query.where("u.id", "=", actor.userId);
      break;
    case "instructor":
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom("enrollments as se")
            .innerJoin("courses as sc", "sc.id", "se.course_id")
            .select(sql.lit(1).as("one"))
            .whereRef("se.student_id", "=", "u.id")
            .where("sc.instructor_id", "=", actor.userId)
            .where("sc.deleted_at", "is", null),
        ),
      );
      break;
    case "parent":
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom("parent_links as spl")
            .select(sql.lit(1).as("one"))
            .whereRef("spl.student_id", "=", "u.id")
            .where("spl.parent_id", "=", actor.userId),
        ),
      );
      break;
  }
  return (await query.executeTakeFirst()) !== undefined;
}

/** Throws the 404 of a student the actor may not see (or that does not exist). */
export async function assertCanSeeStudent(
  trx: TenantDb,
  actor: Actor,
  studentId: string,
): Promise<void> {
  if (!(await canSeeStudent(trx, actor, studentId))) throw new NotFoundError("Student");
}
