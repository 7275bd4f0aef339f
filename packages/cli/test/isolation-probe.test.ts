import { NotFoundError } from "@skillbridge/core";
import { IdParamsSchema } from "@skillbridge/core/contracts";
import { type AuditFinding, SkillBridge } from "@skillbridge/sdk";
import {
  ACADEMY_ROLES,
  defineRoute,
  type RouteDefinition,
  type RunningServer,
  startServer,
} from "@skillbridge/server";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { practiceBank } from "../../core/test/support/practice-bank.js";
import { sampleOf } from "../../core/test/support/sampling.js";
import { createTestApp, PLATFORM_ADMIN, type TestApp } from "../../server/test/support/test-app.js";
import { FIXTURE_PREFIX } from "../src/audit/probe/fixture-academy.js";
import { runIsolationProbe } from "../src/audit/probe/run-isolation-probe.js";
import { ENGINES } from "./support/cli-session.js";

// The probe against a real server on a socket, through the SDK, as the CLI
// runs it against a remote deployment: in a test build with deliberately
// broken routes (added through createServer({ routes }), the embedding API),
// those are caught and every route of the real server gives no finding.

const LeakyCourseSchema = z
  .object({ id: z.string(), title: z.string() })
  .meta({ id: "LeakyCourse" });

/** Reads a course by id on the server's own connection: no tenant scope, no RLS (it is the owner). */
const unscopedRoute = defineRoute({
  method: "get",
  path: "/test-only/unscoped-courses/{id}",
  summary: "TEST BUILD ONLY: a course read by id outside withTenant",
  tag: "test",
  auth: "academy",
  roles: ACADEMY_ROLES,
  params: IdParamsSchema,
  status: 200,
  response: LeakyCourseSchema,
  errors: [401, 403, 404, 429],
  handler: async ({ params, tenant, deps }) => {
    await tenant(async () => undefined);
    const { rows } = await sql<{ id: string; title: string }>`
      select id, title from courses where id = ${params.id}`.execute(deps.db.kysely);
    if (!rows[0]) throw new NotFoundError("Course");
    return rows[0];
  },
});

/** Lists every course on the server's own connection: every academy's, to anyone signed in. */
const unscopedListRoute = defineRoute({
  method: "get",
  path: "/test-only/all-courses",
  summary: "TEST BUILD ONLY: courses listed outside withTenant",
  tag: "test",
  auth: "academy",
  roles: ACADEMY_ROLES,
  status: 200,
  response: z.object({ data: z.array(LeakyCourseSchema), nextCursor: z.null() }),
  errors: [401, 403, 429],
  handler: async ({ tenant, deps }) => {
    await tenant(async () => undefined);
    const { rows } = await sql<{
      id: string;
      title: string;
    }>`select id, title from courses`.execute(deps.db.kysely);
    return { data: rows, nextCursor: null };
  },
});

/** Reads a course by id in the tenant scope but skips the role's read scope (the policy filter). */
const unfilteredRoute = defineRoute({
  method: "get",
  path: "/test-only/unfiltered-courses/{id}",
  summary: "TEST BUILD ONLY: a course read in the academy, without the role's policy",
  tag: "test",
  auth: "academy",
  roles: ACADEMY_ROLES,
  params: IdParamsSchema,
  status: 200,
  response: LeakyCourseSchema,
  errors: [401, 403, 404, 429],
  handler: async ({ params, tenant }) => {
    const course = await tenant((trx) =>
      trx
        .selectFrom("courses")
        .select(["id", "title"])
        .where("id", "=", params.id)
        .executeTakeFirst(),
    );
    if (!course) throw new NotFoundError("Course");
    return course;
  },
});

const LOTS = {
  points: 1_000_000,
  durationSeconds: 60,
  burstPoints: 1_000_000,
  burstDurationSeconds: 10,
};

// One engine per run, drawn by the run's seed (support/sampling.ts); every engine in full matrices.
describe.each(sampleOf(ENGINES, 1, "cli isolation probe"))(
  "the isolation probe on %s",
  (engine) => {
    let t: TestApp | undefined;
    let running: RunningServer | undefined;
    afterEach(async () => {
      await running?.close();
      await t?.dispose();
      running = undefined;
      t = undefined;
    });

    async function probe(routes: readonly RouteDefinition[] = []) {
      t = await createTestApp(engine, { rateLimit: LOTS }, { routes });
      running = await startServer({ app: t.app, port: 0, handleSignals: false });
      const platform = new SkillBridge({ baseUrl: running.url, maxRetries: 0 });
      await platform.auth.login(PLATFORM_ADMIN);
      // A bank with a short SAT form's worth, so the fixtures get practice sets and mock exams.
      await platform.questions.batch({ bank: "sat", questions: practiceBank("sat") });
      const counts: [number, number][] = [];
      const result = await runIsolationProbe(platform, {
        onProgress: (done, total) => counts.push([done, total]),
      });
      const academies = await platform.academies
        .list({ deleted: "include", limit: 100 })
        .toArray({ limit: 100 });
      return { result, academies, platform, counts };
    }

    const highs = (findings: readonly AuditFinding[]) =>
      findings.filter((f) => f.severity === "high");

    // One probe of a test build with both kinds of broken route (#22: one probe, not
    // two; a probe is thousands of requests): each is caught as what it is, and
    // every route of the real server, probed beside them, gives no finding.
    it("catches routes that read outside the tenant scope and one that skips the role's policy filter, and nothing else; fixtures removed for good", async () => {
      const { result, academies, platform, counts } = await probe([
        unscopedRoute,
        unscopedListRoute,
        unfilteredRoute,
      ]);
      const found = highs(result.findings);
      expect(found).toContainEqual(
        expect.objectContaining({
          check: "probe.cross-academy",
          object: "GET /test-only/unscoped-courses/{id}",
          detail: expect.stringMatching(
            /^As student \(s1\): Served: the other academy's course c1/,
          ),
        }),
      );
      expect(found).toContainEqual(
        expect.objectContaining({
          check: "probe.cross-academy",
          object: "GET /test-only/all-courses",
          detail: expect.stringMatching(
            /^As parent \(p1\): The answer holds another academy's ids: /,
          ),
        }),
      );
      expect(found).toContainEqual(
        expect.objectContaining({
          check: "probe.role-visibility",
          object: "GET /test-only/unfiltered-courses/{id}",
          detail: expect.stringMatching(/^As student \(s1\): Served: a hidden course c2/),
        }),
      );
      // Only the broken routes are named; the policy-skipping one keeps the tenant scope.
      expect(new Set(found.map((f) => f.object))).toEqual(
        new Set([
          "GET /test-only/unscoped-courses/{id}",
          "GET /test-only/all-courses",
          "GET /test-only/unfiltered-courses/{id}",
        ]),
      );
      expect(
        found.filter(
          (f) =>
            f.object === "GET /test-only/unfiltered-courses/{id}" &&
            f.check === "probe.cross-academy",
        ),
      ).toEqual([]);
      expect(result.checks.find((c) => c.id === "probe.cross-academy")?.status).toBe("failed");
      expect(result.checks.find((c) => c.id === "probe.role-visibility")?.status).toBe("failed");

      // Every other route passed: besides the broken routes' findings, only the one route the
      // probe cannot build a request for (a multipart upload) is reported, as a low coverage
      // gap; it has HTTP tests of its own (quiz-generation).
      const uploads = result.findings.filter(
        (f) => f.check === "probe.coverage" && /multipart\/form-data/.test(f.detail),
      );
      expect(uploads.map((f) => [f.object, f.severity])).toEqual([
        ["POST /quizzes/generate", "low"],
      ]);
      expect(
        result.findings.filter(
          (f) => !uploads.includes(f) && !f.object.startsWith("GET /test-only/"),
        ),
      ).toEqual([]);
      expect(result.checks.map((c) => [c.id, c.status])).toEqual([
        ["probe.fixtures", "passed"],
        ["probe.cross-academy", "failed"],
        ["probe.role-visibility", "failed"],
        ["probe.coverage", expect.any(String)],
      ]);

      // Progress is a count: 0 of N, one step at a time, up to N of N.
      const steps = counts[0]?.[1] ?? 0;
      expect(steps).toBeGreaterThan(20);
      expect(counts.map(([done]) => done)).toEqual(Array.from({ length: steps + 1 }, (_, i) => i));
      expect(counts.every(([, of]) => of === steps)).toBe(true);

      // Every signed-in route that takes an id is probed (the three test-only ones included).
      const coverage = result.checks.find((c) => c.id === "probe.coverage")?.summary ?? "";
      const [, probed, total] =
        /^(\d+) of (\d+) signed-in routes that take an id/.exec(coverage) ?? [];
      expect(Number(probed)).toBeGreaterThan(20);
      expect(Number(probed)).toBe(Number(total) - uploads.length);
      // Left out: only public routes, and creations that take no id (nothing of another academy to name).
      const [, publicList = "", idless = ""] =
        /left out: public (.*); no id (.*)$/.exec(coverage) ?? [];
      expect(publicList.split(", ")).toEqual(
        expect.arrayContaining(["POST /auth/login", "GET /openapi.json"]),
      );
      expect(
        publicList
          .split(", ")
          .every((r) => r.startsWith("POST /auth/") || r === "GET /openapi.json"),
      ).toBe(true);
      expect(idless.split(", ")).toEqual(
        expect.arrayContaining([
          "POST /admin/academies",
          "POST /users",
          "POST /practice-sets",
          "POST /mock-exams",
        ]),
      );
      expect(idless.split(", ").every((r) => r.startsWith("POST ") && !r.includes("{"))).toBe(true);

      // Not even soft-deleted: gone, listed nowhere (deleted ones included).
      expect(academies.filter((a) => a.slug.startsWith(FIXTURE_PREFIX))).toEqual([]);
      expect(result.checks[0]?.summary).toMatch(/; 2 removed afterwards$/);
      // The impersonations the probe acted through name it in the audit log.
      const events = await platform.auditLog.list().toArray({ limit: 500 });
      const reasons = events
        .filter((e) => e.action === "impersonation.create")
        .map((e) => e.reason ?? "");
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of reasons)
        expect(reason).toMatch(/^skillbridge audit isolation --probe: /);
    });
  },
);
