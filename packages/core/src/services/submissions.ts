import { sql } from "kysely";
import {
  type CreateSubmissionBody,
  CreateSubmissionBodySchema,
  type GradeSubmissionBody,
  GradeSubmissionBodySchema,
  type Submission,
} from "../contracts/index.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { submissionReadScope, submissionRules } from "../policies/submissions.js";
import type { TenantDb } from "../tenancy/context.js";
import type { AssignmentService } from "./assignments.js";
import { parseInput } from "./parse-input.js";
import { submissionScopeFilter } from "./scopes.js";
import { iso, isoOrNull, type ServiceDeps } from "./service-deps.js";

const columns = [
  "s.id",
  "s.assignment_id",
  "s.student_id",
  "s.content",
  "s.grade",
  "s.feedback",
  "s.graded_at",
  "s.submitted_at",
] as const;

interface SubmissionRow {
  id: string;
  assignment_id: string;
  student_id: string;
  content: string;
  grade: number | null;
  feedback: string | null;
  graded_at: Date | null;
  submitted_at: Date;
}

const toSubmission = (row: SubmissionRow): Submission => ({
  id: row.id,
  assignmentId: row.assignment_id,
  studentId: row.student_id,
  content: row.content,
  grade: row.grade,
  feedback: row.feedback,
  gradedAt: isoOrNull(row.graded_at),
  submittedAt: iso(row.submitted_at),
});

export interface SubmissionFilter extends PageRequest {
  readonly assignmentId?: string | undefined;
  readonly studentId?: string | undefined;
}

/** Submissions, filtered by role (see `policies/submissions`). */
export class SubmissionService {
  readonly #deps: ServiceDeps;
  readonly #assignments: AssignmentService;

  constructor(deps: ServiceDeps, assignments: AssignmentService) {
    this.#deps = deps;
    this.#assignments = assignments;
  }

  #visible(trx: TenantDb, actor: Actor) {
    return (
      trx
        .selectFrom("submissions as s")
        .innerJoin("assignments as a", "a.id", "s.assignment_id")
        .innerJoin("courses as c", "c.id", "a.course_id")
        .select(columns)
        .select(["c.instructor_id", "a.max_points"])
        // Like assignments: work under a soft-deleted assignment or course is hidden until restored.
        .where("a.deleted_at", "is", null)
        .where("c.deleted_at", "is", null)
        .where((eb) => submissionScopeFilter(eb, submissionReadScope(actor)))
    );
  }

  async get(trx: TenantDb, actor: Actor, id: string): Promise<Submission> {
    const row = await this.#visible(trx, actor).where("s.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Submission");
    return toSubmission(row);
  }

  async list(trx: TenantDb, actor: Actor, filter: SubmissionFilter): Promise<Page<Submission>> {
    let query = this.#visible(trx, actor);
    if (filter.assignmentId) query = query.where("s.assignment_id", "=", filter.assignmentId);
    if (filter.studentId) query = query.where("s.student_id", "=", filter.studentId);
    // The cursor is bound to the filters: a page-2 cursor cannot be replayed on another list.
    const list = `submissions:${filter.assignmentId ?? "*"}:${filter.studentId ?? "*"}`;
    return paginate(query, {
      alias: "s",
      list,
      page: filter,
      cursors: this.#deps.cursors,
      map: toSubmission,
      orderColumn: "submitted_at",
    });
  }

  async create(
    trx: TenantDb,
    actor: Actor,
    assignmentId: string,
    input: CreateSubmissionBody,
  ): Promise<Submission> {
    const body = parseInput(CreateSubmissionBodySchema, input);
    // Visible means enrolled for a student: the assignment's course scope is enrolment.
    await this.#assignments.get(trx, actor, assignmentId);
    if (!submissionRules.create(actor, true))
      throw new ForbiddenError("Only an enrolled student submits.");
    const row = await trx
      .insertInto("submissions")
      .values({ assignment_id: assignmentId, student_id: actor.userId, content: body.content })
      .returning([
        "id",
        "assignment_id",
        "student_id",
        "content",
        "grade",
        "feedback",
        "graded_at",
        "submitted_at",
      ])
      .executeTakeFirstOrThrow();
    return toSubmission(row);
  }

  async grade(
    trx: TenantDb,
    actor: Actor,
    id: string,
    input: GradeSubmissionBody,
  ): Promise<Submission> {
    const body = parseInput(GradeSubmissionBodySchema, input);
    const row = await this.#visible(trx, actor).where("s.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Submission");
    if (!submissionRules.grade(actor, { instructorId: row.instructor_id }))
      throw new ForbiddenError();
    if (body.grade > row.max_points) {
      throw new ValidationError("The grade is above the assignment's maximum.", [
        { path: "grade", message: `At most ${row.max_points}.` },
      ]);
    }
    const updated = await trx
      .updateTable("submissions")
      .set({
        grade: body.grade,
        feedback: body.feedback ?? null,
        graded_at: sql<Date>`now()`,
        graded_by: actor.userId,
      })
      .where("id", "=", id)
      .returning([
        "id",
        "assignment_id",
        "student_id",
        "content",
        "grade",
        "feedback",
        "graded_at",
        "submitted_at",
      ])
      .executeTakeFirstOrThrow();
    return toSubmission(updated);
  }
}
