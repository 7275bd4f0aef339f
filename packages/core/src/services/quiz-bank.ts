import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import {
  type ParsedQuizFromBankBody,
  type ParsedQuizItem,
  type Question,
  type QuizQuestion,
  QuizQuestionSchema,
} from "../contracts/index.js";
import { BankTooSmallError, type FieldProblem, ValidationError } from "../errors.js";
import { bankCandidates } from "../questions/bank-candidates.js";
import { type ExamQuestionRow, toExamQuestion } from "../questions/stored-question.js";
import { safeQuestionTexts } from "../questions/text-format.js";
import type { TenantDb } from "../tenancy/context.js";
import { toStoredQuestion } from "./quiz-question-store.js";

/**
 * Quizzes from the shared bank (docs/learning.md, "Quizzes from the bank"):
 * a bank question is *copied* into the quiz (a fresh quiz question id, the
 * bank's id kept as staff-only provenance), so a later edit of the bank
 * never changes a quiz, and its answer key is hidden from learners exactly
 * as any quiz question's is.
 */

const columns = [
  "eq.id",
  "eq.bank",
  "eq.external_id",
  "eq.type",
  "eq.format",
  "eq.topic",
  "eq.standard_id",
  "eq.difficulty",
  "eq.prompt",
  "eq.passage",
  "eq.content",
  "eq.tags",
  "eq.answer",
  "eq.explanation",
  "eq.created_at",
  "eq.updated_at",
] as const;

/** The quiz's own copy of a bank row. */
function copyOf(row: ExamQuestionRow): QuizQuestion {
  const {
    id: bankQuestionId,
    externalId: _externalId,
    bank: _bank,
    tags: _tags,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    retiredAt: _retiredAt,
    ...question
  } = toExamQuestion(row);
  // The bank stores what its own schema validated, the quiz model is the same one: this holds.
  return QuizQuestionSchema.parse({ ...question, id: randomUUID(), source: null, bankQuestionId });
}

/**
 * A quiz's items as stored: written questions get their stored shape, bank
 * items become copies of the bank's current version. Unknown (or no longer
 * pickable) bank ids and a bank question given twice are a `ValidationError`
 * naming `questions.<i>.bankQuestionId`, every one at once.
 */
export async function storedItems(
  trx: TenantDb,
  items: readonly ParsedQuizItem[],
): Promise<QuizQuestion[]> {
  const ids = items.flatMap((item) => ("bankQuestionId" in item ? [item.bankQuestionId] : []));
  const rows =
    ids.length === 0
      ? []
      : await bankCandidates(trx)
          .select(columns)
          .where("eq.id", "in", [...new Set(ids)])
          .execute();
  const byId = new Map(rows.map((row) => [row.id, row as ExamQuestionRow]));
  const problems: FieldProblem[] = [];
  const first = new Map<string, number>();
  const stored = items.map((item, index) => {
    if (!("bankQuestionId" in item)) {
      // Written HTML is sanitised and markdown loses its raw HTML, as on the way into the bank.
      const safe = safeQuestionTexts(item as unknown as Question);
      for (const problem of safe.errors)
        problems.push({ path: `questions.${index}.${problem.path}`, message: problem.message });
      return toStoredQuestion(safe.question as unknown as typeof item);
    }
    const path = `questions.${index}.bankQuestionId`;
    const seen = first.get(item.bankQuestionId);
    const row = byId.get(item.bankQuestionId);
    if (seen !== undefined) {
      problems.push({ path, message: `This bank question is already item ${seen} of the quiz.` });
    } else if (!row) {
      problems.push({ path, message: "No question of the shared bank has this id." });
    }
    first.set(item.bankQuestionId, seen ?? index);
    return row ? copyOf(row) : undefined;
  });
  if (problems.length > 0) throw new ValidationError("The quiz's items are not valid.", problems);
  return stored.filter((q): q is QuizQuestion => q !== undefined);
}

/** The filters of a draw, in words (for the problem when too few match). */
function describe(filter: ParsedQuizFromBankBody): string {
  const parts = [`bank ${filter.bank}`];
  if (filter.sections) parts.push(`sections ${filter.sections.join(", ")}`);
  if (filter.topics) parts.push(`topics ${filter.topics.join(", ")}`);
  if (filter.types) parts.push(`types ${filter.types.join(", ")}`);
  if (filter.minDifficulty !== undefined || filter.maxDifficulty !== undefined)
    parts.push(`difficulty ${filter.minDifficulty ?? 1}-${filter.maxDifficulty ?? 5}`);
  return parts.join("; ");
}

/**
 * `count` different bank questions matching every filter, chosen uniformly
 * at random (`order by random()`: one pass over the matching rows, which the
 * bank's indexes narrow), as quiz copies. Fewer matches than `count`:
 * `BankTooSmallError` saying how many match what.
 */
export async function drawBankQuestions(
  trx: TenantDb,
  filter: ParsedQuizFromBankBody,
): Promise<QuizQuestion[]> {
  let query = bankCandidates(trx, { bank: filter.bank, section: filter.sections }).select(columns);
  if (filter.topics) query = query.where("eq.topic", "in", filter.topics);
  if (filter.types) query = query.where("eq.type", "in", filter.types);
  if (filter.minDifficulty !== undefined)
    query = query.where("eq.difficulty", ">=", filter.minDifficulty);
  if (filter.maxDifficulty !== undefined)
    query = query.where("eq.difficulty", "<=", filter.maxDifficulty);
  const rows = await query.orderBy(sql`random()`).limit(filter.count).execute();
  if (rows.length < filter.count) {
    const found =
      rows.length === 0
        ? "No shared-bank question matches"
        : `Only ${rows.length} shared-bank question${rows.length === 1 ? " matches" : "s match"}`;
    throw new BankTooSmallError(
      `${found} (${describe(filter)}); the quiz asks for ${filter.count}. Widen the filters or ask for fewer.`,
    );
  }
  return rows.map((row) => copyOf(row as ExamQuestionRow));
}
