/**
 * Segments of load in a mirrored order (A B C … C B A), so drift on a
 * shared machine (other people's tests starting or stopping) hits every side
 * alike. Each side's segments are pooled: requests/s over their total time,
 * percentiles over all their latencies.
 */
import type { CpuSpent } from "../support/cpu-usage.js";
import type { LoadProcess } from "../support/load-client.js";
import type { LoadRequest, LoadResult } from "../support/load-protocol.js";
import { type LatencySummary, summarise } from "../support/stats.js";

export interface Side {
  readonly name: string;
  readonly url: string;
  readonly requests: readonly LoadRequest[];
}

export interface SideFigures {
  readonly name: string;
  readonly rps: number;
  readonly latency: LatencySummary;
  readonly statuses: Record<string, number>;
  readonly segmentsRps: number[];
  /** The rate of each warm-up window, until it stopped climbing ({@link closedLoopAbba}). */
  readonly warmupRps?: readonly number[];
  /**
   * CPU per answered request, ms: the server's process (this one) and the
   * database's backends (undefined when PostgreSQL is not on this host).
   */
  readonly cpuPerRequest?: { readonly nodeMs: number; readonly postgresMs: number | undefined };
}

export function pool(
  name: string,
  results: readonly LoadResult[],
  cpu?: readonly CpuSpent[],
): SideFigures {
  const statuses: Record<string, number> = {};
  let ok = 0;
  let ms = 0;
  const latencies: number[] = [];
  for (const r of results) {
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
    ok += r.okLatencies.length;
    ms += r.elapsedMs;
    latencies.push(...r.okLatencies);
  }
  return {
    name,
    rps: ok / (ms / 1000),
    latency: summarise(latencies),
    statuses,
    segmentsRps: results.map((r) => r.okLatencies.length / (r.elapsedMs / 1000)),
    ...(cpu && cpu.length > 0
      ? {
          cpuPerRequest: {
            nodeMs: cpu.reduce((a, c) => a + c.node, 0) / ok,
            postgresMs: cpu.some((c) => c.server === undefined)
              ? undefined
              : cpu.reduce((a, c) => a + (c.server ?? 0), 0) / ok,
          },
        }
      : {}),
  };
}

/** At most this many warm-up windows for one side. */
export const MAX_WARMUP_WINDOWS = 12;

/**
 * A window of warm-up faster than every one before by more than this share
 * means the side is still warming up (V8 still compiling its hot paths).
 */
const STILL_CLIMBING = 0.05;

/**
 * Warms one side up in windows of `warmupWindowMs` until its rate stops climbing:
 * two windows in a row none faster than the best before by more than 5 %
 * (one such window was not enough: on the shared machine a dip stopped the
 * full stack's warm-up at 528, 652, 992, 967 req/s), at most
 * {@link MAX_WARMUP_WINDOWS}. A fixed second was enough for the minimal
 * handler, while the full stack (Koa, the router, zod, Kysely) needed 4-6 s
 * of load before V8 had compiled it, and its first measured segment counted
 * that compiling as the cost of a request (#21: 2.6 then 1.2 ms of server
 * CPU a request in its first two 2 s segments, 0.85 from the third on).
 * Returns each window's rate.
 */
async function warmUp(
  load: LoadProcess,
  side: Side,
  options: { connections: number; warmupWindowMs: number },
): Promise<number[]> {
  const rates: number[] = [];
  let best = 0;
  let calm = 0;
  while (rates.length < MAX_WARMUP_WINDOWS && calm < 2) {
    const result = await load.run({
      mode: "closed",
      url: side.url,
      connections: options.connections,
      durationMs: options.warmupWindowMs,
      requests: side.requests,
    });
    const rate = result.okLatencies.length / (result.elapsedMs / 1000);
    rates.push(rate);
    calm = rates.length > 1 && rate <= best * (1 + STILL_CLIMBING) ? calm + 1 : 0;
    best = Math.max(best, rate);
  }
  return rates;
}

/**
 * Warm-up for each side until its rate settles, then segments in the order
 * A B … B A; every answer must be a 2xx.
 */
export async function closedLoopAbba(
  load: LoadProcess,
  sides: readonly Side[],
  options: {
    connections: number;
    segmentMs: number;
    warmupWindowMs: number;
    /** Starts a CPU meter around each segment (the servers must run in this process). */
    meter?: () => Promise<() => Promise<CpuSpent>>;
  },
): Promise<Map<string, SideFigures>> {
  const warmups = new Map<string, number[]>();
  for (const side of sides) warmups.set(side.name, await warmUp(load, side, options));
  const results = new Map<string, LoadResult[]>(sides.map((s) => [s.name, []]));
  const cpu = new Map<string, CpuSpent[]>(sides.map((s) => [s.name, []]));
  for (const side of [...sides, ...[...sides].reverse()]) {
    const stop = await options.meter?.();
    const result = await load.run({
      mode: "closed",
      url: side.url,
      connections: options.connections,
      durationMs: options.segmentMs,
      requests: side.requests,
    });
    const bad = Object.entries(result.statuses).filter(([status]) => !status.startsWith("2"));
    if (bad.length > 0)
      throw new Error(
        `${side.name}: non-2xx answers ${JSON.stringify(Object.fromEntries(bad))}: ${JSON.stringify(result.samples)}`,
      );
    results.get(side.name)?.push(result);
    if (stop) cpu.get(side.name)?.push(await stop());
  }
  return new Map(
    sides.map((s) => [
      s.name,
      {
        ...pool(s.name, results.get(s.name) ?? [], cpu.get(s.name)),
        warmupRps: warmups.get(s.name) ?? [],
      },
    ]),
  );
}
