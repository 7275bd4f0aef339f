import { GamificationSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { Gamification } from "../types/models.js";

/** XP, level, streak and badges (rules: docs/learning-plans.md). */
export class GamificationResource extends APIResource {
  /**
   * The signed-in student's own (other roles: `PermissionError`).
   *
   * @example
   * const { xp, streakDays, badges } = await asStudent.gamification.me();
   */
  me(options?: RequestOptions): APIPromise<Gamification> {
    return this.request(
      { method: "GET", path: "/gamification/me", schema: GamificationSchema },
      options,
    );
  }

  /**
   * A student's, for whoever may see the student (admins, their instructors, self, linked parents).
   *
   * @example
   * const child = await asParent.gamification.forStudent(childId);
   */
  forStudent(studentId: string, options?: RequestOptions): APIPromise<Gamification> {
    return this.request(
      {
        method: "GET",
        path: `/students/${segment(studentId)}/gamification`,
        schema: GamificationSchema,
      },
      options,
    );
  }
}
