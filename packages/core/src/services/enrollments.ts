import {
  type CreateEnrollmentBody,
  CreateEnrollmentBodySchema,
  type Enrollment,
} from "../contracts/index.js";
import { ConflictError, CourseFullError, ForbiddenError, ValidationError } from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { enrollmentRules } from "../policies/enrollments.js";
import type { TenantDb } from "../tenancy/context.js";
import type { CourseService } from "./courses.js";
import { isUniqueViolation } from "./db-errors.js";
import { parseInput } from "./parse-input.js";
import { iso, type ServiceDeps } from "./service-deps.js";

interface EnrollmentRow {
  id: string;
  course_id: string;
  student_id: string;
  created_at: Date;
}

const toEnrollment = (row: EnrollmentRow): Enrollment => ({
  id: row.id,
  courseId: row.course_id,
  studentId: row.student_id,
  createdAt: iso(row.created_at),
});

/**
 * Refuses an enrolment into a full course. The course row is locked first
 * (`FOR UPDATE`, held until the transaction ends), so concurrent enrolments
 * into one course count and insert one after another: a roster never grows
 * past its capacity, whatever the concurrency. A student already enrolled is
 * told so rather than that the course is full. Soft-deleted students keep
 * their seat (their enrollment rows stay).
 */
async function assertSeatLeft(trx: TenantDb, courseId: string, studentId: string): Promise<void> {
  const course = await trx
    .selectFrom("courses")
    .select("capacity")
    .where("id", "=", courseId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (course.capacity === null) return;
  const taken = await trx
    .selectFrom("enrollments")
    .select((eb) => [
      eb.fn.countAll<string>().as("seats"),
      eb.fn.count<string>("id").filterWhere("student_id", "=", studentId).as("mine"),
    ])
    .where("course_id", "=", courseId)
    .executeTakeFirstOrThrow();
  if (Number(taken.seats) < course.capacity) return;
  if (Number(taken.mine) > 0)
    throw new ConflictError("This student is already enrolled in this course.");
  throw new CourseFullError();
}

/** A course's roster. The course must be visible to the actor (else 404) and theirs to manage (else 403). */
export class EnrollmentService {
  readonly #deps: ServiceDeps;
  readonly #courses: CourseService;

  constructor(deps: ServiceDeps, courses: CourseService) {
    this.#deps = deps;
    this.#courses = courses;
  }

  async create(
    trx: TenantDb,
    actor: Actor,
    courseId: string,
    input: CreateEnrollmentBody,
  ): Promise<Enrollment> {
    const body = parseInput(CreateEnrollmentBodySchema, input);
    const course = await this.#courses.get(trx, actor, courseId);
    if (!enrollmentRules.create(actor, course)) throw new ForbiddenError();
    const student = await trx
      .selectFrom("users")
      .select("id")
      .where("id", "=", body.studentId)
      .where("role", "=", "student")
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!student) {
      throw new ValidationError("studentId must name a student of this academy.", [
        { path: "studentId", message: "No student with this id." },
      ]);
    }
    await assertSeatLeft(trx, courseId, body.studentId);
    try {
      const row = await trx
        .insertInto("enrollments")
        .values({ course_id: courseId, student_id: body.studentId })
        .returning(["id", "course_id", "student_id", "created_at"])
        .executeTakeFirstOrThrow();
      return toEnrollment(row);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ConflictError("This student is already enrolled in this course.");
      throw error;
    }
  }

  async list(
    trx: TenantDb,
    actor: Actor,
    courseId: string,
    page: PageRequest,
  ): Promise<Page<Enrollment>> {
    const course = await this.#courses.get(trx, actor, courseId);
    if (!enrollmentRules.list(actor, course)) throw new ForbiddenError();
    const query = trx
      .selectFrom("enrollments as e")
      // A soft-deleted student leaves the roster as they leave every other read.
      .innerJoin("users as u", "u.id", "e.student_id")
      .select(["e.id", "e.course_id", "e.student_id", "e.created_at"])
      .where("e.course_id", "=", courseId)
      .where("u.deleted_at", "is", null);
    return paginate(query, {
      alias: "e",
      list: `enrollments:${courseId}`,
      page,
      cursors: this.#deps.cursors,
      map: toEnrollment,
    });
  }
}
