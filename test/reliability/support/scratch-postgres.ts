import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/**
 * A PostgreSQL server of the suite's own, for the fault that stops and starts
 * the database: the same binaries as the configured server (`pg_config`, or
 * the newest version under /usr/lib/postgresql), a fresh cluster in a temp
 * directory on a free loopback port. Restarting it disturbs nobody else: not
 * the other test files, not other work on the shared PostgreSQL.
 */
export interface ScratchPostgres {
  /** Superuser URL of its `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** Stops the server: `fast` (a restart's stop) or `immediate` (a crash: no checkpoint, WAL replay on start). */
  stop(mode: "fast" | "immediate"): Promise<void>;
  /** Starts it again and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops it (if running) and removes its files. Safe to call twice. */
  destroy(): void;
}

function binDir(): string {
  const fromConfig = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  if (fromConfig.status === 0 && existsSync(join(fromConfig.stdout.trim(), "initdb")))
    return fromConfig.stdout.trim();
  const versions = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, "initdb"))) return dir;
  }
  throw new Error(
    "The database-restart fault needs PostgreSQL's server binaries (initdb, pg_ctl): none found via pg_config or /usr/lib/postgresql.",
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startScratchPostgres(): Promise<ScratchPostgres> {
  const bin = binDir();
  const root = mkdtempSync(join(tmpdir(), "sbrel-pg-"));
  const data = join(root, "data");
  // initdb and postgres refuse to run as root: as root, run them as `postgres`.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(root, uid, gid);
  }
  const commandOf = (tool: string, args: string[]): [string, string[]] =>
    asRoot
      ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]]
      : [join(bin, tool), args];
  const run = (tool: string, args: string[]) => {
    const [command, argv] = commandOf(tool, args);
    const result = spawnSync(command, argv, { encoding: "utf8" });
    if (result.status !== 0)
      throw new Error(`${tool} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
  };
  // Stops and starts run asynchronously: the load keeps going while they do.
  const runAsync = async (tool: string, args: string[]) => {
    const [command, argv] = commandOf(tool, args);
    try {
      await execFileAsync(command, argv, { encoding: "utf8" });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${tool} ${args.join(" ")} failed: ${stderr || stdout || String(error)}`);
    }
  };
  const port = await freePort();
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "-N"]);
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${root} -c max_connections=60 -c fsync=on -c synchronous_commit=on`;
  let running = false;
  const startArgs = [
    "-D",
    data,
    "-o",
    serverOptions,
    "-l",
    join(root, "log"),
    "-w",
    "-t",
    "60",
    "start",
  ];
  const start = async () => {
    await runAsync("pg_ctl", startArgs);
    running = true;
  };
  const stop = async (mode: "fast" | "immediate") => {
    await runAsync("pg_ctl", ["-D", data, "-m", mode, "-w", "-t", "60", "stop"]);
    running = false;
  };
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    if (running) {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // Already gone: nothing to stop.
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  // Whatever happens to the test, the server does not outlive the run.
  process.once("exit", destroy);
  run("pg_ctl", startArgs);
  running = true;
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop, start, destroy };
}
