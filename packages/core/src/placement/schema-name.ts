import { ValidationError } from "../errors.js";

/** Where an academy's tenant rows live (`academies.placement`). */
export type AcademyPlacement = "shared" | "schema";

/** The shared schema: every `shared` academy's rows, and the platform tables. */
export const SHARED_SCHEMA = "public";

/** Every dedicated schema's name starts with this; the rest is the academy id's 32 hex digits. */
export const DEDICATED_SCHEMA_PREFIX = "academy_";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEDICATED = /^academy_([0-9a-f]{32})$/;

/**
 * The dedicated schema of an academy: a name derived from its id alone
 * (`academy_` + the id's hex digits, 40 characters, no quoting needed), so
 * every process computes the same name from the academies row, with no
 * lookup table to keep in step and nothing to cache.
 *
 * @example
 * dedicatedSchemaName("7c9e6679-7425-40de-944b-e07fc1f90ae7"); // "academy_7c9e6679742540de944be07fc1f90ae7"
 */
export function dedicatedSchemaName(academyId: string): string {
  if (!UUID.test(academyId)) throw new ValidationError("academy id must be a UUID");
  return `${DEDICATED_SCHEMA_PREFIX}${academyId.toLowerCase().replaceAll("-", "")}`;
}

/** The academy id a dedicated schema's name stands for, or null for any other schema. */
export function academyIdOfSchema(schema: string): string | null {
  const hex = DEDICATED.exec(schema)?.[1];
  if (!hex) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The schema holding an academy's rows in a placement. */
export function schemaOf(academyId: string, placement: AcademyPlacement): string {
  return placement === "schema" ? dedicatedSchemaName(academyId) : SHARED_SCHEMA;
}

/**
 * The SQL expression (of a validated, lower-case academy id) that a tenant
 * transaction's search_path is set from: the academy's dedicated schema
 * first when its row says `placement = 'schema'`, then `public` (platform
 * tables: `academies`, `exam_questions`, `jobs`); `public` alone otherwise,
 * and for an id with no row. Read inside the setup statement itself, so a
 * move committed by another process is seen by the next transaction.
 * `idSql` is the SQL of the id: a parameter (`$1::text`) in the setup, which
 * is a named prepared statement (#21).
 */
export function searchPathExpression(idSql: string): string {
  return (
    "coalesce((select case when a.placement = 'schema' " +
    `then '${DEDICATED_SCHEMA_PREFIX}' || replace(a.id::text, '-', '') || ', ${SHARED_SCHEMA}' end ` +
    `from ${SHARED_SCHEMA}.academies a where a.id = (${idSql})::uuid), '${SHARED_SCHEMA}')`
  );
}

/**
 * Advisory-lock keys (two int4s: a class and the academy) that order tenant
 * transactions and moves of one academy: every tenant transaction takes the
 * shared lock in its setup, a move takes the exclusive one, so a move waits
 * for the academy's transactions in flight and the next ones wait for the
 * move, then read the new placement.
 */
export const PLACEMENT_LOCK_CLASS = 0x5b_01;

export function placementLockSql(academyId: string, mode: "shared" | "exclusive"): string {
  return placementLockOn(`'${academyId}'`, mode);
}

/** {@link placementLockSql} around any SQL expression of the academy's id (a literal or a parameter). */
export function placementLockOn(idSql: string, mode: "shared" | "exclusive"): string {
  const fn = mode === "shared" ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock";
  return `select ${fn}(${PLACEMENT_LOCK_CLASS}, hashtext(${idSql}))`;
}
