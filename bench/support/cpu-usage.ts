/**
 * CPU time, which moves far less with the machine's load than rates do: this
 * process's (`process.cpuUsage`) and that of one database's PostgreSQL
 * backends, read from `/proc/<pid>/stat` when PostgreSQL runs on this host
 * (user + system, in clock ticks of 10 ms). `undefined` when /proc cannot
 * tell (PostgreSQL elsewhere).
 */
import { readFileSync } from "node:fs";
import type pg from "pg";

const TICK_MS = 10;

export function procCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

export interface CpuSpent {
  /** This process, ms. */
  readonly node: number;
  /** The database's backends, ms (undefined: not on this host). */
  readonly server: number | undefined;
}

/**
 * A meter of this process and of `database`'s backends; `watcher` is a
 * connection to another database (its own backend is not counted).
 */
export function cpuMeter(watcher: pg.Client, database: string) {
  const backends = async () =>
    (
      await watcher.query<{ pid: number }>(
        "select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
        [database],
      )
    ).rows.map((r) => r.pid);
  return {
    async start() {
      const before = new Map((await backends()).map((pid) => [pid, procCpuMs(pid)]));
      const node = process.cpuUsage();
      return async (): Promise<CpuSpent> => {
        const used = process.cpuUsage(node);
        let server: number | undefined = 0;
        for (const pid of await backends()) {
          const now = procCpuMs(pid);
          if (now === undefined) server = undefined;
          else if (server !== undefined) server += now - (before.get(pid) ?? 0);
        }
        return { node: (used.user + used.system) / 1000, server };
      };
    },
  };
}

/** CPU of this process and of the given database's backends during `work`. */
export async function measured<T>(
  watcher: pg.Client,
  database: string,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuSpent }> {
  const stop = await cpuMeter(watcher, database).start();
  const result = await work();
  return { result, cpu: await stop() };
}
