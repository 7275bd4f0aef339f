import { type Kysely, sql } from "kysely";

/**
 * The indexes practice and mock exams choose questions by (docs/learning.md,
 * "Choosing the next question"): practice takes a question of one bank,
 * section, topic and 1-5 level from a random point of its id order; a mock
 * exam module takes questions of one bank, section and level the same way.
 * With them, picking a question is one index range scan of a few rows
 * whatever the bank's size. `section` may be null (a question whose section
 * nobody stated), which a B-tree serves as `section is null` just as well.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create index exam_questions_practice_idx
  on exam_questions (bank, section, topic, difficulty, id);
create index exam_questions_mock_idx
  on exam_questions (bank, section, difficulty, id);
`)
    .execute(db);
}
