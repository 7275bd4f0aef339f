import {
  PracticeAnswerResultSchema,
  PracticeSetPageSchema,
  PracticeSetSchema,
} from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { PracticeAnswerResult, PracticeSet } from "../types/models.js";
import type {
  CreatePracticeSetBody,
  PracticeAnswerBody,
  PracticeSetListQuery,
} from "../types/requests.js";

/**
 * `/practice-sets`: a student practises bank questions one at a time
 * (adaptive by default: each next question is chosen from their Elo ability
 * on its topic); answers and explanations come back only after answering.
 * Reads are role-filtered: the student, linked parents, their instructors,
 * admins.
 */
export class PracticeSets extends APIResource {
  /**
   * Starts a set (students). Nothing to draw is a `ConflictError` with code
   * `bank_too_small`.
   *
   * @example
   * const set = await asStudent.practiceSets.create({ bank: "sat", sections: ["math"], count: 10 });
   * console.log(set.current?.prompt);
   */
  create(body: CreatePracticeSetBody, options?: RequestOptions): APIPromise<PracticeSet> {
    return this.request(
      { method: "POST", path: "/practice-sets", body, schema: PracticeSetSchema },
      options,
    );
  }

  /**
   * Answers the set's current question: `correct`, then the answer and
   * explanation, and the set with its next question.
   *
   * @example
   * const result = await asStudent.practiceSets.answer(set.id, { questionId: set.current.id, answer: "B" });
   * if (!result.correct) console.log(result.answer, result.explanation);
   */
  answer(
    id: string,
    body: PracticeAnswerBody,
    options?: RequestOptions,
  ): APIPromise<PracticeAnswerResult> {
    return this.request(
      {
        method: "POST",
        path: `/practice-sets/${segment(id)}/answers`,
        body,
        schema: PracticeAnswerResultSchema,
      },
      options,
    );
  }

  /**
   * Practice sets the caller may see, optionally of one student.
   *
   * @example
   * for await (const set of client.practiceSets.list({ studentId })) console.log(set.correct, set.total);
   */
  list(query: PracticeSetListQuery = {}, options?: RequestOptions): PagePromise<PracticeSet> {
    return this.paginate("/practice-sets", query, PracticeSetPageSchema, options);
  }

  /** @example const set = await client.practiceSets.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<PracticeSet> {
    return this.request(
      { method: "GET", path: `/practice-sets/${segment(id)}`, schema: PracticeSetSchema },
      options,
    );
  }
}
