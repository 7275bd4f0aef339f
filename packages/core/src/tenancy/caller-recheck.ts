import { AcademySuspendedError, type SkillBridgeError, UnauthenticatedError } from "../errors.js";
import { SHARED_SCHEMA } from "../placement/schema-name.js";
import type { AcademyRole } from "./context.js";
import { statementName, type TenantStatement } from "./pipelined-connection.js";

/** The caller a token names, re-checked inside every tenant transaction it opens. */
export interface CallerCheck {
  readonly userId: string;
  readonly role: AcademyRole;
  /**
   * The user's `credentials_version` the token was issued under; undefined
   * compares nothing (the server always passes the token's, 0 when it names none).
   */
  readonly userVersion?: number | undefined;
  /** The academy's `credentials_version` the token was issued under. */
  readonly academyVersion?: number | undefined;
  /** The token's `jti`: a signed-out token (`revoked_tokens`) is a 401. */
  readonly tokenId?: string | undefined;
}

/** Stands for "no token id": no revoked row has it. */
const NO_TOKEN = "00000000-0000-0000-0000-000000000000";

/** SQLSTATEs `skillbridge_raise` is handed (platform migration 0013_request_path). */
const PROBLEMS = {
  SB401: () => new UnauthenticatedError(),
  SB40V: () =>
    new UnauthenticatedError("The token was issued before a credential change; sign in again."),
  SB403: () => new AcademySuspendedError(),
} as const satisfies Record<string, () => SkillBridgeError>;

/**
 * The re-check as one statement that aborts the transaction: it always yields
 * exactly one row (`from (values (1))`, the rest left-joined, so a missing
 * academy or user is a NULL, not an empty result that would pass), computes
 * the first problem with a CASE, and `skillbridge_raise` turns a problem into
 * an error. Runs after the setup, so under the tenant role with RLS on both
 * tables and the academy's `search_path` (`users` is the dedicated schema's for
 * a schema-placed academy); `tenant_id` is named as well, as the plugin would.
 *
 * The arms are tried in order: a signed-out token (`revoked_tokens`, by its
 * primary key) is a 401; a suspended academy stays a 403 (API.md) even though
 * the suspension raised its credential version; then a token issued under an
 * older user or academy `credentials_version` (a password, role, deletion or
 * suspension since; platform migration 0009_credentials) is a 401 asking to
 * sign in again. The statement stays one round trip, and its prepared name
 * follows its text.
 */
const RECHECK_SQL = `select ${SHARED_SCHEMA}.skillbridge_raise(case
  when a.id is null or a.deleted_at is not null then 'SB401'
  when u.id is null or u.role <> $2::text then 'SB401'
  when exists (select 1 from ${SHARED_SCHEMA}.revoked_tokens r where r.jti = $6::uuid) then 'SB401'
  when a.status <> 'active' then 'SB403'
  when u.credentials_version <> coalesce($4::int, u.credentials_version)
    or a.credentials_version <> coalesce($5::int, a.credentials_version) then 'SB40V'
end) as ok
from (values (1)) as one (x)
left join ${SHARED_SCHEMA}.academies a on a.id = $3::uuid
left join users u on u.tenant_id = a.id and u.id = $1::uuid and u.deleted_at is null`;

const RECHECK_NAME = statementName(RECHECK_SQL);

export function callerRecheckStatement(tenantId: string, caller: CallerCheck): TenantStatement {
  return {
    sql: RECHECK_SQL,
    parameters: [
      caller.userId,
      caller.role,
      tenantId,
      caller.userVersion ?? null,
      caller.academyVersion ?? null,
      caller.tokenId ?? NO_TOKEN,
    ],
    name: RECHECK_NAME,
  };
}

/** The API error a failed re-check stands for (401 or 403), or undefined for any other error. */
export function recheckProblem(error: unknown): SkillBridgeError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "SB401" || code === "SB40V" || code === "SB403") return PROBLEMS[code]();
  return undefined;
}
