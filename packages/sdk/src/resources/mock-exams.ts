import { MockExamPageSchema, MockExamSchema } from "@skillbridge/core/contracts";
import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { MockExam } from "../types/models.js";
import type {
  CreateMockExamBody,
  MockExamListQuery,
  SubmitMockModuleBody,
} from "../types/requests.js";

/**
 * `/mock-exams`: SAT and GRE forms of the real tests' shape, module by
 * module; the server keeps each module's time (`current.endsAt`) and routes
 * each section's second module `harder` or `easier` by the first. A
 * finished exam has a `report` with estimated section scores.
 */
export class MockExams extends APIResource {
  /**
   * Starts an exam (students). A bank too small for the form is a
   * `ConflictError` with code `bank_too_small`, whose `problem.errors` name
   * each section and difficulty that is short.
   *
   * @example
   * const exam = await asStudent.mockExams.create({ exam: "sat", length: "short" });
   * console.log(exam.current?.section, exam.current?.endsAt);
   */
  create(body: CreateMockExamBody, options?: RequestOptions): APIPromise<MockExam> {
    return this.request(
      { method: "POST", path: "/mock-exams", body, schema: MockExamSchema },
      options,
    );
  }

  /**
   * Submits the current module's answers; after its `endsAt` they count as unanswered.
   *
   * @example
   * const next = await asStudent.mockExams.submitModule(exam.id, {
   *   answers: exam.current.questions.map((q) => ({ questionId: q.id, answer: "B" })),
   * });
   */
  submitModule(
    id: string,
    body: SubmitMockModuleBody,
    options?: RequestOptions,
  ): APIPromise<MockExam> {
    return this.request(
      { method: "POST", path: `/mock-exams/${segment(id)}/modules`, body, schema: MockExamSchema },
      options,
    );
  }

  /**
   * Mock exams the caller may see, optionally of one student.
   *
   * @example
   * for await (const exam of client.mockExams.list({ status: "finished" })) console.log(exam.report?.sections);
   */
  list(query: MockExamListQuery = {}, options?: RequestOptions): PagePromise<MockExam> {
    return this.paginate("/mock-exams", query, MockExamPageSchema, options);
  }

  /** @example const exam = await client.mockExams.get(id); */
  get(id: string, options?: RequestOptions): APIPromise<MockExam> {
    return this.request(
      { method: "GET", path: `/mock-exams/${segment(id)}`, schema: MockExamSchema },
      options,
    );
  }
}
