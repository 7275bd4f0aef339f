import { MemoryFS, type PGlite } from "@electric-sql/pglite";
import type { PGliteSnapshot } from "./pglite-snapshot.js";

// An in-memory database opened from a snapshot (`openDatabase({ memory: true,
// snapshot })`) used to go through PGlite's `loadDataDir`: on every open it
// untars the snapshot in JavaScript, copying each file out of it, and before
// each file it looks up every parent directory by its whole path in the
// WebAssembly file system: about 30 ms of an open's 260 ms of CPU here
// (medians of 24 opens each way, taken in turn). The files of a snapshot do
// not change, so they are read once per snapshot and written straight into
// each new database's in-memory file system, every directory made once,
// before PostgreSQL starts; PGlite then finds a data directory and resumes,
// as it does on a data dir on disk. A snapshot this does not understand
// (compressed, another kind of entry, a bad header) goes through
// `loadDataDir` as before.

/**
 * Where PGlite 0.5's PostgreSQL keeps its data directory inside its file
 * system, if its own set-up (which runs first) has not named it in `PGDATA`.
 */
const PGDATA = "/pglite/data";
const BLOCK = 512;

interface SnapshotFile {
  /** Relative to the data directory, no leading or trailing slash. */
  readonly path: string;
  /** The parent directory's relative path ("" for the data directory itself). */
  readonly parent: string;
  /** A view on the snapshot's bytes: copied into the file system, never written. */
  readonly data: Uint8Array | undefined;
  /** Seconds since the epoch, as the tarball has it. */
  readonly mtime: number;
}

const entriesOf = new WeakMap<PGliteSnapshot, Promise<readonly SnapshotFile[] | undefined>>();

/**
 * The files and directories of a snapshot, parsed once per snapshot; undefined
 * when it is not a plain ustar archive of files and directories.
 */
export function snapshotFiles(
  snapshot: PGliteSnapshot,
): Promise<readonly SnapshotFile[] | undefined> {
  let found = entriesOf.get(snapshot);
  if (!found) {
    found = snapshot.arrayBuffer().then((buffer) => parseTar(new Uint8Array(buffer)));
    entriesOf.set(snapshot, found);
  }
  return found;
}

function text(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString("utf8");
}

function octal(bytes: Uint8Array): number | undefined {
  const value = text(bytes).trim();
  if (value === "") return 0;
  return /^[0-7]+$/.test(value) ? Number.parseInt(value, 8) : undefined;
}

/** A header's checksum: its bytes summed with the checksum field read as spaces. */
function checksumOk(header: Uint8Array): boolean {
  const stated = octal(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return stated === sum;
}

function parseTar(tarball: Uint8Array): readonly SnapshotFile[] | undefined {
  const files: SnapshotFile[] = [];
  let at = 0;
  while (at + BLOCK <= tarball.byteLength) {
    const header = tarball.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) return files;
    if (!checksumOk(header)) return undefined;
    const size = octal(header.subarray(124, 136));
    const mtime = octal(header.subarray(136, 148));
    if (size === undefined || mtime === undefined) return undefined;
    const name = text(header.subarray(0, 100));
    const prefix = text(header.subarray(345, 500));
    const path = (prefix ? `${prefix}/${name}` : name)
      .replace(/^\/+|\/+$/g, "")
      .replace(/\/+/g, "/");
    const parts = path.split("/");
    if (path === "" || parts.some((part) => part === ".." || part === ".")) return undefined;
    const flag = header[156];
    const start = at + BLOCK;
    const end = start + Math.ceil(size / BLOCK) * BLOCK;
    if (end > tarball.byteLength) return undefined;
    const parent = parts.slice(0, -1).join("/");
    // "0" or NUL: a regular file; "5": a directory. Links, long names and pax headers: not ours.
    if (flag === 0x30 || flag === 0) {
      files.push({ path, parent, data: tarball.subarray(start, start + size), mtime });
    } else if (flag === 0x35) {
      files.push({ path, parent, data: undefined, mtime });
    } else {
      return undefined;
    }
    at = end;
  }
  return undefined; // no end-of-archive blocks: cut short
}

type EmscriptenModule = {
  FS: {
    mkdirTree(path: string): void;
    writeFile(path: string, data: Uint8Array): void;
    utime(path: string, atime: number, mtime: number): void;
  };
  ENV?: Record<string, unknown>;
};

/**
 * PGlite's in-memory file system with a snapshot's data directory written
 * into it before PostgreSQL starts (pass as `fs`, without `loadDataDir`).
 */
export class SnapshotMemoryFS extends MemoryFS {
  readonly #files: readonly SnapshotFile[];

  constructor(files: readonly SnapshotFile[]) {
    super();
    this.#files = files;
  }

  override async init(
    pg: PGlite,
    options: Parameters<MemoryFS["init"]>[1],
  ): ReturnType<MemoryFS["init"]> {
    const { emscriptenOpts } = await super.init(pg, options);
    const files = this.#files;
    const write = (module: EmscriptenModule) => {
      const fs = module.FS;
      // The place PGlite told PostgreSQL (its own pre-run step set it), so files never land beside it.
      const pgdata = typeof module.ENV?.PGDATA === "string" ? module.ENV.PGDATA : PGDATA;
      const made = new Set<string>();
      const dir = (path: string) => {
        if (made.has(path)) return;
        fs.mkdirTree(path === "" ? pgdata : `${pgdata}/${path}`);
        made.add(path);
      };
      dir("");
      for (const file of files) {
        dir(file.parent);
        if (file.data === undefined) {
          dir(file.path);
          continue;
        }
        const path = `${pgdata}/${file.path}`;
        // writeFile copies the bytes: the database's writes never reach the snapshot.
        fs.writeFile(path, file.data);
        fs.utime(path, file.mtime * 1000, file.mtime * 1000);
      }
    };
    const preRun = emscriptenOpts.preRun;
    return {
      emscriptenOpts: {
        ...emscriptenOpts,
        preRun: [...(Array.isArray(preRun) ? preRun : preRun ? [preRun] : []), write],
      },
    };
  }
}
