/**
 * Cold start of the CLI (the built `packages/cli/bin/skillbridge.js`) to its
 * first answered request, on PGlite and on PostgreSQL:
 *
 * - `skillbridge tenants list --json`: a new process opens the database,
 *   migrates it, checks it is safe, starts the embedded server and asks it
 *   through the SDK; timed from spawn to exit. "fresh" is a new data dir (it
 *   starts from the migrated snapshot the build bundles) or a new PostgreSQL
 *   database (the migrations run), "existing" one already migrated by an
 *   earlier run. `freshRatio`: PGlite fresh / existing (target at most 1.5).
 * - `skillbridge serve --port 0`: timed from spawn until `GET /ready` answers 200.
 *
 * The baseline, in the same run: `skillbridge --version`, which starts Node
 * and loads the CLI's entry but opens no database (commands load lazily, on
 * use); and its own baseline, `node -e 0`, a bare Node start, run interleaved
 * with it: `versionRatio` = `--version` / `node -e 0` (target at most 3).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { createScratchDatabase } from "../support/scratch-database.js";
import { median } from "../support/stats.js";
import type { BenchOptions } from "./options.js";

const BIN = fileURLToPath(new URL("../../packages/cli/bin/skillbridge.js", import.meta.url));
const DIST = fileURLToPath(new URL("../../packages/cli/dist/main.js", import.meta.url));

export interface ColdStart {
  readonly p50Ms: number;
  readonly runsMs: number[];
}

export interface EmbeddedFigures {
  /** `skillbridge --version`: process start and module load, no database. */
  readonly versionBaseline: ColdStart;
  /** `node -e 0`: a bare Node start, interleaved with `--version`. */
  readonly nodeBaseline: ColdStart;
  /** versionBaseline.p50Ms / nodeBaseline.p50Ms. */
  readonly versionRatio: number;
  /**
   * PGlite `tenants list` in a new data dir / in an existing one (p50s): what a
   * new data dir costs over an existing one (it starts from the build's snapshot).
   */
  readonly freshRatio: number;
  readonly pglite: {
    readonly tenantsListFresh: ColdStart;
    readonly tenantsListExisting: ColdStart;
    readonly serveUntilReady: ColdStart;
  };
  readonly postgres: {
    readonly tenantsListFresh: ColdStart;
    readonly tenantsListExisting: ColdStart;
    readonly serveUntilReady: ColdStart;
  };
}

/** The environment of a local CLI run: no remote API, no token; PostgreSQL only if given. */
function cliEnv(databaseUrl?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", CI: "1" };
  delete env.DATABASE_URL;
  delete env.SKILLBRIDGE_API_URL;
  delete env.SKILLBRIDGE_TOKEN;
  delete env.SKILLBRIDGE_JWT_SECRET;
  delete env.REDIS_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

function tenantsList(dataDir: string, databaseUrl?: string): Promise<number> {
  return timedCli(["--data-dir", dataDir, "tenants", "list", "--json"], databaseUrl, (out) =>
    out.trim().startsWith("["),
  );
}

/** Runs the CLI once; the time from spawn to exit, if it exits 0 with an answer. */
function timedCli(
  args: readonly string[],
  databaseUrl: string | undefined,
  answered: (stdout: string) => boolean,
): Promise<number> {
  return timedNode([BIN, ...args], databaseUrl, answered);
}

/** Runs `node <args>` once; the time from spawn to exit, if it exits 0 with an answer. */
function timedNode(
  args: readonly string[],
  databaseUrl: string | undefined,
  answered: (stdout: string) => boolean,
): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      env: cliEnv(databaseUrl),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const ms = performance.now() - started;
      if (code !== 0 || !answered(out))
        reject(
          new Error(`skillbridge ${args.join(" ")} exited ${code}: ${err.trim().slice(0, 300)}`),
        );
      else resolve(ms);
    });
  });
}

async function serveUntilReady(dataDir: string, databaseUrl?: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, "--data-dir", dataDir, "--json", "serve", "--port", "0", "--no-jobs"],
    { env: cliEnv(databaseUrl), stdio: ["ignore", "pipe", "ignore"] },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line && out.includes("\n")) resolve((JSON.parse(line) as { url: string }).url);
      });
      void exited.then((code) => reject(new Error(`serve exited ${code} before listening`)));
    });
    for (;;) {
      const response = await request(`${url}/ready`).catch(() => undefined);
      await response?.body.dump();
      if (response?.statusCode === 200) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error("serve: not ready after 60 s");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const cold = (runsMs: number[]): ColdStart => ({ p50Ms: median(runsMs), runsMs });

/** null when the CLI is not built (`npm run build`). */
export async function measureEmbedded(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<EmbeddedFigures | null> {
  if (!existsSync(DIST)) {
    log("  the CLI is not built (run `npm run build`): skipped");
    return null;
  }
  const runs = options.coldStarts;
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-bench-cli-"));
    dirs.push(dir);
    return dir;
  };
  try {
    // Interleaved, after one unmeasured run of each (the file cache warm for both).
    const version: number[] = [];
    const bare: number[] = [];
    const versionRun = () => timedCli(["--version"], undefined, (out) => out.trim().length > 0);
    const bareRun = () => timedNode(["-e", "0"], undefined, () => true);
    await versionRun();
    await bareRun();
    for (let i = 0; i < Math.max(5, runs * 3); i++) {
      version.push(await versionRun());
      bare.push(await bareRun());
    }
    // PGlite: a fresh data dir, then the same one again, interleaved (freshRatio compares them).
    const liteFresh: number[] = [];
    const liteExisting: number[] = [];
    let liteDir = "";
    for (let i = 0; i < Math.max(3, runs); i++) {
      liteDir = newDir();
      liteFresh.push(await tenantsList(liteDir));
      liteExisting.push(await tenantsList(liteDir));
    }
    const liteServe: number[] = [];
    for (let i = 0; i < runs; i++) liteServe.push(await serveUntilReady(liteDir));
    log(`  PGlite: ${runs} runs each`);

    // PostgreSQL: a new scratch database per fresh run, then the last one again.
    const pgFresh: number[] = [];
    const pgExisting: number[] = [];
    const pgServe: number[] = [];
    const scratches = [];
    try {
      let last = "";
      for (let i = 0; i < runs; i++) {
        const scratch = await createScratchDatabase(options.baseUrl, "cli");
        scratches.push(scratch);
        last = scratch.url;
        pgFresh.push(await tenantsList(newDir(), last));
      }
      const dir = newDir();
      for (let i = 0; i < runs; i++) pgExisting.push(await tenantsList(dir, last));
      for (let i = 0; i < runs; i++) pgServe.push(await serveUntilReady(dir, last));
    } finally {
      await Promise.all(scratches.map((s) => s.drop()));
    }
    log(`  PostgreSQL: ${runs} runs each`);
    return {
      versionBaseline: cold(version),
      nodeBaseline: cold(bare),
      versionRatio: median(version) / median(bare),
      freshRatio: median(liteFresh) / median(liteExisting),
      pglite: {
        tenantsListFresh: cold(liteFresh),
        tenantsListExisting: cold(liteExisting),
        serveUntilReady: cold(liteServe),
      },
      postgres: {
        tenantsListFresh: cold(pgFresh),
        tenantsListExisting: cold(pgExisting),
        serveUntilReady: cold(pgServe),
      },
    };
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}
