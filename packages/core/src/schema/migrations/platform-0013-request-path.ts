import { type Kysely, sql } from "kysely";

/**
 * `skillbridge_raise(problem)`: true when `problem` is null, otherwise an error
 * whose SQLSTATE is `problem`. The per-request caller re-check
 * (`tenancy/caller-recheck.ts`) is one SELECT that computes the problem with a
 * CASE and hands it to this function, so a user or academy that is no longer
 * valid aborts the tenant transaction in the very statement that checks it:
 * the route's queries, pipelined behind it, cannot run for that caller.
 *
 * VOLATILE so the planner never folds or skips the call; SECURITY INVOKER (the
 * default: it reads nothing); a PL/pgSQL body because SQL functions cannot
 * raise. The SQLSTATEs are the re-check's own (class `SB`, unused by PostgreSQL).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create function public.skillbridge_raise(problem text) returns boolean
language plpgsql volatile
as $$
begin
  if problem is null then
    return true;
  end if;
  raise exception using errcode = problem, message = 'skillbridge re-check failed: ' || problem;
end;
$$;
`)
    .execute(db);
}
