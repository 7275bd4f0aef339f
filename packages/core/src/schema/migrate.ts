import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { MigrationFailedError } from "../errors.js";
import * as platform0001 from "./migrations/platform-0001-init.js";
import * as platform0002 from "./migrations/platform-0002-question-bank.js";
import * as platform0003 from "./migrations/platform-0003-jobs.js";
import * as platform0004 from "./migrations/platform-0004-question-sections.js";
import * as platform0008 from "./migrations/platform-0008-practice-index.js";
import * as platform0009 from "./migrations/platform-0009-credentials.js";
import * as platform0010 from "./migrations/platform-0010-question-format.js";
import * as platform0011 from "./migrations/platform-0011-question-browse.js";
import * as platform0012 from "./migrations/platform-0012-invitations.js";
import * as platform0013 from "./migrations/platform-0013-request-path.js";
import * as platform0014 from "./migrations/platform-0014-spare-schemas.js";
import { tenantInit, tenantInitDdl } from "./migrations/tenant-0001-init.js";
import { tenantAi, tenantAiDdl } from "./migrations/tenant-0002-ai.js";
import {
  tenantCourseCapacity,
  tenantCourseCapacityDdl,
} from "./migrations/tenant-0003-course-capacity.js";
import { tenantReview, tenantReviewDdl } from "./migrations/tenant-0004-review.js";
import { tenantLearning, tenantLearningDdl } from "./migrations/tenant-0005-learning.js";
import { tenantQuizPolicy, tenantQuizPolicyDdl } from "./migrations/tenant-0007-quiz-policy.js";
import { tenantPractice, tenantPracticeDdl } from "./migrations/tenant-0008-practice.js";
import { tenantCredentials, tenantCredentialsDdl } from "./migrations/tenant-0009-credentials.js";

/** Platform migrations, in order. Forward-only: there is no `down`. */
const platformMigrations: Record<string, Migration> = {
  "0001_init": platform0001,
  "0002_question_bank": platform0002,
  "0003_jobs": platform0003,
  "0004_question_sections": platform0004,
  "0008_practice_index": platform0008,
  "0009_credentials": platform0009,
  "0010_question_format": platform0010,
  "0011_question_browse": platform0011,
  "0012_invitations": platform0012,
  "0013_request_path": platform0013,
  "0014_spare_schemas": platform0014,
};

/**
 * Every tenant migration's DDL for one schema, in order: what a schema holding the
 * tenant tables ends up with (the isolation audit's tests build dedicated copies with it).
 */
export function tenantSchemaDdl(schema: string): string {
  return [
    tenantInitDdl,
    tenantAiDdl,
    tenantCourseCapacityDdl,
    tenantReviewDdl,
    tenantLearningDdl,
    tenantQuizPolicyDdl,
    tenantPracticeDdl,
    tenantCredentialsDdl,
  ]
    .map((ddl) => ddl(schema))
    .join("\n");
}

/**
 * The tenant migrations for one schema, by name: the one list every tenant schema
 * is migrated from (`public` and each dedicated schema, see
 * `placement/tenant-schema-runner.ts`), applied in name order.
 */
export function tenantMigrations(schema: string): Record<string, Migration> {
  return {
    "0001_init": tenantInit(schema),
    "0002_ai": tenantAi(schema),
    "0003_course_capacity": tenantCourseCapacity(schema),
    "0004_review": tenantReview(schema),
    "0005_learning": tenantLearning(schema),
    "0007_quiz_policy": tenantQuizPolicy(schema),
    "0008_practice": tenantPractice(schema),
    "0009_credentials": tenantCredentials(schema),
  };
}

export interface MigrationReport {
  readonly schema: string;
  readonly scope: "platform" | "tenant";
  readonly applied: readonly string[];
}

function migratorFor(db: Kysely<unknown>, scope: "platform" | "tenant", schema: string) {
  const migrations = scope === "platform" ? platformMigrations : tenantMigrations(schema);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: `skillbridge_${scope}_migrations`,
    migrationLockTableName: `skillbridge_${scope}_migrations_lock`,
    migrationTableSchema: schema,
  });
}

function check(
  result: MigrationResultSet,
  schema: string,
  scope: "platform" | "tenant",
): MigrationReport {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new MigrationFailedError(`${scope} migration ${failed} failed in schema ${schema}`, {
      cause: result.error,
    });
  }
  return {
    schema,
    scope,
    applied: (result.results ?? [])
      .filter((r) => r.status === "Success")
      .map((r) => r.migrationName),
  };
}

/**
 * Whether `public`'s migration table for `scope` lists exactly the migrations
 * this code has: then nothing is to run, and the Migrator is not needed. It
 * first looks its tables up in the catalog (a dozen queries: about 80 ms a
 * start on PGlite, paid by every CLI command). Anything else (no table yet, a
 * migration missing, or one this code does not know, written by a newer
 * version) goes through the Migrator, which applies or refuses as before.
 * A migration and its row commit together, so a listed name is applied.
 */
async function alreadyApplied(
  kysely: Kysely<unknown>,
  scope: "platform" | "tenant",
  names: readonly string[],
): Promise<boolean> {
  const table = `public.skillbridge_${scope}_migrations`;
  const found = await sql<{
    table: string | null;
  }>`select to_regclass(${table})::text as table`.execute(kysely);
  if (!found.rows[0]?.table) return false;
  const rows = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(kysely);
  const applied = new Set(rows.rows.map((row) => row.name));
  return applied.size === names.length && names.every((name) => applied.has(name));
}

async function migratePublic(
  db: SkillBridgeDatabase,
  scope: "platform" | "tenant",
): Promise<MigrationReport> {
  const kysely = db.kysely as unknown as Kysely<unknown>;
  const names = Object.keys(scope === "platform" ? platformMigrations : tenantMigrations("public"));
  if (await alreadyApplied(kysely, scope, names)) return { schema: "public", scope, applied: [] };
  return check(await migratorFor(kysely, scope, "public").migrateToLatest(), "public", scope);
}

/** Applies the platform migrations (schema `public`). */
export function migratePlatform(db: SkillBridgeDatabase): Promise<MigrationReport> {
  return migratePublic(db, "platform");
}

/** Applies the tenant migrations to the shared schema (`public`). */
export function migrateSharedTenantSchema(db: SkillBridgeDatabase): Promise<MigrationReport> {
  return migratePublic(db, "tenant");
}
