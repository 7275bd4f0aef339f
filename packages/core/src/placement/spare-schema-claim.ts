import { type Kysely, sql } from "kysely";
import { quoteIdent } from "../schema/migrations/tenant-policy.js";
import { tenantMigrationNames } from "./tenant-schema-state.js";

/** The last tenant migration of this code: what a spare made now is at. */
export const latestTenantMigration = (): string => tenantMigrationNames().at(-1) ?? "";

/** Every spare schema's name starts with this; the rest is 32 random hex digits. */
export const SPARE_SCHEMA_PREFIX = "skillbridge_spare_";

/**
 * Inside the caller's transaction, when `schema` does not exist yet: takes
 * one listed spare schema and renames it to `schema`. Returns the spare's
 * old name, or null when none was free (or the table is not there yet, as
 * before the platform migration that adds it). Only a spare made with this
 * code's tenant migrations or older ones is taken (the newest first): one a
 * newer version made has a history this code would refuse. The row is locked with
 * `skip locked`, so two transactions never take one spare, and a waiting
 * one takes another or none; if the caller rolls back, the spare is listed
 * and named as before. The tables, policies, keys, grants and the
 * migration history move with the schema (PostgreSQL refers to them by
 * OID, and the tenant DDL names no schema inside a function body).
 */
export async function claimSpareSchema(
  trx: Kysely<unknown>,
  schema: string,
): Promise<string | null> {
  const wanted = await sql<{ ok: boolean }>`
    select to_regclass('public.spare_schemas') is not null
       and to_regnamespace(${quoteIdent(schema)}) is null as ok`.execute(trx);
  if (wanted.rows[0]?.ok !== true) return null;
  const taken = await sql<{ name: string }>`
    delete from public.spare_schemas where name = (
      select name from public.spare_schemas where version <= ${latestTenantMigration()}
      order by version desc, created_at, name
      limit 1 for update skip locked)
    returning name`.execute(trx);
  const spare = taken.rows[0]?.name;
  if (spare === undefined) return null;
  await sql.raw(`alter schema ${quoteIdent(spare)} rename to ${quoteIdent(schema)}`).execute(trx);
  return spare;
}
