import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { lockDataDir } from "./data-dir-lock.js";
import { PGliteDialect } from "./pglite-dialect.js";
import type { Database } from "./tables.js";

export type DatabaseEngine = "postgres" | "pglite";

export interface DatabaseOptions {
  /** A PostgreSQL URL: node-postgres pool. Without it, PGlite. */
  readonly url?: string | undefined;
  /** PGlite data directory; created when missing. Ignored with `url`. */
  readonly dataDir?: string | undefined;
  /** PGlite in memory (tests). Ignored with `url`. */
  readonly memory?: boolean | undefined;
  /** Pool size for PostgreSQL (default 10). */
  readonly poolSize?: number | undefined;
  /** Server-side `statement_timeout` for every session, in ms (default 15000). */
  readonly statementTimeoutMs?: number | undefined;
}

/** An open SkillBridge database: one Kysely instance over either engine. */
export interface SkillBridgeDatabase {
  readonly kysely: Kysely<Database>;
  readonly engine: DatabaseEngine;
  close(): Promise<void>;
}

/**
 * Opens the database: PostgreSQL when a URL is given, else PGlite (file-backed
 * in `dataDir`, or in memory). Both run the same migrations and policies.
 *
 * @example
 * const db = await openDatabase({ url: process.env.DATABASE_URL, dataDir: ".skillbridge" });
 * await migrate(db);
 */
export async function openDatabase(options: DatabaseOptions): Promise<SkillBridgeDatabase> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      application_name: "skillbridge",
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: statementTimeoutMs * 2,
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, engine: "postgres", close: () => kysely.destroy() };
  }
  let dataDir: string | undefined;
  let unlock = () => {};
  if (!options.memory) {
    // The data dir also holds other state (the embedded server's signing key), so
    // Postgres gets a folder of its own inside it.
    dataDir = join(options.dataDir ?? ".skillbridge", "pgdata");
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir === undefined ? {} : { dataDir });
    await pglite.exec(`set statement_timeout = ${Math.trunc(statementTimeoutMs)}`);
  } catch (error) {
    unlock();
    throw error;
  }
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    kysely,
    engine: "pglite",
    close: async () => {
      try {
        await kysely.destroy();
        await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

/** Database options from the environment: `DATABASE_URL`, else PGlite in `SKILLBRIDGE_DATA_DIR`. */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: env.SKILLBRIDGE_DATA_DIR || ".skillbridge",
  };
}
