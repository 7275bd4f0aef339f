/**
 * Fairness: quiet academies' p99 alone, and while many other academies flood
 * the server, against the full stack with the production limiter
 * configuration (`DEFAULTS.rateLimit`: a token bucket of 200 refilled at 10
 * a second per academy, docs/server.md) and the default per-academy cap on
 * concurrent tenant transactions.
 *
 * - Capacity first: closed-loop req/s of the same GET against the same
 *   database on a server without limits.
 * - The flood: enough academies, each sending 1.5 times its budget, that
 *   what the limiter *admits* of them adds up to at least 70 % of that
 *   capacity (`admittedShare`); their buckets are emptied first (cheap
 *   requests refused at validation, which spend a token each) so the
 *   admitted rate is the steady one, not a burst.
 * - The quiet side: the ten measured academies, each inside its budget,
 *   open loop, every latency timed from the scheduled send (queueing counts),
 *   at least 5,000 samples per condition.
 * - Mirrored: alone, flood, flood, alone. The flood runs once across both
 *   flood segments.
 */
import { DEFAULTS, serverConfig } from "@skillbridge/server";
import type { LoadProcess } from "../support/load-client.js";
import { startLoadProcess } from "../support/load-client.js";
import type { LoadRequest, LoadResult } from "../support/load-protocol.js";
import { type LoopFigures, watchLoop } from "../support/loop-watch.js";
import { academyId, userId } from "../support/seed-academies.js";
import { instructorToken, startFullStack } from "../support/servers.js";
import { type StageFigures, watchStages } from "../support/stage-ladder.js";
import { type LatencySummary, summarise } from "../support/stats.js";
import { CONNECTIONS, COURSES_PATH, requestsFor } from "./isolation.js";
import type { BenchOptions } from "./options.js";
import { MEASURED_ACADEMIES, type World } from "./world.js";

/** The production limiter: what `serverConfig` gives when nothing is set. */
export const FAIRNESS_LIMIT = DEFAULTS.rateLimit;
/** An academy's sustained budget, requests a second. */
export const LIMIT_PER_SECOND = FAIRNESS_LIMIT.points / FAIRNESS_LIMIT.durationSeconds;
/** Each quiet academy: 90 % of its budget. */
export const QUIET_RATE_PER_ACADEMY = LIMIT_PER_SECOND * 0.9;
/** Each flooding academy offers this many times its budget. */
export const FLOOD_FACTOR = 1.5;
/** What the flood's admitted traffic is sized to, as a share of capacity. */
export const ADMITTED_TARGET = 0.72;
/** Quiet samples per condition (alone, under the flood). */
export const SAMPLES_PER_CONDITION = 5_000;

export interface FairnessFigures {
  readonly quietP99Alone: number;
  readonly quietP99UnderFlood: number;
  /** quietP99UnderFlood / quietP99Alone (target <= 1.5). */
  readonly ratio: number;
  readonly quietP50Alone: number;
  readonly quietP50UnderFlood: number;
  /** Quiet samples (2xx) per condition. */
  readonly samplesAlone: number;
  readonly samplesUnderFlood: number;
  /** Closed-loop req/s of the same request without limits (same run, same database). */
  readonly capacityRps: number;
  readonly floodAcademies: number;
  readonly floodOfferedRps: number;
  /** The flood's 2xx answers per second. */
  readonly floodAdmittedRps: number;
  /** floodAdmittedRps / capacityRps (asked: at least 0.70). */
  readonly admittedShare: number;
  /** All quiet academies together, req/s, and as a share of capacity. */
  readonly quietRate: number;
  readonly quietShare: number;
  readonly limitPerSecond: number;
  readonly burst: number;
  /** The flood's answers by status (200 and 429). */
  readonly floodStatuses: Record<string, number>;
  /** Quiet requests not answered 2xx (must be 0). */
  readonly quietRefused: number;
  /** The fairness servers' settings: `loopTurns`, `adaptiveSlots`, pool and `tenantSlots`. */
  readonly settings: {
    readonly loopTurns: boolean;
    readonly adaptiveSlots: boolean;
    readonly poolSize: number;
    readonly tenantSlots: number;
  };
  /** The server's event loop and garbage collector while the quiet academies ran under the flood. */
  readonly loopUnderFlood: LoopFigures;
  /**
   * The quiet academies' requests inside the server, stage by stage, alone
   * and under the flood (`support/stage-ladder.ts`), beside what the load
   * process measured for the same requests (the p50s and p99s above).
   */
  readonly stages: readonly StageFigures[];
  /** How late the load process sent the quiet requests after they were due (its own share of the latency). */
  readonly quietSendLateness: { readonly alone: LatencySummary; readonly flood: LatencySummary };
  /**
   * The same requests' latency from when they left the load process (each
   * one's latency less its own late send): what the server, the kernel and
   * the reply's way back took. `ratio` stays the figure read against the
   * target; this one says how much of it the load process added.
   */
  readonly quietFromSend: {
    readonly alone: LatencySummary;
    readonly flood: LatencySummary;
    readonly ratio: number;
  };
}

export async function measureFairness(
  options: BenchOptions,
  world: World,
  load: LoadProcess,
  jwtSecret: string,
  log: (line: string) => void,
): Promise<FairnessFigures> {
  const config = serverConfig({ jwtSecret });
  const tokenOf = (n: number) => instructorToken(config, academyId(n), userId(n, 1));
  const quietTokens = await Promise.all(
    Array.from({ length: MEASURED_ACADEMIES }, (_, n) => tokenOf(n)),
  );
  const quiet = requestsFor(COURSES_PATH, quietTokens);
  const quietRate = QUIET_RATE_PER_ACADEMY * MEASURED_ACADEMIES;
  const dbUrl = world.large.scratch.url;
  const available = world.large.academies - MEASURED_ACADEMIES;

  // ── capacity, without limits ──
  const poolSize = options.fairnessPoolSize;
  const tenantSlots = options.fairnessSlots;
  const adaptiveSlots = options.fairnessAdaptive;
  const loopTurns = options.fairnessLoopTurns;
  const unlimited = await startFullStack({
    dbUrl,
    jwtSecret,
    poolSize,
    tenantSlots,
    adaptiveSlots,
    loopTurns,
  });
  let capacityRps: number;
  const spare = await Promise.all(
    Array.from({ length: Math.min(available, 100) }, (_, k) => tokenOf(MEASURED_ACADEMIES + k)),
  );
  try {
    const all = requestsFor(COURSES_PATH, [...quietTokens, ...spare]);
    const closed = (durationMs: number) =>
      load.run({
        mode: "closed",
        url: unlimited.url,
        connections: CONNECTIONS,
        durationMs,
        requests: all,
      });
    await closed(options.warmupMs);
    const runs = [await closed(options.segmentMs), await closed(options.segmentMs)];
    capacityRps =
      runs.reduce((n, r) => n + (r.statuses["200"] ?? 0), 0) /
      (runs.reduce((n, r) => n + r.elapsedMs, 0) / 1000);
  } finally {
    await unlimited.close();
  }

  const floodAcademies = Math.min(
    available,
    Math.ceil((ADMITTED_TARGET * capacityRps) / LIMIT_PER_SECOND),
  );
  const floodTokens = await Promise.all(
    Array.from({ length: floodAcademies }, (_, k) => tokenOf(MEASURED_ACADEMIES + k)),
  );
  const floodRate = floodAcademies * LIMIT_PER_SECOND * FLOOD_FACTOR;
  const segmentMs = Math.ceil(((SAMPLES_PER_CONDITION / 2) * 1000) / quietRate) + 500;
  log(
    `  capacity ${capacityRps.toFixed(0)} req/s (no limits); production limiter: ` +
      `${LIMIT_PER_SECOND}/s per academy, bursts of ${FAIRNESS_LIMIT.burstPoints}; ` +
      `${floodAcademies} flooding academies at ${FLOOD_FACTOR}x their budget (${floodRate.toFixed(0)} req/s offered), ` +
      `${MEASURED_ACADEMIES} quiet academies at ${QUIET_RATE_PER_ACADEMY}/s each; ` +
      `4 x ${(segmentMs / 1000).toFixed(0)} s (alone, flood, flood, alone); pool ${poolSize}, tenantSlots ${tenantSlots ?? poolSize}${adaptiveSlots ? " (adaptive)" : ""}, loop turns ${loopTurns ? "on" : "off"}`,
  );

  const server = await startFullStack({
    dbUrl,
    jwtSecret,
    rateLimit: FAIRNESS_LIMIT,
    poolSize,
    tenantSlots,
    adaptiveSlots,
    loopTurns,
  });
  const flooder = await startLoadProcess();
  const stages = watchStages(Array.from({ length: MEASURED_ACADEMIES }, (_, n) => academyId(n)));
  try {
    const quietRun = async (condition: "alone" | "flood") => {
      stages.during(condition);
      const result = await load.run({
        mode: "open",
        url: server.url,
        connections: CONNECTIONS,
        durationMs: segmentMs,
        ratePerSecond: quietRate,
        requests: quiet,
      });
      stages.during(null);
      return result;
    };
    // Warm-up inside the quiet academies' budgets (a closed loop would spend them).
    await load.run({
      mode: "open",
      url: server.url,
      connections: CONNECTIONS,
      durationMs: options.warmupMs,
      ratePerSecond: quietRate,
      requests: quiet,
    });
    const alone: LoadResult[] = [await quietRun("alone")];

    // Empty the flooders' buckets: an invalid body is refused (400) after the
    // limiter took its token, before any database work.
    const drain: LoadRequest[] = floodTokens.flatMap((token) =>
      Array.from({ length: FAIRNESS_LIMIT.burstPoints }, () => ({
        method: "POST" as const,
        path: "/api/v1/courses",
        headers: { authorization: `Bearer ${token}` },
        body: {},
      })),
    );
    const drainStarted = performance.now();
    await flooder.run({ mode: "sequence", url: server.url, connections: 32, requests: drain });
    log(
      `  drain: ${drain.length} requests in ${((performance.now() - drainStarted) / 1000).toFixed(1)} s`,
    );
    const leadMs = 1_000;
    const flooding = flooder.run({
      mode: "open",
      url: server.url,
      connections: 64,
      durationMs: leadMs + 2 * segmentMs + 500,
      ratePerSecond: floodRate,
      requests: requestsFor(COURSES_PATH, floodTokens),
    });
    await new Promise((resolve) => setTimeout(resolve, leadMs));
    const watch = watchLoop();
    const flooded = [await quietRun("flood"), await quietRun("flood")];
    const loopUnderFlood = watch.stop();
    const flood = await flooding;
    alone.push(await quietRun("alone"));

    const quietAll = [...alone, ...flooded];
    const quietRefused = quietAll.reduce(
      (n, r) =>
        n + Object.entries(r.statuses).reduce((m, [k, v]) => (k.startsWith("2") ? m : m + v), 0),
      0,
    );
    const a = summarise(alone.flatMap((r) => r.okLatencies));
    const f = summarise(flooded.flatMap((r) => r.okLatencies));
    const fromSend = (runs: readonly LoadResult[]) =>
      summarise(runs.flatMap((r) => r.okLatencies.map((ms, k) => ms - (r.okSendLateness[k] ?? 0))));
    const fromSendAlone = fromSend(alone);
    const fromSendFlood = fromSend(flooded);
    const floodAdmittedRps = (flood.statuses["200"] ?? 0) / (flood.elapsedMs / 1000);
    return {
      quietP99Alone: a.p99,
      quietP99UnderFlood: f.p99,
      ratio: f.p99 / a.p99,
      quietP50Alone: a.p50,
      quietP50UnderFlood: f.p50,
      samplesAlone: a.count,
      samplesUnderFlood: f.count,
      capacityRps,
      floodAcademies,
      floodOfferedRps: floodRate,
      floodAdmittedRps,
      admittedShare: floodAdmittedRps / capacityRps,
      quietRate,
      quietShare: quietRate / capacityRps,
      limitPerSecond: LIMIT_PER_SECOND,
      burst: FAIRNESS_LIMIT.burstPoints,
      floodStatuses: flood.statuses,
      quietRefused,
      settings: { loopTurns, adaptiveSlots, poolSize, tenantSlots: tenantSlots ?? poolSize },
      loopUnderFlood,
      stages: stages.stop(),
      quietSendLateness: {
        alone: summarise(alone.flatMap((r) => r.okSendLateness)),
        flood: summarise(flooded.flatMap((r) => r.okSendLateness)),
      },
      quietFromSend: {
        alone: fromSendAlone,
        flood: fromSendFlood,
        ratio: fromSendFlood.p99 / fromSendAlone.p99,
      },
    };
  } finally {
    stages.stop();
    flooder.stop();
    await server.close();
  }
}
