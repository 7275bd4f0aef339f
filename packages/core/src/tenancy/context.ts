import type { Kysely } from "kysely";
import type { Database } from "../db/tables.js";
import type { PlatformTable, TenantTable } from "../schema/tenant-tables.js";

export type AcademyRole = "admin" | "instructor" | "student" | "parent";

/**
 * Who a tenant transaction acts for. The tenant always comes from a verified
 * token (or an operator's explicit choice), never from request input.
 * `system` is core acting for the academy itself (login, onboarding, jobs).
 */
export interface TenantContext {
  readonly tenantId: string;
  readonly userId: string | null;
  readonly role: AcademyRole | "system";
}

/**
 * What tenant code may name: its own tables, its academy row, the shared
 * question bank, and its academy's signed-out tokens (the per-request re-check).
 */
export type TenantDatabase = Pick<
  Database,
  TenantTable | "academies" | "exam_questions" | "revoked_tokens"
>;
export type TenantDb = Kysely<TenantDatabase>;

/** Platform tables only: tenant tables are out of reach by type, and by RLS at run time. */
export type PlatformDatabase = Pick<Database, PlatformTable>;
export type PlatformDb = Kysely<PlatformDatabase>;
