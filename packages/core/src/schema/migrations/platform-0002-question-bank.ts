import { type Kysely, sql } from "kysely";

/**
 * The question bank's guards and list indexes. The checks repeat the zod
 * model's invariants in the database, so a row written around the importer
 * (by hand, or by a bug) cannot hold a bank, type or difficulty the API would
 * choke on. Lists page by `(created_at, id)`, with or without a bank filter.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table exam_questions
  add constraint exam_questions_bank_check check (bank in ('sat', 'gre')),
  add constraint exam_questions_difficulty_check check (difficulty between 1 and 5),
  add constraint exam_questions_type_check check (type in (
    'multiple_choice', 'multi_select', 'quantitative_comparison', 'numeric_entry',
    'grid_in', 'text_completion', 'sentence_equivalence', 'select_in_passage'));
create index exam_questions_created_idx on exam_questions (created_at, id);
create index exam_questions_bank_created_idx on exam_questions (bank, created_at, id);
`)
    .execute(db);
}
