/**
 * The schema: platform and tenant tables, and the migration lists of the
 * platform and of one tenant schema (`migrate`, which also runs every
 * dedicated schema, is placement's).
 */

export { type MigrationReport, migratePlatform } from "./migrate.js";
export {
  isTenantTable,
  PLATFORM_TABLES,
  type PlatformTable,
  TENANT_ROLE,
  TENANT_TABLES,
  type TenantTable,
} from "./tenant-tables.js";
