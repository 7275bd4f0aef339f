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
  /** Raised by a trigger when the academy is suspended or deleted: older tokens stop working. */
  credentials_version: Generated<number>;
}

export interface PlatformUsersTable {
  id: Id;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: Timestamp;
  deleted_at: NullableTimestamp;
  /** Raised by a trigger on a password, role or deletion: older tokens stop working. */
  credentials_version: Generated<number>;
}

export interface ExamQuestionsTable {
  id: Id;
  bank: string;
  external_id: string;
  type: string;
  topic: string;
  standard_id: string | null;
  section: string | null;
  /** `plain` | `markdown` | `html` (platform migration 0010). */
  format: ColumnType<string, string | undefined, string>;
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
  /** Set when the question is retired (platform migration 0011): out of every new draw. */
  retired_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
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

/** A first admin's one-time invitation: only the token's SHA-256 is kept. */
export interface InvitationsTable {
  id: Id;
  academy_id: string;
  /** The invited admin: an id in the academy's `users`. */
  invitee_id: string;
  token_hash: Buffer;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

/** Tokens signed out before they expired (`POST /auth/logout`), by `jti`. */
export interface RevokedTokensTable {
  jti: string;
  academy_id: string | null;
  expires_at: Timestamp;
}

/** A tenant schema migrated ahead of need, renamed to an academy's at onboarding (placement/spare-schemas.ts). */
export interface SpareSchemasTable {
  name: string;
  /** The last tenant migration the spare was made with. */
  version: string;
  created_at: Generated<Timestamp>;
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
  /** Raised by a trigger on a password, role or deletion: older tokens stop working. */
  credentials_version: Generated<number>;
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
  /** Null: unlimited. */
  allowed_attempts: number | null;
  results: Generated<string>;
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

type Json<T extends object> = JSONColumnType<T, string, string>;
type NullableJson<T extends object> = JSONColumnType<
  T | null,
  string | null | undefined,
  string | null
>;

/** A student's practice set on the shared bank (docs/learning.md, "Practice sets"). */
export interface PracticeSetsTable extends TenantRow {
  student_id: string;
  bank: string;
  adaptive: boolean;
  /** The (section, topic) pairs the set draws from; empty for a set of explicit questions. */
  strands: JSONColumnType<unknown[], string | undefined, string>;
  /** Explicit bank question ids (`questionIds`, a study plan's), or null. */
  question_ids: NullableJson<unknown[]>;
  /** The filters as asked (topics, sections, fromStudyPlan), echoed in the API. */
  filters: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  total: number;
  answered: Generated<number>;
  correct: Generated<number>;
  status: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

/** One question presented in a practice set; the unanswered one is the current question. */
export interface PracticeSetItemsTable extends TenantRow {
  practice_set_id: string;
  position: number;
  question_id: string;
  topic: string;
  section: string | null;
  difficulty: number;
  predicted_success: number | null;
  presented_at: Timestamp;
  response: ColumnType<unknown, string | null | undefined, string | null>;
  correct: boolean | null;
  answered_at: NullableTimestamp;
  time_ms: number | null;
}

/** A student's mock exam (docs/learning.md, "Mock exams"). */
export interface MockExamsTable extends TenantRow {
  student_id: string;
  exam: string;
  length: string;
  status: Generated<string>;
  report: NullableJson<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

/** A module (SAT) or section (GRE) of a mock exam, timed by the server. */
export interface MockExamModulesTable extends TenantRow {
  mock_exam_id: string;
  position: number;
  section: string;
  module: number;
  route: string | null;
  questions: Json<unknown[]>;
  started_at: Timestamp;
  ends_at: Timestamp;
  submitted_at: NullableTimestamp;
  answers: NullableJson<unknown[]>;
  results: NullableJson<unknown[]>;
  correct: number | null;
  total: number;
}

/** Every table Kysely may touch, keyed by SQL name. */
export interface Database {
  academies: AcademiesTable;
  platform_users: PlatformUsersTable;
  exam_questions: ExamQuestionsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  invitations: InvitationsTable;
  revoked_tokens: RevokedTokensTable;
  spare_schemas: SpareSchemasTable;
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
  practice_sets: PracticeSetsTable;
  practice_set_items: PracticeSetItemsTable;
  mock_exams: MockExamsTable;
  mock_exam_modules: MockExamModulesTable;
}
