import { existsSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely } from "kysely";
import { PGliteDialect } from "./pglite-dialect.js";
import { PGLITE_INITDB_PARAMS, PGLITE_START_PARAMS } from "./pglite-params.js";
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
  const pglite = await PGlite.create({
    startParams: [...PGLITE_START_PARAMS],
    initDbStartParams: [...PGLITE_INITDB_PARAMS],
  });
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

/**
 * A Blob over a tarball already in memory. PGlite's loader reads its snapshot
 * with `arrayBuffer()` alone, and copies each file out of it as it unpacks.
 * Node 20's own Blob copies the bytes in when it is made and reads them back
 * out in 64 KiB chunks that are then joined: for the 42 MB migrated tarball
 * about 0.4 s of CPU on every database opened, a third of an in-memory open
 * (the test suite opens about a hundred). This one hands the bytes it was
 * made from to `arrayBuffer()` as they are, without a copy, so they are
 * read-only by contract: a reader that wrote to them would change every
 * later database opened from the snapshot.
 */
class TarballBlob extends Blob {
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    super([]);
    this.#bytes = bytes;
  }

  // @ts-expect-error Blob declares `size` a property; an accessor reads the same to callers.
  override get size(): number {
    return this.#bytes.byteLength;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.#bytes;
    const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
    // A view on part of a larger buffer (a pooled read) is copied to exactly its bytes.
    return Promise.resolve(
      (whole ? b.buffer : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)) as ArrayBuffer,
    );
  }

  // The rest of Blob's reading API, through a real Blob made when asked for.
  #blob(): Blob {
    return new Blob([this.#bytes as Uint8Array<ArrayBuffer>]);
  }

  override slice(start?: number, end?: number, contentType?: string): Blob {
    return this.#blob().slice(start, end, contentType);
  }

  override stream(): ReturnType<Blob["stream"]> {
    return this.#blob().stream();
  }

  override text(): Promise<string> {
    return this.#blob().text();
  }
}

/** A snapshot from bytes read back (a tarball written from `createPGliteSnapshot`'s Blob). */
export function pgliteSnapshotFrom(bytes: Uint8Array): PGliteSnapshot {
  return new TarballBlob(bytes);
}

/** Whether a PGlite data directory has been initialised (a snapshot only loads into one that has not). */
export function isInitialisedDataDir(pgdata: string): boolean {
  return existsSync(join(pgdata, "PG_VERSION"));
}
