import { type Kysely, sql } from "kysely";
import { quoteIdent, tenantPolicyDdl } from "./tenant-policy.js";

/**
 * The learning loop's schema (docs/learning.md):
 * - `mastery.rating`: the student's Elo ability on the topic, beside the
 *   Bayesian Knowledge Tracing probability `p_known` (bounded in the table
 *   too, so a row written around the service cannot hold a probability of 2);
 * - `question_ratings`: each question's Elo difficulty *within the academy*
 *   (a tenant table: how this academy's students fare is the academy's
 *   data), keyed by the question's id (a quiz question's id or a bank
 *   question's id, which is why there is no foreign key);
 * - `question_attempts.time_ms`: how long the answer took, when the client says;
 * - `gamification.last_active_on`: the UTC day of the last activity, from
 *   which the streak is counted;
 * - `study_plans.basis`: a digest of the mastery the plan was built from, so
 *   a plan is rebuilt exactly when the mastery it rests on has changed.
 */
export function tenantLearningDdl(schema: string): string {
  const s = quoteIdent(schema);
  const t = (name: string) => `${s}.${quoteIdent(name)}`;
  return `
alter table ${t("mastery")} add column rating double precision not null default 1500;
alter table ${t("mastery")} add constraint mastery_p_known_check check (p_known >= 0 and p_known <= 1);
alter table ${t("mastery")} add constraint mastery_attempts_check check (attempts >= 0);

create table ${t("question_ratings")} (
  tenant_id uuid not null references public.academies (id),
  id uuid not null default gen_random_uuid(),
  question_id uuid not null,
  topic text not null,
  rating double precision not null default 1500,
  attempts integer not null default 0 check (attempts >= 0),
  updated_at timestamptz not null default clock_timestamp(),
  primary key (tenant_id, id),
  unique (tenant_id, question_id)
);
create index question_ratings_topic_idx on ${t("question_ratings")} (tenant_id, topic);
${tenantPolicyDdl(schema, "question_ratings")}

alter table ${t("question_attempts")} add column time_ms integer
  constraint question_attempts_time_check check (time_ms is null or time_ms >= 0);
create index question_attempts_answered_idx on ${t("question_attempts")} (tenant_id, student_id, answered_at);

alter table ${t("gamification")} add column last_active_on date;

alter table ${t("study_plans")} add column basis text;
`;
}

export function tenantLearning(schema: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(tenantLearningDdl(schema)).execute(db);
    },
  };
}
