import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { bundledPGliteDataDir } from "./bundled-data-dir.js";
import { LOCK_FILE, lockDataDir } from "./data-dir-lock.js";
import { PGliteDialect } from "./pglite-dialect.js";
import { PGLITE_INITDB_PARAMS, PGLITE_START_PARAMS } from "./pglite-params.js";
import { isInitialisedDataDir, type PGliteSnapshot } from "./pglite-snapshot.js";
import { SnapshotMemoryFS, snapshotFiles } from "./pglite-snapshot-fs.js";
import type { Database } from "./tables.js";
import { POOL_TYPES } from "./timestamp-parser.js";

export type DatabaseEngine = "postgres" | "pglite";

export interface DatabaseOptions {
  /** A PostgreSQL URL: node-postgres pool. Without it, PGlite. */
  readonly url?: string | undefined;
  /** PGlite data directory; created when missing. Ignored with `url`. */
  readonly dataDir?: string | undefined;
  /** PGlite in memory (tests). Ignored with `url`. */
  readonly memory?: boolean | undefined;
  /**
   * PGlite only: start a new database (in memory, or a data dir not yet
   * initialised) from this snapshot (`createPGliteSnapshot`) instead of an
   * empty one: no `initdb`, and the snapshot's migrations already applied.
   * An existing data dir ignores it. A snapshot that fails to load is only a
   * lost shortcut: the database starts empty instead. (An archive PGlite's
   * loader cannot untar makes it try a gunzip whose failure it leaves
   * unhandled, so check a snapshot from outside first, as
   * `bundledPGliteSnapshot` does.)
   */
  readonly snapshot?: PGliteSnapshot | undefined;
  /**
   * PGlite data dirs only: a new data dir (not yet initialised) starts as a
   * copy of this prepared data directory (`bundledPGliteDataDir`: migrated by
   * the build), with no `initdb`. A function is called only for a new data
   * dir; undefined means none. If the copy fails to start, it is removed and
   * the data dir is initialised as without it. Ignored in memory and with `url`.
   */
  readonly templateDir?: string | (() => string | undefined) | undefined;
  /** Pool size for PostgreSQL (default 10). */
  readonly poolSize?: number | undefined;
  /** `application_name` of the PostgreSQL sessions (default `skillbridge`): names them in `pg_stat_activity`. */
  readonly applicationName?: string | undefined;
  /** Server-side `statement_timeout` for every session, in ms (default 15000). */
  readonly statementTimeoutMs?: number | undefined;
  /**
   * How long a query may wait for a pooled PostgreSQL connection, in ms
   * (default 10000): past it the query fails (the server answers 503) rather
   * than hanging while the database is unreachable or the pool is exhausted.
   */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * Told when PostgreSQL ends a pooled connection (a restart,
   * `pg_terminate_backend`). The pool drops it by itself; this is for logs.
   */
  readonly onConnectionError?: ((error: Error) => void) | undefined;
}

/** An open SkillBridge database: one Kysely instance over either engine. */
export interface SkillBridgeDatabase {
  readonly kysely: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /**
   * The node-postgres pool under `kysely` (PostgreSQL only): for what Kysely
   * cannot say, such as the question importer's `COPY ... FROM STDIN`.
   */
  readonly pgPool?: pg.Pool | undefined;
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
      application_name: options.applicationName ?? "skillbridge",
      statement_timeout: statementTimeoutMs,
      idle_in_transaction_session_timeout: statementTimeoutMs * 2,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      // timestamptz read by position rather than postgres-date's regexes (same Dates).
      types: POOL_TYPES,
    });
    // A connection PostgreSQL ends (restart, pg_terminate_backend) emits
    // "error" on its client: pg-pool re-emits it on the pool while the client
    // is idle, and nobody listens while it is checked out. An unheard "error"
    // event is an uncaught exception, so without these listeners a database
    // restart would take the whole process down. The failed query still
    // rejects, and the pool discards a client that is no longer queryable.
    const onConnectionError = options.onConnectionError;
    pool.on("error", (error) => onConnectionError?.(error));
    pool.on("connect", (client) => {
      client.on("error", (error) => onConnectionError?.(error));
    });
    // An idle connection the server ends (a restart, an admin's terminate, a
    // dropped database) is an 'error' on the pool; unheard, it crashes the
    // process. The pool has already discarded that client and the next query
    // opens a new one, so there is nothing else to do.
    pool.on("error", () => undefined);
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, engine: "postgres", pgPool: pool, close: () => kysely.destroy() };
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
    const fresh = dataDir === undefined || !isInitialisedDataDir(dataDir);
    const snapshot = fresh ? options.snapshot : undefined;
    let template =
      fresh && dataDir !== undefined && snapshot === undefined
        ? typeof options.templateDir === "function"
          ? options.templateDir()
          : options.templateDir
        : undefined;
    if (template !== undefined && dataDir !== undefined && !copyTemplate(template, dataDir))
      template = undefined;
    const params = {
      startParams: [...PGLITE_START_PARAMS],
      initDbStartParams: [...PGLITE_INITDB_PARAMS],
    };
    const create = async (from: PGliteSnapshot | undefined) => {
      if (from !== undefined && dataDir === undefined) {
        // In memory: the snapshot's files go straight into the file system (pglite-snapshot-fs.ts).
        const files = await snapshotFiles(from);
        if (files) return PGlite.create({ fs: new SnapshotMemoryFS(files), ...params });
      }
      const load = from === undefined ? {} : { loadDataDir: from };
      return PGlite.create(
        dataDir === undefined ? { ...load, ...params } : { dataDir, ...load, ...params },
      );
    };
    try {
      pglite = await create(snapshot);
    } catch (error) {
      if (snapshot === undefined && template === undefined) throw error;
      // What the snapshot or template left behind goes (the lock stays), and the database starts empty.
      if (dataDir !== undefined) emptyDataDir(dataDir);
      pglite = await create(undefined);
    }
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

/** Removes everything in a data dir but its lock. */
function emptyDataDir(dataDir: string): void {
  for (const entry of readdirSync(dataDir))
    if (entry !== LOCK_FILE) rmSync(join(dataDir, entry), { recursive: true, force: true });
}

/**
 * Copies a prepared data directory into a new data dir (which holds the lock
 * already), `PG_VERSION` last: a copy cut short (a kill, a full disk) leaves no
 * `PG_VERSION`, so the next start sees a new data dir and copies again instead
 * of opening half a database. False (and nothing left behind) if it failed.
 */
function copyTemplate(template: string, dataDir: string): boolean {
  try {
    cpSync(template, dataDir, {
      recursive: true,
      force: true,
      filter: (source) => source !== join(template, "PG_VERSION"),
    });
    copyFileSync(join(template, "PG_VERSION"), join(dataDir, "PG_VERSION"));
    return true;
  } catch {
    emptyDataDir(dataDir);
    return false;
  }
}

/**
 * Database options from the environment: `DATABASE_URL`, else PGlite in
 * `SKILLBRIDGE_DATA_DIR`; a new PGlite data dir starts as a copy of the
 * migrated one the build bundles (`bundledPGliteDataDir`), when there is one.
 */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  return {
    url: env.DATABASE_URL || undefined,
    dataDir: env.SKILLBRIDGE_DATA_DIR || ".skillbridge",
    templateDir: bundledPGliteDataDir,
  };
}
