import type {
  PracticeSet,
  PracticeSetFilters,
  PracticeSetItem,
  QuestionSection,
  QuizAnswerValue,
} from "../contracts/index.js";
import { PracticeSetFiltersSchema, QuizAnswerValueSchema } from "../contracts/index.js";
import type { Actor } from "../policies/actor.js";
import { practiceRules } from "../policies/practice.js";
import { iso, isoOrNull } from "../services/service-deps.js";
import type { TenantDb } from "../tenancy/context.js";
import { keyedQuestions, learnerQuestions } from "./bank-rows.js";

/** The columns of `practice_sets` a view is built from. */
export const SET_COLUMNS = [
  "ps.id",
  "ps.student_id",
  "ps.bank",
  "ps.adaptive",
  "ps.strands",
  "ps.question_ids",
  "ps.filters",
  "ps.total",
  "ps.answered",
  "ps.correct",
  "ps.status",
  "ps.created_at",
  "ps.updated_at",
  "ps.finished_at",
] as const;

export interface PracticeSetRow {
  id: string;
  student_id: string;
  bank: string;
  adaptive: boolean;
  strands: unknown[];
  question_ids: unknown[] | null;
  filters: Record<string, unknown>;
  total: number;
  answered: number;
  correct: number;
  status: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

interface ItemRow {
  id: string;
  practice_set_id: string;
  position: number;
  question_id: string;
  topic: string;
  section: string | null;
  difficulty: number;
  predicted_success: number | null;
  presented_at: Date;
  response: unknown;
  correct: boolean | null;
  answered_at: Date | null;
  time_ms: number | null;
}

function responseOf(value: unknown): QuizAnswerValue | undefined {
  const parsed = QuizAnswerValueSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function filtersOf(value: unknown): PracticeSetFilters {
  const parsed = PracticeSetFiltersSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/**
 * Practice sets as the API shows them to `actor`: items in order, the
 * current question in the learner's view, and answers and explanations only
 * where the caller may see them (answered items; every item for staff).
 * Three queries for any number of sets: items, keys, current questions.
 */
export async function practiceSetViews(
  trx: TenantDb,
  actor: Actor,
  rows: readonly PracticeSetRow[],
): Promise<PracticeSet[]> {
  if (rows.length === 0) return [];
  const items = (await trx
    .selectFrom("practice_set_items")
    .select([
      "id",
      "practice_set_id",
      "position",
      "question_id",
      "topic",
      "section",
      "difficulty",
      "predicted_success",
      "presented_at",
      "response",
      "correct",
      "answered_at",
      "time_ms",
    ])
    .where(
      "practice_set_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("practice_set_id")
    .orderBy("position")
    .execute()) as ItemRow[];
  const staff = practiceRules.seesUnansweredKeys(actor);
  const keys = await keyedQuestions(trx, [
    ...new Set(items.filter((i) => staff || i.answered_at !== null).map((i) => i.question_id)),
  ]);
  const current = await learnerQuestions(
    trx,
    items.filter((i) => i.answered_at === null).map((i) => i.question_id),
  );
  const bySet = new Map<string, ItemRow[]>();
  for (const item of items) {
    const list = bySet.get(item.practice_set_id) ?? [];
    list.push(item);
    bySet.set(item.practice_set_id, list);
  }
  return rows.map((row) => {
    const mine = bySet.get(row.id) ?? [];
    const open = mine.find((i) => i.answered_at === null);
    return {
      id: row.id,
      studentId: row.student_id,
      bank: row.bank as PracticeSet["bank"],
      adaptive: row.adaptive,
      status: row.status as PracticeSet["status"],
      total: row.total,
      answered: row.answered,
      correct: row.correct,
      current: (open && current.get(open.question_id)) ?? null,
      items: mine.map((item) => itemView(item, keys.get(item.question_id), staff)),
      filters: filtersOf(row.filters),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      finishedAt: isoOrNull(row.finished_at),
    };
  });
}

function itemView(
  item: ItemRow,
  key: { answer: PracticeSetItem["answer"]; explanation: string | null } | undefined,
  staff: boolean,
): PracticeSetItem {
  const answered = item.answered_at !== null;
  const response = answered ? responseOf(item.response) : undefined;
  const reveal = key !== undefined && (answered || staff);
  return {
    position: item.position,
    questionId: item.question_id,
    topic: item.topic,
    section: item.section as QuestionSection | null,
    difficulty: item.difficulty,
    ...(item.predicted_success === null ? {} : { predictedSuccess: item.predicted_success }),
    presentedAt: iso(item.presented_at),
    answered,
    ...(response === undefined ? {} : { response }),
    ...(answered ? { correct: item.correct === true } : {}),
    ...(reveal ? { answer: key.answer, explanation: key.explanation } : {}),
    ...(item.answered_at === null ? {} : { answeredAt: iso(item.answered_at) }),
    ...(item.time_ms === null ? {} : { timeSpentMs: item.time_ms }),
  };
}
