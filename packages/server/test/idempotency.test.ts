import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { idempotencyScope } from "../src/idempotency/idempotency.js";
import {
  createMemoryIdempotencyStore,
  createRedisIdempotencyStore,
  type IdempotencyStore,
} from "../src/idempotency/idempotency-store.js";
import type { SkillBridgeApp } from "../src/index.js";
import {
  createPeerApp,
  createTestApp,
  ENGINES,
  requestVia,
  type TestApp,
  type TestResponse,
} from "./support/test-app.js";

// `Idempotency-Key` on POST routes (Stripe's semantics): a retried create has
// one effect and gets the first response again, marked `Idempotent-Replayed`;
// keys are scoped to the principal; 4xx are replayed, 5xx release the key;
// with Redis, every server process sees the same keys. Each test uses a fresh
// academy and random keys: Redis is shared and never flushed.

const COURSES = "/api/v1/courses";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const REPLAYED = "idempotent-replayed";

type Who = "admin" | "i1" | "s1";
const ROLE = { admin: "admin", i1: "instructor", s1: "student" } as const;

const tokenOf = (app: SkillBridgeApp, academy: SeededAcademy, who: Who) =>
  app.context.deps.tokens.sign({
    kind: "academy",
    userId: academy.users[who],
    academyId: academy.academyId,
    role: ROLE[who],
    impersonatorId: null,
  });

const keyed = (key: string) => ({ "idempotency-key": key });

/** The titles of the academy's courses (the admin sees them all). */
async function courseTitles(request: TestApp["request"], adminToken: string): Promise<string[]> {
  const response = await request("GET", `${COURSES}?limit=100`, { token: adminToken });
  expect(response.status).toBe(200);
  expect(response.body.nextCursor).toBeNull();
  return (response.body.data as { title: string }[]).map((course) => course.title);
}

const countOf = (titles: readonly string[], title: string) =>
  titles.filter((candidate) => candidate === title).length;

function expectProblem(response: TestResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code, type: `urn:skillbridge:problem:${code}` });
  expect(response.headers[REPLAYED]).toBeUndefined();
}

describe.each(ENGINES)("Idempotency-Key on POST routes, in memory (%s)", (engine) => {
  let t: TestApp;
  let request: TestApp["request"];
  const services = fastServices();
  let slugs = 0;
  const fresh = () => {
    slugs += 1;
    return seedAcademy(t.db, services, `idem-${slugs}`);
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    request = (method, path, options) => t.request(method, path, options);
  });
  afterAll(() => t.dispose());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("uses the in-memory store when no Redis URL is configured", () => {
    expect(t.app.context.deps.idempotency.backend).toBe("memory");
  });

  it("without a key, two identical creates make two courses (the control)", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const body = { title: `Plain ${randomUUID()}`, instructorId: a.users.i1 };
    const first = await request("POST", COURSES, { token, body });
    const second = await request("POST", COURSES, { token, body });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.headers[REPLAYED]).toBeUndefined();
    expect(countOf(await courseTitles(request, token), body.title)).toBe(2);
  });

  it("a create retried with the same key has one effect and answers the same status and body, marked replayed", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const body = { title: `Retried ${randomUUID()}`, instructorId: a.users.i1 };
    const first = await request("POST", COURSES, { token, body, headers: keyed(key) });
    expect(first.status).toBe(201);
    expect(first.headers[REPLAYED]).toBeUndefined();

    for (let retry = 0; retry < 2; retry += 1) {
      const again = await request("POST", COURSES, { token, body, headers: keyed(key) });
      expect(again.status).toBe(201);
      expect(again.headers[REPLAYED]).toBe("true");
      expect(String(again.headers["content-type"])).toMatch(/^application\/json/);
      expect(again.body).toEqual(first.body);
      // A replay is still rate limited like any request.
      expect(again.headers["ratelimit-limit"]).toBeDefined();
    }
    expect(countOf(await courseTitles(request, token), body.title)).toBe(1);
  });

  it("the same body with the key's fields in another order is the same request", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const title = `Reordered ${randomUUID()}`;
    const first = await request("POST", COURSES, {
      token,
      body: { title, instructorId: a.users.i1 },
      headers: keyed(key),
    });
    const again = await request("POST", COURSES, {
      token,
      body: { instructorId: a.users.i1, title },
      headers: keyed(key),
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers[REPLAYED]).toBe("true");
    expect(again.body.id).toBe(first.body.id);
  });

  it("the same key with a different body or path is a 422 idempotency_key_reused and writes nothing", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const body = { title: `Original ${randomUUID()}`, instructorId: a.users.i1 };
    const first = await request("POST", COURSES, { token, body, headers: keyed(key) });
    expect(first.status).toBe(201);

    const changed = { title: `Changed ${randomUUID()}`, instructorId: a.users.i1 };
    const reused = await request("POST", COURSES, { token, body: changed, headers: keyed(key) });
    expectProblem(reused, 422, "idempotency_key_reused");
    expect(reused.body).not.toHaveProperty("id");

    const otherRoute = await request("POST", `${COURSES}/${a.courses.c2}/enrollments`, {
      token,
      body: { studentId: a.users.s1 },
      headers: keyed(key),
    });
    expectProblem(otherRoute, 422, "idempotency_key_reused");

    // The same method and body on another path: still another request.
    const third = await request("POST", COURSES, {
      token,
      body: { title: `Third ${randomUUID()}`, instructorId: a.users.i2 },
    });
    const enrolKey = randomUUID();
    const enrol = { studentId: a.users.s2 };
    const intoC1 = await request("POST", `${COURSES}/${a.courses.c1}/enrollments`, {
      token,
      body: enrol,
      headers: keyed(enrolKey),
    });
    expect(intoC1.status).toBe(201);
    const intoThird = await request("POST", `${COURSES}/${third.body.id}/enrollments`, {
      token,
      body: enrol,
      headers: keyed(enrolKey),
    });
    expectProblem(intoThird, 422, "idempotency_key_reused");
    const thirdRoster = await request("GET", `${COURSES}/${third.body.id}/enrollments`, { token });
    expect(thirdRoster.body.data).toEqual([]);

    const titles = await courseTitles(request, token);
    expect(countOf(titles, changed.title)).toBe(0);
    expect(countOf(titles, body.title)).toBe(1);
    const roster = await request("GET", `${COURSES}/${a.courses.c2}/enrollments`, { token });
    expect(roster.body.data.map((e: { studentId: string }) => e.studentId)).not.toContain(
      a.users.s1,
    );
  });

  it("another user's identical request with the same key is independent: it creates its own course", async () => {
    const a = await fresh();
    const admin = await tokenOf(t.app, a, "admin");
    const instructor = await tokenOf(t.app, a, "i1");
    const key = randomUUID();
    // The very same request (method, path, body): only the principal differs.
    const body = { title: `Shared key ${randomUUID()}`, instructorId: a.users.i1 };
    const byAdmin = await request("POST", COURSES, { token: admin, body, headers: keyed(key) });
    const byInstructor = await request("POST", COURSES, {
      token: instructor,
      body,
      headers: keyed(key),
    });
    expect(byAdmin.status).toBe(201);
    expect(byInstructor.status).toBe(201);
    expect(byInstructor.headers[REPLAYED]).toBeUndefined();
    expect(byInstructor.body.id).not.toBe(byAdmin.body.id);
    expect(countOf(await courseTitles(request, admin), body.title)).toBe(2);

    // Each principal's retry replays its own response.
    const adminRetry = await request("POST", COURSES, { token: admin, body, headers: keyed(key) });
    const instructorRetry = await request("POST", COURSES, {
      token: instructor,
      body,
      headers: keyed(key),
    });
    expect(adminRetry.body.id).toBe(byAdmin.body.id);
    expect(instructorRetry.body.id).toBe(byInstructor.body.id);
  });

  it("another academy's same key is independent and never gets the first academy's body", async () => {
    const a = await fresh();
    const b = await fresh();
    const adminA = await tokenOf(t.app, a, "admin");
    const adminB = await tokenOf(t.app, b, "admin");
    const key = randomUUID();
    const title = `Cross ${randomUUID()}`;
    const inA = await request("POST", COURSES, {
      token: adminA,
      body: { title, instructorId: a.users.i1 },
      headers: keyed(key),
    });
    const inB = await request("POST", COURSES, {
      token: adminB,
      body: { title, instructorId: b.users.i1 },
      headers: keyed(key),
    });
    expect(inA.status).toBe(201);
    expect(inB.status).toBe(201);
    expect(inB.headers[REPLAYED]).toBeUndefined();
    expect(inB.body.id).not.toBe(inA.body.id);
    expect(inB.body.instructorId).toBe(b.users.i1);
    expect(countOf(await courseTitles(request, adminA), title)).toBe(1);
    expect(countOf(await courseTitles(request, adminB), title)).toBe(1);

    // A's identical body sent by B's admin with A's key: B's own 4xx, not A's course.
    const probe = await request("POST", COURSES, {
      token: adminB,
      body: { title, instructorId: a.users.i1 },
      headers: keyed(randomUUID()),
    });
    expect(probe.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(probe.body)).not.toContain(inA.body.id);
  });

  it("scopes keys by principal: academy, user and impersonator, or platform user", () => {
    const academy = {
      kind: "academy",
      academyId: randomUUID(),
      userId: randomUUID(),
      role: "admin",
      impersonatorId: null,
    } as const;
    const scopes = new Set([
      idempotencyScope(academy),
      idempotencyScope({ ...academy, academyId: randomUUID() }),
      idempotencyScope({ ...academy, userId: randomUUID() }),
      idempotencyScope({ ...academy, impersonatorId: randomUUID() }),
      idempotencyScope({ kind: "platform", userId: academy.userId, role: "platform_admin" }),
    ]);
    expect(scopes.size).toBe(5);
  });

  it("replays a 4xx as the same 4xx without running the handler again", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");

    // 409: s1 is already enrolled in c1 (seed).
    const key409 = randomUUID();
    const duplicate = { studentId: a.users.s1 };
    const path = `${COURSES}/${a.courses.c1}/enrollments`;
    const conflict = await request("POST", path, {
      token,
      body: duplicate,
      headers: keyed(key409),
    });
    expectProblem(conflict, 409, "conflict");
    const conflictAgain = await request("POST", path, {
      token,
      body: duplicate,
      headers: keyed(key409),
    });
    expect(conflictAgain.status).toBe(409);
    expect(conflictAgain.headers[REPLAYED]).toBe("true");
    expect(String(conflictAgain.headers["content-type"])).toMatch(/^application\/problem\+json/);
    expect(conflictAgain.body).toEqual(conflict.body);

    // 400: an unknown field.
    const key400 = randomUUID();
    const bad = { title: "x", instructorId: a.users.i1, tenantId: a.academyId };
    const invalid = await request("POST", COURSES, { token, body: bad, headers: keyed(key400) });
    expectProblem(invalid, 400, "validation_failed");
    const invalidAgain = await request("POST", COURSES, {
      token,
      body: bad,
      headers: keyed(key400),
    });
    expect(invalidAgain.status).toBe(400);
    expect(invalidAgain.headers[REPLAYED]).toBe("true");
    expect(invalidAgain.body).toEqual(invalid.body);

    // 404 that would now be a 201: the replay is the kept answer, not a re-run.
    await request("DELETE", `${COURSES}/${a.courses.c2}`, { token });
    const key404 = randomUUID();
    const enrol = { studentId: a.users.s1 };
    const target = `${COURSES}/${a.courses.c2}/enrollments`;
    const missing = await request("POST", target, { token, body: enrol, headers: keyed(key404) });
    expectProblem(missing, 404, "not_found");
    const restored = await request("POST", `${COURSES}/${a.courses.c2}/restore`, { token });
    expect(restored.status).toBe(200);
    const missingAgain = await request("POST", target, {
      token,
      body: enrol,
      headers: keyed(key404),
    });
    expect(missingAgain.status).toBe(404);
    expect(missingAgain.headers[REPLAYED]).toBe("true");
    const fresher = await request("POST", target, {
      token,
      body: enrol,
      headers: keyed(randomUUID()),
    });
    expect(fresher.status).toBe(201);
  });

  it("a 5xx is not kept: the retry runs again and creates the course once", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const body = { title: `After 500 ${randomUUID()}`, instructorId: a.users.i1 };
    vi.spyOn(t.app.context.deps.services.courses, "create").mockRejectedValueOnce(
      new Error("database fell over"),
    );
    const failed = await request("POST", COURSES, { token, body, headers: keyed(key) });
    expectProblem(failed, 500, "internal");

    const retried = await request("POST", COURSES, { token, body, headers: keyed(key) });
    expect(retried.status).toBe(201);
    expect(retried.headers[REPLAYED]).toBeUndefined();
    const replayed = await request("POST", COURSES, { token, body, headers: keyed(key) });
    expect(replayed.headers[REPLAYED]).toBe("true");
    expect(replayed.body.id).toBe(retried.body.id);
    expect(countOf(await courseTitles(request, token), body.title)).toBe(1);
  });

  it("concurrent duplicates create exactly one course; the others get 409 in progress or the replay", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const body = { title: `Concurrent ${randomUUID()}`, instructorId: a.users.i1 };
    const responses = await Promise.all(
      Array.from({ length: 4 }, () =>
        request("POST", COURSES, { token, body, headers: keyed(key) }),
      ),
    );
    const originals = responses.filter((r) => r.status === 201 && r.headers[REPLAYED] !== "true");
    expect(originals).toHaveLength(1);
    const id = originals[0]?.body.id;
    for (const response of responses) {
      if (response === originals[0]) continue;
      if (response.status === 409) {
        expectProblem(response, 409, "idempotency_key_in_progress");
        expect(response.headers["retry-after"]).toBe("1");
      } else {
        expect(response.status).toBe(201);
        expect(response.headers[REPLAYED]).toBe("true");
        expect(response.body.id).toBe(id);
      }
    }
    expect(countOf(await courseTitles(request, token), body.title)).toBe(1);
    const after = await request("POST", COURSES, { token, body, headers: keyed(key) });
    expect(after.headers[REPLAYED]).toBe("true");
    expect(after.body.id).toBe(id);
  });

  it("a duplicate while the first request is still running is a 409 idempotency_key_in_progress", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const body = { title: `Held ${randomUUID()}`, instructorId: a.users.i1 };
    const courses = t.app.context.deps.services.courses;
    const real = courses.create.bind(courses);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const spy = vi.spyOn(courses, "create").mockImplementationOnce(async (...args) => {
      await gate;
      return real(...args);
    });
    try {
      const first = request("POST", COURSES, { token, body, headers: keyed(key) });
      await vi.waitFor(() => expect(spy).toHaveBeenCalled());
      const duplicates = await Promise.all(
        Array.from({ length: 3 }, () =>
          request("POST", COURSES, { token, body, headers: keyed(key) }),
        ),
      );
      for (const duplicate of duplicates) {
        expectProblem(duplicate, 409, "idempotency_key_in_progress");
        expect(duplicate.headers["retry-after"]).toBe("1");
      }
      // A different request with the running key is still a reuse.
      const changed = await request("POST", COURSES, {
        token,
        body: { ...body, title: `${body.title} changed` },
        headers: keyed(key),
      });
      expectProblem(changed, 422, "idempotency_key_reused");
      release();
      const done = await first;
      expect(done.status).toBe(201);
      expect(spy).toHaveBeenCalledTimes(1);
      const after = await request("POST", COURSES, { token, body, headers: keyed(key) });
      expect(after.headers[REPLAYED]).toBe("true");
      expect(after.body.id).toBe(done.body.id);
    } finally {
      release();
    }
    expect(countOf(await courseTitles(request, token), body.title)).toBe(1);
  });

  it("a key that is not 1..255 printable ASCII characters is a 400 and writes nothing", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const title = `Bad key ${randomUUID()}`;
    const body = { title, instructorId: a.users.i1 };
    for (const key of ["k".repeat(300), "k".repeat(256), ""]) {
      const response = await request("POST", COURSES, { token, body, headers: keyed(key) });
      expectProblem(response, 400, "validation_failed");
      expect(response.body.errors).toEqual([
        { path: "headers.idempotency-key", message: expect.any(String) },
      ]);
    }
    expect(countOf(await courseTitles(request, token), title)).toBe(0);
    const longest = await request("POST", COURSES, {
      token,
      body,
      headers: keyed(`${"k".repeat(250)} ~!:/`),
    });
    expect(longest.status).toBe(201);
  });

  it("keys work on platform routes too: a retried academy onboarding has one effect", async () => {
    const token = await t.platformToken();
    const key = randomUUID();
    const slug = `idem-onboard-${slugs++}`;
    const body = {
      slug,
      name: "Onboarded once",
      admin: { email: "head@example.com", name: "Head", password: "head-password-1" },
    };
    const first = await request("POST", "/api/v1/admin/academies", {
      token,
      body,
      headers: keyed(key),
    });
    expect(first.status).toBe(201);
    const again = await request("POST", "/api/v1/admin/academies", {
      token,
      body,
      headers: keyed(key),
    });
    expect(again.status).toBe(201);
    expect(again.headers[REPLAYED]).toBe("true");
    expect(again.body).toEqual(first.body);
    // The slug was taken once: a new key runs the handler, which refuses it.
    const newKey = await request("POST", "/api/v1/admin/academies", {
      token,
      body,
      headers: keyed(randomUUID()),
    });
    expectProblem(newKey, 409, "conflict");
  });

  it("a replay re-checks the caller: a suspended academy gets 403, not the kept response", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const body = { title: `Suspended ${randomUUID()}`, instructorId: a.users.i1 };
    const first = await request("POST", COURSES, { token, body, headers: keyed(key) });
    expect(first.status).toBe(201);
    const platform = await t.platformToken();
    const suspend = await request("PATCH", `/api/v1/admin/academies/${a.academyId}`, {
      token: platform,
      body: { status: "suspended" },
    });
    expect(suspend.status).toBe(200);
    const again = await request("POST", COURSES, { token, body, headers: keyed(key) });
    expect(again.status).toBe(403);
    expect(again.headers[REPLAYED]).toBeUndefined();
    expect(JSON.stringify(again.body)).not.toContain(first.body.id);
  });

  it("POST /auth/login ignores the header: never kept, never validated", async () => {
    const a = await fresh();
    const login = { academy: a.slug, email: "admin@example.com", password: "admin-password-1" };
    const key = randomUUID();
    const first = await request("POST", "/api/v1/auth/login", { body: login, headers: keyed(key) });
    const second = await request("POST", "/api/v1/auth/login", {
      body: login,
      headers: keyed(key),
    });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers[REPLAYED]).toBeUndefined();
    expect(second.body.accessToken).not.toBe(first.body.accessToken);
    const wrong = await request("POST", "/api/v1/auth/login", {
      body: { ...login, password: "wrong-password-1" },
      headers: keyed(key),
    });
    expectProblem(wrong, 401, "unauthenticated");
    const longKey = await request("POST", "/api/v1/auth/login", {
      body: login,
      headers: keyed("k".repeat(300)),
    });
    expect(longKey.status).toBe(200);
  });
});

describe.each(ENGINES)("Idempotency-Key shared through Redis (%s)", (engine) => {
  let t: TestApp;
  let other: SkillBridgeApp;
  let redis: Redis;
  const services = fastServices();
  let slugs = 0;
  const fresh = () => {
    slugs += 1;
    return seedAcademy(t.db, services, `idem-redis-${slugs}`);
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { redisUrl: REDIS_URL });
    other = createPeerApp(t, { redisUrl: REDIS_URL });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await other?.closeResources();
    await redis?.quit();
    await t?.dispose();
  });

  it("uses the Redis store in both apps", () => {
    expect(t.app.context.deps.idempotency.backend).toBe("redis");
    expect(other.context.deps.idempotency.backend).toBe("redis");
  });

  it("a request to one app and its retry to another: the replay, one course", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const body = { title: `Two apps ${randomUUID()}`, instructorId: a.users.i1 };
    const first = await t.request("POST", COURSES, { token, body, headers: keyed(key) });
    expect(first.status).toBe(201);
    const stored = await redis.get(`sb:idem:academy:${a.academyId}:${a.users.admin}:self:${key}`);
    expect(stored).toContain(first.body.id);
    expect(
      await redis.pttl(`sb:idem:academy:${a.academyId}:${a.users.admin}:self:${key}`),
    ).toBeGreaterThan(23 * 3600 * 1000);

    const retry = await requestVia(other)("POST", COURSES, { token, body, headers: keyed(key) });
    expect(retry.status).toBe(201);
    expect(retry.headers[REPLAYED]).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(countOf(await courseTitles(requestVia(other), token), body.title)).toBe(1);

    const reused = await requestVia(other)("POST", COURSES, {
      token,
      body: { ...body, title: `${body.title} changed` },
      headers: keyed(key),
    });
    expectProblem(reused, 422, "idempotency_key_reused");
  });

  it("a request still running in one app is a 409 in the other", async () => {
    const a = await fresh();
    const token = await tokenOf(t.app, a, "admin");
    const key = randomUUID();
    const body = { title: `Running ${randomUUID()}`, instructorId: a.users.i1 };
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const real = t.app.context.deps.services.courses.create.bind(
      t.app.context.deps.services.courses,
    );
    const spy = vi
      .spyOn(t.app.context.deps.services.courses, "create")
      .mockImplementationOnce(async (...args) => {
        await gate;
        return real(...args);
      });
    try {
      const first = t.request("POST", COURSES, { token, body, headers: keyed(key) });
      await vi.waitFor(() => expect(spy).toHaveBeenCalled());
      const meanwhile = await requestVia(other)("POST", COURSES, {
        token,
        body,
        headers: keyed(key),
      });
      expectProblem(meanwhile, 409, "idempotency_key_in_progress");
      release();
      expect((await first).status).toBe(201);
    } finally {
      release();
      spy.mockRestore();
    }
    const after = await requestVia(other)("POST", COURSES, { token, body, headers: keyed(key) });
    expect(after.headers[REPLAYED]).toBe("true");
    expect(countOf(await courseTitles(requestVia(other), token), body.title)).toBe(1);
  });

  it("an unreachable Redis is a 503 idempotency_unavailable for keyed requests only", async () => {
    const a = await fresh();
    const down = createPeerApp(t, { redisUrl: "redis://127.0.0.1:1" });
    try {
      const token = await tokenOf(down, a, "admin");
      const call = requestVia(down);
      const title = `Redis down ${randomUUID()}`;
      const body = { title, instructorId: a.users.i1 };
      const keyedCall = await call("POST", COURSES, { token, body, headers: keyed(randomUUID()) });
      expectProblem(keyedCall, 503, "idempotency_unavailable");
      expect(countOf(await courseTitles(call, token), title)).toBe(0);
      const plain = await call("POST", COURSES, { token, body });
      expect(plain.status).toBe(201);
    } finally {
      await down.closeResources();
    }
  });
});

describe("idempotency stores", () => {
  const stores: [string, () => IdempotencyStore][] = [
    ["memory", () => createMemoryIdempotencyStore()],
    ["redis", () => createRedisIdempotencyStore(REDIS_URL)],
  ];

  describe.each(stores)("%s", (_name, make) => {
    let store: IdempotencyStore;
    beforeAll(() => {
      store = make();
    });
    afterAll(() => store.close());

    const response = { status: 201, type: "application/json", body: { id: "x" } };

    it("claims a key once; the second caller sees it in progress, then done", async () => {
      const key = `test:${randomUUID()}`;
      const first = await store.begin(key, "f1", 10_000);
      expect(first.claimed).toBe(true);
      const second = await store.begin(key, "f1", 10_000);
      expect(second).toEqual({
        claimed: false,
        entry: { state: "in_progress", fingerprint: "f1" },
      });
      if (!first.claimed) throw new Error("unreachable");
      await store.complete(first.claim, response, 10_000);
      expect(await store.begin(key, "f2", 10_000)).toEqual({
        claimed: false,
        entry: { state: "done", fingerprint: "f1", response },
      });
    });

    it("a released key can be claimed again; a lost claim cannot complete or release", async () => {
      const key = `test:${randomUUID()}`;
      const first = await store.begin(key, "f1", 10_000);
      if (!first.claimed) throw new Error("expected a claim");
      await store.release(first.claim);
      const second = await store.begin(key, "f1", 10_000);
      if (!second.claimed) throw new Error("expected a claim after release");
      // The first holder's claim is stale: it must not touch the new holder's entry.
      await store.complete(first.claim, response, 10_000);
      await store.release(first.claim);
      expect(await store.begin(key, "f1", 10_000)).toEqual({
        claimed: false,
        entry: { state: "in_progress", fingerprint: "f1" },
      });
    });

    it("entries expire", async () => {
      const key = `test:${randomUUID()}`;
      const first = await store.begin(key, "f1", 10_000);
      if (!first.claimed) throw new Error("expected a claim");
      await store.complete(first.claim, response, 50);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect((await store.begin(key, "f1", 10_000)).claimed).toBe(true);
    });
  });
});
