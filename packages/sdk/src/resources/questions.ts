import {
  type ExamQuestion,
  ExamQuestionSchema,
  type LearnerExamQuestion,
  LearnerExamQuestionSchema,
  pageOf,
  type QuestionBatchRequest,
  type QuestionImportReport,
  QuestionImportReportSchema,
  type QuestionListQueryInput,
} from "@skillbridge/core/contracts";
import { z } from "zod";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";

// Platform users and academy staff get the full question; students and parents the learner view.
const AnyQuestionSchema = z.union([ExamQuestionSchema, LearnerExamQuestionSchema]);
const AnyQuestionPageSchema = pageOf(AnyQuestionSchema);

/** `/questions` (every signed-in user) and `/admin/questions/batch` (content staff). */
export class Questions extends APIResource {
  /**
   * The shared bank, optionally one bank, type and topic, walked page by page.
   * Students and parents get `LearnerExamQuestion`s (no `answer`, no
   * `explanation`): narrow with `"answer" in question`.
   *
   * @example
   * for await (const q of client.questions.list({ bank: "gre", type: "text_completion" })) console.log(q.prompt);
   */
  list(
    query: QuestionListQueryInput = {},
    options?: RequestOptions,
  ): PagePromise<ExamQuestion | LearnerExamQuestion> {
    return this.paginate("/questions", query, AnyQuestionPageSchema, options);
  }

  /** @example const question = await client.questions.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<ExamQuestion | LearnerExamQuestion> {
    return this.request(
      { method: "GET", path: `/questions/${segment(id)}`, schema: AnyQuestionSchema },
      options,
    );
  }

  /**
   * Imports up to 1,000 questions (8 MiB) into one bank in one transaction:
   * upserts by `(bank, externalId)`; `rejected[].index` is the item's position
   * in `questions`. `dryRun` writes nothing; `strict` writes nothing if any item
   * is rejected. Retried safely: the SDK sends an idempotency key, and the
   * upsert itself is idempotent. For files, see `readQuestionFile` and
   * `questionBatches` in `@skillbridge/core/questions`.
   *
   * @example
   * const report = await client.questions.batch({ bank: "sat", questions });
   * // { inserted: 2, updated: 0, unchanged: 0, rejected: [] }
   */
  batch(body: QuestionBatchRequest, options?: RequestOptions): APIPromise<QuestionImportReport> {
    return this.request(
      { method: "POST", path: "/admin/questions/batch", body, schema: QuestionImportReportSchema },
      options,
    );
  }
}
