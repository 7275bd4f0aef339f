import { type Kysely, sql } from "kysely";

/**
 * Bank questions say how their text is written (#20): `plain` (every question
 * stored before this migration, and the default), `markdown` or `html`. One
 * format per question covers its prompt, passage, options and explanation.
 * A column rather than a key in `content` so every reader of the bank gets it
 * from one place, and the check keeps out anything the sanitiser did not
 * decide on. Adding a column with a constant default rewrites no rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
alter table exam_questions add column format text not null default 'plain',
  add constraint exam_questions_format_check check (format in ('plain', 'markdown', 'html'));
`)
    .execute(db);
}
