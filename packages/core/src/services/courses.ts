import { sql } from "kysely";
import {
  type Course,
  type CreateCourseBody,
  CreateCourseBodySchema,
  type UpdateCourseBody,
  UpdateCourseBodySchema,
} from "../contracts/index.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { courseReadScope, courseRules } from "../policies/courses.js";
import type { TenantDb } from "../tenancy/context.js";
import { parseInput } from "./parse-input.js";
import { courseScopeFilter } from "./scopes.js";
import { iso, type ServiceDeps } from "./service-deps.js";

const columns = [
  "c.id",
  "c.title",
  "c.description",
  "c.instructor_id",
  "c.capacity",
  "c.created_at",
  "c.updated_at",
] as const;

const RETURNED = [
  "id",
  "title",
  "description",
  "instructor_id",
  "capacity",
  "created_at",
  "updated_at",
] as const;

interface CourseRow {
  id: string;
  title: string;
  description: string | null;
  instructor_id: string;
  capacity: number | null;
  created_at: Date;
  updated_at: Date;
}

export const toCourse = (row: CourseRow): Course => ({
  id: row.id,
  title: row.title,
  description: row.description,
  instructorId: row.instructor_id,
  capacity: row.capacity,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

async function assertInstructor(trx: TenantDb, instructorId: string): Promise<void> {
  const found = await trx
    .selectFrom("users")
    .select("id")
    .where("id", "=", instructorId)
    .where("role", "=", "instructor")
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!found) {
    throw new ValidationError("instructorId must name an instructor of this academy.", [
      { path: "instructorId", message: "No instructor with this id." },
    ]);
  }
}

/** Courses of one academy, filtered by role (see `policies/courses`). */
export class CourseService {
  readonly #deps: ServiceDeps;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  /** A course the actor may see, or 404. `deleted` reaches soft-deleted ones (restore). */
  async get(
    trx: TenantDb,
    actor: Actor,
    id: string,
    options: { deleted?: boolean } = {},
  ): Promise<Course> {
    const row = await trx
      .selectFrom("courses as c")
      .select(columns)
      .where("c.id", "=", id)
      .where("c.deleted_at", options.deleted ? "is not" : "is", null)
      .where((eb) => courseScopeFilter(eb, courseReadScope(actor)))
      .executeTakeFirst();
    if (!row) throw new NotFoundError("Course");
    return toCourse(row);
  }

  async list(trx: TenantDb, actor: Actor, page: PageRequest): Promise<Page<Course>> {
    const query = trx
      .selectFrom("courses as c")
      .select(columns)
      .where("c.deleted_at", "is", null)
      .where((eb) => courseScopeFilter(eb, courseReadScope(actor)));
    return paginate(query, {
      alias: "c",
      list: "courses",
      page,
      cursors: this.#deps.cursors,
      map: toCourse,
    });
  }

  async create(trx: TenantDb, actor: Actor, input: CreateCourseBody): Promise<Course> {
    const body = parseInput(CreateCourseBodySchema, input);
    if (!courseRules.create(actor, body.instructorId))
      throw new ForbiddenError("Instructors create courses for themselves only.");
    await assertInstructor(trx, body.instructorId);
    const row = await trx
      .insertInto("courses")
      .values({
        title: body.title,
        description: body.description ?? null,
        instructor_id: body.instructorId,
        capacity: body.capacity ?? null,
      })
      .returning(RETURNED)
      .executeTakeFirstOrThrow();
    return toCourse(row);
  }

  async update(trx: TenantDb, actor: Actor, id: string, input: UpdateCourseBody): Promise<Course> {
    const body = parseInput(UpdateCourseBodySchema, input);
    const course = await this.get(trx, actor, id);
    if (!courseRules.manage(actor, course)) throw new ForbiddenError();
    if (body.instructorId !== undefined && body.instructorId !== course.instructorId) {
      if (!courseRules.reassign(actor))
        throw new ForbiddenError("Only an admin hands a course to another instructor.");
      await assertInstructor(trx, body.instructorId);
    }
    const row = await trx
      .updateTable("courses")
      .set({
        ...(body.title === undefined ? {} : { title: body.title }),
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.instructorId === undefined ? {} : { instructor_id: body.instructorId }),
        ...(body.capacity === undefined ? {} : { capacity: body.capacity }),
        updated_at: sql<Date>`now()`,
      })
      .where("id", "=", id)
      .returning(RETURNED)
      .executeTakeFirstOrThrow();
    return toCourse(row);
  }

  async delete(trx: TenantDb, actor: Actor, id: string): Promise<void> {
    await this.get(trx, actor, id);
    if (!courseRules.delete(actor)) throw new ForbiddenError();
    await trx
      .updateTable("courses")
      .set({ deleted_at: sql<Date>`now()` })
      .where("id", "=", id)
      .execute();
  }

  async restore(trx: TenantDb, actor: Actor, id: string): Promise<Course> {
    await this.get(trx, actor, id, { deleted: true });
    if (!courseRules.delete(actor)) throw new ForbiddenError();
    await trx.updateTable("courses").set({ deleted_at: null }).where("id", "=", id).execute();
    return this.get(trx, actor, id);
  }
}
