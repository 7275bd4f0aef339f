/**
 * Scratch databases for benchmarks: `sb_bench_<hex>` on the PostgreSQL of
 * `DATABASE_URL`, dropped at the end (`with (force)`), also on failure or
 * Ctrl-C. Every benchmark creates its own, so runs never share state.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The PostgreSQL URL of the run, or one line on stderr and exit 1. */
export function requireDatabaseUrl(bench: string): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      `${bench} needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/db (a user that may CREATE DATABASE).`,
    );
    process.exit(1);
  }
  return url;
}

export interface ScratchDatabase {
  readonly name: string;
  /** `DATABASE_URL` with the scratch database as its path. */
  readonly url: string;
  /** Drops the database (idempotent; sessions still open are ended). */
  drop(): Promise<void>;
}

const live = new Set<ScratchDatabase>();
let signalsInstalled = false;

function installSignals(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  const onSignal = () => {
    void Promise.allSettled([...live].map((db) => db.drop())).finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}

async function withAdmin<T>(base: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: base, application_name: "skillbridge-bench" });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Creates `sb_bench_<hex>` (or `sb_bench_<label>_<hex>`) on the server of `base`.
 *
 * @example
 * const scratch = await createScratchDatabase(requireDatabaseUrl("bench:x"));
 * try { ... } finally { await scratch.drop(); }
 */
export async function createScratchDatabase(
  base: string,
  label?: string,
): Promise<ScratchDatabase> {
  const name = `sb_bench_${label ? `${label}_` : ""}${randomBytes(6).toString("hex")}`;
  await withAdmin(base, (c) => c.query(`create database "${name}"`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  const scratch: ScratchDatabase = {
    name,
    url: url.toString(),
    drop() {
      dropping ??= (async () => {
        live.delete(scratch);
        await withAdmin(base, (c) =>
          c.query(`drop database if exists "${name}" with (force)`),
        ).catch((error: unknown) =>
          console.error(`Could not drop scratch database ${name}: ${String(error)}`),
        );
      })();
      return dropping;
    },
  };
  live.add(scratch);
  installSignals();
  return scratch;
}

/** `show server_version` of the server at `url`. */
export async function serverVersion(url: string): Promise<string> {
  return withAdmin(url, async (c) => {
    const { rows } = await c.query<{ server_version: string }>("show server_version");
    return rows[0]?.server_version ?? "unknown";
  });
}
