import { sql } from "kysely";
import { type Executor, rows, userSchema } from "./sql.js";

/** A view or materialized view and the relations its query reads directly. */
export interface CatalogView {
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  /** `security_invoker = true`: the view runs with the caller's rights, so RLS applies. */
  readonly securityInvoker: boolean;
  readonly owner: string;
  /** The owner is a superuser or has BYPASSRLS: no policy applies to what the view reads. */
  readonly ownerBypassesRls: boolean;
  /** `schema.name` of every table or view its query reads directly. */
  readonly reads: readonly string[];
}

interface ViewRow {
  schema: string;
  name: string;
  kind: string;
  options: string[] | null;
  owner: string;
  owner_bypasses: boolean;
  reads: string[];
}

const TRUE_OPTION = /^security_invoker=(true|on|yes|1)$/i;

export async function readViews(db: Executor): Promise<CatalogView[]> {
  const found = await rows(
    db,
    sql<ViewRow>`
      select n.nspname as schema, v.relname as name, v.relkind::text as kind,
             v.reloptions::text[] as options, o.rolname as owner,
             o.rolsuper or o.rolbypassrls as owner_bypasses,
             array(select distinct tn.nspname || '.' || t.relname
                   from pg_rewrite r
                   join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
                        and d.refclassid = 'pg_class'::regclass
                   join pg_class t on t.oid = d.refobjid and t.oid <> v.oid
                   join pg_namespace tn on tn.oid = t.relnamespace
                   where r.ev_class = v.oid)::text[] as reads
      from pg_class v
      join pg_namespace n on n.oid = v.relnamespace
      join pg_roles o on o.oid = v.relowner
      where v.relkind in ('v', 'm') and ${userSchema("n")}
      order by n.nspname, v.relname`,
  );
  return found.map((v) => ({
    schema: v.schema,
    name: v.name,
    materialized: v.kind === "m",
    securityInvoker: (v.options ?? []).some((o) => TRUE_OPTION.test(o)),
    owner: v.owner,
    ownerBypassesRls: v.owner_bypasses,
    reads: v.reads,
  }));
}
