import {
  type Assignment,
  type CreateAssignmentBodyInput,
  CreateAssignmentBodySchema,
  type Rubric,
  type StudentAssignment,
  type TutorMode,
} from "../contracts/index.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { assignmentRules, assignmentView } from "../policies/assignments.js";
import { courseReadScope } from "../policies/courses.js";
import type { TenantDb } from "../tenancy/context.js";
import type { CourseService } from "./courses.js";
import { parseInput } from "./parse-input.js";
import { courseScopeFilter } from "./scopes.js";
import { iso, isoOrNull, type ServiceDeps } from "./service-deps.js";

const columns = [
  "a.id",
  "a.course_id",
  "a.title",
  "a.instructions",
  "a.max_points",
  "a.due_at",
  "a.tutor_mode",
  "a.rubric",
  "a.reference_answer",
  "a.created_at",
  "a.updated_at",
] as const;

interface AssignmentRow {
  id: string;
  course_id: string;
  title: string;
  instructions: string;
  max_points: number;
  due_at: Date | null;
  tutor_mode: string;
  rubric: unknown[] | null;
  reference_answer: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The view an actor is entitled to: learners never receive `referenceAnswer`, not even as a key. */
function toAssignment(actor: Actor) {
  return (row: AssignmentRow): Assignment | StudentAssignment => {
    const learnerView: StudentAssignment = {
      id: row.id,
      courseId: row.course_id,
      title: row.title,
      instructions: row.instructions,
      maxPoints: row.max_points,
      dueAt: isoOrNull(row.due_at),
      tutorMode: row.tutor_mode as TutorMode,
      rubric: row.rubric as Rubric | null,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
    return assignmentView(actor) === "staff"
      ? { ...learnerView, referenceAnswer: row.reference_answer }
      : learnerView;
  };
}

/** Assignments, visible exactly where their (live) course is. */
export class AssignmentService {
  readonly #deps: ServiceDeps;
  readonly #courses: CourseService;

  constructor(deps: ServiceDeps, courses: CourseService) {
    this.#deps = deps;
    this.#courses = courses;
  }

  #visible(trx: TenantDb, actor: Actor) {
    return trx
      .selectFrom("assignments as a")
      .innerJoin("courses as c", "c.id", "a.course_id")
      .select(columns)
      .where("a.deleted_at", "is", null)
      .where("c.deleted_at", "is", null)
      .where((eb) => courseScopeFilter(eb, courseReadScope(actor)));
  }

  async get(trx: TenantDb, actor: Actor, id: string): Promise<Assignment | StudentAssignment> {
    const row = await this.#visible(trx, actor).where("a.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Assignment");
    return toAssignment(actor)(row);
  }

  async list(
    trx: TenantDb,
    actor: Actor,
    page: PageRequest & { courseId?: string | undefined },
  ): Promise<Page<Assignment | StudentAssignment>> {
    let query = this.#visible(trx, actor);
    if (page.courseId) query = query.where("a.course_id", "=", page.courseId);
    return paginate(query, {
      alias: "a",
      list: `assignments:${page.courseId ?? "*"}`,
      page,
      cursors: this.#deps.cursors,
      map: toAssignment(actor),
    });
  }

  async create(
    trx: TenantDb,
    actor: Actor,
    courseId: string,
    input: CreateAssignmentBodyInput,
  ): Promise<Assignment> {
    const body = parseInput(CreateAssignmentBodySchema, input);
    const course = await this.#courses.get(trx, actor, courseId);
    if (!assignmentRules.create(actor, course)) throw new ForbiddenError();
    const row = await trx
      .insertInto("assignments")
      .values({
        course_id: courseId,
        title: body.title,
        instructions: body.instructions,
        max_points: body.maxPoints,
        due_at: body.dueAt ?? null,
        tutor_mode: body.tutorMode ?? "socratic",
        rubric: body.rubric === undefined ? null : JSON.stringify(body.rubric),
        reference_answer: body.referenceAnswer ?? null,
      })
      .returning([
        "id",
        "course_id",
        "title",
        "instructions",
        "max_points",
        "due_at",
        "tutor_mode",
        "rubric",
        "reference_answer",
        "created_at",
        "updated_at",
      ])
      .executeTakeFirstOrThrow();
    return toAssignment(actor)(row) as Assignment;
  }
}
