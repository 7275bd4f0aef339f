import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import pg from "pg";
import { coreSourceKey, pgliteVersion } from "../../../../scripts/core-source-key.mjs";
import {
  BUNDLED_DATA_DIR_MANIFEST,
  BUNDLED_SNAPSHOT,
  createPGliteSnapshot,
  migrate,
  openDatabase,
  type PGliteSnapshot,
  pgliteSnapshotFrom,
} from "../../src/index.js";
import { copyDir } from "./copy-dir.js";
import { extractTarball, slimSnapshot } from "./slim-snapshot.js";

// Every test database starts from one prepared copy instead of from nothing
// (docs/development.md, "Why the suite is fast"):
//
// - PGlite: `initdb` in WebAssembly is the expensive part (10-15 s of CPU on a
//   busy machine), so a run makes two tarballs once, one right after initdb
//   ("empty") and one migrated, and every in-memory database loads one
//   (`openDatabase({ memory: true, snapshot })`). File-backed data dirs (the
//   CLI's) are copied from an unpacked empty one, and the CLI still migrates.
// - PostgreSQL: one template database, migrated once per run, and
//   `create database … template …` per test database.
//
// `test/support/database-templates-setup.ts` (vitest's globalSetup) prepares
// them and passes their places to the test processes in these variables. A
// test process started without them (another config, a script) prepares its
// own on first use, so the helpers work everywhere.

const ROOT = resolve(import.meta.dirname, "../../../..");
const ENV_MIGRATED = "SKILLBRIDGE_TEST_PGLITE_MIGRATED";
const ENV_EMPTY = "SKILLBRIDGE_TEST_PGLITE_EMPTY";
const ENV_EMPTY_DIR = "SKILLBRIDGE_TEST_PGLITE_EMPTY_DIR";
const ENV_MIGRATED_DIR = "SKILLBRIDGE_TEST_PGLITE_MIGRATED_DIR";
const ENV_TEMPLATE = "SKILLBRIDGE_TEST_TEMPLATE_DATABASE";

const CACHE = join(ROOT, "node_modules/.cache/skillbridge-test");

/** Writes a file so that a concurrent reader sees all of it or none. */
function writeAtomically(path: string, bytes: Uint8Array): void {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temp, bytes);
  renameSync(temp, path);
}

/** A slimmed snapshot (see slim-snapshot.ts) cached at `path`, made once. */
async function snapshotFile(path: string, make: () => Promise<PGliteSnapshot>): Promise<string> {
  if (existsSync(path)) return path;
  const snapshot = await make();
  writeAtomically(path, await slimSnapshot(new Uint8Array(await snapshot.arrayBuffer())));
  return path;
}

/** The places of the prepared copies, as environment variables for test processes. */
export interface PreparedDatabases {
  readonly env: Record<string, string>;
  /** Drops the PostgreSQL template. */
  dispose(): Promise<void>;
}

/**
 * Prepares the PGlite snapshots (cached across runs in
 * `node_modules/.cache/skillbridge-test`, keyed by core's sources) and, when
 * `SKILLBRIDGE_TEST_DATABASE_URL` is set, a migrated template database for
 * this run.
 */
export async function prepareDatabases(): Promise<PreparedDatabases> {
  mkdirSync(CACHE, { recursive: true });
  const key = coreSourceKey(ROOT);
  const built = builtDatabase(key);
  const [migrated, empty, template] = await Promise.all([
    snapshotFile(join(CACHE, `pglite-migrated-${key}-slim.tar`), async () =>
      built
        ? pgliteSnapshotFrom(gunzipSync(readFileSync(built.tarball)))
        : createPGliteSnapshot((db) => migrate(db)),
    ),
    snapshotFile(join(CACHE, `pglite-empty-${key}-slim.tar`), () =>
      createPGliteSnapshot(async () => {}),
    ),
    process.env.SKILLBRIDGE_TEST_DATABASE_URL ? createTemplateDatabase() : undefined,
  ]);
  const env: Record<string, string> = {
    [ENV_MIGRATED]: migrated,
    [ENV_EMPTY]: empty,
    [ENV_EMPTY_DIR]: unpacked(empty, join(CACHE, `pgdata-empty-${key}-slim`)),
    [ENV_MIGRATED_DIR]: unpacked(migrated, join(CACHE, `pgdata-migrated-${key}-slim`)),
  };
  if (template) env[ENV_TEMPLATE] = template.name;
  return { env, dispose: async () => template?.drop() };
}

/**
 * The migrated database the build bundled beside core's dist (the binary's tests
 * need that build anyway), when it was made from these very sources and this
 * PGlite: the tests' migrated snapshot is then a gunzip of it, not `initdb` and
 * every migration again in WebAssembly (about 6 s of a clean clone's first run).
 */
function builtDatabase(key: string): { tarball: string } | undefined {
  const dist = join(ROOT, "packages/core/dist");
  try {
    const manifest = JSON.parse(readFileSync(join(dist, BUNDLED_DATA_DIR_MANIFEST), "utf8")) as {
      key?: string;
      pglite?: string;
    };
    const tarball = join(dist, BUNDLED_SNAPSHOT);
    if (manifest.key !== key || manifest.pglite !== pgliteVersion(ROOT)) return undefined;
    return existsSync(tarball) ? { tarball } : undefined;
  } catch {
    return undefined; // no build, or another build's: made here as before
  }
}

/**
 * `tarball` unpacked as a PGlite data directory at `dir` (once: later runs find
 * it). Its files are the snapshot's, so the first start of each copy replays
 * the WAL after the snapshot's checkpoint, as an in-memory database opened
 * from the snapshot does.
 */
function unpacked(tarball: string, dir: string): string {
  if (existsSync(join(dir, "PG_VERSION"))) return dir;
  const unpacking = `${dir}.${process.pid}`;
  rmSync(unpacking, { recursive: true, force: true });
  extractTarball(readFileSync(tarball), unpacking);
  try {
    // A rename is atomic: `dir` is whole or absent, and a run that unpacked the same one
    // meanwhile keeps its own.
    renameSync(unpacking, dir);
  } catch (error) {
    if (!existsSync(join(dir, "PG_VERSION"))) throw error;
    rmSync(unpacking, { recursive: true, force: true });
  }
  return dir;
}

function adminClient(): pg.Client {
  const base = process.env.SKILLBRIDGE_TEST_DATABASE_URL;
  if (!base) throw new Error("SKILLBRIDGE_TEST_DATABASE_URL is not set");
  return new pg.Client({ connectionString: base });
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function createTemplateDatabase(): Promise<{ name: string; drop(): Promise<void> }> {
  const base = process.env.SKILLBRIDGE_TEST_DATABASE_URL ?? "";
  const name = `sb_template_${randomBytes(6).toString("hex")}`;
  const admin = adminClient();
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const db = await openDatabase({ url: withDatabase(base, name), poolSize: 2 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return {
    name,
    async drop() {
      const cleanup = adminClient();
      await cleanup.connect();
      try {
        await dropRunDatabases(cleanup, name);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/**
 * Drops a run's scratch databases and then its template: the copies the test
 * processes made ahead and never used, the ones they had no time to drop, and
 * the ones still being made. A test process that exits while its copy made
 * ahead is still in `create database` leaves PostgreSQL to finish it after
 * the listing, so the drop first waits (up to 30 s) until no statement making
 * one of the run's databases is running.
 */
export async function dropRunDatabases(client: pg.Client, template: string): Promise<void> {
  const prefix = scratchPrefix(template);
  for (let waited = 0; waited < 30_000; waited += 50) {
    const making = await client.query(
      `select 1 from pg_stat_activity
        where pid <> pg_backend_pid() and state = 'active'
          and starts_with(lower(ltrim(query)), 'create database ' || $1::text)`,
      [prefix],
    );
    if (making.rowCount === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const left = await client.query<{ datname: string }>(
    "select datname from pg_database where starts_with(datname, $1)",
    [prefix],
  );
  for (const { datname } of left.rows)
    await client.query(`drop database if exists ${datname} with (force)`);
  await client.query(`drop database if exists ${template} with (force)`);
}

/**
 * The name every scratch database copied from `template` starts with: the
 * run's own, so that dropping what a run left behind never touches another
 * run's databases on the same server.
 */
export function scratchPrefix(template: string): string {
  return `sb_test_${template.slice("sb_template_".length)}_`;
}

// ─── in the test processes ───────────────────────────────────────────────────

const snapshots = new Map<string, Promise<PGliteSnapshot>>();

/** A snapshot prepared by the global setup, or made in this process on first use. */
function snapshot(which: "migrated" | "empty"): Promise<PGliteSnapshot> {
  let found = snapshots.get(which);
  if (!found) {
    const file = process.env[which === "migrated" ? ENV_MIGRATED : ENV_EMPTY];
    found =
      file && existsSync(file)
        ? Promise.resolve(pgliteSnapshotFrom(readFileSync(file)))
        : createPGliteSnapshot(which === "migrated" ? (db) => migrate(db) : async () => {});
    snapshots.set(which, found);
  }
  return found;
}

/** The migrated PGlite snapshot: an in-memory database opened from it needs no `migrate`. */
export function migratedSnapshot(): Promise<PGliteSnapshot> {
  return snapshot("migrated");
}

/** The PGlite snapshot right after `initdb`: an empty database, not migrated. */
export function emptySnapshot(): Promise<PGliteSnapshot> {
  return snapshot("empty");
}

/**
 * Makes `dataDir` (an embedded data dir, as `SKILLBRIDGE_DATA_DIR`) hold a
 * PGlite database before anything opens it, as if `initdb` had just run there
 * (the default): what the CLI and server do next (migrate, check, serve) is
 * unchanged, only `initdb`'s seconds are saved. `migrated: true` also applies
 * the migrations, for tests about what comes after a first start. A data dir
 * that already has a database is left alone.
 */
export async function seedDataDir(
  dataDir: string,
  options: { readonly migrated?: boolean } = {},
): Promise<void> {
  const pgdata = join(dataDir, "pgdata");
  if (existsSync(join(pgdata, "PG_VERSION"))) return;
  const unpackedDir = process.env[options.migrated ? ENV_MIGRATED_DIR : ENV_EMPTY_DIR];
  mkdirSync(dataDir, { recursive: true });
  if (unpackedDir && existsSync(join(unpackedDir, "PG_VERSION"))) {
    copyDir(unpackedDir, pgdata);
    return;
  }
  const from = options.migrated ? await migratedSnapshot() : await emptySnapshot();
  const db = await openDatabase({ dataDir, snapshot: from });
  await db.close();
}

/** The migrated template database of this run, if the global setup made one. */
export function templateDatabase(): string | undefined {
  return process.env[ENV_TEMPLATE] || undefined;
}
