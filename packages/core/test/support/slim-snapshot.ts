import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { sql } from "kysely";
import { openDatabase, pgliteSnapshotFrom } from "../../src/index.js";

// A PGlite snapshot is a tarball of a whole data directory, and every in-memory
// test database unpacks one (every CLI test copies one as a data dir). Two
// thirds of it is never read by a test: the files of `template0` and
// `template1` (15 of the migrated snapshot's 31 MB: PGlite connects to
// `postgres` and never creates a database from a template) and WAL segments
// PostgreSQL keeps for reuse, which hold no record the next start replays.
// The test snapshots leave them out: their catalog rows stay, so the
// databases are the same to every query a test makes. The product's own
// data dir and snapshot (`packages/core/dist`) keep every file.

const BLOCK = 512;

interface TarEntry {
  readonly name: string;
  /** The header and the data blocks, as they are in the tarball. */
  readonly bytes: Uint8Array;
  readonly data: Uint8Array;
  readonly type: "file" | "dir" | "other";
  readonly mode: number;
}

function text(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString("utf8");
}

function octal(bytes: Uint8Array): number {
  const value = text(bytes).trim();
  return value === "" ? 0 : Number.parseInt(value, 8);
}

/** The entries of a ustar tarball (PGlite's `dumpDataDir` writes one). */
function* tarEntries(tarball: Uint8Array): Generator<TarEntry> {
  let at = 0;
  while (at + BLOCK <= tarball.byteLength) {
    const header = tarball.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) return;
    const name = text(header.subarray(0, 100));
    const prefix = text(header.subarray(345, 500));
    const size = octal(header.subarray(124, 136));
    const flag = String.fromCharCode(header[156] ?? 0);
    const end = at + BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (end > tarball.byteLength) throw new Error("a truncated tarball");
    yield {
      name: (prefix ? `${prefix}/${name}` : name).replace(/^\/+/, ""),
      bytes: tarball.subarray(at, end),
      data: tarball.subarray(at + BLOCK, at + BLOCK + size),
      type: flag === "5" ? "dir" : flag === "0" || flag === "\0" ? "file" : "other",
      mode: octal(header.subarray(100, 108)),
    };
    at = end;
  }
}

const WAL_SEGMENT = /^pg_wal\/([0-9A-F]{24})$/;

/**
 * `tarball` without the template databases' relation files and without the
 * WAL segments outside the ones from the last checkpoint's redo point to
 * where the WAL ends: read from the database itself, opened once.
 */
export async function slimSnapshot(tarball: Uint8Array): Promise<Uint8Array> {
  const db = await openDatabase({ memory: true, snapshot: pgliteSnapshotFrom(tarball) });
  let templates: string[];
  let firstWal: string;
  let lastWal: string;
  try {
    const { rows } = await sql<{ oid: string }>`
      select oid::text from pg_database where datname in ('template0', 'template1')
    `.execute(db.kysely);
    templates = rows.map((row) => row.oid);
    const wal = await sql<{ redo: string; current: string }>`
      select redo_wal_file as redo, pg_walfile_name(pg_current_wal_lsn()) as current
      from pg_control_checkpoint()
    `.execute(db.kysely);
    const row = wal.rows[0];
    if (!row) throw new Error("pg_control_checkpoint() returned no row");
    firstWal = row.redo;
    lastWal = row.current;
  } finally {
    await db.close();
  }
  const kept: Uint8Array[] = [];
  for (const entry of tarEntries(tarball)) {
    const [top, database, file] = entry.name.split("/");
    // A template's relation files go; its directory, PG_VERSION and filenode map stay.
    const templateFile =
      top === "base" && templates.includes(database ?? "") && /^\d/.test(file ?? "");
    const segment = WAL_SEGMENT.exec(entry.name)?.[1];
    const spareWal = segment !== undefined && (segment < firstWal || segment > lastWal);
    if (!templateFile && !spareWal) kept.push(entry.bytes);
  }
  kept.push(new Uint8Array(BLOCK * 2));
  return Buffer.concat(kept);
}

/** Writes a tarball's directories and files under `dir`, with their modes. */
export function extractTarball(tarball: Uint8Array, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of tarEntries(tarball)) {
    const path = join(dir, entry.name);
    if (entry.type === "dir") mkdirSync(path, { recursive: true });
    else if (entry.type === "file") {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, entry.data);
      chmodSync(path, entry.mode & 0o777);
    }
  }
}
