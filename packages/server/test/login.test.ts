import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import {
  createTestApp,
  ENGINES,
  PLATFORM_ADMIN,
  type TestApp,
  type TestResponse,
} from "./support/test-app.js";

// POST /api/v1/auth/login and what its token opens. Login rate limits have
// their own file (rate-limits.test.ts); here the budget is set out of the way.

const LOGIN = "/api/v1/auth/login";
const ISSUER = "skillbridge";
const AUDIENCE = "skillbridge-api";
const HASH_PATTERN = /scrypt\$|password_?hash/i;

function expectProblem(response: TestResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
  expect(response.body).not.toHaveProperty("accessToken");
}

describe.each(ENGINES)("POST /auth/login (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  let b: SeededAcademy;
  const services = fastServices();

  const login = (body: Record<string, unknown>) => t.request("POST", LOGIN, { body });
  const s1 = { academy: "north", email: "s1@example.com", password: "password-s1-1" };

  beforeAll(async () => {
    t = await createTestApp(engine, {
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 900 },
    });
    a = await seedAcademy(t.db, services, "north");
    b = await seedAcademy(t.db, services, "south");
  });
  afterAll(() => t.dispose());
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("signs an academy user in with { accessToken, tokenType: Bearer, expiresIn, user }", async () => {
    const response = await login(s1);
    expect(response.status).toBe(200);
    expect(String(response.headers["content-type"])).toMatch(/^application\/json/);
    expect(Object.keys(response.body).sort()).toEqual(
      ["accessToken", "expiresIn", "tokenType", "user"].sort(),
    );
    expect(response.body.tokenType).toBe("Bearer");
    expect(response.body.expiresIn).toBe(3600);
    expect(response.body.user).toEqual({
      id: a.users.s1,
      email: "s1@example.com",
      name: "User s1",
      role: "student",
      academyId: a.academyId,
    });
  });

  it("issues an HS256 token for exactly that user, academy and role, living expiresIn seconds", async () => {
    const response = await login(s1);
    const token = response.body.accessToken as string;
    const header = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString());
    expect(header.alg).toBe("HS256");
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: a.users.s1,
      aid: a.academyId,
      role: "student",
      iss: ISSUER,
      aud: AUDIENCE,
    });
    expect(claims).not.toHaveProperty("imp");
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(response.body.expiresIn);
  });

  it("puts no password hash in the response body or in the token", async () => {
    for (const body of [
      s1,
      { academy: "north", email: "admin@example.com", password: "admin-password-1" },
      PLATFORM_ADMIN,
    ]) {
      const response = await login(body);
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toMatch(HASH_PATTERN);
      expect(JSON.stringify(response.body)).not.toContain(body.password);
      expect(Object.keys(response.body.user).sort()).toEqual(
        ["academyId", "email", "id", "name", "role"].sort(),
      );
      const claims = JSON.stringify(decodeJwt(response.body.accessToken));
      expect(claims).not.toMatch(HASH_PATTERN);
      expect(claims).not.toContain(body.password);
      expect(claims).not.toContain("@");
    }
  });

  it("signs a platform user in without an academy, as a user with academyId null", async () => {
    const response = await login(PLATFORM_ADMIN);
    expect(response.status).toBe(200);
    expect(response.body.tokenType).toBe("Bearer");
    expect(response.body.user).toMatchObject({
      email: PLATFORM_ADMIN.email,
      role: "platform_admin",
      academyId: null,
    });
    const claims = decodeJwt(response.body.accessToken);
    expect(claims.sub).toBe(response.body.user.id);
    expect(claims).not.toHaveProperty("aid");

    const me = await t.request("GET", "/api/v1/me", { token: response.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: response.body.user, academy: null });
    const academies = await t.request("GET", "/api/v1/admin/academies", {
      token: response.body.accessToken,
    });
    expect(academies.status).toBe(200);
  });

  it("gives a token that works on GET /me and names the user and their academy", async () => {
    const response = await login(s1);
    const me = await t.request("GET", "/api/v1/me", { token: response.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(response.body.user);
    expect(me.body.academy).toMatchObject({
      id: a.academyId,
      slug: "north",
      status: "active",
    });
    expect(JSON.stringify(me.body)).not.toMatch(HASH_PATTERN);
  });

  it("signs the same email in to the academy it names, never a look-alike in another", async () => {
    const north = await login(s1);
    const south = await login({ ...s1, academy: "south" });
    expect(north.body.user.id).toBe(a.users.s1);
    expect(south.body.user.id).toBe(b.users.s1);
    expect(south.body.user.academyId).toBe(b.academyId);
    const me = await t.request("GET", "/api/v1/me", { token: south.body.accessToken });
    expect(me.body.academy.id).toBe(b.academyId);
  });

  it("matches the email case-insensitively and without surrounding spaces", async () => {
    const response = await login({ ...s1, email: "  S1@Example.COM " });
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(a.users.s1);
  });

  it("gives unknown email, wrong password and unknown academy one and the same 401", async () => {
    const failures = [
      await login({ ...s1, email: "nobody@example.com" }),
      await login({ ...s1, password: "password-s1-2" }),
      await login({ ...s1, academy: "nowhere" }),
      // Right academy password, wrong door: platform and academy accounts do not mix.
      await login({ ...PLATFORM_ADMIN, academy: "north" }),
      await login({ email: s1.email, password: s1.password }),
      await login({ ...PLATFORM_ADMIN, password: "platform-password-2" }),
    ];
    for (const response of failures) expectProblem(response, 401, "unauthenticated");
    const first = failures[0]?.body;
    for (const response of failures) {
      expect(response.body.code).toBe(first.code);
      expect(response.body.detail).toBe(first.detail);
      expect(response.body).toEqual(first);
    }
    expect(first.detail).not.toMatch(/academy|not found|unknown|exist/i);
  });

  it("rejects a password over 256 characters with 400 before any hashing", async () => {
    const passwords = t.app.context.deps.services.passwords;
    const verify = vi.spyOn(passwords, "verify");
    const verifyNothing = vi.spyOn(passwords, "verifyNothing");
    const hash = vi.spyOn(passwords, "hash");

    for (const body of [
      { ...s1, password: "x".repeat(257) },
      { ...s1, password: "x".repeat(1_000_000) },
      { ...s1, email: "nobody@example.com", password: "x".repeat(257) },
      { ...s1, academy: "nowhere", password: "x".repeat(257) },
      { email: PLATFORM_ADMIN.email, password: "x".repeat(257) },
    ]) {
      const response = await login(body);
      // A megabyte of password is over the body limit: 413 is as good as 400 here.
      expect([400, 413]).toContain(response.status);
      expect(response.body.code).toMatch(/^(validation_failed|payload_too_large)$/);
    }
    const exact = await login({ ...s1, password: "x".repeat(257) });
    expectProblem(exact, 400, "validation_failed");
    expect(exact.body.errors).toEqual([expect.objectContaining({ path: "password" })]);
    expect(verify).not.toHaveBeenCalled();
    expect(verifyNothing).not.toHaveBeenCalled();
    expect(hash).not.toHaveBeenCalled();

    // Control: 256 characters is still a password, and it is checked (and wrong).
    const longest = await login({ ...s1, password: "x".repeat(256) });
    expectProblem(longest, 401, "unauthenticated");
    expect(verify).toHaveBeenCalled();
  });

  it("rejects malformed login bodies with 400 and no token", async () => {
    for (const body of [
      { ...s1, role: "admin" },
      { ...s1, academyId: a.academyId },
      { ...s1, tenantId: a.academyId },
      { ...s1, password: "" },
      { academy: "north", email: "s1@example.com" },
      { ...s1, email: "not-an-email" },
      { ...s1, academy: "North" },
      { ...s1, password: 12345678 },
    ]) {
      expectProblem(await login(body), 400, "validation_failed");
    }
    const notJson = await t.request("POST", LOGIN, {
      rawBody: "{email:",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body).not.toHaveProperty("accessToken");
  });

  it("answers 403 academy_suspended to a suspended academy's user with the right password, and 401 with a wrong one", async () => {
    const c = await seedAcademy(t.db, services, "paused");
    const platform = await t.platformToken();
    const right = { academy: c.slug, email: "i1@example.com", password: "password-i1-1" };
    expect((await login(right)).status).toBe(200);

    const suspend = await t.request("PATCH", `/api/v1/admin/academies/${c.academyId}`, {
      token: platform,
      body: { status: "suspended" },
    });
    expect(suspend.status).toBe(200);

    expectProblem(await login(right), 403, "academy_suspended");
    const wrong = await login({ ...right, password: "password-i1-2" });
    const unknown = await login({ ...s1, email: "nobody@example.com" });
    expectProblem(wrong, 401, "unauthenticated");
    // A wrong password does not reveal that the academy is suspended.
    expect(wrong.body).toEqual(unknown.body);

    await t.request("PATCH", `/api/v1/admin/academies/${c.academyId}`, {
      token: platform,
      body: { status: "active" },
    });
    expect((await login(right)).status).toBe(200);
  });

  it("refuses a soft-deleted user with the same 401 as a wrong password", async () => {
    const c = await seedAcademy(t.db, services, "leavers");
    const credentials = { academy: c.slug, email: "s2@example.com", password: "password-s2-1" };
    expect((await login(credentials)).status).toBe(200);

    const admin = await t.login({
      academy: c.slug,
      email: "admin@example.com",
      password: "admin-password-1",
    });
    const removed = await t.request("DELETE", `/api/v1/users/${c.users.s2}`, { token: admin });
    expect(removed.status).toBe(204);

    const refused = await login(credentials);
    expectProblem(refused, 401, "unauthenticated");
    const wrong = await login({ ...credentials, password: "password-s2-2" });
    expect(refused.body).toEqual(wrong.body);
    // Their classmates are unaffected.
    expect(
      (await login({ academy: c.slug, email: "s1@example.com", password: "password-s1-1" })).status,
    ).toBe(200);
  });

  it("refuses the users of a soft-deleted academy with the same 401 as an unknown academy", async () => {
    const c = await seedAcademy(t.db, services, "closed");
    const credentials = {
      academy: c.slug,
      email: "admin@example.com",
      password: "admin-password-1",
    };
    expect((await login(credentials)).status).toBe(200);
    const platform = await t.platformToken();
    const removed = await t.request("DELETE", `/api/v1/admin/academies/${c.academyId}`, {
      token: platform,
    });
    expect(removed.status).toBe(204);

    const refused = await login(credentials);
    expectProblem(refused, 401, "unauthenticated");
    expect(refused.body).toEqual((await login({ ...credentials, academy: "nowhere" })).body);
  });
});
