import { type Kysely, type RawBuilder, sql } from "kysely";

/** Anything that runs SQL: the database's Kysely, a transaction or one connection. */
export type Executor = Kysely<unknown>;

/** Runs a raw query and returns its rows. */
export async function rows<T>(db: Executor, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/**
 * Schemas that hold application objects: not Postgres' own (`pg_catalog`,
 * `information_schema`, `pg_toast`, temporary schemas).
 */
export function userSchema(alias: string): RawBuilder<unknown> {
  const name = sql.ref(`${alias}.nspname`);
  return sql`(${name} not in ('pg_catalog', 'information_schema') and ${name} not like 'pg\\_%')`;
}

/** `schema.name`, as the audit and the safety check name relations. */
export function qualifiedName(relation: { schema: string; name: string }): string {
  return `${relation.schema}.${relation.name}`;
}
