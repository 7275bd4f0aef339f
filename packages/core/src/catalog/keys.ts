import { sql } from "kysely";
import { type Executor, rows, userSchema } from "./sql.js";

/** A primary key (`p`), unique (`u`), foreign key (`f`) or exclusion (`x`) constraint. */
export interface CatalogConstraint {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly type: "p" | "u" | "f" | "x";
  readonly columns: readonly string[];
  /** Foreign keys: the referenced table and its columns, position by position. */
  readonly references: {
    readonly schema: string;
    readonly table: string;
    readonly columns: readonly string[];
  } | null;
}

interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  type: "p" | "u" | "f" | "x";
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
}

export async function readConstraints(db: Executor): Promise<CatalogConstraint[]> {
  const found = await rows(
    db,
    sql<ConstraintRow>`
      select n.nspname as schema, c.relname as table, k.conname as name, k.contype::text as type,
             array(select a.attname::text from unnest(k.conkey) with ordinality u(num, pos)
                   join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num
                   order by u.pos)::text[] as columns,
             rn.nspname as ref_schema, r.relname as ref_table,
             case when k.contype = 'f' then
               array(select a.attname::text from unnest(k.confkey) with ordinality u(num, pos)
                     join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num
                     order by u.pos)::text[] end as ref_columns
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_class r on r.oid = k.confrelid
      left join pg_namespace rn on rn.oid = r.relnamespace
      where k.contype in ('p', 'u', 'f', 'x') and ${userSchema("n")}
        -- A partition repeats its parent's constraints; the parent's are the ones to judge.
        and k.conparentid = 0
      order by n.nspname, c.relname, k.conname`,
  );
  return found.map((k) => ({
    schema: k.schema,
    table: k.table,
    name: k.name,
    type: k.type,
    columns: k.columns,
    references:
      k.ref_schema !== null && k.ref_table !== null
        ? { schema: k.ref_schema, table: k.ref_table, columns: k.ref_columns ?? [] }
        : null,
  }));
}

/** An index; `columns` holds null for an expression. */
export interface CatalogIndex {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly unique: boolean;
  /** Backs a primary key, unique or exclusion constraint (judged as the constraint). */
  readonly backsConstraint: boolean;
  readonly columns: readonly (string | null)[];
}

interface IndexRow {
  schema: string;
  table: string;
  name: string;
  unique: boolean;
  backs_constraint: boolean;
  columns: (string | null)[];
}

export async function readIndexes(db: Executor): Promise<CatalogIndex[]> {
  const found = await rows(
    db,
    sql<IndexRow>`
      select n.nspname as schema, t.relname as table, i.relname as name, x.indisunique as unique,
             exists (select 1 from pg_constraint k
                     where k.conindid = i.oid and k.conrelid = t.oid and k.contype in ('p', 'u', 'x'))
               as backs_constraint,
             array(select a.attname::text
                   from unnest(x.indkey::int2[]) with ordinality u(num, pos)
                   left join pg_attribute a on a.attrelid = t.oid and a.attnum = u.num and u.num > 0
                   where u.pos <= x.indnkeyatts
                   order by u.pos)::text[] as columns
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
      where t.relkind in ('r', 'p') and ${userSchema("n")}
      order by n.nspname, t.relname, i.relname`,
  );
  return found.map((i) => ({
    schema: i.schema,
    table: i.table,
    name: i.name,
    unique: i.unique,
    backsConstraint: i.backs_constraint,
    columns: i.columns,
  }));
}
