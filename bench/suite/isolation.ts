/**
 * The price of isolation: `GET /api/v1/courses?limit=20` as an instructor
 * through the whole stack against two bare `node:http` + jose + `pg.Pool`
 * baselines, in the same run, ABBA: the minimal handler (one SELECT, no
 * re-check) and the same-guarantee handler (the user/academy re-check folded
 * into that SELECT as an EXISTS). Two stages sit between them and the full
 * stack (core's `withTenant` with and without its caller re-check), so the
 * difference is taken apart: the re-check, the tenant transaction and RLS,
 * and the rest (Koa, middleware, Kysely, zod, logging), the last one by a CPU
 * profile.
 */

import pg from "pg";
import { type CpuShare, profileCpu } from "../support/cpu-profile.js";
import { cpuMeter } from "../support/cpu-usage.js";
import type { LoadProcess } from "../support/load-client.js";
import type { LoadRequest } from "../support/load-protocol.js";
import { instructorToken, startBaseline, startFullStack } from "../support/servers.js";
import { countWire, oneLine } from "../support/wire-count.js";
import { closedLoopAbba, type SideFigures } from "./abba.js";
import { getJson, pageIds } from "./http-check.js";
import type { BenchOptions } from "./options.js";
import type { World } from "./world.js";

export const CONNECTIONS = 16;
export const COURSES_PATH = "/api/v1/courses?limit=20";
const GUARDED = "same-guarantee baseline: jose + EXISTS re-check in the SELECT";

export interface IsolationFigures {
  readonly fullStackRps: number;
  readonly baselineRps: number;
  readonly ratio: number;
  readonly fullStackP99Ms: number;
  readonly baselineP99Ms: number;
  readonly fullStackP50Ms: number;
  readonly baselineP50Ms: number;
  /**
   * Baseline CPU per request over the full stack's (server process plus
   * PostgreSQL backends): what the throughput ratio tends to on a saturated
   * machine, and far steadier than rates when the machine is shared.
   */
  readonly cpuRatio: number | null;
  /** The same-guarantee baseline (jose + the re-check as an EXISTS in the one SELECT). */
  readonly sameGuaranteeRps: number;
  /** Full stack req/s over the same-guarantee baseline's. */
  readonly sameGuaranteeRatio: number;
  /** Same-guarantee CPU per request over the full stack's. */
  readonly sameGuaranteeCpuRatio: number | null;
  /** CPU per request (server process + PostgreSQL backends), ms, of the three sides the ratios compare. */
  readonly cpuMsPerRequest: {
    readonly fullStack: number | null;
    readonly baseline: number | null;
    readonly sameGuarantee: number | null;
  };
  readonly stages: readonly SideFigures[];
  /** Waits on PostgreSQL per request (round trips: pipelined statements share one). */
  readonly roundTrips: Record<string, number>;
  /** Statements (pg query calls) per request. */
  readonly statements: Record<string, number>;
  readonly fullStackSql: readonly string[];
  readonly profile: readonly CpuShare[];
}

export async function tokensFor(world: World, jwtSecret: string): Promise<string[]> {
  const { serverConfig } = await import("@skillbridge/server");
  const config = serverConfig({ jwtSecret });
  return Promise.all(world.instructors.map((i) => instructorToken(config, i.academyId, i.userId)));
}

export const requestsFor = (path: string, tokens: readonly string[]): LoadRequest[] =>
  tokens.map((token) => ({ path, headers: { authorization: `Bearer ${token}` } }));

const cpuTotal = (s: SideFigures): number | null =>
  s.cpuPerRequest?.postgresMs === undefined
    ? null
    : s.cpuPerRequest.nodeMs + s.cpuPerRequest.postgresMs;

function cpuRatio(baseline: SideFigures, full: SideFigures): number | null {
  const b = cpuTotal(baseline);
  const f = cpuTotal(full);
  return b === null || f === null ? null : b / f;
}

export async function measureIsolation(
  options: BenchOptions,
  world: World,
  load: LoadProcess,
  jwtSecret: string,
  log: (line: string) => void,
): Promise<IsolationFigures> {
  const tokens = await tokensFor(world, jwtSecret);
  const full = await startFullStack({ dbUrl: world.small.scratch.url, jwtSecret });
  const base = await startBaseline({ dbUrl: world.small.scratch.url, jwtSecret });
  try {
    // The sides must answer the same page, or the comparison means nothing.
    const token = tokens[0] as string;
    const first = await getJson(`${full.url}${COURSES_PATH}`, token);
    const expected = pageIds(first.body);
    if (expected.ids.length !== 20 || !expected.hasNext)
      throw new Error(`the full stack answered ${JSON.stringify(first.body).slice(0, 300)}`);
    for (const path of ["/bare", "/bare-guarded", "/tx", "/tx-recheck"]) {
      const got = pageIds((await getJson(`${base.url}${path}`, token)).body);
      if (got.ids.join() !== expected.ids.join() || !got.hasNext)
        throw new Error(`${path} does not answer the full stack's 20 courses`);
    }
    // Round trips per request, counted on this process's pools (both servers live here).
    const roundTrips: Record<string, number> = {};
    const statements: Record<string, number> = {};
    let fullStackSql: readonly string[] = [];
    for (const [name, url] of [
      ["baseline", `${base.url}/bare`],
      [GUARDED, `${base.url}/bare-guarded`],
      ["withTenant", `${base.url}/tx`],
      ["withTenant + re-check", `${base.url}/tx-recheck`],
      ["full stack", `${full.url}${COURSES_PATH}`],
    ] as const) {
      // Twice: the first request on a connection also prepares the named re-check.
      await getJson(url, token);
      const count = await countWire(() => getJson(url, token));
      roundTrips[name] = count.waits;
      statements[name] = count.calls.length;
      if (name === "full stack") fullStackSql = count.calls.map((c) => oneLine(c, 100));
    }

    const sides = [
      { name: "baseline", url: base.url, requests: requestsFor("/bare", tokens) },
      { name: GUARDED, url: base.url, requests: requestsFor("/bare-guarded", tokens) },
      { name: "withTenant", url: base.url, requests: requestsFor("/tx", tokens) },
      {
        name: "withTenant + re-check",
        url: base.url,
        requests: requestsFor("/tx-recheck", tokens),
      },
      { name: "full stack", url: full.url, requests: requestsFor(COURSES_PATH, tokens) },
    ];
    log(
      `  ${sides.length} sides, ${CONNECTIONS} connections, pool 10 each, ` +
        `warm-up in ${options.warmupWindowMs / 1000} s windows until the rate stops climbing, ` +
        `2 x ${options.segmentMs / 1000} s each (mirrored order)`,
    );
    const watcher = new pg.Client({ connectionString: options.baseUrl });
    await watcher.connect();
    let figures: Map<string, SideFigures>;
    try {
      const meter = cpuMeter(watcher, world.small.scratch.name);
      figures = await closedLoopAbba(load, sides, {
        connections: CONNECTIONS,
        segmentMs: options.segmentMs,
        warmupWindowMs: options.warmupWindowMs,
        meter: () => meter.start(),
      });
    } finally {
      await watcher.end();
    }
    for (const side of sides) {
      const rates = figures.get(side.name)?.warmupRps ?? [];
      log(`  warm-up ${side.name}: ${rates.map((r) => Math.round(r)).join(", ")} req/s`);
    }
    // A profiled segment of the full stack, not counted (the profiler slows it).
    const { shares } = await profileCpu(() =>
      load.run({
        mode: "closed",
        url: full.url,
        connections: CONNECTIONS,
        durationMs: options.segmentMs,
        requests: requestsFor(COURSES_PATH, tokens),
      }),
    );
    const get = (name: string) => {
      const f = figures.get(name);
      if (!f) throw new Error(`no figures for ${name}`);
      return f;
    };
    const baseline = get("baseline");
    const guarded = get(GUARDED);
    const fullStack = get("full stack");
    return {
      fullStackRps: fullStack.rps,
      baselineRps: baseline.rps,
      ratio: fullStack.rps / baseline.rps,
      fullStackP99Ms: fullStack.latency.p99,
      baselineP99Ms: baseline.latency.p99,
      fullStackP50Ms: fullStack.latency.p50,
      baselineP50Ms: baseline.latency.p50,
      cpuRatio: cpuRatio(baseline, fullStack),
      sameGuaranteeRps: guarded.rps,
      sameGuaranteeRatio: fullStack.rps / guarded.rps,
      sameGuaranteeCpuRatio: cpuRatio(guarded, fullStack),
      cpuMsPerRequest: {
        fullStack: cpuTotal(fullStack),
        baseline: cpuTotal(baseline),
        sameGuarantee: cpuTotal(guarded),
      },
      stages: sides.map((s) => get(s.name)),
      roundTrips,
      statements,
      fullStackSql,
      profile: shares,
    };
  } finally {
    await full.close();
    await base.close();
  }
}
