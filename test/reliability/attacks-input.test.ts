import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import type { RouteDefinition } from "@skillbridge/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AttackWorld, type Caller, createAttackWorld } from "./support/attack-world.js";
import { reliabilityEnv } from "./support/env.js";
import { HttpClient } from "./support/http.js";
import { type Attack, runAttack } from "./support/judge.js";
import {
  attackerFor,
  hasIdParam,
  mayCall,
  ownBody,
  ownPathId,
  pathOf,
  ROUTES,
  routeName,
} from "./support/routes.js";
import { leafAt, shapeOf, withLeaf } from "./support/schema-sample.js";
import { createTally } from "./support/tally.js";

// OWASP API3 (object property level: mass assignment, excessive exposure),
// API4 (resource consumption: huge, deep and compressed bodies, page sizes,
// cursors), API8 (misconfiguration) and injection: SQL metacharacters in every
// string field of every body, in sort keys, filters and paths; tenant hints in
// headers, query and body; and the unique-constraint oracle.

reliabilityEnv();
const tally = createTally("attacks-input");
let world: AttackWorld;

beforeAll(async () => {
  world = await createAttackWorld();
});
afterAll(async () => {
  tally.save();
  await world?.close();
});

/** Writes `request` on a fresh socket and returns everything the server sends before closing. */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let data = "";
    const socket = connect(Number(port), hostname, () => socket.write(request));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      data += chunk;
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve(data));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

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

// JSON bodies only: a multipart upload route (POST /quizzes/generate) answers any
// JSON body with 415 before reading it; its own attacks (oversized, corrupt,
// mislabelled and bomb files) are in packages/server/test/quiz-generation.test.ts.
const withBody = ROUTES.filter((r) => r.body).filter((r) => !r.upload);
const lists = ROUTES.filter((r) => r.method === "get" && r.query);
const caller = (route: RouteDefinition): Caller =>
  route.auth === "none" ? world.callers.anonymous : (attackerFor(world, route) as Caller);
const ownPath = (route: RouteDefinition, who: Caller = caller(route)) =>
  pathOf(route, hasIdParam(route) ? ownPathId(world, route, who) : undefined);

// ─── API3: mass assignment ───────────────────────────────────────────────────

describe("mass assignment (API3)", () => {
  const forbidden = (): Record<string, unknown> => ({
    role: "admin",
    tenantId: world.B.academyId,
    tenant_id: world.B.academyId,
    academyId: world.B.academyId,
    id: randomUUID(),
    passwordHash: "scrypt$1024$8$1$c2FsdA$aGFzaA",
    password_hash: "scrypt$1024$8$1$c2FsdA$aGFzaA",
    createdAt: "2000-01-01T00:00:00.000Z",
    deletedAt: null,
    status: "active",
    isAdmin: true,
  });

  it.each(withBody.map((r) => [routeName(r), r] as const))(
    "%s refuses every undeclared privileged field with 400, and writes nothing",
    async (_, route) => {
      const declared = shapeOf(route.body as NonNullable<RouteDefinition["body"]>).keys;
      const who = caller(route);
      const attacks: Attack[] = Object.entries(forbidden())
        .filter(([field]) => !declared.has(field))
        .map(([field, value]) => ({
          caller: who,
          method: route.method,
          path: ownPath(route, who),
          request: { body: { ...(ownBody(world, route) as object), [field]: value } },
          expect: [400],
          checkOwn: who.academyId !== null,
        }));
      expect(attacks.length).toBeGreaterThan(0);
      await expectAllRefused(attacks);
    },
  );

  it("a student cannot make themself admin through PATCH /users/:id, and stays a student", async () => {
    const student = world.callers.student;
    await expectAllRefused(
      [
        { role: "admin" },
        { name: "Still me", role: "admin" },
        { academyId: world.B.academyId },
      ].map((body) => ({
        caller: student,
        method: "patch",
        path: `/api/v1/users/${world.A.users.s1}`,
        request: { body },
        expect: [400],
        checkOwn: true,
      })),
    );
    const me = await world.http.request("GET", "/api/v1/me", { token: student.token });
    expect(me.body.user.role).toBe("student");
  });

  it("an instructor cannot hand their course to another instructor, nor create one for them", async () => {
    const instructor = world.callers.instructor;
    await expectAllRefused([
      {
        caller: instructor,
        method: "patch",
        path: `/api/v1/courses/${world.A.courses.c1}`,
        request: { body: { instructorId: world.A.users.i2 } },
        expect: [403],
        checkOwn: true,
      },
      {
        caller: instructor,
        method: "post",
        path: "/api/v1/courses",
        request: { body: { title: "For someone else", instructorId: world.A.users.i2 } },
        expect: [403],
        checkOwn: true,
      },
    ]);
  });
});

// ─── API4: resource consumption ──────────────────────────────────────────────

describe("oversized, deep and compressed bodies (API4)", () => {
  const limit = () => world.server.config.bodyLimitBytes;
  const json = (rawBody: string | Buffer, extra: Record<string, string> = {}) => ({
    rawBody,
    headers: { "content-type": "application/json", ...extra },
  });

  it.each(withBody.map((r) => [routeName(r), r] as const))(
    "%s answers 413 to a body over the limit and 400 to JSON nested 100,000 deep, writing nothing",
    async (_, route) => {
      const who = caller(route);
      const path = ownPath(route, who);
      const deep = 60_000;
      await expectAllRefused([
        {
          caller: who,
          method: route.method,
          path,
          // A route may allow more than the server's default (the question batch: 8 MiB).
          request: json(
            JSON.stringify({ title: "x".repeat((route.bodyLimitBytes ?? limit()) + 1024) }),
          ),
          expect: [413],
          checkOwn: who.academyId !== null,
        },
        {
          caller: who,
          method: route.method,
          path,
          request: json(`${"[".repeat(deep)}${"]".repeat(deep)}`),
          expect: [400],
          checkOwn: who.academyId !== null,
        },
        {
          caller: who,
          method: route.method,
          path,
          request: json(`${'{"a":'.repeat(deep / 2)}1${"}".repeat(deep / 2)}`),
          expect: [400, 413],
          checkOwn: who.academyId !== null,
        },
      ]);
    },
  );

  it("a body streamed without Content-Length past the limit is a 413", async () => {
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(16 * 1024, 0x61));
    // A connection of its own: the server stops reading mid-upload and closes it.
    const client = new HttpClient(world.server.url, { connections: 1 });
    try {
      const response = await client.request("POST", "/api/v1/courses", {
        token: world.callers.admin.token,
        rawBody: Readable.from(chunks) as unknown as Buffer,
        headers: { "content-type": "application/json" },
      });
      tally.attacks += 1;
      tally.requests += 1;
      expect(response.status).toBe(413);
    } finally {
      await client.close();
    }
  });

  it("a gzip bomb (a few KB inflating to megabytes) is a 413; a wide object of 20,000 keys a 400", async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ title: "z".repeat(8 * 1024 * 1024) })));
    expect(bomb.length).toBeLessThan(16 * 1024);
    const wide = JSON.stringify(
      Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, 1])),
    );
    expect(Buffer.byteLength(wide)).toBeLessThan(limit());
    await expectAllRefused([
      {
        caller: world.callers.admin,
        method: "post",
        path: "/api/v1/courses",
        request: json(bomb, { "content-encoding": "gzip" }),
        expect: [413],
        checkOwn: true,
      },
      {
        caller: world.callers.admin,
        method: "post",
        path: "/api/v1/courses",
        request: json(wide),
        expect: [400],
        checkOwn: true,
      },
    ]);
  });

  it("a 20,000-character URL is refused before routing, and a thousand query keys are a 400", async () => {
    // Node refuses an over-long request head itself (431) and closes the
    // connection; a raw socket sees exactly what it sends back.
    const head = await rawExchange(
      world.server.url,
      `GET /api/v1/courses?cursor=${"a".repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${world.callers.admin.token}\r\nConnection: close\r\n\r\n`,
    );
    tally.attacks += 1;
    tally.requests += 1;
    expect(head).toMatch(/^(HTTP\/1\.1 (431|414|400) |$)/);
    expect(head).not.toMatch(/^HTTP\/1\.1 2/);
    await expectAllRefused([
      {
        caller: world.callers.admin,
        method: "get",
        path: `/api/v1/courses?${Array.from({ length: 1000 }, (_, i) => `k${i}=1`).join("&")}`,
        expect: [400],
      },
    ]);
  });
});

describe("CPU-bound text (API4): one message must not stall every academy", () => {
  // #18 finding 1: 1,600 characters of "4-4-…" to a student's own tutor
  // session took 29 s, and another academy's GET /me waited 28.7 s behind it.
  it("a 4,000-character 4-4-4… tutor message costs about what an ordinary one does, and B's GET /me is not held behind it", async () => {
    const student = world.callers.student;
    const timed = async (run: () => Promise<{ status: number }>) => {
      const began = performance.now();
      const res = await run();
      return { ms: performance.now() - began, status: res.status };
    };
    const opened = await world.http.request("POST", "/api/v1/tutor-sessions", {
      token: student.token,
      body: { assignmentId: world.A.assignments.a1 },
    });
    expect(opened.status).toBe(201);
    const say = (content: string) =>
      world.http.request(
        "POST",
        `/api/v1/tutor-sessions/${String((opened.body as { id: string }).id)}/messages`,
        {
          token: student.token,
          body: { content },
        },
      );
    const me = () =>
      world.http.request("GET", "/api/v1/me", { token: world.callers.victimAdmin.token });
    const ordinary = "Could you help me see where to start with this one? "
      .repeat(77)
      .slice(0, 4_000);
    const attack = "4-".repeat(2_000);
    let quiet = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) quiet = Math.min(quiet, (await timed(() => say(ordinary))).ms);
    const meAlone = Math.min(
      ...(await Promise.all([1, 2, 3].map(() => timed(me)))).map((r) => r.ms),
    );
    const [hit, ...meDuring] = await Promise.all([timed(() => say(attack)), timed(me), timed(me)]);
    tally.attacks += 1;
    tally.requests += 9;
    expect(hit?.status).toBe(200);
    // Ratios, not times: the stall this replays was about 600 times an ordinary request.
    expect((hit?.ms ?? 0) / quiet).toBeLessThan(10);
    for (const r of meDuring) {
      expect(r.status).toBe(200);
      expect(r.ms / Math.max(meAlone, quiet)).toBeLessThan(10);
    }
  });
});

describe("page sizes (API4)", () => {
  const cases: [string, string, number[], number][] = [
    ["1e9", "1e9", [200], 100],
    ["1000000000", "1000000000", [200], 100],
    ["negative", "-5", [200], 1],
    ["zero", "0", [200], 1],
    ["fractional", "1.5", [400], 0],
    ["not a number", "abc", [400], 0],
    ["NaN", "NaN", [400], 0],
    ["Infinity", "Infinity", [400], 0],
    // Number("0x10") is 16: an integer, so it is clamped like any other.
    ["hexadecimal", "0x10", [200], 16],
    ["empty", "", [400], 0],
    ["SQL", "1;select+pg_sleep(5)", [400], 0],
    ["repeated", "10&limit=20", [400], 0],
  ];
  it.each(lists.map((r) => [routeName(r), r] as const))(
    "%s clamps integer limits to 1..100 and refuses the rest with 400",
    async (_, route) => {
      const who = caller(route);
      const failures: string[] = [];
      for (const [name, value, statuses, most] of cases) {
        const verdict = await runAttack(world, tally, {
          caller: who,
          method: "get",
          path: `${ownPath(route, who)}?limit=${value}`,
          expect: statuses,
        });
        failures.push(...verdict.leaks.map((l) => `LEAK limit ${name}: ${l}`));
        failures.push(...verdict.problems.map((p) => `limit ${name}: ${p}`));
        if (verdict.response.status === 200 && verdict.response.body.data.length > most)
          failures.push(
            `limit ${name}: ${verdict.response.body.data.length} rows, more than ${most}`,
          );
      }
      expect(failures).toEqual([]);
    },
  );
});

describe("forged cursors (API4, API1)", () => {
  it.each(lists.map((r) => [routeName(r), r] as const))(
    "%s refuses forged, tampered, foreign-list and oversized cursors with 400",
    async (_, route) => {
      const who = caller(route);
      const path = ownPath(route, who);
      const page = await world.http.request("GET", `${path}?limit=1`, { token: who.token });
      const real: string | null = page.body?.nextCursor ?? null;
      const forged = [
        "Zm9vLmJhcg",
        "eyJhIjoxfQ.c2ln",
        "' OR 1=1 --",
        "a.b.c",
        Buffer.from(JSON.stringify(["courses", "2000-01-01 00:00:00+00", randomUUID()])).toString(
          "base64url",
        ),
        "x".repeat(600),
      ];
      if (real) {
        const [payload, signature] = real.split(".");
        const decoded = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8"));
        decoded[2] = world.B.courses.c1;
        forged.push(`${Buffer.from(JSON.stringify(decoded)).toString("base64url")}.${signature}`);
      }
      await expectAllRefused(
        forged.map((cursor) => ({
          caller: who,
          method: "get",
          path: `${path}?cursor=${encodeURIComponent(cursor)}`,
          expect: [400],
        })),
      );
    },
  );

  it("academy B's own valid cursor, replayed by A's admin, shows A's rows only", async () => {
    const victim = await world.http.request("GET", "/api/v1/courses?limit=1", {
      token: world.callers.victimAdmin.token,
    });
    expect(victim.body.nextCursor).toEqual(expect.any(String));
    await expectAllRefused([
      {
        caller: world.callers.admin,
        method: "get",
        path: `/api/v1/courses?cursor=${encodeURIComponent(victim.body.nextCursor)}`,
        expect: [200],
      },
      {
        caller: world.callers.student,
        method: "get",
        path: `/api/v1/courses?cursor=${encodeURIComponent(victim.body.nextCursor)}`,
        expect: [200],
      },
    ]);
  });

  it("a cursor of the users list replayed on the courses list is a 400", async () => {
    const users = await world.http.request("GET", "/api/v1/users?limit=1", {
      token: world.callers.admin.token,
    });
    await expectAllRefused([
      {
        caller: world.callers.admin,
        method: "get",
        path: `/api/v1/courses?cursor=${encodeURIComponent(users.body.nextCursor)}`,
        expect: [400],
      },
    ]);
  });
});

// ─── injection ───────────────────────────────────────────────────────────────

const SQL_PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '"); DELETE FROM courses WHERE (1=1',
  "\\'; SELECT pg_sleep(10); --",
  "$$; SELECT set_config('app.tenant_id', '00000000-0000-4000-8000-000000000000', false); $$",
  "%' OR tenant_id IS NOT NULL --",
  "x' UNION SELECT password_hash, tenant_id::text FROM users --",
];

describe("SQL metacharacters (injection)", () => {
  const textLeaves = (route: RouteDefinition) =>
    shapeOf(route.body as NonNullable<RouteDefinition["body"]>).leaves.filter((l) =>
      ["text", "slug", "email"].includes(l.kind),
    );
  const injectable = withBody.filter((r) => textLeaves(r).length > 0);

  it.each(injectable.map((r) => [routeName(r), r] as const))(
    "%s stores or refuses SQL in every string field, never runs it, and gives back what it stored",
    async (_, route) => {
      const who = caller(route);
      const failures: string[] = [];
      for (const leaf of textLeaves(route)) {
        for (const payload of SQL_PAYLOADS) {
          const body = withLeaf(ownBody(world, route), leaf.path, payload);
          const verdict = await runAttack(world, tally, {
            caller: who,
            method: route.method,
            path: ownPath(route, who),
            request: { body },
            expect: [200, 201, 204, 400, 401, 403, 404, 409],
          });
          const label = `${leaf.path.join(".")} = ${payload}`;
          failures.push(...verdict.leaks.map((l) => `LEAK ${label}: ${l}`));
          failures.push(...verdict.problems.map((p) => `${label}: ${p}`));
          const echoed = leafAt(verdict.response.body, leaf.path);
          if (
            verdict.response.status < 300 &&
            typeof echoed === "string" &&
            echoed !== payload.trim()
          )
            failures.push(`${label}: stored as ${JSON.stringify(echoed)}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it.each(lists.map((r) => [routeName(r), r] as const))(
    "%s refuses sort keys and SQL in filters with 400",
    async (_, route) => {
      const who = caller(route);
      const path = ownPath(route, who);
      const queries = [
        "sort=name;DROP TABLE users",
        "order=created_at desc, (select password_hash from users limit 1)",
        "orderBy=1",
        "sort_by=tenant_id",
        "limit=10&sort=id",
        ...shapeOf(route.query as NonNullable<RouteDefinition["query"]>)
          .leaves.filter((l) => l.kind === "uuid" || l.kind === "enum")
          .map((l) => `${String(l.path[0])}=${encodeURIComponent("' OR '1'='1")}`),
      ];
      await expectAllRefused(
        queries.map((query) => ({
          caller: who,
          method: "get",
          path: `${path}?${query
            .split("&")
            .map((p) => p.replace(/ /g, "+"))
            .join("&")}`,
          expect: [400],
        })),
      );
    },
  );

  it("SQL in a path id is a 404, for every route with an id", async () => {
    const attacks: Attack[] = [];
    for (const route of ROUTES.filter(hasIdParam)) {
      const who = caller(route);
      for (const id of [
        "1' OR '1'='1",
        "1;DROP TABLE users",
        "00000000-0000-4000-8000-000000000000' --",
      ]) {
        attacks.push({
          caller: who,
          method: route.method,
          path: pathOf(route, id),
          request: { body: ownBody(world, route) },
          expect: route.auth === "platform" && who.academyId !== null ? [403] : [404],
          checkOwn: who.academyId !== null,
        });
      }
    }
    await expectAllRefused(attacks);
  });

  it("after all of it, every table is still there and academy A still has its seeded rows", async () => {
    const response = await world.http.request("GET", `/api/v1/courses/${world.A.courses.c1}`, {
      token: world.callers.admin.token,
    });
    expect(response.status).toBe(200);
    const users = await world.http.request("GET", "/api/v1/users?limit=100", {
      token: world.callers.admin.token,
    });
    expect(users.body.data.map((u: { id: string }) => u.id)).toContain(world.A.users.i1);
  });
});

// ─── tenant hints ────────────────────────────────────────────────────────────

describe("tenant hints in headers, query and body", () => {
  const hintHeaders = () => ({
    "x-tenant-id": world.B.academyId,
    "x-academy-id": world.B.academyId,
    "x-academy": "south",
    "x-tenant": "south",
    "x-forwarded-host": "south.skillbridge.example",
    "x-original-url": `/api/v1/courses/${world.B.courses.c1}`,
    "x-rewrite-url": `/api/v1/courses/${world.B.courses.c1}`,
    cookie: `token=${world.callers.victimAdmin.token}; academy=south`,
  });

  it("headers naming academy B are ignored: A's callers still see A, and write to A", async () => {
    const attacks: Attack[] = [];
    for (const who of [world.callers.admin, world.callers.student, world.callers.parent]) {
      for (const path of ["/api/v1/courses", "/api/v1/users", "/api/v1/submissions", "/api/v1/me"])
        attacks.push({
          caller: who,
          method: "get",
          path,
          request: { headers: hintHeaders() },
          expect: [200],
        });
      attacks.push({
        caller: who,
        method: "get",
        path: `/api/v1/courses/${world.B.courses.c1}`,
        request: { headers: hintHeaders() },
        expect: [404],
      });
    }
    attacks.push({
      caller: world.callers.admin,
      method: "post",
      path: "/api/v1/courses",
      request: {
        headers: hintHeaders(),
        body: { title: "Hinted course", instructorId: world.A.users.i1 },
      },
      expect: [201],
      checkVictim: true,
    });
    attacks.push({
      caller: world.callers.platformAdmin,
      method: "get",
      path: "/api/v1/courses",
      request: { headers: hintHeaders() },
      expect: [403],
    });
    await expectAllRefused(attacks);
  });

  it.each(lists.filter((r) => r.auth === "academy").map((r) => [routeName(r), r] as const))(
    "%s refuses academy, tenant and slug query parameters with 400",
    async (_, route) => {
      const who = caller(route);
      await expectAllRefused(
        [
          `academyId=${world.B.academyId}`,
          `tenantId=${world.B.academyId}`,
          `tenant_id=${world.B.academyId}`,
          "academy=south",
        ].map((query) => ({
          caller: who,
          method: "get",
          path: `${ownPath(route, who)}?${query}`,
          expect: [400],
        })),
      );
    },
  );
});

// ─── oracles ─────────────────────────────────────────────────────────────────

describe("oracles: what a refusal reveals", () => {
  it("an email taken only in academy B is free in A: create and rename succeed, nothing hints at B", async () => {
    const taken = await world.http.request("POST", "/api/v1/users", {
      token: world.callers.victimAdmin.token,
      body: {
        email: "only-in-south@example.com",
        name: "South Only",
        role: "student",
        password: "south-only-pw-1",
      },
    });
    expect(taken.status).toBe(201);
    const other = await world.http.request("POST", "/api/v1/users", {
      token: world.callers.victimAdmin.token,
      body: {
        email: "also-south@example.com",
        name: "South Too",
        role: "student",
        password: "south-too-pw-1",
      },
    });
    expect(other.status).toBe(201);
    await world.index.refresh();
    await expectAllRefused([
      {
        caller: world.callers.admin,
        method: "post",
        path: "/api/v1/users",
        request: {
          body: {
            email: "only-in-south@example.com",
            name: "North Twin",
            role: "student",
            password: "north-twin-pw-1",
          },
        },
        expect: [201],
        checkVictim: true,
      },
      {
        caller: world.callers.admin,
        method: "patch",
        path: `/api/v1/users/${world.A.users.s3}`,
        request: { body: { email: "also-south@example.com" } },
        expect: [200],
        checkVictim: true,
      },
      {
        caller: world.callers.anonymous,
        method: "post",
        path: "/api/v1/auth/login",
        request: {
          body: {
            academy: "north",
            email: "only-in-south@example.com",
            password: "south-only-pw-1",
          },
        },
        expect: [401],
      },
    ]);
  });

  it("a duplicate inside A is a 409 that names nothing of another academy", async () => {
    const verdict = await runAttack(world, tally, {
      caller: world.callers.admin,
      method: "post",
      path: "/api/v1/users",
      request: {
        body: { email: "i1@example.com", name: "Dup", role: "student", password: "dup-password-1" },
      },
      expect: [409],
    });
    expect(verdict.leaks).toEqual([]);
    expect(verdict.problems).toEqual([]);
    expect(verdict.response.text).not.toMatch(/south|tenant|constraint|unique|key \(/i);
  });

  it.each(
    ROUTES.filter((r) => hasIdParam(r) && r.auth === "academy").map(
      (r) => [routeName(r), r] as const,
    ),
  )(
    "%s answers B's ids exactly as ids that exist nowhere (no existence oracle)",
    async (_, route) => {
      const who = attackerFor(world, route) as Caller;
      const body = ownBody(world, route);
      const strip = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, "<id>");
      const answer = async (id: string) => {
        const verdict = await runAttack(world, tally, {
          caller: who,
          method: route.method,
          path: pathOf(route, id),
          request: { body },
          expect: [404],
        });
        expect(verdict.leaks).toEqual([]);
        return `${verdict.response.status} ${strip(verdict.response.text)}`;
      };
      const nowhere = await answer(randomUUID());
      for (const { id } of world.foreignKinds) expect(await answer(id)).toBe(nowhere);
    },
  );

  it("enrolling B's student and a student that exists nowhere give the same answer", async () => {
    const answers = [];
    for (const studentId of [world.B.users.s1, randomUUID()]) {
      const verdict = await runAttack(world, tally, {
        caller: world.callers.admin,
        method: "post",
        path: `/api/v1/courses/${world.A.courses.c1}/enrollments`,
        request: { body: { studentId } },
        expect: [400],
      });
      expect(verdict.leaks).toEqual([]);
      answers.push(verdict.response.text);
    }
    expect(answers[0]).toBe(answers[1]);
  });
});

// ─── API8: misconfiguration ──────────────────────────────────────────────────

describe("misconfiguration (API8)", () => {
  it("no response names the framework, allows any origin, or lives outside /api/v1", async () => {
    const attacks: Attack[] = [
      "/api/v0/courses",
      "/api/v2/courses",
      "/api/courses",
      "/api/v1/../../etc/passwd",
      "/api/v1/courses/..%2F..%2Fetc%2Fpasswd",
      "/api/v1/admin/../courses",
      "/.env",
      "/api/v1/openapi.json/../admin/academies",
    ].map((path) => ({
      caller: world.callers.admin,
      method: "get",
      path,
      // Dot segments are resolved before the request leaves (as any client
      // does): what reaches the server is a plain path, answered on its merits.
      expect: path.includes("/../") ? [200, 403, 404] : [404],
    }));
    await expectAllRefused(attacks);
    for (const path of ["/api/v1/courses", "/health", "/api/v1/nowhere"]) {
      const response = await world.http.request("GET", path, {
        token: world.callers.admin.token,
        headers: { origin: "https://evil.example" },
      });
      expect(response.headers["x-powered-by"]).toBeUndefined();
      expect(response.headers["access-control-allow-origin"]).toBeUndefined();
      expect(response.headers.server).toBeUndefined();
    }
  });

  it("a wrong content type, broken JSON and a NUL byte are 400s without internals", async () => {
    await expectAllRefused([
      {
        caller: world.callers.admin,
        method: "post",
        path: "/api/v1/courses",
        request: {
          rawBody: "title=x",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        },
        expect: [400],
        checkOwn: true,
      },
      {
        caller: world.callers.admin,
        method: "post",
        path: "/api/v1/courses",
        request: { rawBody: '{"title": "x", ', headers: { "content-type": "application/json" } },
        expect: [400],
        checkOwn: true,
      },
      {
        caller: world.callers.admin,
        method: "post",
        path: "/api/v1/courses",
        request: { body: { title: "nul\u0000byte", instructorId: world.A.users.i1 } },
        expect: [400],
        checkOwn: true,
      },
    ]);
  });

  it("every route refuses a caller without a token (except the public ones)", async () => {
    await expectAllRefused(
      ROUTES.filter((r) => !mayCall(r, world.callers.anonymous)).map((route) => ({
        caller: world.callers.anonymous,
        method: route.method,
        path: ownPath(route, world.callers.admin),
        request: { body: ownBody(world, route) },
        expect: [401],
        checkOwn: true,
      })),
    );
  });
});
