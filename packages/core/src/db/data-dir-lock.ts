import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DatabaseInUseError } from "../errors.js";

// PGlite is one Postgres backend in this process, with no locking across
// processes: two processes on one data dir corrupt it. A pid file refuses the
// second one; a file left by a process that died is taken over.

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which still means in use.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lock's file inside the data dir. */
export const LOCK_FILE = "skillbridge.pid";

/** Takes `<dir>/skillbridge.pid` for this process, or throws `DatabaseInUseError`; returns the release. */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(file, "utf8"), 10);
    } catch {
      // Vanished between open and read: try again.
    }
    if (Number.isInteger(holder) && alive(holder)) {
      throw new DatabaseInUseError(dir, holder);
    }
    rmSync(file, { force: true });
  }
  throw new DatabaseInUseError(dir, Number.NaN);
}
