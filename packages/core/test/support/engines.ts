import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  type DatabaseEngine,
  migrate,
  openDatabase,
  type SkillBridgeDatabase,
} from "../../src/index.js";
import {
  emptySnapshot,
  migratedSnapshot,
  scratchPrefix,
  templateDatabase,
  withDatabase,
} from "./database-templates.js";

export { seedDataDir } from "./database-templates.js";

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

/**
 * A fresh, migrated database on `engine`, ready in a fraction of the time
 * migrating takes: on PGlite an in-memory database loaded from the run's
 * migrated snapshot, on PostgreSQL a database of its own on the server of
 * `SKILLBRIDGE_TEST_DATABASE_URL`, created from the run's migrated template
 * (`support/database-templates.ts`), so test files run in parallel without
 * seeing each other. `migrate: false` gives an empty database (initialised,
 * no migration applied) for tests of the migrations themselves.
 */
export async function openTestDatabase(
  engine: DatabaseEngine,
  options: { poolSize?: number; migrate?: boolean } = {},
): Promise<TestDatabase> {
  const migrated = options.migrate !== false;
  if (engine === "pglite") {
    const snapshot = migrated ? await migratedSnapshot() : await emptySnapshot();
    const db = await openDatabase({ memory: true, snapshot });
    return { db, dispose: () => db.close() };
  }
  const scratch = await createScratchDatabase({ migrated });
  const db = await openDatabase({ url: scratch.url, poolSize: options.poolSize ?? 5 });
  return {
    db,
    async dispose() {
      await db.close();
      // Dropped while the next test runs; the run's teardown drops any a process left.
      void scratch.drop().catch(() => {});
    },
  };
}

/** A migrated database copied ahead of need in this process, if any (see below). */
let ahead: Promise<string> | undefined;

async function createDatabase(base: string, name: string, template?: string): Promise<void> {
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${template ? ` template ${template}` : ""}`);
  } finally {
    await admin.end();
  }
}

async function copyOfTemplate(base: string, template: string): Promise<string> {
  const name = `${scratchPrefix(template)}${randomBytes(6).toString("hex")}`;
  await createDatabase(base, name, template);
  return name;
}

/**
 * A database of its own on the PostgreSQL server of
 * `SKILLBRIDGE_TEST_DATABASE_URL`, for tests that open it themselves (the
 * CLI): empty by default, or `migrated` (a copy of the run's template).
 */
export async function createScratchDatabase(
  options: { migrated?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.SKILLBRIDGE_TEST_DATABASE_URL;
  if (!base) throw new Error("SKILLBRIDGE_TEST_DATABASE_URL is not set");
  const template = options.migrated ? templateDatabase() : undefined;
  let name: string;
  if (template) {
    // The copy made ahead by the last call (taken before any await, so never twice), and
    // the next one started now: a test waits for a connection, not for the copy.
    const taken = ahead;
    ahead = copyOfTemplate(base, template);
    ahead.catch(() => {});
    name = (await taken?.catch(() => undefined)) ?? (await copyOfTemplate(base, template));
  } else {
    // Named after the run's template when there is one, so the run's teardown drops it even
    // when this process exits before its own drop (which runs while the next test does).
    const run = templateDatabase();
    name = `${run ? scratchPrefix(run) : "sb_test_"}${randomBytes(6).toString("hex")}`;
    await createDatabase(base, name);
  }
  const url = withDatabase(base, name);
  if (options.migrated && !template) {
    // No template (a run without the global setup): migrate this one.
    const db = await openDatabase({ url, poolSize: 2 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
  }
  return {
    url,
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
