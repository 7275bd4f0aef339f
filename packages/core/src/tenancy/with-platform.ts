import type { SkillBridgeDatabase } from "../db/open-database.js";
import type { PlatformDb } from "./context.js";

/**
 * Runs `fn` in a transaction over the platform tables (academies, platform
 * users, the shared question bank, audit log, jobs), explicit and separate
 * from tenant work. Tenant tables are not in the handle's type, and with no
 * tenant setting their forced RLS returns no rows to a non-superuser owner.
 *
 * @example
 * const academy = await withPlatform(db, (trx) =>
 *   trx.selectFrom("academies").selectAll().where("slug", "=", "north").executeTakeFirst(),
 * );
 */
export async function withPlatform<T>(
  db: SkillBridgeDatabase,
  fn: (trx: PlatformDb) => Promise<T>,
): Promise<T> {
  return db.kysely.transaction().execute((trx) => fn(trx as unknown as PlatformDb));
}
