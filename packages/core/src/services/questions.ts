import { type Kysely, sql } from "kysely";
import {
  type ExamQuestion,
  type LearnerExamQuestion,
  type QuestionBatchBody,
  QuestionBatchBodySchema,
  type QuestionImportReport,
  type QuestionListQuery,
  type QuestionRejection,
} from "../contracts/index.js";
import type { Database } from "../db/tables.js";
import { NotFoundError } from "../errors.js";
import type { Page } from "../pagination/paginate.js";
import { paginate } from "../pagination/paginate.js";
import type { QuestionView } from "../policies/questions.js";
import { externalIdOf } from "../questions/rows.js";
import { matchesSearch } from "../questions/search.js";
import {
  type ExamQuestionRow,
  type StoredQuestion,
  toExamQuestion,
  toLearnerExamQuestion,
  toStoredQuestion,
} from "../questions/stored-question.js";
import { classifyQuestions, upsertQuestions } from "../questions/upsert.js";
import { DuplicateIds, validateQuestion } from "../questions/validate.js";
import type { PlatformDb, TenantDb } from "../tenancy/context.js";
import type { PlatformActor } from "./academies.js";
import type { AuditLogService } from "./audit-log.js";
import { parseInput } from "./parse-input.js";
import type { ServiceDeps } from "./service-deps.js";

const QUESTION_BANKS = ["sat", "gre"] as const;

type QuestionRetiredFilter = QuestionListQuery["retired"] | undefined;

/** The bank is readable from a platform transaction and from any tenant transaction. */
type QuestionReader = Kysely<Pick<Database, "exam_questions">>;

const learnerColumns = [
  "q.id",
  "q.bank",
  "q.external_id",
  "q.type",
  "q.topic",
  "q.standard_id",
  "q.section",
  "q.format",
  "q.difficulty",
  "q.prompt",
  "q.passage",
  "q.content",
  "q.tags",
  "q.created_at",
  "q.updated_at",
  "q.retired_at",
] as const;
const fullColumns = [...learnerColumns, "q.answer", "q.explanation"] as const;

export type AnyExamQuestion = ExamQuestion | LearnerExamQuestion;

/** The shared SAT/GRE bank: reads for everyone signed in, batch imports for content staff. */
export class QuestionService {
  readonly #deps: ServiceDeps;
  readonly #audit: AuditLogService;

  constructor(deps: ServiceDeps, audit: AuditLogService) {
    this.#deps = deps;
    this.#audit = audit;
  }

  #select(trx: PlatformDb | TenantDb, view: QuestionView) {
    const reader = trx as unknown as QuestionReader;
    // Learners' queries never read the answer columns, so no later mapping bug can leak them.
    return view === "full"
      ? reader.selectFrom("exam_questions as q").select(fullColumns)
      : reader.selectFrom("exam_questions as q").select(learnerColumns);
  }

  #map(view: QuestionView) {
    return (row: object): AnyExamQuestion =>
      view === "full"
        ? toExamQuestion(row as ExamQuestionRow)
        : toLearnerExamQuestion(row as ExamQuestionRow);
  }

  /**
   * A page of the bank in creation order, optionally of one bank, type,
   * topic and section, one `externalId`, or matching a text search; retired
   * questions only when asked for.
   */
  async list(
    trx: PlatformDb | TenantDb,
    view: QuestionView,
    query: Omit<QuestionListQuery, "retired"> & { readonly retired?: QuestionRetiredFilter },
  ): Promise<Page<AnyExamQuestion>> {
    const retired = query.retired ?? "exclude";
    let q = this.#select(trx, view);
    if (query.bank !== undefined) q = q.where("q.bank", "=", query.bank);
    else if (query.externalId !== undefined)
      // Both banks named, so the unique (bank, external_id) index answers with two probes.
      q = q.where("q.bank", "in", QUESTION_BANKS);
    if (query.externalId !== undefined) q = q.where("q.external_id", "=", query.externalId);
    if (query.q !== undefined) q = q.where(matchesSearch("q", query.q));
    if (retired === "exclude") q = q.where("q.retired_at", "is", null);
    else if (retired === "only") q = q.where("q.retired_at", "is not", null);
    if (query.type !== undefined) q = q.where("q.type", "=", query.type);
    if (query.topic !== undefined) q = q.where("q.topic", "=", query.topic);
    if (query.section !== undefined) q = q.where("q.section", "=", query.section);
    return paginate(q, {
      alias: "q",
      list: "questions",
      page: query,
      cursors: this.#deps.cursors,
      map: this.#map(view),
    });
  }

  async get(trx: PlatformDb | TenantDb, view: QuestionView, id: string): Promise<AnyExamQuestion> {
    const row = await this.#select(trx, view).where("q.id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Question");
    return this.#map(view)(row);
  }

  /**
   * Retires a question (`retired: true`) or brings it back (`false`). A
   * retired question is no longer drawn into practice sets, mock exams or
   * quizzes from the bank (`bankCandidates`), and lists leave it out unless
   * asked; its row, the attempts at it and the quiz copies made of it stay.
   * Idempotent: retiring a retired question keeps its first `retiredAt`, and
   * only a change is written to the audit log. An import never changes it.
   */
  async setRetired(
    trx: PlatformDb,
    actor: PlatformActor,
    id: string,
    retired: boolean,
  ): Promise<ExamQuestion> {
    const bank = trx as unknown as Kysely<Pick<Database, "exam_questions">>;
    const before = await bank
      .selectFrom("exam_questions")
      .select(["retired_at", "bank", "external_id"])
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new NotFoundError("Question");
    if ((before.retired_at !== null) !== retired) {
      await bank
        .updateTable("exam_questions")
        .set({ retired_at: retired ? sql<Date>`now()` : null })
        .where("id", "=", id)
        .execute();
      await this.#audit.record(trx, {
        actorId: actor.platformUserId,
        actorKind: actor.platformUserId ? "platform_user" : "system",
        action: retired ? "questions.retire" : "questions.unretire",
        targetType: "question",
        targetId: id,
        details: { bank: before.bank, externalId: before.external_id },
      });
    }
    return (await this.get(trx, "full", id)) as ExamQuestion;
  }

  /**
   * One batch of `POST /admin/questions/batch`, in the caller's transaction:
   * each item validated on its own (a repeated externalId rejects the later
   * item), the valid ones upserted in one statement. `rejected[].index` is the
   * item's position in `questions`. `strict`: any rejection writes nothing;
   * `dryRun`: classify only.
   */
  async batch(
    trx: PlatformDb,
    actor: PlatformActor,
    input: QuestionBatchBody,
  ): Promise<QuestionImportReport> {
    const body = parseInput(QuestionBatchBodySchema, input);
    const duplicates = new DuplicateIds((index) => `item ${index} of this batch`);
    const rejected: QuestionRejection[] = [];
    const valid: StoredQuestion[] = [];
    const validIndex: number[] = [];
    body.questions.forEach((value, index) => {
      const externalId = externalIdOf(value);
      const duplicate = duplicates.check(externalId, index);
      const result = duplicate ? undefined : validateQuestion(value, body.bank);
      // An item without an externalId is named by its content: the same content twice is a repeat.
      const same =
        result?.ok && result.generatedId
          ? duplicates.check(result.question.externalId, index, true)
          : undefined;
      if (result?.ok && !same) {
        valid.push(toStoredQuestion(result.question));
        validIndex.push(index);
        return;
      }
      if (same) {
        rejected.push({
          index,
          externalId: result?.ok ? result.question.externalId : "",
          errors: [same],
        });
        return;
      }
      rejected.push({
        index,
        ...(externalId === undefined ? {} : { externalId }),
        errors: duplicate ? [duplicate] : result && !result.ok ? result.errors : [],
      });
    });
    if (body.strict && rejected.length > 0)
      return { inserted: 0, updated: 0, unchanged: 0, rejected };
    const { outcomes, changes } = body.dryRun
      ? await classifyQuestions(trx, valid)
      : await upsertQuestions(trx, valid);
    // `changes` is keyed by position among the valid items; reports name the item's own index.
    const updates = [...changes].map(([i, fields]) => ({
      index: validIndex[i] ?? i,
      externalId: valid[i]?.external_id ?? "",
      fields: [...fields],
    }));
    const report = {
      inserted: outcomes.filter((o) => o === "inserted").length,
      updated: outcomes.filter((o) => o === "updated").length,
      unchanged: outcomes.filter((o) => o === "unchanged").length,
      rejected,
      ...(updates.length === 0 ? {} : { updates }),
    };
    if (!body.dryRun && report.inserted + report.updated > 0) {
      await this.#audit.record(trx, {
        actorId: actor.platformUserId,
        actorKind: actor.platformUserId ? "platform_user" : "system",
        action: "questions.import",
        targetType: "question_bank",
        targetId: body.bank,
        details: {
          inserted: report.inserted,
          updated: report.updated,
          unchanged: report.unchanged,
          rejected: rejected.length,
        },
      });
    }
    return report;
  }
}
