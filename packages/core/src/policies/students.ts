import type { Actor } from "./actor.js";
import type { UserScope } from "./users.js";
import { userReadScope } from "./users.js";

/**
 * Who may see a student's learning record (weak spots, study plan, parent
 * summary: `/students/:id/*`), by API.md's visibility:
 * - admin: every student of the academy
 * - instructor: the students enrolled in a (live) course they teach
 * - student: themself
 * - parent: the students linked to them
 * Anyone else is told the student does not exist (404).
 *
 * This is the users' read scope (`policies/users.ts`) restricted to
 * students: "their students" means the same here as on `GET /users/:id`.
 */
export function studentReadScope(actor: Actor): UserScope {
  return userReadScope(actor);
}
