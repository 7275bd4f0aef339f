import {
  type CreateMockExamBody,
  CreateMockExamBodySchema,
  type MockExam,
  type MockExamKind,
  type MockExamLength,
  type MockExamListQuery,
  type MockExamReport,
  type MockExamRoute,
  type QuestionSection,
  type SubmitMockModuleBody,
  SubmitMockModuleBodySchema,
} from "../contracts/index.js";
import {
  BankTooSmallError,
  ConflictError,
  type FieldProblem,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "../errors.js";
import { recordAttempts } from "../learning/attempts.js";
import { awardActivity } from "../learning/gamification.js";
import type { Page } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { practiceReadScope, practiceRules } from "../policies/practice.js";
import { parseInput } from "../services/parse-input.js";
import { userScopeFilter } from "../services/scopes.js";
import type { ServiceDeps } from "../services/service-deps.js";
import type { TenantDb } from "../tenancy/context.js";
import { keyedQuestions, scoreResponse } from "./bank-rows.js";
import { drawModule, formShortfalls } from "./mock-draw.js";
import {
  EXAM_COLUMNS,
  MODULE_COLUMNS,
  type MockExamRow,
  type ModuleResult,
  type ModuleRow,
  mockExamViews,
  moduleQuestions,
  moduleResults,
} from "./mock-exam-view.js";
import { composition, HARDER_ROUTE_SHARE, MOCK_FORMS, moduleShape } from "./mock-forms.js";
import { ESTIMATE_NOTE, estimateScore } from "./score-estimate.js";

/** The modules of a form in order: each section's module 1, then its module 2. */
function stepsOf(exam: MockExamKind) {
  return MOCK_FORMS[exam].flatMap((form) =>
    form.modules.map((shape, i) => ({ section: form.section, module: i + 1, shape })),
  );
}

/**
 * Mock exams (docs/learning.md, "Mock exams"): SAT and GRE forms of the
 * real tests' shape, module by module, each module timed by the server
 * (`ends_at`), the second module of a section routed `harder` or `easier`
 * by the first one's result. Every answer in time is an attempt for the
 * learning model; the finished exam earns XP and gets a report with
 * estimated scores.
 */
export class MockExamService {
  readonly #deps: ServiceDeps;
  readonly #now: () => Date;

  constructor(deps: ServiceDeps, options: { readonly now?: (() => Date) | undefined } = {}) {
    this.#deps = deps;
    this.#now = options.now ?? (() => new Date());
  }

  #visible(trx: TenantDb, actor: Actor) {
    return trx
      .selectFrom("mock_exams as me")
      .innerJoin("users as u", "u.id", "me.student_id")
      .select(EXAM_COLUMNS)
      .where("u.deleted_at", "is", null)
      .where((eb) => userScopeFilter(eb, practiceReadScope(actor)));
  }

  async get(trx: TenantDb, actor: Actor, id: string): Promise<MockExam> {
    const row = await this.#visible(trx, actor).where("me.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Mock exam");
    const [view] = await mockExamViews(trx, [row as MockExamRow]);
    if (!view) throw new NotFoundError("Mock exam");
    return view;
  }

  async list(trx: TenantDb, actor: Actor, filter: MockExamListQuery): Promise<Page<MockExam>> {
    let query = this.#visible(trx, actor);
    if (filter.studentId) query = query.where("me.student_id", "=", filter.studentId);
    if (filter.status) query = query.where("me.status", "=", filter.status);
    const page = await paginate(query, {
      alias: "me",
      list: `mock-exams:${filter.studentId ?? "*"}:${filter.status ?? "*"}`,
      page: filter,
      cursors: this.#deps.cursors,
      map: (row) => row as MockExamRow,
    });
    return { data: await mockExamViews(trx, page.data), nextCursor: page.nextCursor };
  }

  /**
   * Starts a mock exam for the calling student at its first module (its
   * clock starts now). Too few bank questions for the form: 409
   * `bank_too_small`, naming every section and level that is short.
   *
   * @example
   * const exam = await withTenant(db, ctx, (trx) =>
   *   services.mockExams.create(trx, actor, { exam: "gre", length: "short" }),
   * );
   */
  async create(trx: TenantDb, actor: Actor, input: CreateMockExamBody): Promise<MockExam> {
    const body = parseInput(CreateMockExamBodySchema, input);
    if (!practiceRules.start(actor)) throw new ForbiddenError("Only a student sits a mock exam.");
    const shortfalls = await formShortfalls(trx, body.exam, body.length);
    if (shortfalls.length > 0)
      throw new BankTooSmallError(
        `The ${body.exam.toUpperCase()} bank is too small for a ${body.length} mock exam.`,
        shortfalls,
      );
    const now = this.#now();
    const exam = await trx
      .insertInto("mock_exams")
      .values({
        student_id: actor.userId,
        exam: body.exam,
        length: body.length,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await this.#startModule(trx, exam.id, body.exam, body.length, 0, null, new Set(), now);
    return this.get(trx, actor, exam.id);
  }

  async #startModule(
    trx: TenantDb,
    examId: string,
    exam: MockExamKind,
    length: MockExamLength,
    position: number,
    route: MockExamRoute | null,
    used: ReadonlySet<string>,
    now: Date,
  ): Promise<void> {
    const step = stepsOf(exam)[position];
    if (!step) throw new Error(`mock exam step ${position} does not exist`);
    const shape = moduleShape(step.shape, length);
    const counts = composition(route ?? "first", shape.questions);
    const questions = await drawModule(trx, exam, step.section, counts, used);
    await trx
      .insertInto("mock_exam_modules")
      .values({
        mock_exam_id: examId,
        position,
        section: step.section,
        module: step.module,
        route,
        questions: JSON.stringify(questions),
        started_at: now,
        ends_at: new Date(now.getTime() + shape.seconds * 1000),
        total: questions.length,
      })
      .execute();
  }

  /**
   * Submits the current module (its own student only). Every answer is
   * checked first (a question not in the module, a repeat, a wrong shape:
   * 400, nothing written). Past the module's `endsAt` every answer counts as
   * unanswered. Then: the next module (a section's second is routed by its
   * first), or the report.
   */
  async submitModule(
    trx: TenantDb,
    actor: Actor,
    examId: string,
    input: SubmitMockModuleBody,
  ): Promise<MockExam> {
    const body = parseInput(SubmitMockModuleBodySchema, input);
    if (actor.role !== "student") throw new ForbiddenError("Only a student sits a mock exam.");
    const now = this.#now();
    const exam = (await trx
      .selectFrom("mock_exams as me")
      .select(EXAM_COLUMNS)
      .where("me.id", "=", examId)
      .where("me.student_id", "=", actor.userId)
      .forUpdate()
      .executeTakeFirst()) as MockExamRow | undefined;
    if (!exam || !practiceRules.answer(actor, { studentId: exam.student_id }))
      throw new NotFoundError("Mock exam");
    if (exam.status === "finished") throw new ConflictError("This mock exam is finished.");
    const modules = (await trx
      .selectFrom("mock_exam_modules")
      .select(MODULE_COLUMNS)
      .where("mock_exam_id", "=", examId)
      .orderBy("position")
      .execute()) as ModuleRow[];
    const current = modules.find((m) => m.submitted_at === null);
    if (!current) throw new ConflictError("This mock exam has no module waiting.");

    const questions = moduleQuestions(current);
    const keys = await keyedQuestions(
      trx,
      questions.map((q) => q.questionId),
    );
    const given = new Map<string, { answer: unknown; correct: boolean }>();
    const problems: FieldProblem[] = [];
    body.answers.forEach((a, i) => {
      const key = keys.get(a.questionId);
      if (!questions.some((q) => q.questionId === a.questionId) || !key) {
        problems.push({
          path: `answers.${i}.questionId`,
          message: "Not a question of this module.",
        });
      } else if (given.has(a.questionId)) {
        problems.push({
          path: `answers.${i}.questionId`,
          message: "This question is answered twice.",
        });
      } else {
        const scored = scoreResponse(key, a.answer);
        if ("problem" in scored)
          problems.push({ path: `answers.${i}.answer`, message: scored.problem });
        else if (scored.invalid !== undefined)
          problems.push({ path: `answers.${i}.answer`, message: scored.invalid });
        else given.set(a.questionId, { answer: a.answer, correct: scored.correct });
      }
    });
    if (problems.length > 0)
      throw new ValidationError("Some answers do not fit this module.", problems);

    // The server's clock decides: after the limit nothing counts.
    const late = now.getTime() > new Date(current.ends_at).getTime();
    const results: ModuleResult[] = questions.map((q) => {
      const g = late ? undefined : given.get(q.questionId);
      return { questionId: q.questionId, answered: g !== undefined, correct: g?.correct === true };
    });
    const correct = results.filter((r) => r.correct).length;
    await trx
      .updateTable("mock_exam_modules")
      .set({
        submitted_at: now,
        answers: JSON.stringify(body.answers),
        results: JSON.stringify(results),
        correct,
      })
      .where("id", "=", current.id)
      .execute();
    const topicOf = new Map(questions.map((q) => [q.questionId, q]));
    await recordAttempts(
      trx,
      actor.userId,
      results
        .filter((r) => r.answered)
        .map((r) => ({
          questionId: r.questionId,
          topic: topicOf.get(r.questionId)?.topic ?? "general",
          correct: r.correct,
          level: topicOf.get(r.questionId)?.difficulty,
        })),
      { at: now },
    );

    const kind = exam.exam as MockExamKind;
    const next = current.position + 1;
    if (next < stepsOf(kind).length) {
      const route: MockExamRoute | null =
        current.module === 1
          ? correct >= HARDER_ROUTE_SHARE * current.total && current.total > 0
            ? "harder"
            : "easier"
          : null;
      const used = new Set(modules.flatMap((m) => moduleQuestions(m).map((q) => q.questionId)));
      await this.#startModule(
        trx,
        examId,
        kind,
        exam.length as MockExamLength,
        next,
        route,
        used,
        now,
      );
      await trx
        .updateTable("mock_exams")
        .set({ updated_at: now })
        .where("id", "=", examId)
        .execute();
    } else {
      const done = modules.map((m) =>
        m.id === current.id ? { ...m, submitted_at: now, results, correct } : m,
      );
      await trx
        .updateTable("mock_exams")
        .set({
          status: "finished",
          finished_at: now,
          updated_at: now,
          report: JSON.stringify(reportFor(kind, done)),
        })
        .where("id", "=", examId)
        .execute();
      await awardActivity(trx, actor.userId, { kind: "mockExam", mockExamId: examId }, { now });
    }
    return this.get(trx, actor, examId);
  }
}

/** The finished exam's report: per section and per topic, with estimated scores. */
export function reportFor(exam: MockExamKind, modules: readonly ModuleRow[]): MockExamReport {
  const topics = new Map<string, { correct: number; total: number }>();
  const sections = MOCK_FORMS[exam].map((form) => {
    const mine = modules.filter((m) => m.section === form.section);
    let correct = 0;
    let total = 0;
    for (const m of mine) {
      const results = new Map(moduleResults(m).map((r) => [r.questionId, r]));
      for (const q of moduleQuestions(m)) {
        const right = results.get(q.questionId)?.correct === true;
        total += 1;
        correct += right ? 1 : 0;
        const t = topics.get(q.topic) ?? { correct: 0, total: 0 };
        topics.set(q.topic, { correct: t.correct + (right ? 1 : 0), total: t.total + 1 });
      }
    }
    const route = (mine.find((m) => m.module === 2)?.route ?? "easier") as MockExamRoute;
    return {
      section: form.section as QuestionSection,
      correct,
      total,
      route,
      estimatedScore: estimateScore(exam, { correct, total, route }),
    };
  });
  return {
    sections,
    topics: [...topics]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, t]) => ({ topic, ...t })),
    note: ESTIMATE_NOTE,
  };
}
