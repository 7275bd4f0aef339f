import {
  ExamQuestionSchema,
  LearnerExamQuestionSchema,
  pageOf,
  QuestionImportReportSchema,
} from "@skillbridge/core/contracts";
import { z } from "zod";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { ExamQuestion, LearnerExamQuestion, QuestionImportReport } from "../types/models.js";
import type { QuestionBatchRequest, QuestionListQuery } from "../types/requests.js";

// Platform users and academy staff get the full question; students and parents the learner view.
const AnyQuestionSchema = z.union([ExamQuestionSchema, LearnerExamQuestionSchema]);
const AnyQuestionPageSchema = pageOf(AnyQuestionSchema);

/** `/questions` (every signed-in user) and `/admin/questions/batch` (content staff). */
export class Questions extends APIResource {
  /**
   * The shared bank, optionally one bank, type, topic and section, walked page
   * by page. `externalId` finds a question by the id its file gave it (with
   * `bank`, at most one); `q` searches prompts and passages (words, `"a
   * phrase"`, `-not`, `or`; up to 200 characters). Retired questions are left
   * out unless `retired` is `"include"` or `"only"`. Students and parents get
   * `LearnerExamQuestion`s (no `answer`, no `explanation`): narrow with
   * `"answer" in question`.
   *
   * @example
   * for await (const q of client.questions.list({ bank: "gre", type: "text_completion" })) console.log(q.prompt);
   * const { data } = await client.questions.list({ bank: "sat", externalId: "sat-001" }).firstPage();
   * for await (const q of client.questions.list({ q: "circle area" })) console.log(q.externalId);
   */
  list(
    query: QuestionListQuery = {},
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
   * Retires a question (platform admins and content managers): it is no
   * longer drawn into practice sets, mock exams or quizzes from the bank, and
   * lists leave it out unless asked; attempts and quiz copies keep it.
   * Idempotent.
   *
   * @example const retired = await client.questions.retire(id); // retired.retiredAt: "2026-…"
   */
  retire(id: string, options?: RequestOptions): APIPromise<ExamQuestion> {
    return this.request(
      { method: "POST", path: `/questions/${segment(id)}/retire`, schema: ExamQuestionSchema },
      options,
    );
  }

  /** Brings a retired question back into practice and draws. Idempotent. @example await client.questions.unretire(id); */
  unretire(id: string, options?: RequestOptions): APIPromise<ExamQuestion> {
    return this.request(
      { method: "POST", path: `/questions/${segment(id)}/unretire`, schema: ExamQuestionSchema },
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
