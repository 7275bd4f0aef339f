import { QuizSubmissionPageSchema, QuizSubmissionSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { QuizSubmission } from "../types/models.js";
import type { QuizSubmissionListQuery } from "../types/requests.js";

/**
 * `/quiz-submissions`: scored quiz submissions, role-filtered (admins all;
 * instructors those to the quizzes they manage; students their own; parents
 * their children's). Submitting is `client.quizzes.submit`.
 */
export class QuizSubmissions extends APIResource {
  /**
   * Quiz submissions the caller may see, optionally of one quiz and/or student.
   *
   * @example
   * for await (const s of client.quizSubmissions.list({ quizId })) console.log(s.score, s.maxScore);
   */
  list(query: QuizSubmissionListQuery = {}, options?: RequestOptions): PagePromise<QuizSubmission> {
    return this.paginate("/quiz-submissions", query, QuizSubmissionPageSchema, options);
  }

  /** @example const submission = await client.quizSubmissions.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<QuizSubmission> {
    return this.request(
      { method: "GET", path: `/quiz-submissions/${segment(id)}`, schema: QuizSubmissionSchema },
      options,
    );
  }
}
