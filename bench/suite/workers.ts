/**
 * `skillbridge serve --workers 1` against `--workers 2` (#21): the built CLI
 * as an operator runs it, on the small world's PostgreSQL database (and
 * Redis when `REDIS_URL` is set, as a cluster should run), both answering
 * `GET /courses` for the ten measured instructors from the load process
 * (closed loop, the isolation benchmark's 16 connections), in mirrored
 * segments. Each server logs at `info` as in production (to /dev/null), runs
 * no jobs, and has a budget no request reaches (`SKILLBRIDGE_RATE_LIMIT`).
 *
 * The load process shares the machine's cores with the servers and
 * PostgreSQL, so `ratio` (two processes / one) shows what a second process
 * buys on this machine, not on a dedicated one.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadProcess } from "../support/load-client.js";
import { closedLoopAbba, type SideFigures } from "./abba.js";
import { CONNECTIONS, COURSES_PATH, requestsFor, tokensFor } from "./isolation.js";
import type { BenchOptions } from "./options.js";
import type { World } from "./world.js";

const BIN = fileURLToPath(new URL("../../packages/cli/bin/skillbridge.js", import.meta.url));

export interface WorkersFigures {
  readonly cpus: number;
  /** Whether the processes shared their limits through Redis (REDIS_URL was set). */
  readonly redis: boolean;
  readonly one: SideFigures;
  readonly two: SideFigures;
  /** two.rps / one.rps. */
  readonly ratio: number;
}

interface Serving {
  readonly url: string;
  stop(): Promise<void>;
}

async function serve(
  processes: number,
  dbUrl: string,
  jwtSecret: string,
  dataDir: string,
): Promise<Serving> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: dbUrl,
    SKILLBRIDGE_JWT_SECRET: jwtSecret,
    SKILLBRIDGE_RATE_LIMIT: "100000000/1",
    SKILLBRIDGE_REDIS_PREFIX: `sb-bench-${randomBytes(4).toString("hex")}`,
    LOG_LEVEL: "info",
    CI: "1",
  };
  delete env.SKILLBRIDGE_API_URL;
  delete env.SKILLBRIDGE_TOKEN;
  // --json: the start line on stdout, the access log on stderr: read, and only its end kept.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      BIN,
      "--json",
      "--data-dir",
      dataDir,
      "serve",
      "--port",
      "0",
      "--workers",
      String(processes),
      "--no-jobs",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderrTail = "";
  child.stderr?.on("data", (chunk) => {
    stderrTail = (stderrTail + chunk).slice(-2_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve((JSON.parse(line) as { url: string }).url);
    });
    void exited.then((code) =>
      reject(new Error(`serve --workers ${processes} exited ${code}: ${stderrTail}`)),
    );
  });
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export async function measureWorkers(
  options: BenchOptions,
  world: World,
  load: LoadProcess,
  jwtSecret: string,
  log: (line: string) => void,
): Promise<WorkersFigures> {
  const tokens = await tokensFor(world, jwtSecret);
  const dataDir = mkdtempSync(join(tmpdir(), "skillbridge-bench-workers-"));
  const dbUrl = world.small.scratch.url;
  const one = await serve(1, dbUrl, jwtSecret, join(dataDir, "one"));
  const two = await serve(2, dbUrl, jwtSecret, join(dataDir, "two")).catch(async (error) => {
    await one.stop();
    throw error;
  });
  try {
    const sides = await closedLoopAbba(
      load,
      [
        { name: "1 process", url: one.url, requests: requestsFor(COURSES_PATH, tokens) },
        { name: "2 processes", url: two.url, requests: requestsFor(COURSES_PATH, tokens) },
      ],
      {
        connections: CONNECTIONS,
        segmentMs: options.segmentMs,
        warmupWindowMs: options.warmupWindowMs,
      },
    );
    const a = sides.get("1 process");
    const b = sides.get("2 processes");
    if (!a || !b) throw new Error("a side of the workers benchmark has no figures");
    log(
      `  serve --workers 1: ${a.rps.toFixed(0)} req/s (p50 ${a.latency.p50.toFixed(1)} ms); --workers 2: ${b.rps.toFixed(0)} req/s (p50 ${b.latency.p50.toFixed(1)} ms)`,
    );
    return {
      cpus: availableParallelism(),
      redis: Boolean(process.env.REDIS_URL),
      one: a,
      two: b,
      ratio: b.rps / a.rps,
    };
  } finally {
    await Promise.all([one.stop(), two.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
