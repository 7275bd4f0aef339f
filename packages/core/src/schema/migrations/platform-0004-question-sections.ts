import { type Kysely, sql } from "kysely";

/**
 * Bank questions carry the section of the test they belong to (SAT
 * `reading_writing` | `math`, GRE `verbal` | `quantitative`), which practice by
 * section and mock exams select on. Nullable: a question whose type does not
 * decide its section and whose file does not state one still imports, and is
 * left out of section practice and mock exams. The check ties each section to
 * its bank, as `validateQuestion` does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table exam_questions add column section text,
  add constraint exam_questions_section_check check (
    section is null
    or (bank = 'sat' and section in ('reading_writing', 'math'))
    or (bank = 'gre' and section in ('verbal', 'quantitative')));
create index exam_questions_section_created_idx on exam_questions (bank, section, created_at, id);
`)
    .execute(db);
}
