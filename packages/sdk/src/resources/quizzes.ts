import {
  LearnerQuizSchema,
  QuizPageSchema,
  QuizSchema,
  QuizSubmissionSchema,
} from "@skillbridge/core/contracts";
import { z } from "zod";
import type { APIPromise } from "../core/api-promise.js";
import { encodeMultipart, type UploadFile } from "../core/multipart.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource, type RequestOptions, segment } from "../core/resource.js";
import type { LearnerQuiz, Quiz, QuizSubmission, QuizSummary } from "../types/models.js";
import type {
  CreateQuizBody,
  CreateQuizFromBankBody,
  CreateQuizSubmissionBody,
  GenerateQuizFields,
  QuizListQuery,
  UpdateQuizBody,
} from "../types/requests.js";

/** Staff get answers and generation notes; students and parents the questions only. */
const QuizViewSchema = z.union([QuizSchema, LearnerQuizSchema]);

export interface GenerateQuizParams extends GenerateQuizFields {
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
  list(query: QuizListQuery = {}, options?: RequestOptions): PagePromise<QuizSummary> {
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
   * Items are questions, or shared-bank questions by id (`{ bankQuestionId }`),
   * copied into the quiz: a later edit of the bank does not change it. The
   * attempt policy (`allowedAttempts`, `results`) is optional: unlimited
   * attempts, results per question.
   *
   * @example
   * const quiz = await client.quizzes.create({ title: "Warm-up", courseId, allowedAttempts: 2, results: "score_only", questions: [
   *   { type: "multiple_choice", prompt: "2 + 2?", options: [{ id: "A", text: "4" }, { id: "B", text: "5" }], answer: "A", topic: "arithmetic", difficulty: 1 },
   *   { bankQuestionId: "5b1f0c52-…" },
   * ] });
   */
  create(body: CreateQuizBody, options?: RequestOptions): APIPromise<Quiz> {
    return this.request({ method: "POST", path: "/quizzes", body, schema: QuizSchema }, options);
  }

  /**
   * A draft quiz of `count` different shared-bank questions drawn at random
   * from those matching every filter (bank; topics, types and a difficulty
   * range when given). Too few matching questions is a `ConflictError` with
   * code `bank_too_small` saying how many match.
   *
   * @example
   * const quiz = await client.quizzes.fromBank({
   *   title: "Algebra drill", courseId, bank: "sat", topics: ["algebra"],
   *   minDifficulty: 2, maxDifficulty: 4, count: 10, allowedAttempts: 1, results: "after_last_attempt",
   * });
   */
  fromBank(body: CreateQuizFromBankBody, options?: RequestOptions): APIPromise<Quiz> {
    return this.request(
      { method: "POST", path: "/quizzes/from-bank", body, schema: QuizSchema },
      options,
    );
  }

  /**
   * A draft quiz generated from a document (multipart upload). Unusable files
   * are errors with the server's explanation: `unreadable_file` (a scan
   * without text, a corrupt or password-protected file), `archive_too_large` (a
   * document that unpacks past the limit: a zip bomb), `unsupported_file`,
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
   * Reviews a quiz: a draft's title and questions; `status: "published"`
   * publishes it. The attempt policy may change at any time, also once published.
   *
   * @example
   * await client.quizzes.update(id, { title: "Chapter 3 (reviewed)" });
   * await client.quizzes.update(id, { allowedAttempts: 3, results: "per_question" });
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
   * nothing is saved. A question left out scores as wrong. Past the quiz's
   * `allowedAttempts`: a `ConflictError` with code `attempts_exhausted`. The
   * result has per-question `correct` only when `resultsShown` is
   * `per_question` (the quiz's `results` policy decides for learners).
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
