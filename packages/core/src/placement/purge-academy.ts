import { type Kysely, sql } from "kysely";
import { ConflictError, NotFoundError } from "../errors.js";
import { quoteIdent } from "../schema/migrations/tenant-policy.js";
import { TENANT_TABLES } from "../schema/tenant-tables.js";
import type { PlatformDb } from "../tenancy/context.js";
import { type AcademyPlacement, placementLockSql, schemaOf } from "./schema-name.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface PurgedAcademy {
  readonly academyId: string;
  readonly slug: string;
  /** Rows removed per tenant table (tables with none left out). */
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
}

/**
 * Removes a soft-deleted academy for good, inside the caller's transaction:
 * every row of every tenant table (in reverse dependency order), its
 * dedicated schema if it has one, its jobs, and the academy row. A live
 * academy is refused (409): purging is the second step after a delete, never
 * the first. The audit log keeps its entries: their link to the academy
 * becomes `details.academyId`, as the row they pointed to is gone.
 */
export async function purgeAcademyRows(
  platform: PlatformDb,
  academyId: string,
): Promise<PurgedAcademy> {
  const trx = platform as unknown as Kysely<unknown>;
  const id = academyId.toLowerCase();
  if (!UUID.test(id)) throw new NotFoundError("Academy");
  // Forced RLS holds even the owner to one academy's rows: this one's.
  await sql.raw(`select set_config('app.tenant_id', '${id}', true)`).execute(trx);
  await sql.raw(placementLockSql(id, "exclusive")).execute(trx);
  const found = await sql<{ slug: string; placement: AcademyPlacement; deleted: boolean }>`
    select slug, placement, deleted_at is not null as deleted
    from public.academies where id = ${id} for update`.execute(trx);
  const academy = found.rows[0];
  if (!academy) throw new NotFoundError("Academy");
  if (!academy.deleted) {
    throw new ConflictError("Only a deleted academy can be purged: delete it first.");
  }
  const schema = schemaOf(id, academy.placement);
  const tables: { table: string; rows: number }[] = [];
  for (const table of [...TENANT_TABLES].reverse()) {
    const removed = await sql
      .raw(`delete from ${quoteIdent(schema)}.${quoteIdent(table)} where tenant_id = '${id}'`)
      .execute(trx);
    const rows = Number(removed.numAffectedRows ?? 0);
    if (rows > 0) tables.push({ table, rows });
  }
  if (academy.placement === "schema") {
    await sql.raw(`drop schema if exists ${quoteIdent(schema)} cascade`).execute(trx);
  }
  await sql`delete from public.jobs where academy_id = ${id}`.execute(trx);
  await sql`
    update public.audit_log
    set details = details || jsonb_build_object('academyId', academy_id::text), academy_id = null
    where academy_id = ${id}`.execute(trx);
  await sql`delete from public.academies where id = ${id}`.execute(trx);
  return { academyId: id, slug: academy.slug, tables: tables.reverse() };
}
