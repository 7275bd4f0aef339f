import { randomBytes, randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { openDatabase, UnsafeDatabaseError } from "@skillbridge/core";
import Koa from "koa";
import { sql } from "kysely";
import { inject } from "light-my-request";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createServer, serverConfig } from "../src/index.js";
import { MAX_JSON_DEPTH } from "../src/middleware/json-body.js";
import { problemDetails } from "../src/middleware/problem-details.js";
import { requestId } from "../src/middleware/request-id.js";
import {
  createTestApp,
  ENGINES,
  TEST_SECRET,
  type TestApp,
  type TestResponse,
} from "./support/test-app.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADMIN_LOGIN = { email: "admin@example.com", password: "admin-password-1" };

/** An RFC 9457 document with every field API.md promises, and the request id header. */
function expectProblem(response: TestResponse, status: number, code?: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: expect.stringMatching(/\S/),
    title: expect.stringMatching(/\S/),
    status,
    detail: expect.stringMatching(/\S/),
    code: code ?? expect.stringMatching(/\S/),
  });
  expect(response.headers["x-request-id"]).toEqual(expect.stringMatching(/\S/));
}

/** No stack frame, no file path, no SQL: what a 500 (or any error) must never carry. */
function expectNothingInternal(raw: string, secrets: readonly string[] = []): void {
  expect(raw).not.toMatch(/\bat /);
  expect(raw).not.toMatch(/\.(ts|js|mjs):\d+/);
  expect(raw).not.toMatch(/node_modules|node:internal/);
  expect(raw).not.toMatch(/\b(select|insert|update|delete)\b.*\b(from|into|set)\b/i);
  for (const secret of secrets) expect(raw).not.toContain(secret);
}

/** A value `depth` levels deep: `{"n":{"n":…1}}`. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { n: value };
  return value;
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * Changes one base64url character by flipping its highest bit, which is always
 * a used bit (only low bits of a last character can be padding), so the
 * decoded bytes really change.
 */
function flipChar(text: string, index: number): string {
  const value = BASE64URL.indexOf(text[index] ?? "");
  if (value < 0) throw new Error(`no base64url character at ${index}`);
  return `${text.slice(0, index)}${BASE64URL[value ^ 32]}${text.slice(index + 1)}`;
}

describe.each(ENGINES)("problem documents and request hygiene on %s", (engine) => {
  let t: TestApp;
  let alpha: SeededAcademy;
  let beta: SeededAcademy;
  let admin: string;
  let betaAdmin: string;
  let student: string;
  let instructor: string;

  const sign = (academy: SeededAcademy, user: keyof SeededAcademy["users"]) =>
    t.app.context.deps.tokens.sign({
      kind: "academy",
      userId: academy.users[user],
      academyId: academy.academyId,
      role: academy.actor(user).role,
      impersonatorId: null,
    });

  const courseCount = async (token: string) =>
    (await t.request("GET", "/api/v1/courses?limit=100", { token })).body.data.length as number;

  beforeAll(async () => {
    t = await createTestApp(engine, { bodyLimitBytes: 1024 });
    alpha = await seedAcademy(t.db, fastServices(), "alpha");
    beta = await seedAcademy(t.db, fastServices(), "beta");
    admin = await t.login({ academy: "alpha", ...ADMIN_LOGIN });
    betaAdmin = await sign(beta, "admin");
    student = await sign(alpha, "s1");
    instructor = await sign(alpha, "i1");
  });

  afterAll(async () => {
    await t?.dispose();
  });

  describe("every error is a problem document", () => {
    const cases: readonly (readonly [string, number, () => Promise<TestResponse>])[] = [
      ["an unknown route", 404, () => t.request("GET", "/api/v1/no-such-route")],
      ["a missing token", 401, () => t.request("GET", "/api/v1/courses")],
      ["a garbage token", 401, () => t.request("GET", "/api/v1/courses", { token: "a.b.c" })],
      [
        "a role not allowed on the route",
        403,
        () =>
          t.request("POST", "/api/v1/users", {
            token: student,
            body: { email: "x@example.com", name: "X", role: "student", password: "password-x-1" },
          }),
      ],
      ["a malformed id", 404, () => t.request("GET", "/api/v1/courses/nope", { token: admin })],
      [
        "another academy's id",
        404,
        () => t.request("GET", `/api/v1/courses/${beta.courses.c1}`, { token: admin }),
      ],
      [
        "invalid JSON",
        400,
        () =>
          t.request("POST", "/api/v1/courses", {
            token: admin,
            rawBody: "{not json",
            headers: { "content-type": "application/json" },
          }),
      ],
      [
        "an oversized body",
        413,
        () =>
          t.request("POST", "/api/v1/courses", {
            token: admin,
            body: { title: "x".repeat(10_240), instructorId: alpha.users.i1 },
          }),
      ],
      ["a wrong method", 405, () => t.request("PUT", "/api/v1/courses", { token: admin })],
      [
        "a method the server does not know (TRACE): 405 like any other",
        405,
        () => t.request("TRACE", "/api/v1/courses", { token: admin }),
      ],
      [
        "a WebDAV method (PROPFIND)",
        405,
        () => t.request("PROPFIND", "/api/v1/users", { token: admin }),
      ],
      [
        "a forged cursor",
        400,
        () => t.request("GET", "/api/v1/users?cursor=Zm9vLmJhcg", { token: admin }),
      ],
      [
        "a duplicate email",
        409,
        () =>
          t.request("POST", "/api/v1/users", {
            token: admin,
            body: {
              email: "i1@example.com",
              name: "Dup",
              role: "student",
              password: "password-d-1",
            },
          }),
      ],
    ];

    it.each(cases)(
      "%s is answered with an application/problem+json %i",
      async (_, status, send) => {
        const response = await send();
        expectProblem(response, status);
        expectNothingInternal(JSON.stringify(response.body));
      },
    );

    it("an invalid body lists each field problem in errors[] with path and message", async () => {
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        body: { title: "", instructorId: "not-a-uuid" },
      });
      expectProblem(response, 400, "validation_failed");
      const paths = (response.body.errors as { path: string; message: string }[]).map((e) => {
        expect(e.message).toEqual(expect.stringMatching(/\S/));
        return e.path;
      });
      expect(paths).toEqual(expect.arrayContaining(["title", "instructorId"]));
    });
  });

  describe("x-request-id", () => {
    it("echoes a well-formed x-request-id on successes and on errors", async () => {
      for (const [method, path] of [
        ["GET", "/health"],
        ["GET", "/api/v1/no-such-route"],
        ["GET", "/api/v1/courses"],
        ["PUT", "/api/v1/courses"],
      ] as const) {
        const id = `req-${randomUUID()}`;
        const response = await t.request(method, path, { headers: { "x-request-id": id } });
        expect(response.headers["x-request-id"], `${method} ${path}`).toBe(id);
      }
    });

    it("gives a request without x-request-id a fresh generated id", async () => {
      const first = await t.request("GET", "/health");
      const second = await t.request("GET", "/api/v1/no-such-route");
      expect(first.headers["x-request-id"]).toMatch(UUID);
      expect(second.headers["x-request-id"]).toMatch(UUID);
      expect(first.headers["x-request-id"]).not.toBe(second.headers["x-request-id"]);
    });

    it.each([
      ["300 characters long", "a".repeat(300)],
      ["containing spaces", "my request id"],
      ["containing a log-injection attempt", 'x" level=error msg="forged'],
      ["empty", ""],
    ])("replaces an x-request-id %s by a generated one", async (_, given) => {
      const response = await t.request("GET", "/api/v1/no-such-route", {
        headers: { "x-request-id": given },
      });
      expectProblem(response, 404);
      expect(response.headers["x-request-id"]).not.toBe(given);
      expect(response.headers["x-request-id"]).toMatch(UUID);
    });
  });

  describe("unknown routes and bad paths", () => {
    it.each(["/nope", "/api/v1/nope", "/api/v2/courses", "/api/v1/courses/x/y/z"])(
      "GET %s is a 404 problem",
      async (path) => {
        expectProblem(await t.request("GET", path, { token: admin }), 404, "not_found");
      },
    );

    it.each([
      "/api/v1/courses/not-a-uuid",
      "/api/v1/users/1'%20OR%201=1",
      "/api/v1/users/1%27%3B%20drop%20table%20users%3B--",
      "/api/v1/courses/%E0%A4%A",
      "/api/v1/courses/%00",
      "/api/v1/assignments/00000000-0000-0000-0000-00000000000g",
      `/api/v1/submissions/${"9".repeat(200)}`,
    ])("a malformed id in %s is a 404, never a 500", async (path) => {
      expectProblem(await t.request("GET", path, { token: admin }), 404, "not_found");
    });

    it("a malformed id in a platform route is a 404 too", async () => {
      const token = await t.platformToken();
      expectProblem(
        await t.request("GET", "/api/v1/admin/academies/1'%20OR%201=1", { token }),
        404,
        "not_found",
      );
    });

    it.each([
      ["PUT", "/api/v1/courses"],
      ["DELETE", "/api/v1/courses"],
      ["POST", "/api/v1/users/00000000-0000-4000-8000-000000000000"],
      ["PUT", "/api/v1/submissions/00000000-0000-4000-8000-000000000000/grade"],
    ])("%s on the existing path %s is a 405 problem with an Allow header", async (method, path) => {
      const response = await t.request(method, path, { token: admin });
      expectProblem(response, 405, "method_not_allowed");
      expect(String(response.headers.allow)).toMatch(/\b(GET|POST|PATCH|DELETE)\b/);
      expect(String(response.headers.allow)).not.toContain(method);
    });
  });

  describe("request bodies", () => {
    it("a JSON body over the size limit is a 413 and nothing is written", async () => {
      const before = await courseCount(admin);
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        body: { title: "Big", description: "y".repeat(10 * 1024), instructorId: alpha.users.i1 },
      });
      expectProblem(response, 413, "payload_too_large");
      expect(await courseCount(admin)).toBe(before);
    });

    it("an oversized login body is a 413 before any credential check", async () => {
      const response = await t.request("POST", "/api/v1/auth/login", {
        body: { ...ADMIN_LOGIN, academy: "alpha", padding: "p".repeat(10 * 1024) },
      });
      expectProblem(response, 413, "payload_too_large");
    });

    it.each([
      ["an unterminated object", '{"title": "x"'],
      ["garbage", "{not json"],
      ["a bare string", '"title"'],
      ["trailing garbage", '{"title":"x","instructorId":"y"} extra'],
    ])("invalid JSON (%s) is a 400", async (_, rawBody) => {
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        rawBody,
        headers: { "content-type": "application/json" },
      });
      expectProblem(response, 400);
      expectNothingInternal(JSON.stringify(response.body));
    });

    it.each([
      ["arrays", (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`],
      ["objects", (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`],
    ])(
      "JSON %s nested 50, 10,000 and 100,000 deep (within the size limit) are a 400, never a 500",
      async (_, nest) => {
        const before = await courseCount(admin);
        for (const depth of [50, 10_000, 100_000]) {
          const response = await t.request("POST", "/api/v1/courses", {
            token: admin,
            rawBody: nest(depth),
            headers: { "content-type": "application/json", "idempotency-key": randomUUID() },
          });
          expect([400, 413]).toContain(response.status);
          expectProblem(response, response.status);
          expectNothingInternal(JSON.stringify(response.body));
        }
        expect(await courseCount(admin)).toBe(before);
      },
    );

    it("a body nested just within the depth bound is parsed (and then judged by its schema)", async () => {
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        body: { title: "Deep", instructorId: alpha.users.i1, extra: nested(MAX_JSON_DEPTH - 1) },
      });
      // Parsed: the schema names the unknown field, rather than the parser refusing the text.
      expectProblem(response, 400, "validation_failed");
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain("extra");
    });

    it.each([
      ["a __proto__ key", '{"title":"x","__proto__":{"admin":true}}'],
      ["a constructor.prototype key", '{"title":"x","constructor":{"prototype":{"admin":true}}}'],
    ])("a body with %s is a 400 and pollutes nothing", async (_, rawBody) => {
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        rawBody,
        headers: { "content-type": "application/json" },
      });
      expectProblem(response, 400);
      expect(({} as { admin?: unknown }).admin).toBeUndefined();
    });

    it("a gzip body that inflates past the size limit is a 413, and a corrupt one a 400", async () => {
      const bomb = gzipSync(
        Buffer.from(JSON.stringify({ title: "z".repeat(4 * 1024 * 1024), instructorId: "x" })),
      );
      expect(bomb.length).toBeLessThan(10 * 1024);
      const inflated = await t.request("POST", "/api/v1/courses", {
        token: admin,
        rawBody: bomb,
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
      });
      expectProblem(inflated, 413, "payload_too_large");
      const corrupt = await t.request("POST", "/api/v1/courses", {
        token: admin,
        rawBody: "definitely not gzip",
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
      });
      expectProblem(corrupt, 400);
    });

    it("a gzip body within the limit is read like a plain one", async () => {
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        rawBody: gzipSync(
          Buffer.from(JSON.stringify({ title: "Zipped", instructorId: alpha.users.i1 })),
        ),
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
      });
      expect(response.status).toBe(201);
      expect(response.body.title).toBe("Zipped");
    });

    it("an unknown content encoding is a 415", async () => {
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        rawBody: "{}",
        headers: { "content-type": "application/json", "content-encoding": "br-ish" },
      });
      expectProblem(response, 415);
    });

    it("an unknown body field is a 400 whose errors[] names the field, and nothing is written", async () => {
      const before = await courseCount(admin);
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        body: { title: "Sneaky", instructorId: alpha.users.i1, tenantId: beta.academyId },
      });
      expectProblem(response, 400, "validation_failed");
      expect(await courseCount(admin)).toBe(before);
      const errors = response.body.errors as { path: string; message: string }[];
      expect(errors.map((e) => e.path)).toContain("tenantId");
    });

    it("a NUL character in a text field is a 400, not a 500, and nothing is written", async () => {
      const before = await courseCount(admin);
      const response = await t.request("POST", "/api/v1/courses", {
        token: admin,
        body: { title: "Nul\u0000title", instructorId: alpha.users.i1 },
      });
      expectProblem(response, 400);
      expect(await courseCount(admin)).toBe(before);
    });
  });

  describe("list queries", () => {
    it.each(["1e9", "1000", "101"])(
      "?limit=%s is clamped: 200 with at most 100 items",
      async (limit) => {
        const response = await t.request("GET", `/api/v1/users?limit=${limit}`, { token: admin });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        expect(response.body.data.length).toBeGreaterThan(0);
        expect(response.body.data.length).toBeLessThanOrEqual(100);
      },
    );

    it.each(["0", "-5"])(
      "?limit=%s is clamped to 1: 200 with one item and a next cursor",
      async (limit) => {
        const response = await t.request("GET", `/api/v1/users?limit=${limit}`, { token: admin });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        expect(response.body.data).toHaveLength(1);
        expect(response.body.nextCursor).toEqual(expect.any(String));
      },
    );

    it.each(["2.5", "abc", "", "1,2", "1;2"])("?limit=%s is a 400 naming limit", async (limit) => {
      const response = await t.request("GET", `/api/v1/users?limit=${limit}`, { token: admin });
      expectProblem(response, 400, "validation_failed");
      expect((response.body.errors as { path: string }[]).map((e) => e.path)).toContain("limit");
    });

    it.each(["limit=1&limit=2", "limit=5&limit=5", "role=student&role=admin"])(
      "a repeated query key (?%s) is a 400",
      async (query) => {
        expectProblem(
          await t.request("GET", `/api/v1/users?${query}`, { token: admin }),
          400,
          "validation_failed",
        );
      },
    );

    it("a repeated cursor key is a 400", async () => {
      const first = await t.request("GET", "/api/v1/users?limit=1", { token: admin });
      const cursor = first.body.nextCursor as string;
      expectProblem(
        await t.request("GET", `/api/v1/users?cursor=${cursor}&cursor=${cursor}`, {
          token: admin,
        }),
        400,
      );
    });

    it.each(["foo=1", `tenantId=${randomUUID()}`, "academyId=x&limit=2"])(
      "an unknown query key (?%s) is a 400",
      async (query) => {
        expectProblem(
          await t.request("GET", `/api/v1/courses?${query}`, { token: admin }),
          400,
          "validation_failed",
        );
      },
    );

    it("paging through /users with limit 2 returns every visible id exactly once", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const response = await t.request("GET", `/api/v1/users?limit=2${query}`, { token: admin });
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        expect(response.body.data.length).toBeLessThanOrEqual(2);
        for (const user of response.body.data as { id: string; academyId: string }[]) {
          expect(user.academyId).toBe(alpha.academyId);
          seen.push(user.id);
        }
        cursor = response.body.nextCursor as string | null;
        pages += 1;
        expect(pages).toBeLessThan(20);
      } while (cursor);
      expect(pages).toBeGreaterThan(1);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort()).toEqual(Object.values(alpha.users).sort());
    });

    it("paging through /users as an instructor returns exactly the ids one big page shows", async () => {
      const all = await t.request("GET", "/api/v1/users?limit=100", { token: instructor });
      expect(all.status).toBe(200);
      const expected = (all.body.data as { id: string }[]).map((u) => u.id).sort();
      expect(expected.length).toBeGreaterThan(1);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const response = await t.request("GET", `/api/v1/users?limit=1${query}`, {
          token: instructor,
        });
        expect(response.status).toBe(200);
        seen.push(...(response.body.data as { id: string }[]).map((u) => u.id));
        cursor = response.body.nextCursor as string | null;
        expect(seen.length).toBeLessThanOrEqual(expected.length);
      } while (cursor);
      expect(seen.sort()).toEqual(expected);
    });
  });

  describe("cursors", () => {
    let usersCursor: string;

    beforeAll(async () => {
      const response = await t.request("GET", "/api/v1/users?limit=2", { token: admin });
      usersCursor = response.body.nextCursor as string;
      expect(usersCursor).toEqual(expect.any(String));
    });

    const expectInvalidCursor = async (path: string, cursor: string, token = admin) => {
      const response = await t.request(
        "GET",
        `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(cursor)}`,
        { token },
      );
      expectProblem(response, 400, "invalid_cursor");
    };

    it("a random base64 cursor is a 400 invalid_cursor", async () => {
      await expectInvalidCursor("/api/v1/users", randomBytes(48).toString("base64"));
      await expectInvalidCursor("/api/v1/users", randomBytes(48).toString("base64url"));
      await expectInvalidCursor(
        "/api/v1/users",
        `${randomBytes(40).toString("base64url")}.${randomBytes(16).toString("base64url")}`,
      );
    });

    it("a real cursor with one character changed is a 400 invalid_cursor", async () => {
      const dot = usersCursor.indexOf(".");
      expect(dot).toBeGreaterThan(0);
      for (const index of [0, Math.floor(dot / 2), dot - 1, dot + 1, dot + 5]) {
        await expectInvalidCursor("/api/v1/users", flipChar(usersCursor, index));
      }
    });

    it("a cursor re-signed with a guessed key or pointing at another academy's row is a 400", async () => {
      const payload = Buffer.from(
        JSON.stringify(["users", "1970-01-01 00:00:00+00", beta.users.admin]),
      ).toString("base64url");
      await expectInvalidCursor(
        "/api/v1/users",
        `${payload}.${randomBytes(16).toString("base64url")}`,
      );
      await expectInvalidCursor("/api/v1/users", `${payload}.${usersCursor.split(".")[1]}`);
    });

    it("a cursor from /users used on /courses is a 400 invalid_cursor", async () => {
      await expectInvalidCursor("/api/v1/courses", usersCursor);
      await expectInvalidCursor("/api/v1/assignments", usersCursor);
    });

    it("a cursor from another academy's list never yields that academy's rows", async () => {
      const response = await t.request(
        "GET",
        `/api/v1/users?limit=100&cursor=${encodeURIComponent(usersCursor)}`,
        { token: betaAdmin },
      );
      if (response.status !== 200) {
        expectProblem(response, 400, "invalid_cursor");
        return;
      }
      const alphaIds = new Set(Object.values(alpha.users));
      for (const user of response.body.data as { id: string; academyId: string }[]) {
        expect(user.academyId).toBe(beta.academyId);
        expect(alphaIds.has(user.id)).toBe(false);
      }
    });
  });

  describe("health", () => {
    it("GET /health is 200 {status: ok} without a token", async () => {
      const response = await t.request("GET", "/health");
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: "ok" });
    });

    it("GET /ready is 200 {status: ready} when the database answers", async () => {
      const response = await t.request("GET", "/ready");
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: "ready", eventLoopDelayP99Ms: expect.any(Number) });
    });
  });
});

describe.each(ENGINES)("a server error on %s", (engine) => {
  let t: TestApp;
  let alpha: SeededAcademy;

  beforeAll(async () => {
    t = await createTestApp(engine);
    alpha = await seedAcademy(t.db, fastServices(), "broken");
  });

  afterAll(async () => {
    await t?.dispose();
  });

  it("a database failure in a handler is a 500 problem without stack trace, SQL or table names", async () => {
    const token = await t.app.context.deps.tokens.sign({
      kind: "academy",
      userId: alpha.users.admin,
      academyId: alpha.academyId,
      role: "admin",
      impersonatorId: null,
    });
    // Break the database under the running app: the handler's query fails inside Postgres.
    await sql`drop table courses cascade`.execute(t.db.kysely);
    const response = await t.request("GET", "/api/v1/courses", {
      token,
      headers: { "x-request-id": "trace-500" },
    });
    expectProblem(response, 500, "internal");
    const raw = JSON.stringify(response.body);
    expectNothingInternal(raw, ["courses", "relation", "does not exist", "42P01"]);
    expect(response.body.detail).toContain("trace-500");
    expect(response.headers["x-request-id"]).toBe("trace-500");
  });
});

describe("the problem middleware on a handler that throws", () => {
  function tinyApp(thrown: unknown) {
    const app = new Koa();
    app.silent = true;
    const logged: unknown[] = [];
    app.on("error", (error: unknown) => logged.push(error));
    // biome-ignore lint/suspicious/noExplicitAny: the middleware is typed for the full app context.
    app.use(requestId as any);
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    app.use(problemDetails as any);
    app.use(() => {
      throw thrown;
    });
    return { callback: app.callback(), logged };
  }

  it.each([
    ["an Error naming a table", new Error("select * from secret_table where password = 'hunter2'")],
    ["a string", "select * from secret_table"],
    ["an object", { sql: "select * from secret_table", detail: "hunter2" }],
    ["a 5xx SkillBridge error", new UnsafeDatabaseError(["secret_table has no RLS, hunter2"])],
    [
      "an Error with a 502 status",
      Object.assign(new Error("upstream secret_table hunter2"), { status: 502, expose: true }),
    ],
  ])(
    "%s becomes a bare 500 problem that reveals nothing, and is still logged",
    async (_, thrown) => {
      const { callback, logged } = tinyApp(thrown);
      const response = await inject(callback, { method: "GET", url: "/anything" });
      expect(response.statusCode).toBe(500);
      expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
      const body = JSON.parse(response.payload);
      expect(body).toMatchObject({ status: 500, code: "internal", type: expect.any(String) });
      expect(response.payload).not.toContain("secret_table");
      expect(response.payload).not.toContain("hunter2");
      expect(response.payload).not.toContain("at ");
      expect(body.detail).toContain(String(response.headers["x-request-id"]));
      expect(logged).toEqual([thrown]);
    },
  );
});

describe("readiness without a database", () => {
  it("GET /ready is a 503 problem when the database does not answer, and /health stays 200", async () => {
    // Nothing listens on port 1: every query fails to connect.
    const db = await openDatabase({ url: "postgres://nobody@127.0.0.1:1/none", poolSize: 1 });
    const app = createServer({
      db,
      config: serverConfig({ jwtSecret: TEST_SECRET, logger: pino({ level: "silent" }) }),
    });
    try {
      const callback = app.callback();
      const ready = await inject(callback, { method: "GET", url: "/ready" });
      expect(ready.statusCode).toBe(503);
      expect(String(ready.headers["content-type"])).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(ready.payload)).toMatchObject({ status: 503, code: expect.any(String) });
      expectNothingInternal(ready.payload, ["ECONNREFUSED", "127.0.0.1"]);
      const health = await inject(callback, { method: "GET", url: "/health" });
      expect(health.statusCode).toBe(200);
      expect(JSON.parse(health.payload)).toEqual({ status: "ok" });
    } finally {
      await app.closeResources();
      await db.close();
    }
  });
});
