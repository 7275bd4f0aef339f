import { existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "./pglite-dialect.js";
import type { Database } from "./tables.js";

// Starting PGlite on an empty data directory runs `initdb` inside WebAssembly:
// seconds of CPU (10-15 s on a busy two-core machine), far more than the
// migrations after it. A PGlite data directory is portable, so a database
// prepared once (initdb, then migrations) can be dumped to a tarball and every
// later fresh database started from it: PGlite unpacks the files and starts
// the server as on an existing data directory. Tests start every in-memory
// database this way; an embedded data dir can start from one too.

/** A PGlite data directory as an uncompressed tarball (`PGlite#dumpDataDir`). */
export type PGliteSnapshot = Blob;

/** The database `prepare` gets: a `SkillBridgeDatabase` on PGlite (it is one, structurally). */
export interface SnapshotDatabase {
  readonly kysely: Kysely<Database>;
  readonly engine: "pglite";
  close(): Promise<void>;
}

/**
 * Prepares a database in memory with `prepare` (typically `migrate`), and
 * returns its data directory as a tarball for `openDatabase({ snapshot })`.
 *
 * @example
 * const snapshot = await createPGliteSnapshot((db) => migrate(db));
 * const db = await openDatabase({ memory: true, snapshot }); // already migrated
 */
export async function createPGliteSnapshot(
  prepare: (db: SnapshotDatabase) => Promise<unknown>,
): Promise<PGliteSnapshot> {
  const pglite = await PGlite.create({});
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  try {
    await prepare({ kysely, engine: "pglite", close: async () => {} });
    // A checkpoint writes every page out, so the dump needs no WAL replay on start.
    await pglite.exec("checkpoint");
    // Uncompressed: loading skips a gunzip, and the tarball stays in memory or a temp file.
    return await pglite.dumpDataDir("none");
  } finally {
    await kysely.destroy();
    await pglite.close();
  }
}

/** A snapshot from bytes read back (a tarball written from `createPGliteSnapshot`'s Blob). */
export function pgliteSnapshotFrom(bytes: Uint8Array): PGliteSnapshot {
  return new Blob([bytes as Uint8Array<ArrayBuffer>]);
}

/** Whether a PGlite data directory has been initialised (a snapshot only loads into one that has not). */
export function isInitialisedDataDir(pgdata: string): boolean {
  return existsSync(join(pgdata, "PG_VERSION"));
}
