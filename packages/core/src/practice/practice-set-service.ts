import { sql } from "kysely";
import {
  type CreatePracticeSetBody,
  CreatePracticeSetBodySchema,
  PRACTICE_SET_DEFAULT_COUNT,
  PRACTICE_SET_MAX,
  type PracticeAnswerBody,
  PracticeAnswerBodySchema,
  type PracticeAnswerResult,
  type PracticeSet,
  type PracticeSetListQuery,
  type QuestionBank,
  type QuestionSection,
} from "../contracts/index.js";
import {
  BankTooSmallError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "../errors.js";
import { recordAttempts } from "../learning/attempts.js";
import { awardActivity } from "../learning/gamification.js";
import { choosePractice } from "../learning/study-plan.js";
import { weakSpotsOf } from "../learning/weak-spots.js";
import type { Page } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { Actor } from "../policies/actor.js";
import { practiceReadScope, practiceRules } from "../policies/practice.js";
import { bankCandidates } from "../questions/bank-candidates.js";
import { parseInput } from "../services/parse-input.js";
import { userScopeFilter } from "../services/scopes.js";
import type { ServiceDeps } from "../services/service-deps.js";
import type { TenantDb } from "../tenancy/context.js";
import { keyedQuestions, scoreResponse } from "./bank-rows.js";
import { type ChosenQuestion, chooseNext, type SetShape } from "./choose-question.js";
import { type PracticeSetRow, practiceSetViews, SET_COLUMNS } from "./practice-set-view.js";
import { countAvailable, resolveStrands, type Strand } from "./strands.js";

function strandsOf(value: unknown): Strand[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((s) => {
    const { section, topic } = (s ?? {}) as { section?: unknown; topic?: unknown };
    return typeof topic === "string" && (section === null || typeof section === "string")
      ? [{ section: section as QuestionSection | null, topic }]
      : [];
  });
}

const shapeOf = (row: PracticeSetRow): SetShape => ({
  bank: row.bank as QuestionBank,
  adaptive: row.adaptive,
  strands: strandsOf(row.strands),
  questionIds: Array.isArray(row.question_ids) ? row.question_ids.map(String) : null,
});

/**
 * Practice sets (docs/learning.md, "Practice sets"): a student practises bank
 * questions one at a time; each answer is scored by `score()`, recorded as
 * an attempt (mastery, Elo, weak spots, study plans) and XP, and only then
 * are the answer and explanation revealed. The next question is chosen by
 * `chooseNext` (adaptive: from the student's Elo ability on its topic).
 */
export class PracticeSetService {
  readonly #deps: ServiceDeps;
  readonly #now: () => Date;

  constructor(deps: ServiceDeps, options: { readonly now?: (() => Date) | undefined } = {}) {
    this.#deps = deps;
    this.#now = options.now ?? (() => new Date());
  }

  #visible(trx: TenantDb, actor: Actor) {
    return trx
      .selectFrom("practice_sets as ps")
      .innerJoin("users as u", "u.id", "ps.student_id")
      .select(SET_COLUMNS)
      .where("u.deleted_at", "is", null)
      .where((eb) => userScopeFilter(eb, practiceReadScope(actor)));
  }

  async get(trx: TenantDb, actor: Actor, id: string): Promise<PracticeSet> {
    const row = await this.#visible(trx, actor).where("ps.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Practice set");
    const [view] = await practiceSetViews(trx, actor, [row as PracticeSetRow]);
    if (!view) throw new NotFoundError("Practice set");
    return view;
  }

  async list(
    trx: TenantDb,
    actor: Actor,
    filter: PracticeSetListQuery,
  ): Promise<Page<PracticeSet>> {
    let query = this.#visible(trx, actor);
    if (filter.studentId) query = query.where("ps.student_id", "=", filter.studentId);
    if (filter.status) query = query.where("ps.status", "=", filter.status);
    const page = await paginate(query, {
      alias: "ps",
      list: `practice-sets:${filter.studentId ?? "*"}:${filter.status ?? "*"}`,
      page: filter,
      cursors: this.#deps.cursors,
      map: (row) => row as PracticeSetRow,
    });
    return { data: await practiceSetViews(trx, actor, page.data), nextCursor: page.nextCursor };
  }

  /**
   * Starts a set for the calling student, at its first question. Nothing
   * to draw: 409 `bank_too_small` naming the filter; fewer questions than
   * `count`: the set is as long as what there is.
   *
   * @example
   * const set = await withTenant(db, ctx, (trx) =>
   *   services.practiceSets.create(trx, actor, { bank: "sat", sections: ["math"], count: 10 }),
   * );
   */
  async create(trx: TenantDb, actor: Actor, input: CreatePracticeSetBody): Promise<PracticeSet> {
    const body = parseInput(CreatePracticeSetBodySchema, input);
    if (!practiceRules.start(actor)) throw new ForbiddenError("Only a student practises.");
    const now = this.#now();
    let strands: Strand[] = [];
    let questionIds: string[] | null = null;
    let total: number;
    if (body.questionIds) {
      questionIds = await this.#explicit(trx, body.bank, body.questionIds);
      total = Math.min(body.count ?? questionIds.length, questionIds.length);
    } else if (body.fromStudyPlan) {
      questionIds = await this.#fromStudyPlan(trx, actor.userId, body.bank, now);
      total = Math.min(body.count ?? questionIds.length, questionIds.length);
    } else {
      const wanted = body.count ?? PRACTICE_SET_DEFAULT_COUNT;
      strands = await resolveStrands(trx, body.bank, body);
      const available = strands.length ? await countAvailable(trx, body.bank, strands, wanted) : 0;
      if (available === 0) throw nothingToDraw(body);
      total = Math.min(wanted, available);
    }
    const filters = {
      ...(body.topics ? { topics: body.topics } : {}),
      ...(body.sections ? { sections: body.sections } : {}),
      ...(body.questionIds ? { questionIds: body.questionIds } : {}),
      ...(body.fromStudyPlan ? { fromStudyPlan: true } : {}),
    };
    const row = await trx
      .insertInto("practice_sets")
      .values({
        student_id: actor.userId,
        bank: body.bank,
        adaptive: body.adaptive,
        strands: JSON.stringify(strands),
        question_ids: questionIds === null ? null : JSON.stringify(questionIds),
        filters: JSON.stringify(filters),
        total,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const shape = { bank: body.bank, adaptive: body.adaptive, strands, questionIds };
    const first = await chooseNext(trx, shape, actor.userId, []);
    if (!first) throw nothingToDraw(body);
    await this.#present(trx, row.id, 0, first, now);
    return this.get(trx, actor, row.id);
  }

  /** Explicit questions must be the bank's candidates (unknown or other-bank ids: 400). */
  async #explicit(trx: TenantDb, bank: QuestionBank, ids: readonly string[]): Promise<string[]> {
    const found = await bankCandidates(trx)
      .select(["eq.id", "eq.bank"])
      .where("eq.id", "in", [...ids])
      .execute();
    const banks = new Map(found.map((r) => [r.id, r.bank]));
    const problems = ids.flatMap((id, i) =>
      banks.get(id) === bank
        ? []
        : [
            {
              path: `questionIds.${i}`,
              message: banks.has(id)
                ? `This question is in the ${banks.get(id)} bank, not ${bank}.`
                : "No question of the bank has this id.",
            },
          ],
    );
    if (problems.length > 0)
      throw new ValidationError("Some questions cannot be practised.", problems);
    return [...ids];
  }

  /** The questions the student's study plan lists now (for this bank), in plan order. */
  async #fromStudyPlan(
    trx: TenantDb,
    studentId: string,
    bank: QuestionBank,
    now: Date,
  ): Promise<string[]> {
    const items = await choosePractice(trx, studentId, await weakSpotsOf(trx, studentId), now);
    const ids = [
      ...new Set(items.flatMap((i) => i.questions.filter((q) => q.bank === bank).map((q) => q.id))),
    ].slice(0, PRACTICE_SET_MAX);
    if (ids.length === 0)
      throw new BankTooSmallError("The study plan lists nothing to practise in this bank.", [
        {
          path: "fromStudyPlan",
          message: `The study plan lists no ${bank} questions: it lists bank questions for weak spots (a topic below 0.6 mastery after 3 attempts).`,
        },
      ]);
    return ids;
  }

  async #present(
    trx: TenantDb,
    setId: string,
    position: number,
    chosen: ChosenQuestion,
    now: Date,
  ): Promise<void> {
    await trx
      .insertInto("practice_set_items")
      .values({
        practice_set_id: setId,
        position,
        question_id: chosen.questionId,
        topic: chosen.topic,
        section: chosen.section,
        difficulty: chosen.difficulty,
        predicted_success: chosen.predictedSuccess,
        presented_at: now,
      })
      .execute();
  }

  /**
   * Answers the set's current question (its own student only): scores it,
   * records the attempt and XP, presents the next question or finishes the
   * set, and reveals the answer and explanation. A question other than the
   * current one, or a finished set: 409; an answer of the wrong shape: 400
   * and nothing written.
   */
  async answer(
    trx: TenantDb,
    actor: Actor,
    setId: string,
    input: PracticeAnswerBody,
  ): Promise<PracticeAnswerResult> {
    const body = parseInput(PracticeAnswerBodySchema, input);
    if (actor.role !== "student") throw new ForbiddenError("Only a student answers.");
    const now = this.#now();
    // Locks the set: two answers to one set serialise, and the second finds the question moved on.
    const row = (await trx
      .selectFrom("practice_sets as ps")
      .select(SET_COLUMNS)
      .where("ps.id", "=", setId)
      .where("ps.student_id", "=", actor.userId)
      .forUpdate()
      .executeTakeFirst()) as PracticeSetRow | undefined;
    if (!row || !practiceRules.answer(actor, { studentId: row.student_id }))
      throw new NotFoundError("Practice set");
    if (row.status === "finished") throw new ConflictError("This practice set is finished.");
    const items = await trx
      .selectFrom("practice_set_items")
      .select(["id", "position", "question_id", "topic", "section", "difficulty", "answered_at"])
      .where("practice_set_id", "=", setId)
      .orderBy("position")
      .execute();
    const current = items.find((i) => i.answered_at === null);
    if (!current) throw new ConflictError("This practice set has no question waiting.");
    if (current.question_id !== body.questionId)
      throw new ConflictError(
        `Only the set's current question can be answered now (${current.question_id}).`,
      );
    const question = (await keyedQuestions(trx, [current.question_id])).get(current.question_id);
    if (!question) throw new NotFoundError("Question");
    const scored = scoreResponse(question, body.answer);
    if ("problem" in scored)
      throw new ValidationError("The answer does not fit the question.", [
        { path: "answer", message: scored.problem },
      ]);
    if (scored.invalid !== undefined)
      throw new ValidationError("The answer does not fit the question.", [
        { path: "answer", message: scored.invalid },
      ]);

    await trx
      .updateTable("practice_set_items")
      .set({
        response: JSON.stringify(body.answer),
        correct: scored.correct,
        answered_at: now,
        time_ms: body.timeSpentMs ?? null,
      })
      .where("id", "=", current.id)
      .execute();
    await recordAttempts(
      trx,
      actor.userId,
      [
        {
          questionId: current.question_id,
          topic: current.topic,
          correct: scored.correct,
          level: current.difficulty,
          timeMs: body.timeSpentMs ?? null,
        },
      ],
      { at: now },
    );
    await awardActivity(
      trx,
      actor.userId,
      { kind: "practice", practiceItemId: current.id },
      { now },
    );

    const answered = row.answered + 1;
    const next =
      answered < row.total
        ? await chooseNext(
            trx,
            shapeOf(row),
            actor.userId,
            items.map((i) => ({ questionId: i.question_id, topic: i.topic, section: i.section })),
          )
        : null;
    if (next) await this.#present(trx, setId, items.length, next, now);
    await trx
      .updateTable("practice_sets")
      .set({
        answered,
        correct: sql<number>`correct + ${scored.correct ? 1 : 0}`,
        updated_at: now,
        // Nothing left to draw (the bank shrank since the set began): it ends here.
        ...(next ? {} : { status: "finished", finished_at: now, total: answered }),
      })
      .where("id", "=", setId)
      .execute();
    return {
      questionId: current.question_id,
      correct: scored.correct,
      answer: question.answer,
      explanation: question.explanation,
      set: await this.get(trx, actor, setId),
    };
  }
}

function nothingToDraw(body: {
  readonly bank: QuestionBank;
  readonly topics?: readonly string[] | undefined;
  readonly sections?: readonly string[] | undefined;
}): BankTooSmallError {
  const where = [
    body.topics ? `topics ${body.topics.join(", ")}` : undefined,
    body.sections ? `sections ${body.sections.join(", ")}` : undefined,
  ].filter(Boolean);
  return new BankTooSmallError("The bank has no question to practise for this filter.", [
    {
      path: body.topics ? "topics" : body.sections ? "sections" : "bank",
      message: `The ${body.bank} bank has no question${where.length ? ` in ${where.join(" and ")}` : ""}.`,
    },
  ]);
}
