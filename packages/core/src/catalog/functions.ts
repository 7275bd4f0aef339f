import { sql } from "kysely";
import { TENANT_ROLE } from "../schema/tenant-tables.js";
import { type Executor, rows, userSchema } from "./sql.js";

/** A SECURITY DEFINER function: it runs with its owner's rights, whoever calls it. */
export interface CatalogDefinerFunction {
  readonly schema: string;
  readonly name: string;
  /** `name(argument types)`. */
  readonly signature: string;
  readonly owner: string;
  /** The owner is a superuser or has BYPASSRLS: row-level security never applies inside. */
  readonly ownerBypassesRls: boolean;
  readonly language: string;
  /** The body as written (`prosrc`); for SQL-standard bodies, see `dependsOn`. */
  readonly source: string;
  /** `schema.name` of relations Postgres records the body as using (SQL-standard bodies). */
  readonly dependsOn: readonly string[];
  /** The tenant role may call it (directly or through PUBLIC). */
  readonly tenantRoleCanExecute: boolean;
}

interface FunctionRow {
  schema: string;
  name: string;
  signature: string;
  owner: string;
  owner_bypasses: boolean;
  language: string;
  source: string | null;
  depends_on: string[];
  tenant_can_execute: boolean;
}

/** SECURITY DEFINER functions in application schemas, extensions' own left out. */
export async function readDefinerFunctions(db: Executor): Promise<CatalogDefinerFunction[]> {
  const found = await rows(
    db,
    sql<FunctionRow>`
      select n.nspname as schema, p.proname as name,
             p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature,
             o.rolname as owner, o.rolsuper or o.rolbypassrls as owner_bypasses,
             l.lanname as language, p.prosrc as source,
             array(select distinct tn.nspname || '.' || t.relname
                   from pg_depend d
                   join pg_class t on t.oid = d.refobjid
                   join pg_namespace tn on tn.oid = t.relnamespace
                   where d.classid = 'pg_proc'::regclass and d.objid = p.oid
                     and d.refclassid = 'pg_class'::regclass)::text[] as depends_on,
             exists (select 1 from pg_roles r where r.rolname = ${TENANT_ROLE})
               and has_function_privilege(${TENANT_ROLE}, p.oid, 'execute') as tenant_can_execute
      from pg_proc p
      join pg_namespace n on n.oid = p.pronamespace
      join pg_roles o on o.oid = p.proowner
      join pg_language l on l.oid = p.prolang
      where p.prosecdef and ${userSchema("n")}
        and not exists (select 1 from pg_depend e
                        where e.classid = 'pg_proc'::regclass and e.objid = p.oid and e.deptype = 'e')
      order by n.nspname, p.proname`,
  );
  return found.map((f) => ({
    schema: f.schema,
    name: f.name,
    signature: f.signature,
    owner: f.owner,
    ownerBypassesRls: f.owner_bypasses,
    language: f.language,
    source: f.source ?? "",
    dependsOn: f.depends_on,
    tenantRoleCanExecute: f.tenant_can_execute,
  }));
}
