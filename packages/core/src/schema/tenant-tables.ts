import type { Database } from "../db/tables.js";

/**
 * The tenant tables, in dependency order. This list drives the DDL's RLS
 * policies, the tenant-scope plugin, the start-up safety check, the grants
 * and the isolation suite; the catalog test fails when the database has a
 * `tenant_id` table that is missing here.
 */
export const TENANT_TABLES = [
  "users",
  "parent_links",
  "courses",
  "enrollments",
  "assignments",
  "submissions",
  "quizzes",
  "quiz_submissions",
  "tutor_sessions",
  "study_plans",
  "question_attempts",
  "mastery",
  "gamification",
  "ai_usage",
  "question_ratings",
  "practice_sets",
  "practice_set_items",
  "mock_exams",
  "mock_exam_modules",
] as const satisfies readonly (keyof Database)[];

export type TenantTable = (typeof TENANT_TABLES)[number];
export type PlatformTable = (typeof PLATFORM_TABLES)[number];

/** Platform tables: no tenant, reached only through `withPlatform`. */
export const PLATFORM_TABLES = [
  "academies",
  "platform_users",
  "exam_questions",
  "audit_log",
  "jobs",
  "invitations",
  "revoked_tokens",
  "spare_schemas",
] as const satisfies readonly (keyof Database)[];

const tenantTableSet: ReadonlySet<string> = new Set(TENANT_TABLES);

export function isTenantTable(name: string): name is TenantTable {
  return tenantTableSet.has(name);
}

/** The role tenant transactions run as: no login, no superuser, no BYPASSRLS, owns nothing. */
export const TENANT_ROLE = "skillbridge_tenant";
