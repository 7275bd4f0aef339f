import { type SelectQueryBuilder, sql } from "kysely";
import type { CursorCodec } from "./cursor-codec.js";

export interface PageRequest {
  /** 1..100; validated by the contracts before it gets here. */
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface Page<T> {
  readonly data: T[];
  readonly nextCursor: string | null;
}

/**
 * Keyset pagination on `(created_at, id)` (or another time column) of the query's main table. The
 * cursor carries `created_at` as Postgres text so microseconds survive the
 * round trip (a JS Date would drop them and repeat rows).
 */
export async function paginate<Row extends { id: string }, Out>(
  // biome-ignore lint/suspicious/noExplicitAny: the page helper works on any table's builder.
  query: SelectQueryBuilder<any, any, Row>,
  options: {
    readonly alias: string;
    readonly list: string;
    readonly page: PageRequest;
    readonly cursors: CursorCodec;
    readonly map: (row: Row) => Out;
    /** The time column that orders the list (default `created_at`). */
    readonly orderColumn?: string;
  },
): Promise<Page<Out>> {
  const { alias, list, page, cursors } = options;
  const createdAt = sql.ref(`${alias}.${options.orderColumn ?? "created_at"}`);
  const id = sql.ref(`${alias}.id`);
  let q = query.select(sql<string>`${createdAt}::text`.as("_cursor_at"));
  if (page.cursor !== undefined) {
    const after = cursors.decode(list, page.cursor);
    q = q.where(
      sql<boolean>`(${createdAt}, ${id}) > (${after.createdAt}::timestamptz, ${after.id}::uuid)`,
    );
  }
  const rows = (await q
    .orderBy(createdAt)
    .orderBy(id)
    .limit(page.limit + 1)
    .execute()) as (Row & { _cursor_at: string })[];
  const more = rows.length > page.limit;
  const pageRows = more ? rows.slice(0, page.limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map((row) => options.map(row)),
    nextCursor:
      more && last ? cursors.encode(list, { createdAt: last._cursor_at, id: last.id }) : null,
  };
}
