import { sql } from "kysely";
import {
  type CreateQuizSubmissionBody,
  CreateQuizSubmissionBodySchema,
  type QuizAnswerValue,
  QuizAnswerValueSchema,
  type QuizSubmission,
  type QuizSubmissionResult,
} from "../contracts/index.js";
import { AttemptsExhaustedError, ForbiddenError, NotFoundError } from "../errors.js";
import { recordAttempts } from "../learning/attempts.js";
import { awardActivity } from "../learning/gamification.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import {
  type QuizAttemptPolicy,
  quizSubmissionReadScope,
  quizSubmissionRules,
} from "../policies/quiz-submissions.js";
import type { TenantDb } from "../tenancy/context.js";
import { parseInput } from "./parse-input.js";
import { scoreQuizAnswers } from "./quiz-answers.js";
import { attemptPolicyOf, attemptsLeft, attemptsUsed, lockAttempts } from "./quiz-attempts.js";
import type { QuizService } from "./quizzes.js";
import { quizSubmissionScopeFilter } from "./scopes.js";
import { iso, type ServiceDeps } from "./service-deps.js";

const columns = [
  "qs.id",
  "qs.quiz_id",
  "qs.student_id",
  "qs.answers",
  "qs.score",
  "qs.max_score",
  "qs.results",
  "qs.submitted_at",
] as const;

const returned = [
  "id",
  "quiz_id",
  "student_id",
  "answers",
  "score",
  "max_score",
  "results",
  "submitted_at",
] as const;

interface QuizSubmissionRow {
  id: string;
  quiz_id: string;
  student_id: string;
  answers: unknown;
  score: number;
  max_score: number;
  results: unknown;
  submitted_at: Date;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function answerValue(value: unknown): QuizAnswerValue | null {
  const parsed = QuizAnswerValueSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Stored results as the contract reads them (rows written before `answered`
 * count as answered); without `correct` where the view is `score_only`.
 */
function resultsOf(row: QuizSubmissionRow, perQuestion: boolean): QuizSubmissionResult[] {
  const answers = new Map(
    (Array.isArray(row.answers) ? row.answers : []).map((a) => {
      const answer = record(a);
      return [String(answer.questionId), answer.answer] as const;
    }),
  );
  return (Array.isArray(row.results) ? row.results : []).map((item) => {
    const r = record(item);
    const questionId = String(r.questionId);
    const answered = typeof r.answered === "boolean" ? r.answered : answers.has(questionId);
    return {
      questionId,
      // Built field by field: a hidden `correct` is never copied, then deleted.
      ...(perQuestion ? { correct: r.correct === true } : {}),
      answered,
      response: answered ? answerValue(r.response ?? answers.get(questionId)) : null,
    };
  });
}

/** Where a submission stands among its student's attempts at the quiz. */
interface AttemptCount {
  /** Which attempt it is, from 1. */
  readonly attempt: number;
  /** How many the student has made to the quiz by now. */
  readonly used: number;
}

/** One submission as `actor` may see it under the quiz's policy. */
function toQuizSubmission(
  actor: Actor,
  row: QuizSubmissionRow,
  policy: QuizAttemptPolicy,
  count: AttemptCount,
): QuizSubmission {
  const shown = quizSubmissionRules.resultsShown(actor, policy, count.used);
  return {
    id: row.id,
    quizId: row.quiz_id,
    studentId: row.student_id,
    score: row.score,
    maxScore: row.max_score,
    resultsShown: shown,
    results: resultsOf(row, shown === "per_question"),
    attempt: count.attempt,
    attemptsLeft: attemptsLeft(policy, count.used),
    submittedAt: iso(row.submitted_at),
  };
}

/** A row read with its quiz's policy and its attempt counts (`#visible`). */
interface VisibleRow extends QuizSubmissionRow {
  allowed_attempts: number | null;
  results_policy: string;
  attempt: number;
  attempts_used: number;
}

function toVisible(actor: Actor) {
  return (row: VisibleRow): QuizSubmission =>
    toQuizSubmission(
      actor,
      row,
      attemptPolicyOf({ allowed_attempts: row.allowed_attempts, results: row.results_policy }),
      { attempt: Number(row.attempt), used: Number(row.attempts_used) },
    );
}

export interface QuizSubmissionFilter extends PageRequest {
  readonly quizId?: string | undefined;
  readonly studentId?: string | undefined;
}

/**
 * Quiz submissions: a student's answers to a published quiz, scored per
 * type by `score()`, each answer an attempt for the learning model
 * (docs/learning.md); role-filtered reads (`policies/quiz-submissions`).
 */
export class QuizSubmissionService {
  readonly #deps: ServiceDeps;
  readonly #quizzes: QuizService;

  constructor(deps: ServiceDeps, quizzes: QuizService) {
    this.#deps = deps;
    this.#quizzes = quizzes;
  }

  #visible(trx: TenantDb, actor: Actor) {
    return (
      trx
        .selectFrom("quiz_submissions as qs")
        .innerJoin("quizzes as q", "q.id", "qs.quiz_id")
        .leftJoin("courses as c", "c.id", "q.course_id")
        .select(columns)
        .select(["q.allowed_attempts", "q.results as results_policy"])
        // The student's attempts at the quiz, up to this one and in all (the policy reads both);
        // sub-queries through the builder, so the tenant scope is stamped on them too.
        .select((eb) => [
          eb
            .selectFrom("quiz_submissions as x")
            .select(sql<number>`count(*)::int`.as("n"))
            .whereRef("x.quiz_id", "=", "qs.quiz_id")
            .whereRef("x.student_id", "=", "qs.student_id")
            .where((w) =>
              w.or([
                w("x.submitted_at", "<", w.ref("qs.submitted_at")),
                w.and([
                  w("x.submitted_at", "=", w.ref("qs.submitted_at")),
                  w("x.id", "<=", w.ref("qs.id")),
                ]),
              ]),
            )
            .as("attempt"),
          eb
            .selectFrom("quiz_submissions as y")
            .select(sql<number>`count(*)::int`.as("n"))
            .whereRef("y.quiz_id", "=", "qs.quiz_id")
            .whereRef("y.student_id", "=", "qs.student_id")
            .as("attempts_used"),
        ])
        // Like the quizzes themselves: a soft-deleted course hides its quizzes' submissions.
        .where((eb) => eb.or([eb("q.course_id", "is", null), eb("c.deleted_at", "is", null)]))
        .where((eb) => quizSubmissionScopeFilter(eb, quizSubmissionReadScope(actor)))
    );
  }

  async get(trx: TenantDb, actor: Actor, id: string): Promise<QuizSubmission> {
    const row = await this.#visible(trx, actor).where("qs.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Quiz submission");
    return toVisible(actor)(row as VisibleRow);
  }

  async list(
    trx: TenantDb,
    actor: Actor,
    filter: QuizSubmissionFilter,
  ): Promise<Page<QuizSubmission>> {
    let query = this.#visible(trx, actor);
    if (filter.quizId) query = query.where("qs.quiz_id", "=", filter.quizId);
    if (filter.studentId) query = query.where("qs.student_id", "=", filter.studentId);
    return paginate(query, {
      alias: "qs",
      list: `quiz-submissions:${filter.quizId ?? "*"}:${filter.studentId ?? "*"}`,
      page: filter,
      cursors: this.#deps.cursors,
      map: (row) => toVisible(actor)(row as VisibleRow),
      orderColumn: "submitted_at",
    });
  }

  /**
   * Submits a student's answers to a quiz, in the caller's transaction:
   * checks the quiz is published and visible to the student (404 otherwise)
   * and that they have an attempt left (`AttemptsExhaustedError`, counted
   * under a lock so two submissions at once cannot both take the last one),
   * checks and scores every answer (a `ValidationError` naming the path, with
   * nothing written), stores the submission, and records each answer as an
   * attempt (mastery and Elo ratings) and the XP it earns. Everything or
   * nothing. The response shows what the quiz's `results` policy lets the
   * student see.
   *
   * @example
   * const submission = await withTenant(db, ctx, (trx) =>
   *   services.quizSubmissions.create(trx, actor, quizId, { answers: [{ questionId, answer: "B" }] }),
   * );
   */
  async create(
    trx: TenantDb,
    actor: Actor,
    quizId: string,
    input: CreateQuizSubmissionBody,
  ): Promise<QuizSubmission> {
    const body = parseInput(CreateQuizSubmissionBodySchema, input);
    if (actor.role !== "student") throw new ForbiddenError("Only a student submits a quiz.");
    const quiz = await this.#quizzes.forScoring(trx, actor, quizId);
    if (!quizSubmissionRules.create(actor, quiz)) throw new NotFoundError("Quiz");

    // 1. An attempt left? Unlimited quizzes need no lock: there is nothing to count against.
    if (quiz.policy.allowedAttempts !== null) await lockAttempts(trx, quiz.id, actor.userId);
    const used = await attemptsUsed(trx, quiz.id, actor.userId);
    if (!quizSubmissionRules.attemptAllowed(quiz.policy, used)) {
      throw new AttemptsExhaustedError(quiz.policy.allowedAttempts ?? used);
    }

    // 2. Score (throws on a bad answer, before any write).
    const scored = scoreQuizAnswers(quiz.questions, body.answers);

    // 3. Store the submission, then its attempts: one transaction.
    const row = await trx
      .insertInto("quiz_submissions")
      .values({
        quiz_id: quiz.id,
        student_id: actor.userId,
        answers: JSON.stringify(body.answers),
        score: scored.score,
        max_score: scored.maxScore,
        results: JSON.stringify(scored.results),
      })
      .returning(returned)
      .executeTakeFirstOrThrow();
    await recordAttempts(
      trx,
      actor.userId,
      scored.attempts.map((attempt) => ({ ...attempt, quizSubmissionId: row.id })),
      { at: row.submitted_at },
    );

    // 4. XP and badges for the score, read back from the row just written.
    await awardActivity(trx, actor.userId, { kind: "quiz", quizSubmissionId: row.id });

    return toQuizSubmission(actor, row, quiz.policy, { attempt: used + 1, used: used + 1 });
  }
}
