/**
 * Flat cost as academies grow: the same request (an instructor's
 * `GET /api/v1/courses?limit=20`, the same ten academies with the same ids
 * and tokens) against the full stack over a database of 10 academies and
 * over one of 10,000 (about 1M tenant rows), in the same run, ABBA, at a
 * modest concurrency so the figure is latency, not saturation.
 */
import type { LoadProcess } from "../support/load-client.js";
import { startFullStack } from "../support/servers.js";
import { closedLoopAbba, type SideFigures } from "./abba.js";
import { getJson, pageIds } from "./http-check.js";
import { COURSES_PATH, requestsFor, tokensFor } from "./isolation.js";
import type { BenchOptions } from "./options.js";
import type { World } from "./world.js";

export const SCALE_CONNECTIONS = 4;

export interface TenantScaleFigures {
  readonly p50At10: number;
  readonly p50At10000: number;
  readonly ratio: number;
  readonly p99At10: number;
  readonly p99At10000: number;
  readonly academiesSmall: number;
  readonly academiesLarge: number;
  readonly tenantRowsLarge: number;
  readonly sides: readonly SideFigures[];
}

export async function measureTenantScale(
  options: BenchOptions,
  world: World,
  load: LoadProcess,
  jwtSecret: string,
  log: (line: string) => void,
): Promise<TenantScaleFigures> {
  const tokens = await tokensFor(world, jwtSecret);
  const small = await startFullStack({ dbUrl: world.small.scratch.url, jwtSecret });
  const large = await startFullStack({ dbUrl: world.large.scratch.url, jwtSecret });
  try {
    const token = tokens[0] as string;
    const a = pageIds((await getJson(`${small.url}${COURSES_PATH}`, token)).body);
    const b = pageIds((await getJson(`${large.url}${COURSES_PATH}`, token)).body);
    if (a.ids.length !== 20 || a.ids.join() === "" || b.ids.length !== 20)
      throw new Error("the scale servers do not both answer 20 courses");
    const names = {
      small: `${world.small.academies} academies`,
      large: `${world.large.academies.toLocaleString("en-US")} academies`,
    };
    log(
      `  ${SCALE_CONNECTIONS} connections, ${options.warmupMs / 1000} s warm-up, ` +
        `2 x ${options.segmentMs / 1000} s each (ABBA)`,
    );
    const figures = await closedLoopAbba(
      load,
      [
        { name: names.small, url: small.url, requests: requestsFor(COURSES_PATH, tokens) },
        { name: names.large, url: large.url, requests: requestsFor(COURSES_PATH, tokens) },
      ],
      {
        connections: SCALE_CONNECTIONS,
        segmentMs: options.segmentMs,
        warmupMs: options.warmupMs,
      },
    );
    const s = figures.get(names.small);
    const l = figures.get(names.large);
    if (!s || !l) throw new Error("missing scale figures");
    const c = world.large.counts;
    return {
      p50At10: s.latency.p50,
      p50At10000: l.latency.p50,
      ratio: l.latency.p50 / s.latency.p50,
      p99At10: s.latency.p99,
      p99At10000: l.latency.p99,
      academiesSmall: world.small.academies,
      academiesLarge: world.large.academies,
      tenantRowsLarge:
        c.users + c.parent_links + c.courses + c.enrollments + c.assignments + c.submissions,
      sides: [s, l],
    };
  } finally {
    await small.close();
    await large.close();
  }
}
