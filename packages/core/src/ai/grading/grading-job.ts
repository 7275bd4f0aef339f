import { sql } from "kysely";
import { z } from "zod";
import type { Rubric } from "../../contracts/index.js";
import type { SkillBridgeDatabase } from "../../db/open-database.js";
import type { ClaimedJob } from "../../jobs/job-queue.js";
import { type JobHandler, PermanentJobError } from "../../jobs/job-worker.js";
import type { TenantContext } from "../../tenancy/context.js";
import { withTenant } from "../../tenancy/with-tenant.js";
import type { AiGateway } from "../ai-gateway.js";
import { scoreSubmission } from "./score-submission.js";

/** The job a submission queues: `{ submissionId }`, for the submission's academy. */
export const GRADE_SUBMISSION_JOB = "grade_submission";

const PayloadSchema = z.object({ submissionId: z.uuid() });

function academyOf(job: ClaimedJob): TenantContext {
  if (!job.academyId) throw new PermanentJobError("a grading job must name its academy");
  return { tenantId: job.academyId, userId: null, role: "system" };
}

function submissionOf(job: ClaimedJob): string {
  const parsed = PayloadSchema.safeParse(job.payload);
  if (!parsed.success)
    throw new PermanentJobError("the grading job's payload is not { submissionId }");
  return parsed.data.submissionId;
}

/**
 * Pre-grades one submission, in three steps so no transaction stays open
 * while the model thinks: read the submission and its assignment inside the
 * job's academy (`withTenant`, as the academy itself), ask the model through
 * the academy's metered provider, then store the suggestion — only if the
 * submission is still ungraded and waiting for it. A submission graded in
 * the meantime, or whose assignment or course was deleted, is `skipped`.
 * Model errors propagate, so the worker retries with backoff; after the
 * last attempt the submission is marked `failed` for a grade by hand.
 */
export function gradingJobHandler(deps: {
  readonly db: SkillBridgeDatabase;
  readonly ai: AiGateway;
}): JobHandler {
  const { db, ai } = deps;
  return {
    kind: GRADE_SUBMISSION_JOB,
    async run(job, signal) {
      const academy = academyOf(job);
      const submissionId = submissionOf(job);
      const input = await withTenant(db, academy, (trx) =>
        trx
          .selectFrom("submissions as s")
          .innerJoin("assignments as a", "a.id", "s.assignment_id")
          .innerJoin("courses as c", "c.id", "a.course_id")
          .select([
            "s.content",
            "s.grade",
            "s.ai_status",
            "a.instructions",
            "a.reference_answer",
            "a.rubric",
            "a.max_points",
            "a.deleted_at as assignment_deleted_at",
            "c.deleted_at as course_deleted_at",
          ])
          .where("s.id", "=", submissionId)
          .executeTakeFirst(),
      );
      if (!input) return; // The submission is gone: nothing to grade.
      const waiting = input.ai_status === "queued" || input.ai_status === "failed";
      if (
        input.grade !== null ||
        !waiting ||
        input.assignment_deleted_at !== null ||
        input.course_deleted_at !== null
      ) {
        if (waiting) {
          await withTenant(db, academy, (trx) =>
            trx
              .updateTable("submissions")
              .set({ ai_status: "skipped" })
              .where("id", "=", submissionId)
              .where("ai_status", "in", ["queued", "failed"])
              .execute(),
          );
        }
        return;
      }
      const suggestion = await scoreSubmission(
        ai.forAcademy(academy.tenantId, null),
        {
          instructions: input.instructions,
          referenceAnswer: input.reference_answer,
          rubric: input.rubric as Rubric | null,
          maxPoints: input.max_points,
          content: input.content,
        },
        { signal },
      );
      await withTenant(db, academy, (trx) =>
        trx
          .updateTable("submissions")
          .set({
            ai_suggestion: JSON.stringify(suggestion),
            ai_status: "suggested",
            ai_confidence: suggestion.confidence,
            ai_error: null,
            ai_suggested_at: sql<Date>`now()`,
          })
          .where("id", "=", submissionId)
          .where("grade", "is", null)
          .where("ai_status", "in", ["queued", "failed"])
          .execute(),
      );
    },
    async onDead(job, error) {
      const academy = academyOf(job);
      const submissionId = PayloadSchema.safeParse(job.payload).data?.submissionId;
      if (!submissionId) return;
      const reason = error instanceof Error ? error.message : String(error);
      await withTenant(db, academy, (trx) =>
        trx
          .updateTable("submissions")
          .set({ ai_status: "failed", ai_error: reason.slice(0, 1_000) })
          .where("id", "=", submissionId)
          .where("ai_status", "=", "queued")
          .execute(),
      );
    },
  };
}
