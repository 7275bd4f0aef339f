/**
 * Opening the database (PostgreSQL or PGlite) and its table types.
 */

export {
  BUNDLED_DATA_DIR,
  BUNDLED_DATA_DIR_MANIFEST,
  BUNDLED_SNAPSHOT,
  bundledPGliteDataDir,
  bundledPGliteSnapshot,
} from "./bundled-data-dir.js";
export { isDatabaseUnavailable } from "./connection-errors.js";
export {
  type DatabaseEngine,
  type DatabaseOptions,
  databaseOptionsFromEnv,
  openDatabase,
  type SkillBridgeDatabase,
} from "./open-database.js";
export {
  createPGliteSnapshot,
  type PGliteSnapshot,
  pgliteSnapshotFrom,
} from "./pglite-snapshot.js";
export type { Database } from "./tables.js";
