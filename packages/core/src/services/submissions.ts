import { sql } from "kysely";
import { GRADE_SUBMISSION_JOB } from "../ai/grading/grading-job.js";
import {
  type AiReview,
  type AiReviewStatus,
  type CreateSubmissionBody,
  CreateSubmissionBodySchema,
  type GradeSubmissionBody,
  GradeSubmissionBodySchema,
  type GradeSuggestion,
  GradeSuggestionSchema,
  type LearnerSubmission,
  type Submission,
} from "../contracts/index.js";
import {
  ConflictError,
  ForbiddenError,
  InvalidCursorError,
  NotFoundError,
  ValidationError,
} from "../errors.js";
import { enqueueInTenant } from "../jobs/job-queue.js";
import { awardActivity } from "../learning/gamification.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import { type Actor, isStaff } from "../policies/actor.js";
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
  "s.ai_status",
  "s.ai_confidence",
  "s.ai_suggestion",
  "s.ai_error",
  "s.ai_suggested_at",
] as const;

/** The same columns, for `returning` (no alias there). */
const returned = [
  "id",
  "assignment_id",
  "student_id",
  "content",
  "grade",
  "feedback",
  "graded_at",
  "submitted_at",
  "ai_status",
  "ai_confidence",
  "ai_suggestion",
  "ai_error",
  "ai_suggested_at",
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
  ai_status: string | null;
  ai_confidence: number | null;
  ai_suggestion: Record<string, unknown> | null;
  ai_error: string | null;
  ai_suggested_at: Date | null;
}

function suggestionOf(row: SubmissionRow): GradeSuggestion | null {
  const parsed = GradeSuggestionSchema.safeParse(row.ai_suggestion);
  return parsed.success ? parsed.data : null;
}

function aiReviewOf(row: SubmissionRow): AiReview | null {
  if (row.ai_status === null) return null;
  return {
    status: row.ai_status as AiReviewStatus,
    confidence: row.ai_confidence,
    suggestion: suggestionOf(row),
    error: row.ai_error,
    suggestedAt: isoOrNull(row.ai_suggested_at),
  };
}

/**
 * The view an actor is entitled to: learners get the approved grade only,
 * never `aiReview` (not even as a key), so an unapproved suggestion cannot
 * reach a student or parent whatever the output schema does.
 */
function toSubmission(actor: Actor) {
  return (row: SubmissionRow): Submission | LearnerSubmission => {
    const learnerView: LearnerSubmission = {
      id: row.id,
      assignmentId: row.assignment_id,
      studentId: row.student_id,
      content: row.content,
      grade: row.grade,
      feedback: row.feedback,
      gradedAt: isoOrNull(row.graded_at),
      submittedAt: iso(row.submitted_at),
    };
    return isStaff(actor) ? { ...learnerView, aiReview: aiReviewOf(row) } : learnerView;
  };
}

export interface SubmissionFilter extends PageRequest {
  readonly assignmentId?: string | undefined;
  readonly studentId?: string | undefined;
}

export interface GradingQueueFilter extends PageRequest {
  readonly assignmentId?: string | undefined;
  readonly courseId?: string | undefined;
}

export interface SubmissionOptions {
  /** Queue an AI pre-grading job with every new submission (default true). */
  readonly preGrading?: boolean | undefined;
}

/** Failed gradings sort before every suggestion: they need a grade by hand. */
const FAILED_PRIORITY = -1;

/** Submissions, filtered by role (see `policies/submissions`), with AI pre-grading for staff. */
export class SubmissionService {
  readonly #deps: ServiceDeps;
  readonly #assignments: AssignmentService;
  readonly #preGrading: boolean;

  constructor(deps: ServiceDeps, assignments: AssignmentService, options: SubmissionOptions = {}) {
    this.#deps = deps;
    this.#assignments = assignments;
    this.#preGrading = options.preGrading ?? true;
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

  async get(trx: TenantDb, actor: Actor, id: string): Promise<Submission | LearnerSubmission> {
    const row = await this.#visible(trx, actor).where("s.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Submission");
    return toSubmission(actor)(row);
  }

  async list(
    trx: TenantDb,
    actor: Actor,
    filter: SubmissionFilter,
  ): Promise<Page<Submission | LearnerSubmission>> {
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
      map: toSubmission(actor),
      orderColumn: "submitted_at",
    });
  }

  /**
   * Submits work. With pre-grading on, a grading job is queued in the same
   * transaction: the submission and its job exist together or not at all.
   */
  async create(
    trx: TenantDb,
    actor: Actor,
    assignmentId: string,
    input: CreateSubmissionBody,
  ): Promise<Submission | LearnerSubmission> {
    const body = parseInput(CreateSubmissionBodySchema, input);
    // Visible means enrolled for a student: the assignment's course scope is enrolment.
    await this.#assignments.get(trx, actor, assignmentId);
    if (!submissionRules.create(actor, true))
      throw new ForbiddenError("Only an enrolled student submits.");
    const row = await trx
      .insertInto("submissions")
      .values({
        assignment_id: assignmentId,
        student_id: actor.userId,
        content: body.content,
        ai_status: this.#preGrading ? "queued" : null,
      })
      .returning(returned)
      .executeTakeFirstOrThrow();
    if (this.#preGrading) {
      await enqueueInTenant(trx, GRADE_SUBMISSION_JOB, { submissionId: row.id });
    }
    // XP, streak and badges in the same transaction: no submission without its award.
    await awardActivity(trx, actor.userId, { kind: "submission", submissionId: row.id });
    return toSubmission(actor)(row);
  }

  /**
   * Grades a submission: `grade` (overriding any suggestion) or
   * `acceptSuggestion` (the AI suggestion's grade, and its feedback unless
   * `feedback` is given). This is the only way a grade is released, so no
   * suggestion reaches a student without an instructor's decision.
   */
  async grade(
    trx: TenantDb,
    actor: Actor,
    id: string,
    input: GradeSubmissionBody,
  ): Promise<Submission | LearnerSubmission> {
    const body = parseInput(GradeSubmissionBodySchema, input);
    const row = await this.#visible(trx, actor).where("s.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Submission");
    if (!submissionRules.grade(actor, { instructorId: row.instructor_id }))
      throw new ForbiddenError();
    const suggestion = suggestionOf(row);
    let grade: number;
    let feedback: string | null;
    let aiStatus = row.ai_status;
    if (body.acceptSuggestion) {
      if (!suggestion) {
        throw new ConflictError("This submission has no AI suggestion to accept; give a grade.");
      }
      grade = suggestion.grade;
      feedback = body.feedback ?? suggestion.feedback;
      aiStatus = "accepted";
    } else {
      grade = body.grade ?? 0;
      feedback = body.feedback ?? null;
      if (suggestion) aiStatus = grade === suggestion.grade ? "accepted" : "overridden";
      else if (aiStatus === "queued") aiStatus = "skipped";
    }
    if (grade > row.max_points) {
      throw new ValidationError("The grade is above the assignment's maximum.", [
        { path: "grade", message: `At most ${row.max_points}.` },
      ]);
    }
    const updated = await trx
      .updateTable("submissions")
      .set({
        grade,
        feedback,
        graded_at: sql<Date>`now()`,
        graded_by: actor.userId,
        ai_status: aiStatus,
      })
      .where("id", "=", id)
      .returning(returned)
      .executeTakeFirstOrThrow();
    return toSubmission(actor)(updated);
  }

  /**
   * The instructor's review queue: ungraded submissions whose pre-grading
   * is done, the least certain first — failed gradings (to grade by hand),
   * then suggestions by rising confidence. Staff only.
   */
  async gradingQueue(
    trx: TenantDb,
    actor: Actor,
    filter: GradingQueueFilter,
  ): Promise<Page<Submission>> {
    if (!isStaff(actor)) throw new ForbiddenError();
    const priority = sql<number>`coalesce(s.ai_confidence, ${FAILED_PRIORITY})`;
    let query = this.#visible(trx, actor)
      .select(priority.as("priority"))
      .where("s.grade", "is", null)
      .where("s.ai_status", "in", ["suggested", "failed"]);
    if (filter.assignmentId) query = query.where("s.assignment_id", "=", filter.assignmentId);
    if (filter.courseId) query = query.where("a.course_id", "=", filter.courseId);
    const list = `grading-queue:${filter.assignmentId ?? "*"}:${filter.courseId ?? "*"}`;
    if (filter.cursor !== undefined) {
      const after = this.#deps.cursors.decode(list, filter.cursor);
      const at = Number(after.createdAt);
      if (!Number.isFinite(at)) throw new InvalidCursorError();
      query = query.where(
        sql<boolean>`(${priority}, s.id) > (${at}::double precision, ${after.id}::uuid)`,
      );
    }
    const rows = await query
      .orderBy(priority)
      .orderBy("s.id")
      .limit(filter.limit + 1)
      .execute();
    const more = rows.length > filter.limit;
    const page = more ? rows.slice(0, filter.limit) : rows;
    const last = page.at(-1);
    return {
      data: page.map((row) => toSubmission(actor)(row) as Submission),
      nextCursor:
        more && last
          ? this.#deps.cursors.encode(list, { createdAt: String(last.priority), id: last.id })
          : null,
    };
  }
}
