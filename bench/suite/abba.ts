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

/** Warm-up for each side, then segments in the order A B … B A; every answer must be a 2xx. */
export async function closedLoopAbba(
  load: LoadProcess,
  sides: readonly Side[],
  options: {
    connections: number;
    segmentMs: number;
    warmupMs: number;
    /** Starts a CPU meter around each segment (the servers must run in this process). */
    meter?: () => Promise<() => Promise<CpuSpent>>;
  },
): Promise<Map<string, SideFigures>> {
  for (const side of sides)
    await load.run({
      mode: "closed",
      url: side.url,
      connections: options.connections,
      durationMs: options.warmupMs,
      requests: side.requests,
    });
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
    sides.map((s) => [s.name, pool(s.name, results.get(s.name) ?? [], cpu.get(s.name))]),
  );
}
