/**
 * Flat cost as academies grow: an instructor's `GET /api/v1/courses?limit=2`
 * against the full stack over a database of 10 academies and over one of
 * 10,000 (about 1M tenant rows), in the same run.
 *
 * - Tokens: on the large database, instructors of **every** academy (so the
 *   working set is the whole database, not ten academies' pages); on the
 *   small one, the instructors of its ten. `limit=2` so both sides answer the
 *   same-sized page (a typical academy's instructor teaches two courses).
 * - Open loop at about 30 % of the capacity measured just before (closed loop
 *   on the small side), so the figure is latency, not queueing at saturation.
 * - At least five mirrored pairs (small, large / large, small, alternating);
 *   each pair gives a p50 ratio, and the report gives their mean with a 95 %
 *   confidence interval (Student's t) beside the pooled p50 ratio.
 */
import type { ServerConfig } from "@skillbridge/server";
import type { LoadProcess } from "../support/load-client.js";
import type { LoadResult } from "../support/load-protocol.js";
import { academyId, userId } from "../support/seed-academies.js";
import { instructorToken, startFullStack } from "../support/servers.js";
import { round, summarise } from "../support/stats.js";
import { pool, type SideFigures } from "./abba.js";
import { getJson, pageIds } from "./http-check.js";
import { requestsFor, tokensFor } from "./isolation.js";
import type { BenchOptions } from "./options.js";
import type { World } from "./world.js";

export const SCALE_CONNECTIONS = 8;
export const SCALE_PATH = "/api/v1/courses?limit=2";
const PAIRS = 5;
const LOAD_SHARE = 0.3;
/** Student's t at 97.5 % for 1..10 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export interface TenantScaleFigures {
  readonly p50At10: number;
  readonly p50At10000: number;
  /** Pooled p50 (large) over pooled p50 (small). */
  readonly ratio: number;
  /** Mean of the per-pair p50 ratios and its 95 % confidence interval. */
  readonly pairRatios: readonly number[];
  readonly pairRatioMean: number;
  readonly pairRatioCi95: readonly [number, number];
  readonly p99At10: number;
  readonly p99At10000: number;
  readonly academiesSmall: number;
  readonly academiesLarge: number;
  /** Distinct academies whose tokens the large side sent. */
  readonly tokensLarge: number;
  readonly tenantRowsLarge: number;
  /** Open-loop rate of both sides, and the closed-loop capacity it is a share of. */
  readonly ratePerSecond: number;
  readonly capacityRps: number;
  readonly sides: readonly SideFigures[];
}

async function tokensForAll(config: ServerConfig, academies: number): Promise<string[]> {
  const out: string[] = [];
  for (let n = 0; n < academies; n += 1)
    out.push(await instructorToken(config, academyId(n), userId(n, 1)));
  // Spread so that consecutive requests hit unrelated academies.
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j] as string, out[i] as string];
  }
  return out;
}

export async function measureTenantScale(
  options: BenchOptions,
  world: World,
  load: LoadProcess,
  jwtSecret: string,
  log: (line: string) => void,
): Promise<TenantScaleFigures> {
  const { serverConfig } = await import("@skillbridge/server");
  const smallTokens = await tokensFor(world, jwtSecret);
  const largeTokens = await tokensForAll(serverConfig({ jwtSecret }), world.large.academies);
  const small = await startFullStack({ dbUrl: world.small.scratch.url, jwtSecret });
  const large = await startFullStack({ dbUrl: world.large.scratch.url, jwtSecret });
  try {
    const a = pageIds((await getJson(`${small.url}${SCALE_PATH}`, smallTokens[0] as string)).body);
    const b = pageIds((await getJson(`${large.url}${SCALE_PATH}`, largeTokens[0] as string)).body);
    if (a.ids.length !== 2 || b.ids.length !== 2)
      throw new Error("the scale servers do not both answer a page of 2 courses");
    const sides = {
      small: {
        name: `${world.small.academies} academies`,
        url: small.url,
        requests: requestsFor(SCALE_PATH, smallTokens),
      },
      large: {
        name: `${world.large.academies.toLocaleString("en-US")} academies`,
        url: large.url,
        requests: requestsFor(SCALE_PATH, largeTokens),
      },
    };
    // Warm both (the large side's whole token set once over), and measure capacity.
    for (const side of [sides.small, sides.large])
      await load.run({
        mode: "closed",
        url: side.url,
        connections: SCALE_CONNECTIONS,
        durationMs: options.warmupMs,
        requests: side.requests,
      });
    const capacity = await load.run({
      mode: "closed",
      url: sides.small.url,
      connections: SCALE_CONNECTIONS * 2,
      durationMs: options.warmupMs,
      requests: sides.small.requests,
    });
    const capacityRps = capacity.okLatencies.length / (capacity.elapsedMs / 1000);
    const ratePerSecond = Math.max(20, Math.round(capacityRps * LOAD_SHARE));
    log(
      `  open loop at ${ratePerSecond}/s (${LOAD_SHARE * 100} % of ${Math.round(capacityRps)} req/s measured), ` +
        `${PAIRS} mirrored pairs of ${options.segmentMs / 1000} s segments; large side: tokens of ` +
        `${largeTokens.length.toLocaleString("en-US")} academies`,
    );
    const results = { small: [] as LoadResult[], large: [] as LoadResult[] };
    const pairRatios: number[] = [];
    for (let k = 0; k < PAIRS; k += 1) {
      const order = k % 2 === 0 ? (["small", "large"] as const) : (["large", "small"] as const);
      const p50: Record<string, number> = {};
      for (const key of order) {
        const side = sides[key];
        const result = await load.run({
          mode: "open",
          url: side.url,
          connections: SCALE_CONNECTIONS * 4,
          durationMs: options.segmentMs,
          ratePerSecond,
          requests: side.requests,
        });
        const bad = Object.entries(result.statuses).filter(([s]) => !s.startsWith("2"));
        if (bad.length > 0)
          throw new Error(`${side.name}: non-2xx answers ${JSON.stringify(result.samples)}`);
        results[key].push(result);
        p50[key] = summarise(result.okLatencies).p50;
      }
      pairRatios.push((p50.large as number) / (p50.small as number));
    }
    const s = pool(sides.small.name, results.small);
    const l = pool(sides.large.name, results.large);
    const mean = pairRatios.reduce((x, y) => x + y, 0) / pairRatios.length;
    const sd = Math.sqrt(
      pairRatios.reduce((x, r) => x + (r - mean) ** 2, 0) / Math.max(1, pairRatios.length - 1),
    );
    const half = (T975[pairRatios.length - 2] ?? 2.228) * (sd / Math.sqrt(pairRatios.length));
    const c = world.large.counts;
    return {
      p50At10: s.latency.p50,
      p50At10000: l.latency.p50,
      ratio: l.latency.p50 / s.latency.p50,
      pairRatios: pairRatios.map((r) => round(r, 3)),
      pairRatioMean: mean,
      pairRatioCi95: [mean - half, mean + half],
      p99At10: s.latency.p99,
      p99At10000: l.latency.p99,
      academiesSmall: world.small.academies,
      academiesLarge: world.large.academies,
      tokensLarge: largeTokens.length,
      tenantRowsLarge:
        c.users + c.parent_links + c.courses + c.enrollments + c.assignments + c.submissions,
      ratePerSecond,
      capacityRps,
      sides: [s, l],
    };
  } finally {
    await small.close();
    await large.close();
  }
}
