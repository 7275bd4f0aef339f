import { type LocalDatabase, openLocalDatabase } from "../../connection/local-database.js";
import { CliError } from "../../errors.js";
import type { Session } from "../../session.js";

/**
 * The local database for an operator job (`db migrate`, `db status`), opened
 * without migrating: these commands run or report the migrations themselves.
 * Like `init` and `worker`, they work on the database directly (docs/cli.md),
 * so they refuse to run with an API URL set.
 */
export async function openForOperatorJob(
  session: Session,
  command: string,
): Promise<LocalDatabase> {
  session.requireLocal(command, "works on the local database");
  return openLocalDatabase({
    dataDir: session.dataDir,
    env: session.io.env,
    migrate: false,
    checkSafety: false,
    openDataDirs: session.io.openDataDirs,
  });
}

/** Academy slugs by id (for naming dedicated schemas); empty before the platform migrations. */
export async function slugsById(local: LocalDatabase): Promise<Map<string, string>> {
  try {
    const rows = await local.db.kysely.selectFrom("academies").select(["id", "slug"]).execute();
    return new Map(rows.map((r) => [r.id, r.slug]));
  } catch {
    return new Map();
  }
}

/** A whole number flag within bounds, or a one-line error naming it. */
export function integerFlag(
  flag: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}; got "${value}".`);
  }
  return n;
}
