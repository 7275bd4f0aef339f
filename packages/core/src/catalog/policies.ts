import { sql } from "kysely";
import { type Executor, rows, userSchema } from "./sql.js";

/** `*` all, `r` select, `a` insert, `w` update, `d` delete (`pg_policy.polcmd`). */
export type PolicyCommand = "*" | "r" | "a" | "w" | "d";

/** A row-level security policy, with its expressions as Postgres prints them back. */
export interface CatalogPolicy {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly command: PolicyCommand;
  readonly permissive: boolean;
  /** Role names; `public` when it applies to every role. */
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly check: string | null;
}

export async function readPolicies(db: Executor): Promise<CatalogPolicy[]> {
  return rows(
    db,
    sql<CatalogPolicy>`
      select n.nspname as schema, c.relname as table, p.polname as name,
             p.polcmd::text as command, p.polpermissive as permissive,
             array(select case when r = 0 then 'public' else pg_get_userbyid(r)::text end
                   from unnest(p.polroles) r)::text[] as roles,
             pg_get_expr(p.polqual, p.polrelid) as using,
             pg_get_expr(p.polwithcheck, p.polrelid) as check
      from pg_policy p
      join pg_class c on c.oid = p.polrelid
      join pg_namespace n on n.oid = c.relnamespace
      where ${userSchema("n")}
      order by n.nspname, c.relname, p.polname`,
  );
}
