import { sql } from "kysely";
import type { AiGateway } from "../ai/ai-gateway.js";
import { extractSourceText, type UploadedFile } from "../ai/quiz/extract-text.js";
import { generateQuizQuestions } from "../ai/quiz/generate-questions.js";
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from "../ai/quiz/source-limits.js";
import {
  type CreateQuizBody,
  CreateQuizBodySchema,
  type CreateQuizFromBankBody,
  CreateQuizFromBankBodySchema,
  type GenerateQuizFieldsInput,
  GenerateQuizFieldsSchema,
  type LearnerQuiz,
  type Quiz,
  type QuizGeneration,
  QuizGenerationSchema,
  type QuizQuestion,
  type QuizStatus,
  type QuizSummary,
  type UpdateQuizBody,
  UpdateQuizBodySchema,
} from "../contracts/index.js";
import { AiUnavailableError, ConflictError, ForbiddenError, NotFoundError } from "../errors.js";
import type { Page, PageRequest } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import { type Actor, isStaff } from "../policies/actor.js";
import type { QuizAttemptPolicy } from "../policies/quiz-submissions.js";
import { quizReadScope, quizRules } from "../policies/quizzes.js";
import type { TenantDb } from "../tenancy/context.js";
import type { CourseService } from "./courses.js";
import { parseInput } from "./parse-input.js";
import { attemptPolicyOf } from "./quiz-attempts.js";
import { drawBankQuestions, storedItems } from "./quiz-bank.js";
import { readStoredQuestion, toLearnerQuestion, toStoredQuestion } from "./quiz-question-store.js";
import { quizScopeFilter } from "./scopes.js";
import { iso, isoOrNull, type ServiceDeps } from "./service-deps.js";
import type { TenantRunner } from "./tutor-sessions.js";

const columns = [
  "q.id",
  "q.course_id",
  "q.title",
  "q.status",
  "q.questions",
  "q.created_by",
  "q.created_at",
  "q.updated_at",
  "q.published_at",
  "q.generation",
  "q.allowed_attempts",
  "q.results",
] as const;

const returned = [
  "id",
  "course_id",
  "title",
  "status",
  "questions",
  "created_by",
  "created_at",
  "updated_at",
  "published_at",
  "generation",
  "allowed_attempts",
  "results",
] as const;

interface QuizRow {
  id: string;
  course_id: string | null;
  title: string;
  status: string;
  questions: unknown[];
  created_by: string;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  generation: Record<string, unknown> | null;
  allowed_attempts: number | null;
  results: string;
}

/** Stored questions as the staff schema reads them; an item that does not parse is left out. */
export function questionsOf(row: { questions: unknown[] }): QuizQuestion[] {
  return row.questions.flatMap((item) => {
    const question = readStoredQuestion(item);
    return question ? [question] : [];
  });
}

/** Staff get answers and generation notes; learners the questions alone (see the contracts). */
function toQuiz(actor: Actor) {
  return (row: QuizRow): Quiz | LearnerQuiz => {
    const shared = {
      id: row.id,
      courseId: row.course_id,
      title: row.title,
      status: row.status as QuizStatus,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      publishedAt: isoOrNull(row.published_at),
      ...attemptPolicyOf(row),
    };
    const questions = questionsOf(row);
    if (!isStaff(actor)) {
      // Rebuilt without the hidden fields: an answer is never copied into a learner's object.
      return { ...shared, questions: questions.map(toLearnerQuestion) };
    }
    const generation = QuizGenerationSchema.safeParse(row.generation);
    return {
      ...shared,
      questions,
      createdBy: row.created_by,
      generation: generation.success ? generation.data : null,
    };
  };
}

function toSummary(row: QuizRow & { question_count: number }): QuizSummary {
  return {
    id: row.id,
    courseId: row.course_id,
    title: row.title,
    status: row.status as QuizStatus,
    questionCount: Number(row.question_count),
    ...attemptPolicyOf(row),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    publishedAt: isoOrNull(row.published_at),
  };
}

/** A file name as a label: no directories, no control characters, bounded. */
function displayName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? "";
  const clean = base
    .replace(/\p{Cc}/gu, "")
    .trim()
    .slice(0, 255);
  return clean || "upload";
}

export interface QuizFilter extends PageRequest {
  readonly courseId?: string | undefined;
  readonly status?: QuizStatus | undefined;
}

export interface QuizOptions {
  /** The metered model access generation uses; without it, generating is `ai_unavailable`. */
  readonly ai?: AiGateway | undefined;
  readonly sourceLimits?: Partial<SourceLimits> | undefined;
}

/**
 * Quizzes: drafts written by hand or generated from an uploaded document,
 * reviewed and published by staff; role-filtered reads (`policies/quizzes`).
 */
export class QuizService {
  readonly #deps: ServiceDeps;
  readonly #courses: CourseService;
  readonly #ai: AiGateway | undefined;
  readonly sourceLimits: SourceLimits;

  constructor(deps: ServiceDeps, courses: CourseService, options: QuizOptions = {}) {
    this.#deps = deps;
    this.#courses = courses;
    this.#ai = options.ai;
    this.sourceLimits = { ...DEFAULT_SOURCE_LIMITS, ...options.sourceLimits };
  }

  #visible(trx: TenantDb, actor: Actor) {
    return trx
      .selectFrom("quizzes as q")
      .leftJoin("courses as c", "c.id", "q.course_id")
      .select(columns)
      .select("c.instructor_id as course_instructor_id")
      .where((eb) => eb.or([eb("q.course_id", "is", null), eb("c.deleted_at", "is", null)]))
      .where((eb) => quizScopeFilter(eb, quizReadScope(actor)));
  }

  async get(trx: TenantDb, actor: Actor, id: string): Promise<Quiz | LearnerQuiz> {
    const row = await this.#visible(trx, actor).where("q.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Quiz");
    return toQuiz(actor)(row);
  }

  /**
   * A quiz the actor may see, with its questions as stored (answers
   * included): for scoring a submission, never for a response. 404 when the
   * actor may not see it (for a student: not published, or not of their
   * courses nor academy-wide).
   */
  async forScoring(
    trx: TenantDb,
    actor: Actor,
    id: string,
  ): Promise<{
    readonly id: string;
    readonly status: QuizStatus;
    readonly questions: QuizQuestion[];
    readonly policy: QuizAttemptPolicy;
  }> {
    const row = await this.#visible(trx, actor).where("q.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Quiz");
    return {
      id: row.id,
      status: row.status as QuizStatus,
      questions: questionsOf(row),
      policy: attemptPolicyOf(row),
    };
  }

  async list(trx: TenantDb, actor: Actor, filter: QuizFilter): Promise<Page<QuizSummary>> {
    let query = this.#visible(trx, actor).select(
      sql<number>`jsonb_array_length(q.questions)`.as("question_count"),
    );
    if (filter.courseId) query = query.where("q.course_id", "=", filter.courseId);
    if (filter.status) query = query.where("q.status", "=", filter.status);
    return paginate(query, {
      alias: "q",
      list: `quizzes:${filter.courseId ?? "*"}:${filter.status ?? "*"}`,
      page: filter,
      cursors: this.#deps.cursors,
      map: toSummary,
    });
  }

  /** The course a new quiz goes to (visible to the actor, or 404), checked against the rules. */
  async #assertMayCreate(trx: TenantDb, actor: Actor, courseId: string | undefined): Promise<void> {
    const course = courseId === undefined ? null : await this.#courses.get(trx, actor, courseId);
    if (!quizRules.create(actor, course)) {
      throw new ForbiddenError("Instructors add quizzes to the courses they teach.");
    }
  }

  async #insert(
    trx: TenantDb,
    actor: Actor,
    values: {
      title: string;
      courseId: string | undefined;
      questions: QuizQuestion[];
      generation: QuizGeneration | null;
      allowedAttempts?: number | null | undefined;
      results?: QuizAttemptPolicy["results"] | undefined;
    },
  ): Promise<Quiz> {
    const row = await trx
      .insertInto("quizzes")
      .values({
        title: values.title,
        course_id: values.courseId ?? null,
        status: "draft",
        questions: JSON.stringify(values.questions),
        created_by: actor.userId,
        generation: values.generation === null ? null : JSON.stringify(values.generation),
        allowed_attempts: values.allowedAttempts ?? null,
        ...(values.results === undefined ? {} : { results: values.results }),
      })
      .returning(returned)
      .executeTakeFirstOrThrow();
    return toQuiz(actor)(row) as Quiz;
  }

  /**
   * A draft quiz written by hand (`POST /quizzes`): its items are questions
   * or bank questions by id, copied in (`services/quiz-bank.ts`).
   */
  async create(trx: TenantDb, actor: Actor, input: CreateQuizBody): Promise<Quiz> {
    const body = parseInput(CreateQuizBodySchema, input);
    await this.#assertMayCreate(trx, actor, body.courseId);
    return this.#insert(trx, actor, {
      title: body.title,
      courseId: body.courseId,
      questions: await storedItems(trx, body.questions),
      generation: null,
      allowedAttempts: body.allowedAttempts,
      results: body.results,
    });
  }

  /**
   * A draft quiz of `count` different bank questions drawn at random from
   * those matching the filters (`POST /quizzes/from-bank`); too few match:
   * `BankTooSmallError`. Like any draft, reviewed and published by staff.
   */
  async fromBank(trx: TenantDb, actor: Actor, input: CreateQuizFromBankBody): Promise<Quiz> {
    const body = parseInput(CreateQuizFromBankBodySchema, input);
    await this.#assertMayCreate(trx, actor, body.courseId);
    return this.#insert(trx, actor, {
      title: body.title,
      courseId: body.courseId,
      questions: await drawBankQuestions(trx, body),
      generation: null,
      allowedAttempts: body.allowedAttempts,
      results: body.results,
    });
  }

  /**
   * Reviews a quiz: a draft's title and questions change freely;
   * `status: "published"` publishes it, after which its questions are fixed.
   * The attempt policy may change at any time: submissions are counted and
   * shown by the policy in force when they are made and read.
   */
  async update(trx: TenantDb, actor: Actor, id: string, input: UpdateQuizBody): Promise<Quiz> {
    const body = parseInput(UpdateQuizBodySchema, input);
    const row = await this.#visible(trx, actor).where("q.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Quiz");
    if (
      !quizRules.manage(actor, {
        courseInstructorId: row.course_instructor_id,
        createdBy: row.created_by,
      })
    ) {
      throw new ForbiddenError();
    }
    if (row.status === "published" && body.questions !== undefined) {
      throw new ConflictError(
        "A published quiz's questions no longer change; copy it to a new draft.",
      );
    }
    const publishing = body.status === "published" && row.status === "draft";
    const updated = await trx
      .updateTable("quizzes")
      .set({
        ...(body.title === undefined ? {} : { title: body.title }),
        ...(body.questions === undefined
          ? {}
          : { questions: JSON.stringify(await storedItems(trx, body.questions)) }),
        ...(body.allowedAttempts === undefined ? {} : { allowed_attempts: body.allowedAttempts }),
        ...(body.results === undefined ? {} : { results: body.results }),
        ...(publishing ? { status: "published", published_at: sql<Date>`now()` } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where("id", "=", id)
      .returning(returned)
      .executeTakeFirstOrThrow();
    return toQuiz(actor)(updated) as Quiz;
  }

  /**
   * A draft quiz generated from an uploaded document (`POST
   * /quizzes/generate`). Three steps, so no transaction is open while the
   * document is read and the model writes: check the caller may add a quiz
   * (to that course); extract, chunk and generate; insert the draft, checking
   * again in the same transaction. Call it outside any transaction.
   */
  async generate(
    tenant: TenantRunner,
    academyId: string,
    fields: GenerateQuizFieldsInput,
    file: UploadedFile,
    signal?: AbortSignal,
  ): Promise<Quiz> {
    const body = parseInput(GenerateQuizFieldsSchema, fields);
    const ai = this.#ai;
    if (!ai) throw new AiUnavailableError("No AI provider is configured for quiz generation.");
    const actor = await tenant(async (trx, actor) => {
      await this.#assertMayCreate(trx, actor, body.courseId);
      return actor;
    });
    const source = await extractSourceText(file, this.sourceLimits);
    const result = await generateQuizQuestions(
      ai.forAcademy(academyId, actor.userId),
      { title: body.title, text: source.text, count: body.count },
      { signal },
    );
    const generation: QuizGeneration = {
      provider: result.provider,
      offline: result.offline,
      model: result.model,
      source: {
        fileName: displayName(source.fileName),
        kind: source.kind,
        bytes: source.bytes,
        pages: source.pages,
        characters: source.text.length,
      },
      chunks: result.chunks,
      requested: body.count,
      accepted: result.questions.length,
      dropped: result.dropped,
    };
    return tenant(async (trx, current) => {
      if (current.userId !== actor.userId) throw new ForbiddenError();
      await this.#assertMayCreate(trx, current, body.courseId);
      return this.#insert(trx, current, {
        title: body.title,
        courseId: body.courseId,
        questions: result.questions.map(toStoredQuestion),
        generation,
      });
    });
  }
}
