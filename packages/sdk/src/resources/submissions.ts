import { SubmissionPageSchema, SubmissionSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { Submission } from "../types/models.js";
import type {
  CreateSubmissionBody,
  GradeSubmissionBody,
  GradingQueueQuery,
  SubmissionListQuery,
} from "../types/requests.js";

/**
 * `/submissions`, `/assignments/:id/submissions` and `/grading-queue`.
 * Staff see `aiReview` (AI pre-grading) on submissions; students and parents
 * never receive it.
 */
export class Submissions extends APIResource {
  /**
   * Submits work (an enrolled student).
   *
   * @example
   * const submission = await asStudent.submissions.create(assignment.id, { content: "My essay…" });
   */
  create(
    assignmentId: string,
    body: CreateSubmissionBody,
    options?: RequestOptions,
  ): APIPromise<Submission> {
    return this.request(
      {
        method: "POST",
        path: `/assignments/${segment(assignmentId)}/submissions`,
        body,
        schema: SubmissionSchema,
      },
      options,
    );
  }

  /**
   * Submissions the caller may see, optionally of one assignment and/or student.
   *
   * @example
   * const toGrade = await client.submissions.list({ assignmentId }).toArray({ limit: 100 });
   */
  list(query: SubmissionListQuery = {}, options?: RequestOptions): PagePromise<Submission> {
    return this.paginate("/submissions", query, SubmissionPageSchema, options);
  }

  /** @example const submission = await client.submissions.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<Submission> {
    return this.request(
      { method: "GET", path: `/submissions/${segment(id)}`, schema: SubmissionSchema },
      options,
    );
  }

  /**
   * Grades a submission (admins, the course's instructor): `{ grade }`
   * overrides any AI suggestion, `{ acceptSuggestion: true }` approves it
   * (a `ConflictError` when there is none yet). A grade above the
   * assignment's `maxPoints` is a `ValidationError`.
   *
   * @example
   * await client.submissions.grade(id, { grade: 8, feedback: "Clear thesis." });
   * await client.submissions.grade(other, { acceptSuggestion: true });
   */
  grade(id: string, body: GradeSubmissionBody, options?: RequestOptions): APIPromise<Submission> {
    return this.request(
      {
        method: "PATCH",
        path: `/submissions/${segment(id)}/grade`,
        body,
        schema: SubmissionSchema,
      },
      options,
    );
  }

  /**
   * The review queue (admins, instructors): ungraded submissions whose AI
   * pre-grading is done, failed gradings first, then by rising confidence.
   *
   * @example
   * const [next] = await client.submissions.gradingQueue({ assignmentId }).toArray({ limit: 1 });
   */
  gradingQueue(query: GradingQueueQuery = {}, options?: RequestOptions): PagePromise<Submission> {
    return this.paginate("/grading-queue", query, SubmissionPageSchema, options);
  }
}
