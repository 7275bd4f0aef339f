import type {
  MockExam,
  MockExamModule,
  MockExamReport,
  MockExamRoute,
  QuestionSection,
} from "../contracts/index.js";
import { MockExamReportSchema } from "../contracts/index.js";
import { iso, isoOrNull } from "../services/service-deps.js";
import type { TenantDb } from "../tenancy/context.js";
import { learnerQuestions } from "./bank-rows.js";
import type { ModuleQuestion } from "./mock-draw.js";

export const EXAM_COLUMNS = [
  "me.id",
  "me.student_id",
  "me.exam",
  "me.length",
  "me.status",
  "me.report",
  "me.created_at",
  "me.updated_at",
  "me.finished_at",
] as const;

export interface MockExamRow {
  id: string;
  student_id: string;
  exam: string;
  length: string;
  status: string;
  report: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export interface ModuleRow {
  id: string;
  mock_exam_id: string;
  position: number;
  section: string;
  module: number;
  route: string | null;
  questions: unknown[];
  started_at: Date;
  ends_at: Date;
  submitted_at: Date | null;
  answers: unknown[] | null;
  results: unknown[] | null;
  correct: number | null;
  total: number;
}

export const MODULE_COLUMNS = [
  "id",
  "mock_exam_id",
  "position",
  "section",
  "module",
  "route",
  "questions",
  "started_at",
  "ends_at",
  "submitted_at",
  "answers",
  "results",
  "correct",
  "total",
] as const;

/** A module's stored questions (JSONB written by the service; anything else is skipped). */
export function moduleQuestions(row: Pick<ModuleRow, "questions">): ModuleQuestion[] {
  return (Array.isArray(row.questions) ? row.questions : []).flatMap((q) => {
    const { questionId, topic, difficulty } = (q ?? {}) as Record<string, unknown>;
    return typeof questionId === "string" &&
      typeof topic === "string" &&
      typeof difficulty === "number"
      ? [{ questionId, topic, difficulty }]
      : [];
  });
}

/** A stored result: which question, whether answered in time, whether right. */
export interface ModuleResult {
  readonly questionId: string;
  readonly answered: boolean;
  readonly correct: boolean;
}

export function moduleResults(row: Pick<ModuleRow, "results">): ModuleResult[] {
  return (Array.isArray(row.results) ? row.results : []).flatMap((r) => {
    const { questionId, answered, correct } = (r ?? {}) as Record<string, unknown>;
    return typeof questionId === "string"
      ? [{ questionId, answered: answered === true, correct: correct === true }]
      : [];
  });
}

function moduleView(row: ModuleRow): MockExamModule {
  const results = moduleResults(row);
  const submitted = row.submitted_at !== null;
  return {
    section: row.section as QuestionSection,
    module: row.module,
    route: row.route as MockExamRoute | null,
    total: row.total,
    startedAt: iso(row.started_at),
    endsAt: iso(row.ends_at),
    submittedAt: isoOrNull(row.submitted_at),
    answered: submitted ? results.filter((r) => r.answered).length : null,
    correct: submitted ? (row.correct ?? 0) : null,
    late: submitted && (row.submitted_at as Date).getTime() > new Date(row.ends_at).getTime(),
  };
}

function reportOf(value: unknown): MockExamReport | null {
  if (value === null) return null;
  const parsed = MockExamReportSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Mock exams as the API shows them: the current module's questions (never answers), modules, report. */
export async function mockExamViews(
  trx: TenantDb,
  rows: readonly MockExamRow[],
): Promise<MockExam[]> {
  if (rows.length === 0) return [];
  const modules = (await trx
    .selectFrom("mock_exam_modules")
    .select(MODULE_COLUMNS)
    .where(
      "mock_exam_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("mock_exam_id")
    .orderBy("position")
    .execute()) as ModuleRow[];
  const open = modules.filter((m) => m.submitted_at === null);
  const questions = await learnerQuestions(
    trx,
    open.flatMap((m) => moduleQuestions(m).map((q) => q.questionId)),
  );
  return rows.map((row) => {
    const mine = modules.filter((m) => m.mock_exam_id === row.id);
    const current =
      row.status === "in_progress" ? mine.find((m) => m.submitted_at === null) : undefined;
    return {
      id: row.id,
      studentId: row.student_id,
      exam: row.exam as MockExam["exam"],
      length: row.length as MockExam["length"],
      status: row.status as MockExam["status"],
      current: current
        ? {
            section: current.section as QuestionSection,
            module: current.module,
            ...(current.route ? { route: current.route as MockExamRoute } : {}),
            questions: moduleQuestions(current).flatMap((q) => {
              const question = questions.get(q.questionId);
              return question ? [question] : [];
            }),
            startedAt: iso(current.started_at),
            endsAt: iso(current.ends_at),
            timeLimitSeconds: Math.round(
              (new Date(current.ends_at).getTime() - new Date(current.started_at).getTime()) / 1000,
            ),
          }
        : null,
      modules: mine.map(moduleView),
      report: reportOf(row.report),
      createdAt: iso(row.created_at),
      finishedAt: isoOrNull(row.finished_at),
    };
  });
}
