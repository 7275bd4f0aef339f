/**
 * Placement (docs/tenancy.md): dedicated-schema academies, the tenant schema
 * runner and its states, moves between schemas, and the whole database's migration.
 */

export { migrate } from "./migrate-database.js";
export {
  type AcademyMove,
  type MovedTable,
  type MoveOptions,
  type MoveStep,
  moveAcademyRows,
} from "./move-academy.js";
export { type PurgedAcademy, purgeAcademyRows } from "./purge-academy.js";
export {
  type AcademyPlacement,
  academyIdOfSchema,
  DEDICATED_SCHEMA_PREFIX,
  dedicatedSchemaName,
  SHARED_SCHEMA,
  schemaOf,
} from "./schema-name.js";
export { claimSpareSchema, SPARE_SCHEMA_PREFIX } from "./spare-schema-claim.js";
export {
  countSpareSchemas,
  dropStaleSpareSchemas,
  fillSpareSchemas,
  type SpareSchemaFill,
  SpareSchemaPool,
  type SpareSchemaPoolOptions,
} from "./spare-schemas.js";
export {
  migrateTenantSchemaIn,
  type RunTenantMigrationsOptions,
  runTenantMigrations,
  type TenantMigrationEvent,
  type TenantMigrationRun,
} from "./tenant-schema-runner.js";
export {
  readTenantSchemaStates,
  type TenantSchemaState,
  tenantMigrationNames,
} from "./tenant-schema-state.js";
