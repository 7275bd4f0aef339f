import { type Kysely, sql } from "kysely";
import { quoteIdent, tenantPolicyDdl } from "./tenant-policy.js";

/**
 * Practice on the shared bank (docs/learning.md, "Practice sets" and "Mock
 * exams"): what a student does with bank questions is academy data.
 *
 * - `practice_sets`: one student's set, its filters (`strands`: the
 *   (section, topic) pairs it draws from, or the explicit `question_ids`)
 *   and its running tally;
 * - `practice_set_items`: the questions presented, in order, with the
 *   response once answered. One item per question and set (no repeats), and
 *   at most one unanswered item per set: the current question;
 * - `mock_exams`: a student's SAT or GRE form and, once finished, its report;
 * - `mock_exam_modules`: the modules (SAT) or sections (GRE) of a form, each
 *   with its questions, its time limit (`ends_at`, kept by the server) and
 *   its results once submitted.
 *
 * Bank question ids carry no foreign key: the bank is platform content
 * (retired or edited independently), and an academy's history must outlive
 * a bank change, as `question_attempts` does.
 */
export function tenantPracticeDdl(schema: string): string {
  const s = quoteIdent(schema);
  const t = (name: string) => `${s}.${quoteIdent(name)}`;
  const fk = (cols: string, table: string) =>
    `foreign key (tenant_id, ${cols}) references ${t(table)} (tenant_id, id)`;
  const tenantCols = `tenant_id uuid not null references public.academies (id),
  id uuid not null default gen_random_uuid()`;
  return `
create table ${t("practice_sets")} (
  ${tenantCols},
  student_id uuid not null,
  bank text not null check (bank in ('sat', 'gre')),
  adaptive boolean not null,
  strands jsonb not null default '[]',
  question_ids jsonb,
  filters jsonb not null default '{}',
  total integer not null check (total between 1 and 50),
  answered integer not null default 0 check (answered >= 0 and answered <= total),
  correct integer not null default 0 check (correct >= 0 and correct <= answered),
  status text not null default 'in_progress' check (status in ('in_progress', 'finished')),
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  primary key (tenant_id, id),
  ${fk("student_id", "users")}
);
create index practice_sets_student_idx on ${t("practice_sets")} (tenant_id, student_id, created_at, id);
create index practice_sets_created_idx on ${t("practice_sets")} (tenant_id, created_at, id);
${tenantPolicyDdl(schema, "practice_sets")}

create table ${t("practice_set_items")} (
  ${tenantCols},
  practice_set_id uuid not null,
  position integer not null check (position >= 0 and position < 50),
  question_id uuid not null,
  topic text not null,
  section text,
  difficulty integer not null check (difficulty between 1 and 5),
  predicted_success double precision check (predicted_success between 0 and 1),
  presented_at timestamptz not null default clock_timestamp(),
  response jsonb,
  correct boolean,
  answered_at timestamptz,
  time_ms integer check (time_ms is null or time_ms >= 0),
  primary key (tenant_id, id),
  ${fk("practice_set_id", "practice_sets")} on delete cascade,
  unique (tenant_id, practice_set_id, position),
  unique (tenant_id, practice_set_id, question_id),
  check ((answered_at is null) = (correct is null))
);
create unique index practice_set_items_current_idx on ${t("practice_set_items")} (tenant_id, practice_set_id)
  where answered_at is null;
${tenantPolicyDdl(schema, "practice_set_items")}

create table ${t("mock_exams")} (
  ${tenantCols},
  student_id uuid not null,
  exam text not null check (exam in ('sat', 'gre')),
  length text not null check (length in ('full', 'short')),
  status text not null default 'in_progress' check (status in ('in_progress', 'finished')),
  report jsonb,
  created_at timestamptz not null default clock_timestamp(),
  updated_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  primary key (tenant_id, id),
  ${fk("student_id", "users")}
);
create index mock_exams_student_idx on ${t("mock_exams")} (tenant_id, student_id, created_at, id);
create index mock_exams_created_idx on ${t("mock_exams")} (tenant_id, created_at, id);
${tenantPolicyDdl(schema, "mock_exams")}

create table ${t("mock_exam_modules")} (
  ${tenantCols},
  mock_exam_id uuid not null,
  position integer not null check (position between 0 and 3),
  section text not null,
  module integer not null check (module in (1, 2)),
  route text check (route in ('harder', 'easier')),
  questions jsonb not null,
  started_at timestamptz not null,
  ends_at timestamptz not null,
  submitted_at timestamptz,
  answers jsonb,
  results jsonb,
  correct integer check (correct >= 0),
  total integer not null check (total >= 0),
  primary key (tenant_id, id),
  ${fk("mock_exam_id", "mock_exams")} on delete cascade,
  unique (tenant_id, mock_exam_id, position),
  check (ends_at > started_at),
  check ((module = 2) = (route is not null))
);
${tenantPolicyDdl(schema, "mock_exam_modules")}
`;
}

export function tenantPractice(schema: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(tenantPracticeDdl(schema)).execute(db);
    },
  };
}
