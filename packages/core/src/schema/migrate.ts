import { type Kysely, type Migration, type MigrationResultSet, Migrator } from "kysely";
import type { SkillBridgeDatabase } from "../db/open-database.js";
import { MigrationFailedError } from "../errors.js";
import { runTenantMigrations } from "../placement/tenant-schema-runner.js";
import * as platform0001 from "./migrations/platform-0001-init.js";
import * as platform0002 from "./migrations/platform-0002-question-bank.js";
import * as platform0003 from "./migrations/platform-0003-jobs.js";
import { tenantInit, tenantInitDdl } from "./migrations/tenant-0001-init.js";
import { tenantAi, tenantAiDdl } from "./migrations/tenant-0002-ai.js";
import {
  tenantCourseCapacity,
  tenantCourseCapacityDdl,
} from "./migrations/tenant-0003-course-capacity.js";
import { tenantReview, tenantReviewDdl } from "./migrations/tenant-0004-review.js";
import { tenantLearning, tenantLearningDdl } from "./migrations/tenant-0005-learning.js";

/** Platform migrations, in order. Forward-only: there is no `down`. */
const platformMigrations: Record<string, Migration> = {
  "0001_init": platform0001,
  "0002_question_bank": platform0002,
  "0003_jobs": platform0003,
};

/**
 * Every tenant migration's DDL for one schema, in order: what a schema holding the
 * tenant tables ends up with (the isolation audit's tests build dedicated copies with it).
 */
export function tenantSchemaDdl(schema: string): string {
  return [tenantInitDdl, tenantAiDdl, tenantCourseCapacityDdl, tenantReviewDdl, tenantLearningDdl]
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

/** Applies the platform migrations (schema `public`). */
export async function migratePlatform(db: SkillBridgeDatabase): Promise<MigrationReport> {
  const kysely = db.kysely as unknown as Kysely<unknown>;
  const platform = await migratorFor(kysely, "platform", "public").migrateToLatest();
  return check(platform, "public", "platform");
}

/** Applies the tenant migrations to the shared schema (`public`). */
export async function migrateSharedTenantSchema(db: SkillBridgeDatabase): Promise<MigrationReport> {
  const kysely = db.kysely as unknown as Kysely<unknown>;
  const tenant = await migratorFor(kysely, "tenant", "public").migrateToLatest();
  return check(tenant, "public", "tenant");
}

/**
 * Brings the database to the latest schema: platform tables first, then the
 * tenant tables of the shared schema, then every dedicated schema (academies
 * with `placement = 'schema'`, a few at a time). Safe to call on every start:
 * applied migrations are recorded and skipped, and locks keep two processes
 * from migrating one schema at once. `skillbridge db migrate` runs the same
 * steps with progress.
 *
 * @example
 * const db = await openDatabase({ memory: true });
 * await migrate(db);
 */
export async function migrate(
  db: SkillBridgeDatabase,
  options: { readonly concurrency?: number } = {},
): Promise<MigrationReport[]> {
  const reports = [await migratePlatform(db), await migrateSharedTenantSchema(db)];
  const run = await runTenantMigrations(db, {
    include: "dedicated",
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
  });
  const failed = run.failed[0];
  if (failed) {
    throw new MigrationFailedError(
      `tenant migration failed in schema ${failed.schema}: ${failed.error}`,
    );
  }
  for (const done of run.migrated) {
    reports.push({ schema: done.schema, scope: "tenant", applied: done.applied });
  }
  return reports;
}
