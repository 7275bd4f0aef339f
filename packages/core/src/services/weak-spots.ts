import { sql } from "kysely";
import type { CourseWeakSpot, WeakSpot } from "../contracts/index.js";
import { NotFoundError } from "../errors.js";
import { WEAK_SPOT_MASTERY, WEAK_SPOT_MIN_ATTEMPTS, weakSpotsOf } from "../learning/weak-spots.js";
import type { Actor } from "../policies/actor.js";
import { courseRules } from "../policies/courses.js";
import type { TenantDb } from "../tenancy/context.js";
import type { CourseService } from "./courses.js";
import { iso } from "./service-deps.js";
import { assertStudentVisible } from "./students.js";

/**
 * Weak spots (docs/learning.md): a student's topics with mastery below 0.6
 * after at least three attempts, and a course's view of them across its
 * enrolled students.
 */
export class WeakSpotService {
  readonly #courses: CourseService;

  constructor(courses: CourseService) {
    this.#courses = courses;
  }

  /** `GET /students/:id/weak-spots`: weakest first; 404 unless the actor may see the student. */
  async ofStudent(trx: TenantDb, actor: Actor, studentId: string): Promise<WeakSpot[]> {
    await assertStudentVisible(trx, actor, studentId);
    const rows = await weakSpotsOf(trx, studentId);
    return rows.map((r) => ({
      topic: r.topic,
      mastery: r.mastery,
      attempts: r.attempts,
      lastSeenAt: iso(r.lastSeenAt),
    }));
  }

  /**
   * `GET /courses/:id/weak-spots`: for each topic that is a weak spot of at
   * least one live student enrolled in the course, how many students, their
   * mean mastery and their attempts; the most widespread first, then the
   * weakest. Admins and the course's instructor; 404 for anyone else.
   */
  async ofCourse(trx: TenantDb, actor: Actor, courseId: string): Promise<CourseWeakSpot[]> {
    const course = await this.#courses.get(trx, actor, courseId);
    if (!courseRules.manage(actor, course)) throw new NotFoundError("Course");
    const students = sql<number>`count(*)::int`;
    const average = sql<number>`avg(m.p_known)`;
    const rows = await trx
      .selectFrom("mastery as m")
      .innerJoin("enrollments as e", "e.student_id", "m.student_id")
      .innerJoin("users as u", "u.id", "m.student_id")
      .select([
        "m.topic",
        students.as("students"),
        average.as("average_mastery"),
        sql<number>`sum(m.attempts)::int`.as("attempts"),
      ])
      .where("e.course_id", "=", courseId)
      .where("u.deleted_at", "is", null)
      .where("m.attempts", ">=", WEAK_SPOT_MIN_ATTEMPTS)
      .where("m.p_known", "<", WEAK_SPOT_MASTERY)
      .groupBy("m.topic")
      .orderBy(students, "desc")
      .orderBy(average)
      .orderBy("m.topic")
      .execute();
    return rows.map((r) => ({
      topic: r.topic,
      students: Number(r.students),
      averageMastery: Number(r.average_mastery),
      attempts: Number(r.attempts),
    }));
  }
}
