import {
  type CreateQuizBody,
  type CreateQuizSubmissionBody,
  type GenerateQuizFieldsInput,
  type LearnerQuiz,
  LearnerQuizSchema,
  type Quiz,
  type QuizListQueryInput,
  QuizPageSchema,
  QuizSchema,
  type QuizSubmission,
  QuizSubmissionSchema,
  type QuizSummary,
  type UpdateQuizBody,
} from "@skillbridge/core/contracts";
import { z } from "zod";
import type { APIPromise } from "../core/api-promise.js";
import { encodeMultipart, type UploadFile } from "../core/multipart.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";

/** Staff get answers and generation notes; students and parents the questions only. */
const QuizViewSchema = z.union([QuizSchema, LearnerQuizSchema]);

export interface GenerateQuizParams extends GenerateQuizFieldsInput {
  /** The document: text, Markdown, PDF or Word (.docx). */
  readonly file: UploadFile;
}

/** `/quizzes`: drafts written by hand or generated from a document, reviewed and published by staff. */
export class Quizzes extends APIResource {
  /**
   * Quizzes the caller may see, as summaries (drafts for staff only).
   *
   * @example
   * for await (const quiz of client.quizzes.list({ courseId, status: "draft" })) console.log(quiz.title);
   */
  list(query: QuizListQueryInput = {}, options?: RequestOptions): PagePromise<QuizSummary> {
    return this.paginate("/quizzes", query, QuizPageSchema, options);
  }

  /**
   * One quiz: with answers for admins and instructors, without for students and parents.
   *
   * @example
   * const quiz = await client.quizzes.get(id);
   * if ("generation" in quiz) console.log(quiz.generation?.dropped);
   */
  get(id: string, options?: RequestOptions): APIPromise<Quiz | LearnerQuiz> {
    return this.request(
      { method: "GET", path: `/quizzes/${segment(id)}`, schema: QuizViewSchema },
      options,
    );
  }

  /**
   * A draft quiz written by hand (admins; instructors for their courses).
   *
   * @example
   * const quiz = await client.quizzes.create({ title: "Warm-up", courseId, questions: [
   *   { type: "multiple_choice", prompt: "2 + 2?", options: [{ id: "A", text: "4" }, { id: "B", text: "5" }], answer: "A" },
   * ] });
   */
  create(body: CreateQuizBody, options?: RequestOptions): APIPromise<Quiz> {
    return this.request({ method: "POST", path: "/quizzes", body, schema: QuizSchema }, options);
  }

  /**
   * A draft quiz generated from a document (multipart upload). Unusable files
   * are errors with the server's explanation: `unreadable_file` (a scan
   * without text, a corrupt or password-protected file), `unsupported_file`,
   * `payload_too_large`.
   *
   * @example
   * const quiz = await client.quizzes.generate({
   *   title: "Chapter 3", count: 10, courseId,
   *   file: { name: "chapter-3.pdf", content: await readFile("chapter-3.pdf") },
   * });
   */
  generate(params: GenerateQuizParams, options?: RequestOptions): APIPromise<Quiz> {
    const { file, title, count, courseId } = params;
    return this.request(
      {
        method: "POST",
        path: "/quizzes/generate",
        form: encodeMultipart({ title, count, courseId }, "file", file),
        schema: QuizSchema,
      },
      options,
    );
  }

  /**
   * Reviews a quiz: a draft's title and questions; `status: "published"` publishes it.
   *
   * @example
   * await client.quizzes.update(id, { title: "Chapter 3 (reviewed)" });
   */
  update(id: string, body: UpdateQuizBody, options?: RequestOptions): APIPromise<Quiz> {
    return this.request(
      { method: "PATCH", path: `/quizzes/${segment(id)}`, body, schema: QuizSchema },
      options,
    );
  }

  /**
   * Publishes a draft: students of its course (or of the academy) see it, without answers.
   *
   * @example
   * await client.quizzes.publish(id);
   */
  publish(id: string, options?: RequestOptions): APIPromise<Quiz> {
    return this.update(id, { status: "published" }, options);
  }

  /**
   * Submits a student's answers to a published quiz: scored per question
   * type (all or nothing; equal numeric forms count), each answer an attempt
   * for the learning model. An answer of the wrong shape, an unknown or
   * repeated question is a `ValidationError` naming `answers.<i>…`, and
   * nothing is saved. A question left out scores as wrong.
   *
   * @example
   * const result = await asStudent.quizzes.submit(quiz.id, {
   *   answers: [{ questionId: quiz.questions[0].id, answer: "B" }],
   * });
   * console.log(`${result.score}/${result.maxScore}`);
   */
  submit(
    quizId: string,
    body: CreateQuizSubmissionBody,
    options?: RequestOptions,
  ): APIPromise<QuizSubmission> {
    return this.request(
      {
        method: "POST",
        path: `/quizzes/${segment(quizId)}/submissions`,
        body,
        schema: QuizSubmissionSchema,
      },
      options,
    );
  }
}
