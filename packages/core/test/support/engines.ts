import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  type DatabaseEngine,
  migrate,
  openDatabase,
  type SkillBridgeDatabase,
} from "../../src/index.js";

/**
 * The engines every database test runs on: PGlite always, real PostgreSQL when
 * `SKILLBRIDGE_TEST_DATABASE_URL` is set (CI sets it). Loop over them the way
 * kysely's tests loop over DIALECTS.
 */
export const ENGINES: readonly DatabaseEngine[] = process.env.SKILLBRIDGE_TEST_DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

export interface TestDatabase {
  readonly db: SkillBridgeDatabase;
  /** Closes the database and, on PostgreSQL, drops the scratch database. */
  dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/**
 * A fresh, migrated database on `engine`. On PostgreSQL each call creates its
 * own database on the server from `SKILLBRIDGE_TEST_DATABASE_URL`, so test
 * files run in parallel without seeing each other.
 */
export async function openTestDatabase(
  engine: DatabaseEngine,
  options: { poolSize?: number; migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (engine === "pglite") {
    const db = await openDatabase({ memory: true });
    if (options.migrate !== false) await migrate(db);
    return { db, dispose: () => db.close() };
  }
  const scratch = await createScratchDatabase();
  const db = await openDatabase({ url: scratch.url, poolSize: options.poolSize ?? 5 });
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    async dispose() {
      await db.close();
      await scratch.drop();
    },
  };
}

/**
 * An empty database of its own on the PostgreSQL server of
 * `SKILLBRIDGE_TEST_DATABASE_URL`, for tests that open it themselves (the CLI).
 */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.SKILLBRIDGE_TEST_DATABASE_URL;
  if (!base) throw new Error("SKILLBRIDGE_TEST_DATABASE_URL is not set");
  const name = `sb_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: withDatabase(base, name),
    async drop() {
      const cleanup = new pg.Client({ connectionString: base });
      await cleanup.connect();
      // pg-pool's end() resolves before its clients' sockets are closed; a forced drop that
      // terminates a client still closing makes it emit an error nobody listens to any more.
      for (let waited = 0; waited < 5_000; waited += 50) {
        const open = await cleanup.query("select 1 from pg_stat_activity where datname = $1", [
          name,
        ]);
        if (open.rowCount === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
