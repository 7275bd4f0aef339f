import type { SkillBridgeDatabase } from "../db/open-database.js";
import { MigrationFailedError } from "../errors.js";
import {
  type MigrationReport,
  migratePlatform,
  migrateSharedTenantSchema,
} from "../schema/migrate.js";
import { dropStaleSpareSchemas } from "./spare-schemas.js";
import { runTenantMigrations } from "./tenant-schema-runner.js";

// The whole database's migration sits above both the migration lists
// (schema/migrate.ts) and the dedicated-schema runner that reads them, so
// neither of those imports the other's caller.

/**
 * Brings the database to the latest schema: platform tables first, then the
 * tenant tables of the shared schema, then every dedicated schema (academies
 * with `placement = 'schema'`, a few at a time), and drops the spare schemas
 * a new tenant migration left behind. Safe to call on every start:
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
  await dropStaleSpareSchemas(db);
  return reports;
}
