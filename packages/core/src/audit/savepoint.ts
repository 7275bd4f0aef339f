import { sql } from "kysely";
import type { Executor } from "../catalog/sql.js";

export type Attempt<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: unknown };

let next = 0;

/**
 * Runs `fn` inside a savepoint that is always rolled back: whatever it sets
 * (`SET LOCAL ROLE`, settings, a statement timeout) or breaks (an error aborts
 * only the savepoint) is gone afterwards, and the audit's transaction goes on.
 */
export async function isolated<T>(db: Executor, fn: () => Promise<T>): Promise<Attempt<T>> {
  const name = `skillbridge_audit_${++next}`;
  await sql.raw(`savepoint ${name}`).execute(db);
  let attempt: Attempt<T>;
  try {
    attempt = { ok: true, value: await fn() };
  } catch (error) {
    attempt = { ok: false, error };
  }
  await sql.raw(`rollback to savepoint ${name}`).execute(db);
  await sql.raw(`release savepoint ${name}`).execute(db);
  return attempt;
}

/** Postgres' SQLSTATE of a failed statement, if there is one (`57014`: statement timeout). */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
