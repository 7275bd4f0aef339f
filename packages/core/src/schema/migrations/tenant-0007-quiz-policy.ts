import { type Kysely, sql } from "kysely";
import { quoteIdent } from "./tenant-policy.js";

/**
 * A quiz's attempt policy (docs/learning.md, "Attempt policy"):
 * - `quizzes.allowed_attempts`: how many submissions a student may make
 *   (null: unlimited, what every existing quiz keeps);
 * - `quizzes.results`: what a student and their parents see of a scored
 *   submission, `per_question` (which questions were right: every existing
 *   quiz), `score_only`, or `after_last_attempt` (the score until the
 *   attempts are used up, then per question);
 * - an index in the order attempts are counted and numbered (a student's
 *   submissions to one quiz, oldest first).
 * Both are read when a submission is made and when one is read, so a policy
 * changed after publication applies to every submission from then on. No
 * new table: RLS, keys and grants are unchanged.
 */
export function tenantQuizPolicyDdl(schema: string): string {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  return `
alter table ${t("quizzes")} add column allowed_attempts integer
  constraint quizzes_allowed_attempts_check
  check (allowed_attempts is null or allowed_attempts between 1 and 100);
alter table ${t("quizzes")} add column results text not null default 'per_question'
  constraint quizzes_results_check
  check (results in ('per_question', 'score_only', 'after_last_attempt'));
create index quiz_submissions_attempts_idx on ${t("quiz_submissions")}
  (tenant_id, quiz_id, student_id, submitted_at, id);
`;
}

export function tenantQuizPolicy(schema: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(tenantQuizPolicyDdl(schema)).execute(db);
    },
  };
}
