/**
 * Fairness: a quiet academy's p99 alone, and while another academy floods
 * at ten times its rate limit, against the full stack with a per-academy
 * budget (config `rateLimit`, docs/server.md). The quiet academy sends an
 * open-loop stream well inside its own budget; the flood comes from a second
 * load process. A third side tells the flood's two costs apart: the same
 * rate of requests whose token does not verify, refused at authentication
 * (401) with no database work, against the real flood, whose budget (50 per
 * 1 s window) is admitted as a burst at the start of each window and goes to
 * the shared pool. Segments mirrored: alone, flood, refused, refused, flood, alone.
 */
import type { LoadProcess } from "../support/load-client.js";
import { startLoadProcess } from "../support/load-client.js";
import type { LoadResult } from "../support/load-protocol.js";
import { startFullStack } from "../support/servers.js";
import { summarise } from "../support/stats.js";
import { COURSES_PATH, requestsFor, tokensFor } from "./isolation.js";
import type { BenchOptions } from "./options.js";
import type { World } from "./world.js";

/** Every academy's budget here: 50 requests per second, no burst allowance. */
export const FAIRNESS_LIMIT = {
  points: 50,
  durationSeconds: 1,
  burstPoints: 0,
  burstDurationSeconds: 1,
} as const;
export const LIMIT_PER_SECOND = FAIRNESS_LIMIT.points / FAIRNESS_LIMIT.durationSeconds;
/** The quiet academy: half its budget. */
export const QUIET_RATE = LIMIT_PER_SECOND / 2;
/** The flooding academy: ten times its budget. */
export const FLOOD_RATE = LIMIT_PER_SECOND * 10;

export interface FairnessFigures {
  readonly quietP99Alone: number;
  readonly quietP99UnderFlood: number;
  readonly ratio: number;
  /** The quiet p99 while the same rate of invalid tokens is refused at authentication. */
  readonly quietP99UnderRefusedFlood: number;
  readonly quietP50Alone: number;
  readonly quietP50UnderFlood: number;
  readonly quietRate: number;
  readonly floodRate: number;
  readonly limitPerSecond: number;
  /** The flood's answers by status (mostly 429). */
  readonly floodStatuses: Record<string, number>;
  /** Quiet requests refused (must be 0). */
  readonly quietRefused: number;
}

export async function measureFairness(
  options: BenchOptions,
  world: World,
  load: LoadProcess,
  jwtSecret: string,
  log: (line: string) => void,
): Promise<FairnessFigures> {
  const tokens = await tokensFor(world, jwtSecret);
  const server = await startFullStack({
    dbUrl: world.small.scratch.url,
    jwtSecret,
    rateLimit: FAIRNESS_LIMIT,
  });
  const flooder = await startLoadProcess();
  try {
    const quiet = requestsFor(COURSES_PATH, [tokens[0] as string]);
    const flood = requestsFor(COURSES_PATH, [tokens[1] as string]);
    // The flooding academy's token with a broken signature: a 401 before any budget or database.
    const refused = requestsFor(COURSES_PATH, [`${(tokens[1] as string).slice(0, -4)}AAAA`]);
    const segment = options.fairnessSegmentMs;
    const quietRun = () =>
      load.run({
        mode: "open",
        url: server.url,
        connections: 8,
        durationMs: segment,
        ratePerSecond: QUIET_RATE,
        requests: quiet,
      });
    const floodFor = (durationMs: number, requests = flood) =>
      flooder.run({
        mode: "open",
        url: server.url,
        connections: 64,
        durationMs,
        ratePerSecond: FLOOD_RATE,
        requests,
      });
    const underFlood = async (requests = flood) => {
      // The flood starts first and outlasts the quiet segment on both ends.
      const flooding = floodFor(segment + 1_500, requests);
      await new Promise((resolve) => setTimeout(resolve, 750));
      const result = await quietRun();
      return { result, flood: await flooding };
    };
    log(
      `  budget ${LIMIT_PER_SECOND}/s per academy; quiet academy ${QUIET_RATE}/s, ` +
        `flooding academy ${FLOOD_RATE}/s (open loop, second load process); ` +
        `6 x ${segment / 1000} s (alone, flood, refused flood, refused flood, flood, alone)`,
    );
    // Warm-up: both sides once, briefly.
    await load.run({
      mode: "closed",
      url: server.url,
      connections: 4,
      durationMs: options.warmupMs,
      requests: quiet,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a fresh budget window
    const alone: LoadResult[] = [await quietRun()];
    const flooded = [await underFlood()];
    const refusedRuns = [await underFlood(refused), await underFlood(refused)];
    flooded.push(await underFlood());
    alone.push(await quietRun());
    for (const r of refusedRuns)
      if (Object.keys(r.flood.statuses).some((k) => k !== "401"))
        throw new Error(`the refused flood was answered ${JSON.stringify(r.flood.statuses)}`);

    const floodStatuses: Record<string, number> = {};
    for (const f of flooded)
      for (const [k, v] of Object.entries(f.flood.statuses))
        floodStatuses[k] = (floodStatuses[k] ?? 0) + v;
    const quietAll = [...alone, ...[...flooded, ...refusedRuns].map((f) => f.result)];
    const quietRefused = quietAll.reduce(
      (n, r) =>
        n + Object.entries(r.statuses).reduce((m, [k, v]) => (k.startsWith("2") ? m : m + v), 0),
      0,
    );
    const a = summarise(alone.flatMap((r) => r.okLatencies));
    const f = summarise(flooded.flatMap((x) => x.result.okLatencies));
    const rf = summarise(refusedRuns.flatMap((x) => x.result.okLatencies));
    return {
      quietP99Alone: a.p99,
      quietP99UnderFlood: f.p99,
      ratio: f.p99 / a.p99,
      quietP99UnderRefusedFlood: rf.p99,
      quietP50Alone: a.p50,
      quietP50UnderFlood: f.p50,
      quietRate: QUIET_RATE,
      floodRate: FLOOD_RATE,
      limitPerSecond: LIMIT_PER_SECOND,
      floodStatuses,
      quietRefused,
    };
  } finally {
    flooder.stop();
    await server.close();
  }
}
