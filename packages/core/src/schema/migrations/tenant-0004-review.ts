import { type Kysely, sql } from "kysely";
import { quoteIdent } from "./tenant-policy.js";

/**
 * Quiz review and AI pre-grading (docs/ai.md):
 * - `quizzes`: statuses checked, `published_at`, and `generation` (how a
 *   generated draft was made: provider, source file, what was dropped);
 * - `submissions`: the pre-grading state as real columns, because the
 *   instructor's queue filters and orders on them across rows
 *   (`ai_status`, `ai_confidence`), the error of a grading that gave up,
 *   and when the suggestion arrived. The suggestion itself stays in the
 *   existing `ai_suggestion` JSONB, read and written whole.
 * No new table: RLS, keys and grants of both tables are unchanged.
 */
export function tenantReviewDdl(schema: string): string {
  const t = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  return `
alter table ${t("quizzes")} add constraint quizzes_status_check
  check (status in ('draft', 'published'));
alter table ${t("quizzes")} add column published_at timestamptz;
alter table ${t("quizzes")} add column generation jsonb;
create index quizzes_created_idx on ${t("quizzes")} (tenant_id, created_at, id);

alter table ${t("submissions")} add column ai_status text;
alter table ${t("submissions")} add column ai_confidence double precision;
alter table ${t("submissions")} add column ai_error text;
alter table ${t("submissions")} add column ai_suggested_at timestamptz;
alter table ${t("submissions")} add constraint submissions_ai_status_check
  check (ai_status in ('queued', 'suggested', 'failed', 'skipped', 'accepted', 'overridden'));
alter table ${t("submissions")} add constraint submissions_ai_confidence_check
  check (ai_confidence >= 0 and ai_confidence <= 1);
create index submissions_review_idx on ${t("submissions")}
  (tenant_id, ai_status, ai_confidence, id) where grade is null;
`;
}

export function tenantReview(schema: string) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await sql.raw(tenantReviewDdl(schema)).execute(db);
    },
  };
}
