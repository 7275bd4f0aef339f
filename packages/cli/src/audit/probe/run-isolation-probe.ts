import { randomBytes, randomUUID } from "node:crypto";
import type { Academy, AuditCheck, AuditFinding, SkillBridge } from "@skillbridge/sdk";
import { CliError } from "../../errors.js";
import { checkOf } from "../report.js";
import {
  createFixtureAcademy,
  FIXTURE_PREFIX,
  type FixtureAcademy,
  PROBE_ROLES,
  type ProbeRole,
  SEEDED_ROUTES,
} from "./fixture-academy.js";
import { isSchema } from "./json-schema.js";
import { kindOfField } from "./kinds.js";
import { type ProbeRoute, readRoutes } from "./openapi-routes.js";
import { ProbeFindings } from "./probe-findings.js";
import { planProbe } from "./probe-plan.js";
import { ProbeRunner } from "./probe-runner.js";
import { ProbeWorld } from "./probe-world.js";
import { sampleValue } from "./sample-value.js";

export interface IsolationProbeOptions {
  /** Retries of a rate-limited (429) call, each after its Retry-After (default 6). */
  readonly maxRetries?: number;
  /** Progress lines for a person watching (stderr). */
  readonly progress?: (line: string) => void;
  /** The probe's checks done so far, of how many (a count for a live line). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface IsolationProbeResult {
  readonly checks: AuditCheck[];
  readonly findings: AuditFinding[];
}

/** Fixture academies older than this, left by a probe that was killed, are removed by the next. */
const STALE_FIXTURE_MS = 60 * 60 * 1000;

/** The static segment a creating route is named for: `/courses/{id}/assignments` → assignments. */
function lastSegment(path: string): string {
  return (
    path
      .split("/")
      .filter((s) => s && !s.startsWith("{"))
      .at(-1) ?? path
  );
}

/**
 * Data in every resource the document has besides the fixture's own: each
 * creating route (POST with a 201) is tried as admin, instructor and student
 * with a body built from its schema and the academy's own ids; what it
 * creates becomes a fixture object (whose visibility is unknown, so it is
 * only used as the other academy's object). Returns the routes that created
 * nothing, with the last answer.
 */
async function seedThroughDocument(
  routes: readonly ProbeRoute[],
  fixtures: readonly [FixtureAcademy, FixtureAcademy],
  components: Record<string, unknown>,
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  const creating = routes.filter(
    (r) =>
      r.method === "POST" &&
      r.creates &&
      !r.public &&
      r.body !== null &&
      !r.path.startsWith("/admin/") &&
      !SEEDED_ROUTES.has(r.key),
  );
  for (const route of creating) {
    for (const [fixture, other] of [fixtures, [fixtures[1], fixtures[0]] as const]) {
      const world = new ProbeWorld(fixture, other);
      let last = "not tried";
      for (const role of [
        "admin",
        "instructor",
        "student",
      ] as const satisfies readonly ProbeRole[]) {
        const own = (field: string | undefined) => {
          const ref = field ? kindOfField(field) : null;
          return (ref && world.own(role, ref)?.id) || randomUUID();
        };
        const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
          const param = route.params.find((p) => p.name === name);
          return encodeURIComponent((param && world.own(role, param.ref)?.id) ?? randomUUID());
        });
        const body = route.body ? sampleValue(route.body, { components, uuidFor: own }) : undefined;
        const answer = await fixture.client(role).rawRequest({ method: "POST", path, body });
        const id = (answer.body as { id?: unknown } | null)?.id;
        if (answer.status === 201 && typeof id === "string") {
          fixture.add({
            id,
            kind: lastSegment(route.path),
            name: `${lastSegment(route.path)} by ${role}`,
            generic: true,
          });
          last = "";
          break;
        }
        last = `${role}: ${answer.status}`;
      }
      if (last) failed.set(route.key, last);
    }
  }
  return failed;
}

/**
 * Removes a fixture academy for good: a soft delete, then a purge (its rows,
 * its schema, the academy row). The audit log keeps what the probe did.
 */
async function removeFixture(platform: SkillBridge, academy: Academy): Promise<void> {
  if (academy.deletedAt === null) await platform.academies.delete(academy.id);
  await platform.academies.purge(academy.id);
}

/** Removes fixture academies a killed probe (or an older CLI's soft delete) left behind. */
async function sweepStaleFixtures(platform: SkillBridge): Promise<number> {
  const stale: Academy[] = [];
  for await (const academy of platform.academies.list({ limit: 100, deleted: "include" })) {
    const age = Date.now() - Date.parse(academy.createdAt);
    if (
      academy.slug.startsWith(FIXTURE_PREFIX) &&
      (academy.deletedAt !== null || age > STALE_FIXTURE_MS)
    ) {
      stale.push(academy);
    }
  }
  for (const academy of stale) await removeFixture(platform, academy);
  return stale.length;
}

/**
 * The dynamic half of the isolation audit, run through the API as a client
 * would: two throwaway academies (`audit-fixture-…`) with users in every role
 * and data in every resource, then every route of the server's OpenAPI
 * document called as each academy role of one academy with the other
 * academy's ids and with same-academy objects the role may not see. Each
 * such call must be answered exactly as the same call with an id that does
 * not exist (403 or 404); lists and reads must hold no foreign or hidden id.
 * The fixtures are removed for good at the end (deleted, then purged), whatever happened.
 */
export async function runIsolationProbe(
  platform: SkillBridge,
  options: IsolationProbeOptions = {},
): Promise<IsolationProbeResult> {
  const progress = options.progress ?? (() => {});
  const me = await platform.auth.me();
  if (me.user.role !== "platform_admin") {
    throw new CliError(
      `The probe needs a platform admin (it creates academies and impersonates); signed in as ${me.user.role}.`,
    );
  }
  const document = await platform.rawRequest({ method: "GET", path: "/openapi.json" });
  if (document.status !== 200 || !isSchema(document.body)) {
    throw new CliError(`The server's OpenAPI document did not load (status ${document.status}).`);
  }
  const components = (
    isSchema(document.body.components) && isSchema(document.body.components.schemas)
      ? document.body.components.schemas
      : {}
  ) as Record<string, unknown>;
  const routes = readRoutes(document.body);
  const swept = await sweepStaleFixtures(platform);

  const run = randomBytes(4).toString("hex");
  const created: Academy[] = [];
  const findings = new ProbeFindings();
  const extra: AuditFinding[] = [];
  let fixtureSummary = "";
  let coverageSummary = "";
  let foreignSummary = "";
  let hiddenSummary = "";
  try {
    progress(`Creating fixture academies ${FIXTURE_PREFIX}${run}-a and -b`);
    const home = await createFixtureAcademy(platform, "A", `${FIXTURE_PREFIX}${run}-a`, (a) =>
      created.push(a),
    );
    const away = await createFixtureAcademy(platform, "B", `${FIXTURE_PREFIX}${run}-b`, (a) =>
      created.push(a),
    );
    const notSeeded = await seedThroughDocument(routes, [home, away], components);
    for (const [route, answer] of notSeeded) {
      extra.push({
        severity: "low",
        check: "probe.coverage",
        object: route,
        detail: `The probe could not create data through this route (last answer ${answer}), so its resource is probed only with other kinds of ids.`,
        fix: "Document the route's body well enough to build a valid one, or probe that resource by hand.",
      });
    }
    const kinds = new Set(home.objects.map((o) => o.kind));
    fixtureSummary = `${home.academy.slug} and ${away.academy.slug}: ${home.objects.length} objects each in ${kinds.size} kinds (${[...kinds].join(", ")})`;

    const world = new ProbeWorld(home, away);
    const plan = planProbe(routes, world, PROBE_ROLES, components);
    progress(`Calling ${routes.length} routes as ${PROBE_ROLES.join(", ")}`);
    const runner = new ProbeRunner(world, findings, options.maxRetries ?? 6, options.onProgress);
    await runner.run(plan);
    const { tally } = runner;
    const leftOut = (prefix: string) =>
      [...plan.skipped].filter(([, reason]) => reason.startsWith(prefix)).map(([key]) => key);
    const publicRoutes = leftOut("public route");
    const idless = leftOut("takes no id");
    for (const [route, reason] of tally.inconclusive) {
      if (publicRoutes.includes(route) || idless.includes(route)) continue;
      extra.push({
        severity: "low",
        check: "probe.coverage",
        object: route,
        detail: `Not probed: ${reason}.`,
        fix: "Probe the route by hand, or make its request buildable from the OpenAPI document.",
      });
    }
    const applicable = routes.length - publicRoutes.length - idless.length;
    coverageSummary = `${tally.probed.size} of ${applicable} signed-in routes that take an id or return data probed with ${tally.calls} calls as ${PROBE_ROLES.join(", ")}; left out: public ${publicRoutes.join(", ") || "none"}; no id ${idless.join(", ") || "none"}`;
    foreignSummary = `${tally.judged.foreign} calls with the other academy's ids compared with unknown ids; ${tally.scanned} answers scanned for its ids`;
    hiddenSummary = `${tally.judged.hidden} calls with same-academy objects the role may not see compared with unknown ids; lists and reads scanned`;
  } finally {
    const left: string[] = [];
    for (const academy of created) {
      try {
        await removeFixture(platform, academy);
      } catch {
        left.push(academy.slug);
      }
    }
    for (const slug of left) {
      extra.push({
        severity: "medium",
        check: "probe.fixtures",
        object: `academy ${slug}`,
        detail: "The fixture academy could not be removed after the probe: it may still be live.",
        fix: `skillbridge tenants delete ${slug} --yes (the next probe removes it for good)`,
      });
    }
    fixtureSummary = `${fixtureSummary || "not created"}; ${created.length - left.length} removed afterwards${swept ? `; ${swept} fixture academies left by earlier runs removed` : ""}`;
  }
  const all = [...findings.toFindings(), ...extra];
  return {
    checks: [
      checkOf(
        "probe.fixtures",
        "Probe fixtures: two throwaway academies with every role and resource",
        fixtureSummary,
        all,
      ),
      checkOf(
        "probe.cross-academy",
        "No route serves, reveals or lists another academy's objects",
        foreignSummary,
        all,
      ),
      checkOf(
        "probe.role-visibility",
        "No route serves or lists same-academy objects the role may not see",
        hiddenSummary,
        all,
      ),
      checkOf(
        "probe.coverage",
        "Every signed-in route of the OpenAPI document was probed",
        coverageSummary,
        all,
      ),
    ],
    findings: all,
  };
}
