/**
 * Onboarding: `POST /api/v1/admin/academies` as a platform admin, one at a
 * time, for each placement the server accepts, two ways:
 *
 * - by invitation (the admin without a password; the answer carries a
 *   one-time token): `p50Ms` / `p99Ms`, the figure with the target;
 * - with a password (`password`): the server hashes it with the production
 *   scrypt parameters before its transaction, so the same run also times that
 *   hash alone (in this process) and the same onboarding against a server
 *   whose hasher is cheap, to show what the rest costs.
 *
 * Interleaved ABBA: hash, invited, password, cheap-hash, cheap-hash,
 * password, invited, hash. A placement the server refuses (400) is reported
 * as not available.
 *
 * Dedicated-schema onboardings take a spare schema when one is ready (the
 * servers keep two, docs/tenancy.md "Spare schemas"), so they are sent one at
 * a time once the servers' pools are full again, as academies arrive in
 * practice (minutes apart, not back to back). The same onboarding with no
 * spare ready (a server with no pool, before any spare exists) is measured
 * first and reported beside it as `cold`.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { OWASP_SCRYPT, PasswordHasher } from "@skillbridge/core";
import { TokenService } from "@skillbridge/server";
import type { LoadProcess } from "../support/load-client.js";
import type { LoadRequest, LoadResult } from "../support/load-protocol.js";
import { startFullStack } from "../support/servers.js";
import { summarise } from "../support/stats.js";
import type { BenchOptions } from "./options.js";
import type { World } from "./world.js";

export interface OnboardingFigures {
  /** Onboarding by invitation (no password hashed). */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly count: number;
  /** The same onboarding with a password, hashed at production strength (same run). */
  readonly password: PasswordOnboardingFigures;
}

export interface PasswordOnboardingFigures {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly count: number;
  /** The production password hash alone, p50 (same run). */
  readonly hashP50Ms: number;
  /** p50Ms - hashP50Ms: routing, validation, the transaction (academy, audit entry, admin). */
  readonly p50MinusHashMs: number;
  /**
   * The same onboarding against a server whose hasher is cheap (scrypt
   * N=2^10), interleaved with the real one: everything but the hash, measured.
   */
  readonly cheapHashP50Ms: number;
  readonly cheapHashP99Ms: number;
}

export interface SchemaOnboardingFigures extends OnboardingFigures {
  /** Spare schemas each server kept ready while `p50Ms` was measured. */
  readonly spareSchemas: number;
  /** The same invited onboarding with no spare ready: every tenant migration's DDL in its transaction. */
  readonly cold: { readonly p50Ms: number; readonly p99Ms: number; readonly count: number };
}

export interface OnboardingResult {
  readonly shared: OnboardingFigures;
  /** Dedicated-schema placement, or null when the server refuses it. */
  readonly schema: SchemaOnboardingFigures | null;
  readonly notes: string[];
}

export async function measureOnboarding(
  options: BenchOptions,
  world: World,
  load: LoadProcess,
  jwtSecret: string,
  log: (line: string) => void,
): Promise<OnboardingResult> {
  // The default password hasher: what production pays.
  const server = await startFullStack({ dbUrl: world.small.scratch.url, jwtSecret });
  const cheap = await startFullStack({
    dbUrl: world.small.scratch.url,
    jwtSecret,
    passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
  });
  // No spare pool: the cold figure, measured while no spare exists yet.
  const bare = await startFullStack({ dbUrl: world.small.scratch.url, jwtSecret, spareSchemas: 0 });
  const notes: string[] = [];
  try {
    const token = await new TokenService(server.config).sign({
      kind: "platform",
      userId: world.platformAdminId,
      role: "platform_admin",
    });
    const run = randomBytes(3).toString("hex");
    let n = 0;
    const requests = (placement: string, count: number, invite = false): LoadRequest[] =>
      Array.from({ length: count }, () => {
        const i = n++;
        const admin = {
          email: `admin-${i}@onboard.example.com`,
          name: "First Admin",
          ...(invite ? {} : { password: `first-admin-password-${i}` }),
        };
        return {
          method: "POST",
          path: "/api/v1/admin/academies",
          headers: { authorization: `Bearer ${token}` },
          body: {
            slug: `onboard-${placement}-${run}-${i}`,
            name: `Onboarded Academy ${i}`,
            placement,
            admin,
          },
        };
      });
    const sendNow = (list: LoadRequest[], url = server.url) =>
      load.run({ mode: "sequence", url, connections: 1, requests: list });
    // Schema onboardings: one at a time, each once both pools are full again
    // (the cold ones too: with no spare made yet, the pools are idle at once).
    const send = async (list: LoadRequest[], url = server.url): Promise<LoadResult> => {
      const schema = list.some(
        (r) => (r.body as { placement?: string } | undefined)?.placement === "schema",
      );
      if (!schema) return sendNow(list, url);
      const parts: LoadResult[] = [];
      for (const request of list) {
        await Promise.all([server.spares.idle(), cheap.spares.idle()]);
        parts.push(await sendNow([request], url));
      }
      return mergeResults(parts);
    };
    const hasher = new PasswordHasher(OWASP_SCRYPT);
    const hashTimes = async (count: number) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        await hasher.hash(`first-admin-password-${i}`);
        times.push(performance.now() - t0);
      }
      return times;
    };

    const measure = async (placement: string): Promise<OnboardingFigures> => {
      await send(requests(placement, 2)); // warm-up
      await send(requests(placement, 2, true));
      await send(requests(placement, 2), cheap.url);
      const half = Math.max(1, Math.floor(options.onboardings / 2));
      // ABBA: hash alone, invited, real server, cheap-hash server, then the other way round.
      const hashes = await hashTimes(half);
      const invited: LoadResult[] = [await send(requests(placement, half, true))];
      const results: LoadResult[] = [await send(requests(placement, half))];
      const cheapResults: LoadResult[] = [await send(requests(placement, half), cheap.url)];
      cheapResults.push(await send(requests(placement, half), cheap.url));
      results.push(await send(requests(placement, half)));
      invited.push(await send(requests(placement, half, true)));
      hashes.push(...(await hashTimes(half)));
      const latencies = (list: LoadResult[]) => {
        const out: number[] = [];
        for (const r of list) {
          const bad = Object.keys(r.statuses).filter((s) => s !== "201");
          if (bad.length > 0)
            throw new Error(`onboarding (${placement}) answered ${JSON.stringify(r.samples)}`);
          out.push(...r.okLatencies);
        }
        return out;
      };
      const v = summarise(latencies(invited));
      const s = summarise(latencies(results));
      const c = summarise(latencies(cheapResults));
      const h = summarise(hashes);
      return {
        p50Ms: v.p50,
        p99Ms: v.p99,
        count: v.count,
        password: {
          p50Ms: s.p50,
          p99Ms: s.p99,
          count: s.count,
          hashP50Ms: h.p50,
          p50MinusHashMs: s.p50 - h.p50,
          cheapHashP50Ms: c.p50,
          cheapHashP99Ms: c.p99,
        },
      };
    };

    const shared = await measure("shared");
    log(
      `  shared placement: ${shared.count} invited and ${shared.password.count} with a password, one at a time`,
    );
    // Dedicated-schema placement: measured once the server accepts it.
    const probe = await send(requests("schema", 1), bare.url);
    let schema: SchemaOnboardingFigures | null = null;
    if (probe.statuses["201"] === 1) {
      const half = Math.max(1, Math.floor(options.onboardings / 2));
      await send(requests("schema", 2, true), bare.url); // warm-up
      const coldRun = await send(requests("schema", 2 * half, true), bare.url);
      const coldOk = coldRun.okLatencies;
      if (coldOk.length !== 2 * half)
        throw new Error(`onboarding (schema, cold) answered ${JSON.stringify(coldRun.samples)}`);
      const c = summarise(coldOk);
      const pooled = await measure("schema");
      schema = {
        ...pooled,
        spareSchemas: server.spares.size,
        cold: { p50Ms: c.p50, p99Ms: c.p99, count: c.count },
      };
      log(
        `  schema placement: ${schema.count} invited and ${schema.password.count} with a password, one at a time, spare schemas ready (${c.count} cold)`,
      );
    } else {
      const status = Object.keys(probe.statuses)[0] ?? "?";
      const detail = (() => {
        try {
          return String((JSON.parse(probe.samples[status] ?? "{}") as { detail?: string }).detail);
        } catch {
          return probe.samples[status] ?? "";
        }
      })();
      notes.push(
        `placement "schema" is not available on this server (${status}: ${detail}); onboardingSchema is null`,
      );
      log(`  schema placement: not available (${status})`);
    }
    return { shared, schema, notes };
  } finally {
    await server.close();
    await cheap.close();
    await bare.close();
  }
}

/** Several sequence results as one: latencies and statuses pooled. */
function mergeResults(parts: readonly LoadResult[]): LoadResult {
  const statuses: Record<string, number> = {};
  for (const part of parts)
    for (const [status, n] of Object.entries(part.statuses))
      statuses[status] = (statuses[status] ?? 0) + n;
  return {
    elapsedMs: parts.reduce((ms, p) => ms + p.elapsedMs, 0),
    latencies: parts.flatMap((p) => p.latencies),
    statuses,
    samples: Object.assign({}, ...parts.map((p) => p.samples)),
    okLatencies: parts.flatMap((p) => p.okLatencies),
    okSendLateness: parts.flatMap((p) => p.okSendLateness),
  };
}
