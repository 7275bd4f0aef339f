import { join } from "node:path";
import { seedDataDir } from "../../packages/core/test/support/engines.js";

/**
 * Seeds `names` under `parent` as embedded data dirs that start initialised
 * but unmigrated (`seedDataDir`): spawned commands skip PGlite's `initdb` and
 * still run every migration, as on a user's first start.
 */
export async function seedDataDirs(parent: string, names: readonly string[]): Promise<void> {
  for (const name of names) await seedDataDir(join(parent, name));
}
