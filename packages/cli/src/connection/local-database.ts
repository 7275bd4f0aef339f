import { resolve } from "node:path";
import {
  assertTenantSafety,
  databaseOptionsFromEnv,
  isSkillBridgeError,
  type MigrationReport,
  migrate,
  openDatabase,
  type SkillBridgeDatabase,
} from "@skillbridge/core";
import { CliError } from "../errors.js";
import { readServeAddress } from "./serve-address.js";
import { optimiseWasm } from "./wasm-tiers.js";

/** Where the embedded mode keeps its data: `DATABASE_URL`, else PGlite under the data dir. */
export interface LocalDatabaseOptions {
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Refuse a database that is unsafe to serve (default true). Only the isolation
   * audit turns it off: it must report on such a database, not stop at it.
   */
  readonly checkSafety?: boolean | undefined;
  /**
   * Migrate on opening (default true). `db migrate` and `db status` turn it off:
   * they run (or report) the migrations themselves, schema by schema.
   */
  readonly migrate?: boolean | undefined;
  /**
   * The process serves until stopped (`serve`, `worker`): PGlite's
   * WebAssembly gets V8's optimising compiler (see `wasm-tiers.ts`).
   */
  readonly longRunning?: boolean | undefined;
  /** Databases already open, by data dir: see `CliIO.openDataDirs`. */
  readonly openDataDirs?: ReadonlyMap<string, SkillBridgeDatabase> | undefined;
}

export interface LocalDatabase {
  readonly db: SkillBridgeDatabase;
  readonly applied: readonly string[];
  /** `PostgreSQL at host/db` or `PGlite in ./.skillbridge`, for messages. */
  readonly description: string;
}

function describe(options: LocalDatabaseOptions): string {
  const url = options.env.DATABASE_URL;
  if (!url) return `PGlite in ${options.dataDir}`;
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.host}${parsed.pathname}`;
  } catch {
    return "PostgreSQL (DATABASE_URL)";
  }
}

/**
 * Opens the local database, migrates it and checks that it is safe to serve
 * tenants, as the server does before it listens. Failures become one-line errors.
 * A database held open for the data dir (`openDataDirs`) is used as it is, and
 * the returned one's `close` leaves it open.
 */
export async function openLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  const description = describe(options);
  if (options.longRunning && !options.env.DATABASE_URL) optimiseWasm();
  const held = options.env.DATABASE_URL
    ? undefined
    : options.openDataDirs?.get(resolve(options.dataDir));
  const db: SkillBridgeDatabase = held
    ? { ...held, close: async () => {} }
    : await open(options, description);
  try {
    const reports: MigrationReport[] = options.migrate === false ? [] : await migrate(db);
    if (options.checkSafety !== false) await assertTenantSafety(db);
    return {
      db,
      applied: reports.flatMap((r) => r.applied.map((name) => `${r.scope}/${name}`)),
      description,
    };
  } catch (error) {
    await db.close().catch(() => {});
    if (isSkillBridgeError(error)) {
      throw new CliError(`${description}: ${error.message}`);
    }
    throw error;
  }
}

async function open(
  options: LocalDatabaseOptions,
  description: string,
): Promise<SkillBridgeDatabase> {
  try {
    return await openDatabase({
      // A new data dir starts migrated, as a copy of the build's (docs/cli.md); not for
      // `db migrate` and `db status`: they report the migrations they find to run.
      ...databaseOptionsFromEnv({ ...options.env, SKILLBRIDGE_DATA_DIR: options.dataDir }),
      ...(options.migrate === false ? { templateDir: undefined } : {}),
    });
  } catch (error) {
    if (isSkillBridgeError(error) && error.code === "database_in_use") {
      const pid = (error as { pid?: unknown }).pid;
      const url = typeof pid === "number" ? readServeAddress(options.dataDir, pid) : undefined;
      throw new CliError(
        error.message,
        url
          ? `Talk to that server instead: --api-url ${url}`
          : "Wait for it to finish, or talk to the server it runs with --api-url <its address>.",
      );
    }
    throw new CliError(
      `Cannot open the database (${description}): ${(error as Error).message}`,
      options.env.DATABASE_URL ? "Check DATABASE_URL." : "Check --data-dir / SKILLBRIDGE_DATA_DIR.",
    );
  }
}
