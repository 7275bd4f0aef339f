import type { ColumnType, Generated, JSONColumnType } from "kysely";

/**
 * Kysely's view of the SkillBridge schema (snake_case, as in SQL; services map
 * rows to the camelCase contracts). The DDL lives in `schema/migrations`; the
 * catalog test keeps the two honest.
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
type Id = ColumnType<string, string | undefined, never>;
/** Stamped by the tenant-scope plugin; application code never writes it. */
type TenantId = ColumnType<string, never, never>;

// ─── platform tables (no tenant) ────────────────────────────────────────────

export interface AcademiesTable {
  id: Id;
  slug: string;
  name: string;
  status: Generated<string>;
  placement: Generated<string>;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface PlatformUsersTable {
  id: Id;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface ExamQuestionsTable {
  id: Id;
  bank: string;
  external_id: string;
  type: string;
  topic: string;
  standard_id: string | null;
  difficulty: number;
  prompt: string;
  passage: string | null;
  explanation: string | null;
  content: JSONColumnType<Record<string, unknown>>;
  answer: ColumnType<unknown, string, string>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  content_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  id: Id;
  occurred_at: Timestamp;
  actor_id: string | null;
  actor_kind: string;
  academy_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  details: JSONColumnType<Record<string, unknown>>;
}

export interface JobsTable {
  id: Id;
  kind: string;
  academy_id: string | null;
  payload: JSONColumnType<Record<string, unknown>>;
  status: Generated<string>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Timestamp;
  locked_at: NullableTimestamp;
  locked_by: string | null;
  last_error: string | null;
  finished_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// ─── tenant tables (tenant_id, RLS, composite keys) ─────────────────────────

interface TenantRow {
  tenant_id: TenantId;
  id: Id;
}

export interface UsersTable extends TenantRow {
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface ParentLinksTable extends TenantRow {
  parent_id: string;
  student_id: string;
  created_at: Timestamp;
}

export interface CoursesTable extends TenantRow {
  title: string;
  description: string | null;
  instructor_id: string;
  /** Most students it may enroll; null: no limit (tenant migration 0002). */
  capacity: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface EnrollmentsTable extends TenantRow {
  course_id: string;
  student_id: string;
  created_at: Timestamp;
}

export interface AssignmentsTable extends TenantRow {
  course_id: string;
  title: string;
  instructions: string;
  max_points: number;
  due_at: NullableTimestamp;
  tutor_mode: Generated<string>;
  rubric: JSONColumnType<unknown[] | null, string | null | undefined, string | null>;
  reference_answer: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface SubmissionsTable extends TenantRow {
  assignment_id: string;
  student_id: string;
  content: string;
  grade: number | null;
  feedback: string | null;
  graded_at: NullableTimestamp;
  graded_by: string | null;
  ai_suggestion: JSONColumnType<
    Record<string, unknown> | null,
    string | null | undefined,
    string | null
  >;
  /** Pre-grading: queued, suggested, failed, skipped, accepted, overridden (null: not queued). */
  ai_status: string | null;
  ai_confidence: number | null;
  ai_error: string | null;
  ai_suggested_at: NullableTimestamp;
  submitted_at: Timestamp;
}

export interface QuizzesTable extends TenantRow {
  course_id: string | null;
  title: string;
  status: Generated<string>;
  questions: JSONColumnType<unknown[]>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
  generation: JSONColumnType<
    Record<string, unknown> | null,
    string | null | undefined,
    string | null
  >;
}

export interface QuizSubmissionsTable extends TenantRow {
  quiz_id: string;
  student_id: string;
  answers: JSONColumnType<unknown[]>;
  score: number;
  max_score: number;
  results: JSONColumnType<unknown[]>;
  ai_suggestions: JSONColumnType<
    Record<string, unknown> | null,
    string | null | undefined,
    string | null
  >;
  submitted_at: Timestamp;
}

export interface TutorSessionsTable extends TenantRow {
  assignment_id: string;
  student_id: string;
  messages: JSONColumnType<unknown[], string | undefined, string>;
  hint_level: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StudyPlansTable extends TenantRow {
  student_id: string;
  plan: JSONColumnType<Record<string, unknown>>;
  generated_at: Timestamp;
  /** Digest of the mastery the plan was built from. */
  basis: string | null;
}

export interface QuestionAttemptsTable extends TenantRow {
  student_id: string;
  question_id: string;
  quiz_submission_id: string | null;
  topic: string;
  correct: boolean;
  answered_at: Timestamp;
  time_ms: number | null;
}

export interface MasteryTable extends TenantRow {
  student_id: string;
  topic: string;
  p_known: number;
  attempts: Generated<number>;
  last_seen_at: Timestamp;
  /** Elo ability on the topic (1500 to start). */
  rating: Generated<number>;
}

/** A question's Elo difficulty within the academy (docs/learning.md). */
export interface QuestionRatingsTable extends TenantRow {
  question_id: string;
  topic: string;
  rating: Generated<number>;
  attempts: Generated<number>;
  updated_at: Timestamp;
}

export interface GamificationTable extends TenantRow {
  student_id: string;
  xp: Generated<number>;
  streak_days: Generated<number>;
  badges: JSONColumnType<unknown[], string | undefined, string>;
  updated_at: Timestamp;
  /** The UTC day (YYYY-MM-DD) of the last activity; the streak counts from it. */
  last_active_on: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One model call's tokens (docs/ai.md); the daily budget is summed from these. */
export interface AiUsageTable extends TenantRow {
  user_id: string | null;
  task: string;
  provider: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  created_at: Timestamp;
}

/** Every table Kysely may touch, keyed by SQL name. */
export interface Database {
  academies: AcademiesTable;
  platform_users: PlatformUsersTable;
  exam_questions: ExamQuestionsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  users: UsersTable;
  parent_links: ParentLinksTable;
  courses: CoursesTable;
  enrollments: EnrollmentsTable;
  assignments: AssignmentsTable;
  submissions: SubmissionsTable;
  quizzes: QuizzesTable;
  quiz_submissions: QuizSubmissionsTable;
  tutor_sessions: TutorSessionsTable;
  study_plans: StudyPlansTable;
  question_attempts: QuestionAttemptsTable;
  mastery: MasteryTable;
  gamification: GamificationTable;
  ai_usage: AiUsageTable;
  question_ratings: QuestionRatingsTable;
}
