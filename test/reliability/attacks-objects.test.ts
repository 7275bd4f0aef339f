import { TENANT_TABLES } from "@skillbridge/core";
import type { RouteDefinition } from "@skillbridge/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackWorld, type Caller, createAttackWorld } from "./support/attack-world.js";
import { reliabilityEnv } from "./support/env.js";
import { type Attack, runAttack } from "./support/judge.js";
import {
  attackerFor,
  gateStatus,
  hasIdParam,
  mayCall,
  ownBody,
  ownFieldId,
  ownPathId,
  pathOf,
  ROUTES,
  routeName,
} from "./support/routes.js";
import { sample, shapeOf, withLeaf } from "./support/schema-sample.js";
import { createTally } from "./support/tally.js";

// OWASP API1 (broken object level authorization) and API5 (broken function
// level authorization), end to end over a socket, driven by the route table:
// every route with an id is tried with academy B's ids of every kind (in the
// path, the query, the body, and as the parent of a nested route), with rows
// of A the caller's role may not see, by every role the route does not admit,
// and with every method it does not declare.

reliabilityEnv();
const tally = createTally("attacks-objects");
let world: AttackWorld;

beforeAll(async () => {
  world = await createAttackWorld();
});
afterAll(async () => {
  tally.save();
  await world?.close();
});

/** Sends every attack, then fails with all breaches and problems at once. */
async function expectAllRefused(attacks: readonly Attack[]): Promise<void> {
  const failures: string[] = [];
  for (const attack of attacks) {
    const verdict = await runAttack(world, tally, attack);
    const label = `${attack.caller.name}: ${attack.method} ${attack.path}`;
    for (const leak of verdict.leaks) failures.push(`LEAK ${label}: ${leak}`);
    for (const problem of verdict.problems) failures.push(`${label}: ${problem}`);
  }
  expect(failures).toEqual([]);
}

const withId = ROUTES.filter(hasIdParam);
const academyWithId = withId.filter((r) => r.auth === "academy");
const platformWithId = withId.filter((r) => r.auth === "platform");
const isNested = (route: RouteDefinition) => /\{id\}\/\w/.test(route.path);
const FOREIGN_TABLES = [...TENANT_TABLES, "academies"];

describe("academy B's ids in the path (BOLA)", () => {
  it.each(academyWithId.map((r) => [routeName(r), r] as const))(
    "%s answers 404 for an id of every kind of academy B's rows",
    async (_, route) => {
      const caller = attackerFor(world, route) as Caller;
      expect(world.foreignKinds.map((k) => k.table).sort()).toEqual([...FOREIGN_TABLES].sort());
      await expectAllRefused(
        world.foreignKinds.map(({ id }) => ({
          caller,
          method: route.method,
          path: pathOf(route, id),
          request: { body: ownBody(world, route) },
          expect: [404],
        })),
      );
    },
  );

  it.each(academyWithId.filter(isNested).map((r) => [routeName(r), r] as const))(
    "%s under academy B's parent (course or assignment) answers 404, with a valid body of A's own ids",
    async (_, route) => {
      const caller = attackerFor(world, route) as Caller;
      const parents = [world.B.courses.c1, world.B.courses.c2, world.B.assignments.a1];
      await expectAllRefused(
        parents.map((id) => ({
          caller,
          method: route.method,
          path: pathOf(route, id),
          request: { body: ownBody(world, route) },
          expect: [404],
        })),
      );
    },
  );

  it.each(platformWithId.map((r) => [routeName(r), r] as const))(
    "%s refuses an academy admin with 403 for B's academy and for its own",
    async (_, route) => {
      const caller = world.callers.admin;
      await expectAllRefused(
        [world.B.academyId, world.A.academyId].map((id) => ({
          caller,
          method: route.method,
          path: pathOf(route, id),
          request: { body: ownBody(world, route) },
          expect: [403],
        })),
      );
    },
  );
});

describe("rows of the caller's own academy its role may not see", () => {
  const roles = ["instructor", "student", "parent"] as const;
  const cases = roles.flatMap((role) =>
    academyWithId.map((route) => [`${role} on ${routeName(route)}`, role, route] as const),
  );
  it.each(cases)(
    "%s: every hidden row answers 404 (or 403 at the role gate)",
    async (_, role, route) => {
      const caller = world.callers[role];
      const expected = mayCall(route, caller) ? [404] : [403];
      await expectAllRefused(
        [...caller.hidden].map((id) => ({
          caller,
          method: route.method,
          path: pathOf(route, id),
          request: { body: ownBody(world, route) },
          expect: expected,
        })),
      );
    },
  );
});

describe("academy B's ids in query filters", () => {
  const filtered = ROUTES.filter(
    (r) =>
      r.query && r.auth === "academy" && shapeOf(r.query).leaves.some((l) => l.kind === "uuid"),
  );
  it("there are filtered lists to attack", () => {
    expect(filtered.length).toBeGreaterThan(0);
  });
  it.each(filtered.map((r) => [routeName(r), r] as const))(
    "%s never returns a row of B, whichever filter names B's rows",
    async (_, route) => {
      const fields = shapeOf(route.query as NonNullable<RouteDefinition["query"]>).leaves.filter(
        (l) => l.kind === "uuid",
      );
      const attacks: Attack[] = [];
      for (const caller of [world.callers.admin, world.callers.student]) {
        if (!mayCall(route, caller)) continue;
        for (const field of fields) {
          for (const { id } of world.foreignKinds) {
            const path = `${pathOf(route, hasIdParam(route) ? ownPathId(world, route, caller) : undefined)}?${String(field.path[0])}=${id}`;
            attacks.push({ caller, method: "get", path, expect: [200, 400, 404] });
          }
        }
      }
      await expectAllRefused(attacks);
    },
  );

  it("a student filtering submissions by another student of the same academy gets none of theirs", async () => {
    const caller = world.callers.student;
    await expectAllRefused(
      [world.A.users.s2, world.A.users.s3].map((id) => ({
        caller,
        method: "get",
        path: `/api/v1/submissions?studentId=${id}`,
        expect: [200],
      })),
    );
  });
});

describe("academy B's ids in request bodies", () => {
  // JSON bodies only: the multipart upload route answers a JSON body with 415 unread.
  const withUuidBody = ROUTES.filter(
    (r) =>
      r.body &&
      !r.upload &&
      r.auth === "academy" &&
      shapeOf(r.body).leaves.some((l) => l.kind === "uuid"),
  );
  it("there are bodies with ids to attack", () => {
    expect(withUuidBody.length).toBeGreaterThan(0);
  });
  it.each(withUuidBody.map((r) => [routeName(r), r] as const))(
    "%s refuses every id field set to any of B's rows, and writes nothing",
    async (_, route) => {
      const caller = attackerFor(world, route) as Caller;
      const body = ownBody(world, route);
      const leaves = shapeOf(route.body as NonNullable<RouteDefinition["body"]>).leaves.filter(
        (l) => l.kind === "uuid",
      );
      const attacks: Attack[] = [];
      for (const leaf of leaves) {
        for (const { id } of world.foreignKinds) {
          attacks.push({
            caller,
            method: route.method,
            path: pathOf(route, hasIdParam(route) ? ownPathId(world, route, caller) : undefined),
            request: { body: withLeaf(body, leaf.path, id) },
            expect: [400, 403, 404, 409],
            checkVictim: true,
          });
        }
      }
      await expectAllRefused(attacks);
    },
  );

  it("impersonating academy B's user under academy A's id is a 404, and mints no token", async () => {
    await expectAllRefused(
      [world.B.users.admin, world.B.users.s1].map((userId) => ({
        caller: world.callers.platformAdmin,
        method: "post",
        path: "/api/v1/admin/impersonations",
        request: { body: { academyId: world.A.academyId, userId, reason: "Cross-academy check" } },
        expect: [404],
      })),
    );
  });
});

describe("roles a route does not admit (BFLA)", () => {
  const everyone = [
    "admin",
    "instructor",
    "student",
    "parent",
    "platformAdmin",
    "contentManager",
    "anonymous",
  ] as const;
  const gated = ROUTES.filter((r) => r.auth !== "none");
  it.each(gated.map((r) => [routeName(r), r] as const))(
    "%s refuses every caller its gates do not admit, with a valid request",
    async (_, route) => {
      const refused = everyone
        .map((key) => world.callers[key])
        .filter((caller) => !mayCall(route, caller));
      await expectAllRefused(
        refused.map((caller) => ({
          caller,
          method: route.method,
          path: pathOf(
            route,
            hasIdParam(route) ? ownPathId(world, route, world.callers.admin) : undefined,
          ),
          request: { body: ownBody(world, route) },
          expect: [gateStatus(caller)],
          checkVictim: true,
        })),
      );
    },
  );
});

describe("method swaps", () => {
  const byPath = new Map<string, RouteDefinition[]>();
  for (const route of ROUTES) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  const paths = [...byPath.entries()];

  it.each(paths.map(([path, routes]) => [path, routes] as const))(
    "%s answers 405 to every method it does not declare, for an admin and a platform admin",
    async (_, routes) => {
      const first = routes[0] as RouteDefinition;
      const declared = new Set(routes.map((r) => r.method.toUpperCase()));
      if (declared.has("GET")) declared.add("HEAD");
      const attacks: Attack[] = [];
      // A literal path another route's parameter also matches (/quizzes/generate is
      // GET /quizzes/{id} with id "generate") is that route's to answer: 404 there.
      const shadowedBy = (method: string) =>
        ROUTES.some(
          (r) =>
            r.method.toUpperCase() === method &&
            r.path !== first.path &&
            new RegExp(`^${r.path.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(first.path),
        );
      for (const caller of [world.callers.admin, world.callers.platformAdmin]) {
        for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
          if (declared.has(method) || shadowedBy(method)) continue;
          attacks.push({
            caller,
            method,
            path: pathOf(first, hasIdParam(first) ? ownPathId(world, first, caller) : undefined),
            request: { body: {} },
            expect: [405],
            checkVictim: true,
          });
        }
      }
      await expectAllRefused(attacks);
    },
  );

  const gets = ROUTES.filter((r) => r.method === "get" && r.auth !== "none");
  it.each(gets.map((r) => [routeName(r), r] as const))(
    "HEAD on %s is gated like GET: 401 without a token, and no body either way",
    async (_, route) => {
      const id = hasIdParam(route) ? ownPathId(world, route, world.callers.admin) : undefined;
      await expectAllRefused([
        { caller: world.callers.anonymous, method: "head", path: pathOf(route, id), expect: [401] },
      ]);
    },
  );

  it.each(academyWithId.filter((r) => r.method === "get").map((r) => [routeName(r), r] as const))(
    "HEAD on %s answers 404 for a student's hidden rows and B's rows, as GET does",
    async (_, route) => {
      const caller = world.callers.student;
      const ids = [...caller.hidden, ...world.foreignKinds.map((k) => k.id)];
      await expectAllRefused(
        ids.map((id) => ({
          caller,
          method: "head",
          path: pathOf(route, id),
          expect: mayCall(route, caller) ? [404] : [403],
        })),
      );
    },
  );

  it.each(paths.map(([path, routes]) => [path, routes] as const))(
    "OPTIONS on %s lists methods and nothing else, without a token",
    async (_, routes) => {
      const first = routes[0] as RouteDefinition;
      const id = hasIdParam(first) ? world.B.courses.c1 : undefined;
      const attack: Attack = {
        caller: world.callers.anonymous,
        method: "options",
        path: pathOf(first, id),
        expect: [200, 204],
      };
      await expectAllRefused([attack]);
      const response = await world.http.request("OPTIONS", attack.path);
      expect(response.text).toBe("");
    },
  );

  it("a method-override header or query parameter does not turn a GET into a DELETE", async () => {
    const course = `/api/v1/courses/${world.A.courses.c1}`;
    const attacks: Attack[] = ["x-http-method-override", "x-http-method", "x-method-override"].map(
      (header) => ({
        caller: world.callers.student,
        method: "get",
        path: course,
        request: { headers: { [header]: "DELETE" } },
        expect: [200],
      }),
    );
    // A route without query parameters ignores the query string: still a GET.
    attacks.push({
      caller: world.callers.student,
      method: "get",
      path: `${course}?_method=DELETE`,
      expect: [200],
    });
    attacks.push({
      caller: world.callers.admin,
      method: "post",
      path: course,
      request: { headers: { "x-http-method-override": "DELETE" }, body: {} },
      expect: [405],
    });
    await expectAllRefused(attacks);
    const still = await world.http.request("GET", course, { token: world.callers.admin.token });
    expect(still.status).toBe(200);
  });
});

describe("the sampled requests are valid (the controls for the attacks above)", () => {
  it("every academy route with an id accepts its own sampled request from its attacker (GETs only, no writes)", async () => {
    for (const route of academyWithId.filter((r) => r.method === "get")) {
      const caller = attackerFor(world, route) as Caller;
      const response = await world.http.request(
        "GET",
        pathOf(route, ownPathId(world, route, caller)),
        { token: caller.token },
      );
      expect(response.status, routeName(route)).toBe(200);
    }
  });

  it("a sampled body with A's own ids passes validation (a 2xx, or a 409 for a repeat)", async () => {
    const route = ROUTES.find((r) => r.path === "/courses/{id}/enrollments" && r.method === "post");
    expect(route).toBeDefined();
    const r = route as RouteDefinition;
    const response = await world.http.request("POST", pathOf(r, world.A.courses.c2), {
      token: world.callers.admin.token,
      body: sample(r.body as NonNullable<RouteDefinition["body"]>, {
        uuid: (field) => ownFieldId(world, field),
      }),
    });
    expect([201, 409]).toContain(response.status);
  });
});
