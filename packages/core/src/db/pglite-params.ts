import { PGlite } from "@electric-sql/pglite";

/**
 * PGlite's own start parameters plus a 16 MB buffer pool. initdb writes
 * `shared_buffers = 128MB`, and PGlite zeroes that pool in WebAssembly on every
 * start: it was about half of opening a data dir (250-430 ms against 110-190 ms
 * with 16 MB, measured opening one 41 MB data dir again and again), paid by
 * every CLI command and every test database. PGlite's pages live in memory or
 * in the OS's file cache anyway, so a larger pool mostly copies them twice.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  "-c",
  "shared_buffers=16MB",
];

/**
 * initdb's parameters for a new PGlite database: WAL segments of 1 MB, not
 * PostgreSQL's 16. With 16 MB the WAL was 16 of the migrated data dir's 41 MB
 * (6 of 30 now): copied into every new data dir, packed into every snapshot
 * and unpacked into memory by every database opened from one. PostgreSQL
 * keeps finished segments for reuse up to `min_wal_size` (80 MB) whatever
 * their size, so a busy database keeps as much WAL as before, in more files.
 * A data dir made with 16 MB segments keeps them: the size is fixed at initdb
 * and read from `pg_control`.
 */
export const PGLITE_INITDB_PARAMS: readonly string[] = ["--wal-segsize=1"];
