import { type Kysely, sql } from "kysely";
import { TENANT_ROLE } from "../tenant-tables.js";
import { quoteIdent, tenantPolicyDdl } from "./tenant-policy.js";

/**
 * The tables this migration creates. Frozen: a migration must do the same
 * thing forever, so later tables get their policies in their own migration
 * rather than through the growing `TENANT_TABLES`.
 */
const INIT_TABLES = [
  "users",
  "parent_links",
  "courses",
  "enrollments",
  "assignments",
  "submissions",
  "quizzes",
  "quiz_submissions",
  "tutor_sessions",
  "study_plans",
  "question_attempts",
  "mastery",
  "gamification",
] as const;

/**
 * Tenant tables in one schema (`public` for shared placement; a dedicated
 * schema later runs the same DDL). Every table: `tenant_id` NOT NULL
 * referencing `academies`, primary key `(tenant_id, id)`, composite foreign
 * keys so no row can point into another academy, indexes led by `tenant_id`,
 * RLS enabled and FORCED with one policy for every command.
 */
export function tenantInitDdl(schema: string): string {
  const s = quoteIdent(schema);
  const t = (name: string) => `${s}.${quoteIdent(name)}`;
  const fk = (cols: string, table: string) =>
    `foreign key (tenant_id, ${cols}) references ${t(table)} (tenant_id, id)`;
  const tenantCols = `tenant_id uuid not null references public.academies (id),
  id uuid not null default gen_random_uuid()`;

  const tables = `
create table ${t("users")} (
  ${tenantCols},
  email text not null,
  name text not null,
  role text not null,
  password_hash text not null,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (tenant_id, id),
  unique (tenant_id, email)
);
create index users_role_idx on ${t("users")} (tenant_id, role, created_at, id);

create table ${t("parent_links")} (
  ${tenantCols},
  parent_id uuid not null,
  student_id uuid not null,
  created_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  unique (tenant_id, parent_id, student_id),
  ${fk("parent_id", "users")},
  ${fk("student_id", "users")}
);
create index parent_links_student_idx on ${t("parent_links")} (tenant_id, student_id);

create table ${t("courses")} (
  ${tenantCols},
  title text not null,
  description text,
  instructor_id uuid not null,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (tenant_id, id),
  ${fk("instructor_id", "users")}
);
create index courses_instructor_idx on ${t("courses")} (tenant_id, instructor_id);
create index courses_created_idx on ${t("courses")} (tenant_id, created_at, id);

create table ${t("enrollments")} (
  ${tenantCols},
  course_id uuid not null,
  student_id uuid not null,
  created_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  unique (tenant_id, course_id, student_id),
  ${fk("course_id", "courses")},
  ${fk("student_id", "users")}
);
create index enrollments_student_idx on ${t("enrollments")} (tenant_id, student_id);

create table ${t("assignments")} (
  ${tenantCols},
  course_id uuid not null,
  title text not null,
  instructions text not null,
  max_points integer not null,
  due_at timestamptz,
  tutor_mode text not null default 'socratic',
  rubric jsonb,
  reference_answer text,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  primary key (tenant_id, id),
  ${fk("course_id", "courses")}
);
create index assignments_course_idx on ${t("assignments")} (tenant_id, course_id, created_at, id);

create table ${t("submissions")} (
  ${tenantCols},
  assignment_id uuid not null,
  student_id uuid not null,
  content text not null,
  grade double precision,
  feedback text,
  graded_at timestamptz,
  graded_by uuid,
  ai_suggestion jsonb,
  submitted_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  ${fk("assignment_id", "assignments")},
  ${fk("student_id", "users")},
  ${fk("graded_by", "users")}
);
create index submissions_assignment_idx on ${t("submissions")} (tenant_id, assignment_id, submitted_at, id);
create index submissions_student_idx on ${t("submissions")} (tenant_id, student_id, submitted_at, id);

create table ${t("quizzes")} (
  ${tenantCols},
  course_id uuid,
  title text not null,
  status text not null default 'draft',
  questions jsonb not null default '[]'::jsonb,
  created_by uuid not null,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  ${fk("course_id", "courses")},
  ${fk("created_by", "users")}
);
create index quizzes_course_idx on ${t("quizzes")} (tenant_id, course_id);

create table ${t("quiz_submissions")} (
  ${tenantCols},
  quiz_id uuid not null,
  student_id uuid not null,
  answers jsonb not null default '[]'::jsonb,
  score double precision not null default 0,
  max_score double precision not null default 0,
  results jsonb not null default '[]'::jsonb,
  ai_suggestions jsonb,
  submitted_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  ${fk("quiz_id", "quizzes")},
  ${fk("student_id", "users")}
);
create index quiz_submissions_quiz_idx on ${t("quiz_submissions")} (tenant_id, quiz_id);
create index quiz_submissions_student_idx on ${t("quiz_submissions")} (tenant_id, student_id);

create table ${t("tutor_sessions")} (
  ${tenantCols},
  assignment_id uuid not null,
  student_id uuid not null,
  messages jsonb not null default '[]'::jsonb,
  hint_level integer not null default 0,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  ${fk("assignment_id", "assignments")},
  ${fk("student_id", "users")}
);
create index tutor_sessions_student_idx on ${t("tutor_sessions")} (tenant_id, student_id);
create index tutor_sessions_assignment_idx on ${t("tutor_sessions")} (tenant_id, assignment_id);

create table ${t("study_plans")} (
  ${tenantCols},
  student_id uuid not null,
  plan jsonb not null,
  generated_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  unique (tenant_id, student_id),
  ${fk("student_id", "users")}
);

create table ${t("question_attempts")} (
  ${tenantCols},
  student_id uuid not null,
  question_id uuid not null,
  quiz_submission_id uuid,
  topic text not null,
  correct boolean not null,
  answered_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  ${fk("student_id", "users")},
  ${fk("quiz_submission_id", "quiz_submissions")}
);
create index question_attempts_student_idx on ${t("question_attempts")} (tenant_id, student_id, topic, answered_at);
create index question_attempts_submission_idx on ${t("question_attempts")} (tenant_id, quiz_submission_id);

create table ${t("mastery")} (
  ${tenantCols},
  student_id uuid not null,
  topic text not null,
  p_known double precision not null,
  attempts integer not null default 0,
  last_seen_at timestamptz not null,
  primary key (tenant_id, id),
  unique (tenant_id, student_id, topic),
  ${fk("student_id", "users")}
);

create table ${t("gamification")} (
  ${tenantCols},
  student_id uuid not null,
  xp integer not null default 0,
  streak_days integer not null default 0,
  badges jsonb not null default '[]'::jsonb,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, student_id),
  ${fk("student_id", "users")}
);
`;

  const policies = INIT_TABLES.map((name) => tenantPolicyDdl(schema, name)).join("\n");

  return `${tables}\ngrant usage on schema ${s} to ${TENANT_ROLE};\n${policies}`;
}

export function tenantInit(schema: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(tenantInitDdl(schema)).execute(db);
    },
  };
}
