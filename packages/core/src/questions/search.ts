import { type RawBuilder, sql } from "kysely";

/**
 * The text a question is searched by, as the expression of the GIN index
 * `exam_questions_search_idx` (platform migration 0011): the planner uses
 * the index only for this very expression, so the migration and this file
 * must say the same thing. English configuration: stemming ("circles"
 * finds "circle") and stop words.
 */
export function questionSearchVector(alias: string): RawBuilder<unknown> {
  const column = (name: string) => sql.ref(`${alias}.${name}`);
  return sql`to_tsvector('english'::regconfig, ${column("prompt")} || ' ' || coalesce(${column("passage")}, ''))`;
}

/**
 * `vector @@ query` for a user's search text, as a parameter. `websearch_to_tsquery`
 * reads any text (quotes for phrases, `-` for not, `or`) without ever raising a
 * syntax error, in time linear in its length; the contracts cap that length.
 */
export function matchesSearch(alias: string, text: string): RawBuilder<boolean> {
  return sql<boolean>`${questionSearchVector(alias)} @@ websearch_to_tsquery('english'::regconfig, ${text})`;
}
