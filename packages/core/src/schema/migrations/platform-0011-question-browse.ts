import { type Kysely, sql } from "kysely";

/**
 * Browsing and retiring bank questions (#20).
 *
 * - `retired_at`: a retired question is no longer drawn into practice sets,
 *   mock exams or quizzes from the bank, and lists hide it by default; its
 *   row stays, so attempts, practice sets and quiz copies that name it keep
 *   their history. Null: live.
 * - The practice and mock-exam indexes become partial (`where retired_at is
 *   null`): every candidate query says so (`questions/bank-candidates.ts`),
 *   so choosing a question stays one range scan of live rows only, and a
 *   bank full of retired questions costs the chooser nothing.
 * - Text search: a GIN index on the English text-search vector of the prompt
 *   and passage (`QUESTION_SEARCH_VECTOR` in `questions/search.ts` is the
 *   same expression, which the planner must see verbatim to use the index).
 *   Built in on both engines, no extension. Lookups by `externalId` alone use
 *   the unique `(bank, external_id)` index with `bank in ('sat','gre')`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table exam_questions add column retired_at timestamptz;
drop index exam_questions_practice_idx;
create index exam_questions_practice_idx
  on exam_questions (bank, section, topic, difficulty, id) where retired_at is null;
drop index exam_questions_mock_idx;
create index exam_questions_mock_idx
  on exam_questions (bank, section, difficulty, id) where retired_at is null;
create index exam_questions_search_idx on exam_questions
  using gin (to_tsvector('english'::regconfig, prompt || ' ' || coalesce(passage, '')));
`)
    .execute(db);
}
