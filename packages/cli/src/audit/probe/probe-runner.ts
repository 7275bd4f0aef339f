import { randomUUID } from "node:crypto";
import type { RawResponse } from "@skillbridge/sdk";
import type { FixtureObject, ProbeRole } from "./fixture-academy.js";
import type { ProbeRoute } from "./openapi-routes.js";
import { describeObject, type ProbeFindings } from "./probe-findings.js";
import {
  type ProbeGroup,
  type ProbePlan,
  type ProbeRead,
  type ProbeRequest,
  withSlot,
} from "./probe-plan.js";
import type { ProbeWorld } from "./probe-world.js";

/** How the probe went, route by route. */
export interface ProbeTally {
  calls: number;
  /** Candidate calls judged against a baseline, by whose object they carried. */
  readonly judged: { foreign: number; hidden: number };
  /** Reads whose answer was scanned. */
  scanned: number;
  /** Routes with at least one conclusive call or read. */
  readonly probed: Set<string>;
  /** Routes whose every group was inconclusive, with the reason. */
  readonly inconclusive: Map<string, string>;
}

const ok = (status: number) => status >= 200 && status < 300;

function fillPath(route: ProbeRoute, request: ProbeRequest): string {
  return route.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent(request.params[name] ?? ""),
  );
}

/** Ids in an answer: every string anywhere (foreign), and the top-level objects' own ids (hidden). */
function idsIn(body: unknown): { all: string; top: string[] } {
  const all = JSON.stringify(body ?? null);
  const record = (body ?? {}) as { id?: unknown; data?: unknown };
  const top: string[] = [];
  if (typeof record.id === "string") top.push(record.id);
  if (Array.isArray(record.data)) {
    for (const item of record.data) {
      const id = (item as { id?: unknown } | null)?.id;
      if (typeof id === "string") top.push(id);
    }
  }
  return { all, top };
}

/** Executes a plan against the API and judges every answer. */
export class ProbeRunner {
  readonly #world: ProbeWorld;
  readonly #findings: ProbeFindings;
  readonly #maxRetries: number;
  readonly tally: ProbeTally = {
    calls: 0,
    judged: { foreign: 0, hidden: 0 },
    scanned: 0,
    probed: new Set(),
    inconclusive: new Map(),
  };

  readonly #onProgress: (done: number, total: number) => void;

  constructor(
    world: ProbeWorld,
    findings: ProbeFindings,
    maxRetries: number,
    onProgress: (done: number, total: number) => void = () => {},
  ) {
    this.#world = world;
    this.#findings = findings;
    this.#maxRetries = maxRetries;
    this.#onProgress = onProgress;
  }

  async #call(route: ProbeRoute, role: ProbeRole, request: ProbeRequest): Promise<RawResponse> {
    this.tally.calls++;
    const hasBody = route.body !== null && route.method !== "GET" && route.method !== "DELETE";
    return this.#world.home.client(role).rawRequest(
      {
        method: route.method,
        path: fillPath(route, request),
        query: request.query,
        ...(hasBody ? { body: request.body ?? {} } : {}),
      },
      { maxRetries: this.#maxRetries },
    );
  }

  /** Reads, then writes, then deletes: a broken delete cannot spoil the later checks. */
  async run(plan: ProbePlan): Promise<void> {
    const order = { GET: 0, POST: 1, PATCH: 1, DELETE: 2 } as const;
    const byMethod = <T extends { route: ProbeRoute }>(items: readonly T[]) =>
      [...items].sort((a, b) => order[a.route.method] - order[b.route.method]);
    const total = plan.reads.length + plan.groups.length;
    let done = 0;
    this.#onProgress(done, total);
    for (const read of plan.reads) {
      await this.#read(read);
      this.#onProgress(++done, total);
    }
    for (const group of byMethod(plan.groups)) {
      await this.#group(group);
      this.#onProgress(++done, total);
    }
    for (const [route, reason] of plan.skipped) {
      if (!this.tally.probed.has(route)) this.tally.inconclusive.set(route, reason);
    }
  }

  /** Scans a successful answer for the other academy's ids and for objects the role may not see. */
  #scan(route: ProbeRoute, role: ProbeRole, body: unknown): void {
    const { all, top } = idsIn(body);
    for (const [id, object] of this.#world.foreignIds()) {
      if (all.includes(id)) {
        this.#findings.add(
          "high",
          "probe.cross-academy",
          route.key,
          role,
          "leaks-foreign",
          describeObject(object, "foreign"),
        );
      }
    }
    const hidden = this.#world.hiddenIds(role);
    for (const id of top) {
      const object = hidden.get(id);
      if (object) {
        this.#findings.add(
          "high",
          "probe.role-visibility",
          route.key,
          role,
          "leaks-hidden",
          describeObject(object, "hidden"),
        );
      }
    }
  }

  async #read({ route, role, request }: ProbeRead): Promise<void> {
    const answer = await this.#call(route, role, request);
    if (ok(answer.status)) {
      this.tally.scanned++;
      this.tally.probed.add(route.key);
      this.#scan(route, role, answer.body);
    } else if (answer.status === 403 || answer.status === 404) {
      this.tally.probed.add(route.key);
    }
  }

  async #group(group: ProbeGroup): Promise<void> {
    const { route, role, slot, base } = group;
    const baseline = await this.#call(route, role, withSlot(base, slot, randomUUID()));
    const refused = baseline.status === 403 || baseline.status === 404;
    const judgeable =
      refused || (slot.where !== "path" && (baseline.status === 400 || ok(baseline.status)));
    if (!judgeable) {
      if (!this.tally.probed.has(route.key)) {
        this.tally.inconclusive.set(
          route.key,
          `with an unknown id in ${slot.where} ${slot.name} it answers ${baseline.status}, so nothing can be compared (the body the probe built may be invalid)`,
        );
      }
      return;
    }
    this.tally.probed.add(route.key);
    this.tally.inconclusive.delete(route.key);
    for (const { object, origin } of group.candidates) {
      const answer = await this.#call(route, role, withSlot(base, slot, object.id));
      if (answer.status === 429) continue;
      this.tally.judged[origin]++;
      this.#judge(group, object, origin, baseline, answer);
    }
  }

  #judge(
    { route, role, slot }: ProbeGroup,
    object: FixtureObject,
    origin: "foreign" | "hidden",
    baseline: RawResponse,
    answer: RawResponse,
  ): void {
    const check = origin === "foreign" ? "probe.cross-academy" : "probe.role-visibility";
    const example = `${describeObject(object, origin)} in ${slot.where} ${slot.name} → ${answer.status} (an unknown id → ${baseline.status})`;
    if (answer.status >= 500) {
      this.#findings.add("medium", check, route.key, role, "server-error", example);
    } else if (ok(answer.status) && !ok(baseline.status)) {
      this.#findings.add("high", check, route.key, role, "served", example);
    } else if (ok(answer.status)) {
      // Both answered (a list filtered by the id): what it lists must still be the role's own.
      this.#scan(route, role, answer.body);
    } else if (answer.status !== baseline.status) {
      this.#findings.add("medium", check, route.key, role, "differs", example);
    }
  }
}
