import { randomBytes, randomUUID } from "node:crypto";
import { withTenant } from "@skillbridge/core";
import { generateKeyPair, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { ROLE_OF, type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import {
  createTestApp,
  ENGINES,
  TEST_SECRET,
  type TestApp,
  type TestResponse,
} from "./support/test-app.js";

// Every way a caller might forge, replay or stretch a token, and every way it
// might try to pick another academy than the one its verified token names.
// Each attack is paired with a control that proves the same request works
// when the token is honest, so a 401 here means "refused", not "broken".

const ISSUER = "skillbridge";
const AUDIENCE = "skillbridge-api";
const SECRET = new TextEncoder().encode(TEST_SECRET);
const COURSES = "/api/v1/courses";

type UserKey = keyof typeof ROLE_OF;

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const unb64 = (part: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8"));

/** Signs exactly the given claims (undefined ones are dropped), with no defaults added. */
async function sign(
  claims: Record<string, unknown>,
  alg = "HS256",
  key: Parameters<SignJWT["sign"]>[0] = SECRET,
): Promise<string> {
  return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg, typ: "JWT" }).sign(key);
}

/** Keeps header and signature of a real token, swaps in an edited payload. */
function tamper(token: string, edit: (payload: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split(".");
  const claims = unb64(payload);
  edit(claims);
  return `${header}.${b64(claims)}.${signature}`;
}

/** A refusal that says "who are you?" and nothing else: no page, no course of anyone's. */
function expectUnauthenticated(response: TestResponse): void {
  expect(response.status).toBe(401);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 401, code: "unauthenticated" });
  expect(typeof response.body.type).toBe("string");
  expect(typeof response.body.title).toBe("string");
  expect(typeof response.body.detail).toBe("string");
  expect(response.body).not.toHaveProperty("data");
  expect(JSON.stringify(response.body)).not.toMatch(/SAT Math|GRE Verbal|example\.com/);
}

function expectProblem(response: TestResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
  expect(response.body).not.toHaveProperty("data");
}

const idsOf = (response: TestResponse): string[] =>
  (response.body.data as { id: string }[]).map((row) => row.id).sort();

describe.each(ENGINES)("token attacks and tenant selection (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  let b: SeededAcademy;
  let platform: string;
  const services = fastServices();

  /** A token minted by the server itself, as login would. */
  const tokenOf = (academy: SeededAcademy, key: UserKey) =>
    t.app.context.deps.tokens.sign({
      kind: "academy",
      userId: academy.users[key],
      academyId: academy.academyId,
      role: ROLE_OF[key],
      impersonatorId: null,
    });

  /** The claims of a valid token for A's admin; attacks change one thing about them. */
  const claims = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
    sub: a.users.admin,
    aid: a.academyId,
    role: "admin",
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 600,
    jti: randomUUID(),
    ...overrides,
  });

  const coursesWith = (token: string) => t.request("GET", COURSES, { token });

  beforeAll(async () => {
    // Logins here are few, but this file is about tokens, not login limits.
    t = await createTestApp(engine, {
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 900 },
    });
    a = await seedAcademy(t.db, services, "north");
    b = await seedAcademy(t.db, services, "south");
    platform = await t.platformToken();
  });
  afterAll(() => t.dispose());

  describe("forged and malformed tokens", () => {
    it("accepts a token forged here with the real secret and claims (the control for every forgery below)", async () => {
      const response = await coursesWith(await sign(claims()));
      expect(response.status).toBe(200);
      expect(idsOf(response)).toEqual([a.courses.c1, a.courses.c2].sort());
    });

    it("accepts a login token sent as `Bearer <token>` (the control for header shapes)", async () => {
      const token = await t.login({
        academy: "north",
        email: "admin@example.com",
        password: "admin-password-1",
      });
      const response = await t.request("GET", COURSES, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
    });

    const forgeries: [string, () => Promise<string>][] = [
      ["an unsigned token (alg: none)", async () => new UnsecuredJWT(claims()).encode()],
      [
        "alg: none in the header with a real signature kept",
        async () => {
          const [, payload, signature] = (await tokenOf(a, "admin")).split(".");
          return `${b64({ alg: "none", typ: "JWT" })}.${payload}.${signature}`;
        },
      ],
      [
        "alg: None (mixed case) with an empty signature",
        async () => `${b64({ alg: "None", typ: "JWT" })}.${b64(claims())}.`,
      ],
      [
        "a student's token whose role was edited to admin (signature kept)",
        async () => tamper(await tokenOf(a, "s1"), (p) => Object.assign(p, { role: "admin" })),
      ],
      [
        "an admin's token whose aid was edited to another academy (signature kept)",
        async () =>
          tamper(await tokenOf(a, "admin"), (p) => Object.assign(p, { aid: b.academyId })),
      ],
      [
        "a token whose sub was edited to another user (signature kept)",
        async () => tamper(await tokenOf(a, "s1"), (p) => Object.assign(p, { sub: a.users.admin })),
      ],
      [
        "a token whose exp was pushed out (signature kept)",
        async () =>
          tamper(await tokenOf(a, "admin"), (p) =>
            Object.assign(p, { exp: now() + 10 * 365 * 86400 }),
          ),
      ],
      ["a token signed with a wrong key", async () => sign(claims(), "HS256", randomBytes(48))],
      [
        "a token signed with the secret's first 32 bytes only",
        async () => sign(claims(), "HS256", SECRET.slice(0, 32)),
      ],
      [
        "an RS256 token (asymmetric key)",
        async () => sign(claims(), "RS256", (await generateKeyPair("RS256")).privateKey),
      ],
      [
        "an EdDSA token (asymmetric key)",
        async () => sign(claims(), "EdDSA", (await generateKeyPair("EdDSA")).privateKey),
      ],
      [
        "an ES256 token (asymmetric key)",
        async () => sign(claims(), "ES256", (await generateKeyPair("ES256")).privateKey),
      ],
      ["an HS512 token signed with the right secret", async () => sign(claims(), "HS512")],
      ["an HS384 token signed with the right secret", async () => sign(claims(), "HS384")],
      ["an expired token", async () => sign(claims({ iat: now() - 7200, exp: now() - 3600 }))],
      [
        "a token expired a minute ago (beyond the clock tolerance)",
        async () => sign(claims({ iat: now() - 600, exp: now() - 60 })),
      ],
      [
        "a token not valid yet (nbf in the future)",
        async () => sign(claims({ nbf: now() + 3600 })),
      ],
      ["a token with a wrong audience", async () => sign(claims({ aud: "someone-else" }))],
      ["a token with an audience list lacking ours", async () => sign(claims({ aud: ["a", "b"] }))],
      ["a token with a wrong issuer", async () => sign(claims({ iss: "evil" }))],
      ["a token without exp", async () => sign(claims({ exp: undefined }))],
      ["a token without iat", async () => sign(claims({ iat: undefined }))],
      ["a token without sub", async () => sign(claims({ sub: undefined }))],
      ["a token without iss", async () => sign(claims({ iss: undefined }))],
      ["a token without aud", async () => sign(claims({ aud: undefined }))],
      ["a token whose sub is not a UUID", async () => sign(claims({ sub: "admin" }))],
      ["a token whose aid is not a UUID", async () => sign(claims({ aid: "north" }))],
      ["a token whose aid is a number", async () => sign(claims({ aid: 1 }))],
      ["a token whose role is unknown", async () => sign(claims({ role: "superadmin" }))],
      ["a token whose role is missing", async () => sign(claims({ role: undefined }))],
      ["a platform role carrying an aid", async () => sign(claims({ role: "platform_admin" }))],
      ["an academy role without aid", async () => sign(claims({ aid: undefined }))],
      [
        "a platform role carrying imp",
        async () => sign(claims({ role: "platform_admin", aid: undefined, imp: randomUUID() })),
      ],
      ["an imp claim that is not a UUID", async () => sign(claims({ imp: "root" }))],
      [
        "a well-signed token naming an academy that does not exist",
        async () => sign(claims({ aid: randomUUID() })),
      ],
      [
        "a well-signed token pairing A's admin with B's academy id",
        async () => sign(claims({ aid: b.academyId })),
      ],
      [
        "a well-signed token for a user id that does not exist",
        async () => sign(claims({ sub: randomUUID() })),
      ],
      [
        "a well-signed token claiming a role its user does not hold (student as admin)",
        async () => sign(claims({ sub: a.users.s1, role: "admin" })),
      ],
      ["garbage", async () => "garbage"],
      ["three segments of garbage", async () => "aaaa.bbbb.cccc"],
      [
        "a JWT with a header that is not JSON",
        async () => `${Buffer.from("{").toString("base64url")}.${b64(claims())}.sig`,
      ],
    ];

    it.each(forgeries)("refuses %s with 401 and no data", async (_name, forge) => {
      const response = await coursesWith(await forge());
      expectUnauthenticated(response);
    });

    it("says the token expired, and nothing more, for an expired one", async () => {
      const response = await coursesWith(
        await sign(claims({ iat: now() - 7200, exp: now() - 3600 })),
      );
      expectUnauthenticated(response);
      expect(response.body.detail).toBe("The token has expired.");
    });

    it("refuses a request with no Authorization header", async () => {
      expectUnauthenticated(await t.request("GET", COURSES));
    });

    const headerShapes: [string, (token: string) => string][] = [
      ['"Bearer" with nothing after it', () => "Bearer"],
      ['"Bearer " with only a space after it', () => "Bearer "],
      ["the token without a scheme", (token) => token],
      [
        "a Basic scheme",
        () => `Basic ${Buffer.from("admin@example.com:admin-password-1").toString("base64")}`,
      ],
      ["a Token scheme", (token) => `Token ${token}`],
      ["two tokens", (token) => `Bearer ${token} ${token}`],
      ["a token followed by junk", (token) => `Bearer ${token};x`],
      // RFC 9110 calls the scheme case-insensitive, but this server matches
      // `Bearer` exactly (route.ts, authenticate): lowercase fails closed.
      ["a lowercase bearer scheme", (token) => `bearer ${token}`],
      ["an uppercase BEARER scheme", (token) => `BEARER ${token}`],
    ];

    it.each(headerShapes)("refuses %s with 401", async (_name, header) => {
      const token = await tokenOf(a, "admin");
      const response = await t.request("GET", COURSES, {
        headers: { authorization: header(token) },
      });
      expectUnauthenticated(response);
    });

    it("answers 403, not data, when a valid platform token is used on an academy route", async () => {
      const response = await t.request("GET", COURSES, { token: platform });
      expectProblem(response, 403, "forbidden");
    });

    it("answers 403 when a valid academy admin token is used on a platform route", async () => {
      const response = await t.request("GET", "/api/v1/admin/academies", {
        token: await tokenOf(a, "admin"),
      });
      expectProblem(response, 403, "forbidden");
    });
  });

  describe("tokens outliving what they stood for", () => {
    it("stops a token at once when its user is soft-deleted", async () => {
      const c = await seedAcademy(t.db, services, "gone-user");
      const student = await t.login({
        academy: c.slug,
        email: "s1@example.com",
        password: "password-s1-1",
      });
      expect((await coursesWith(student)).status).toBe(200);

      const admin = await tokenOf(c, "admin");
      const deleted = await t.request("DELETE", `/api/v1/users/${c.users.s1}`, { token: admin });
      expect(deleted.status).toBe(204);

      expectUnauthenticated(await coursesWith(student));
      expectUnauthenticated(await t.request("GET", "/api/v1/me", { token: student }));
      // The admin's own token is untouched by someone else's deletion.
      expect((await coursesWith(admin)).status).toBe(200);
    });

    it("stops an admin's token at once when the database demotes them", async () => {
      const c = await seedAcademy(t.db, services, "demoted");
      const admin = await t.login({
        academy: c.slug,
        email: "admin@example.com",
        password: "admin-password-1",
      });
      expect((await t.request("GET", "/api/v1/users", { token: admin })).status).toBe(200);

      await withTenant(t.db, { tenantId: c.academyId, userId: null, role: "system" }, (trx) =>
        trx
          .updateTable("users")
          .set({ role: "instructor" })
          .where("id", "=", c.users.admin)
          .execute(),
      );

      expectUnauthenticated(await t.request("GET", "/api/v1/users", { token: admin }));
      const created = await t.request("POST", "/api/v1/users", {
        token: admin,
        body: { email: "new@example.com", name: "New", role: "admin", password: "new-password-1" },
      });
      expectUnauthenticated(created);

      // A fresh login carries the new role and works within it.
      const again = await t.login({
        academy: c.slug,
        email: "admin@example.com",
        password: "admin-password-1",
      });
      const me = await t.request("GET", "/api/v1/me", { token: again });
      expect(me.status).toBe(200);
      expect(me.body.user.role).toBe("instructor");
    });

    it("answers 403 academy_suspended while an academy is suspended; once reactivated, tokens from before the suspension are 401 and new sign-ins are served", async () => {
      const c = await seedAcademy(t.db, services, "paused");
      const admin = await tokenOf(c, "admin");
      const student = await tokenOf(c, "s1");
      expect((await coursesWith(admin)).status).toBe(200);

      const suspend = await t.request("PATCH", `/api/v1/admin/academies/${c.academyId}`, {
        token: platform,
        body: { status: "suspended" },
      });
      expect(suspend.status).toBe(200);
      expect(suspend.body.status).toBe("suspended");

      for (const token of [admin, student]) {
        expectProblem(await coursesWith(token), 403, "academy_suspended");
        expectProblem(await t.request("GET", "/api/v1/me", { token }), 403, "academy_suspended");
        expectProblem(
          await t.request("GET", `/api/v1/users/${c.users.s1}`, { token }),
          403,
          "academy_suspended",
        );
      }
      const write = await t.request("POST", COURSES, {
        token: admin,
        body: { title: "While suspended", instructorId: c.users.i1 },
      });
      expectProblem(write, 403, "academy_suspended");
      // Other academies are not affected.
      expect((await coursesWith(await tokenOf(a, "admin"))).status).toBe(200);

      const resume = await t.request("PATCH", `/api/v1/admin/academies/${c.academyId}`, {
        token: platform,
        body: { status: "active" },
      });
      expect(resume.status).toBe(200);
      // A suspension revokes the tokens issued before it (#18 finding 4).
      expectUnauthenticated(await coursesWith(admin));
      const after = await coursesWith(
        await t.login({
          academy: c.slug,
          email: "admin@example.com",
          password: "admin-password-1",
        }),
      );
      expect(after.status).toBe(200);
      // The write refused while suspended left nothing behind.
      expect(idsOf(after)).toEqual([c.courses.c1, c.courses.c2].sort());
    });

    it("answers 401 to a soft-deleted academy's users; once restored, new sign-ins are served and older tokens stay 401", async () => {
      const c = await seedAcademy(t.db, services, "deleted-academy");
      const admin = await tokenOf(c, "admin");
      const student = await tokenOf(c, "s1");
      expect((await coursesWith(student)).status).toBe(200);

      const removed = await t.request("DELETE", `/api/v1/admin/academies/${c.academyId}`, {
        token: platform,
      });
      expect(removed.status).toBe(204);

      for (const token of [admin, student]) {
        expectUnauthenticated(await coursesWith(token));
        expectUnauthenticated(await t.request("GET", "/api/v1/me", { token }));
      }

      const restored = await t.request("POST", `/api/v1/admin/academies/${c.academyId}/restore`, {
        token: platform,
      });
      expect(restored.status).toBe(200);
      expectUnauthenticated(await coursesWith(student));
      const fresh = await t.login({
        academy: c.slug,
        email: "s1@example.com",
        password: "password-s1-1",
      });
      expect((await coursesWith(fresh)).status).toBe(200);
    });
  });

  describe("the tenant comes from the token only", () => {
    const spoofHeaders = (academy: SeededAcademy) => ({
      "x-academy-id": academy.academyId,
      "x-tenant-id": academy.academyId,
      "x-academy": academy.slug,
    });

    it("serves A's admin A's course (the control for the reads below)", async () => {
      const response = await t.request("GET", `${COURSES}/${a.courses.c1}`, {
        token: await tokenOf(a, "admin"),
      });
      expect(response.status).toBe(200);
      expect(response.body.id).toBe(a.courses.c1);
    });

    it("answers 404 to A's admin for B's course, as for an id that does not exist", async () => {
      const token = await tokenOf(a, "admin");
      const other = await t.request("GET", `${COURSES}/${b.courses.c1}`, { token });
      const missing = await t.request("GET", `${COURSES}/${randomUUID()}`, { token });
      expectProblem(other, 404, "not_found");
      expectProblem(missing, 404, "not_found");
      expect(other.body.detail).toBe(missing.body.detail);
      // B's admin does see it: the id is real.
      const owner = await t.request("GET", `${COURSES}/${b.courses.c1}`, {
        token: await tokenOf(b, "admin"),
      });
      expect(owner.status).toBe(200);
    });

    it("ignores academy headers: B's objects stay 404 for A's token", async () => {
      const token = await tokenOf(a, "admin");
      const headers = spoofHeaders(b);
      for (const path of [
        `${COURSES}/${b.courses.c1}`,
        `/api/v1/users/${b.users.s1}`,
        `/api/v1/assignments/${b.assignments.a1}`,
        `/api/v1/submissions/${b.submissions.sub1}`,
      ]) {
        const response = await t.request("GET", path, { token, headers });
        expectProblem(response, 404, "not_found");
      }
    });

    it("ignores academy headers on lists: A's token lists A's courses only", async () => {
      const response = await t.request("GET", COURSES, {
        token: await tokenOf(a, "admin"),
        headers: spoofHeaders(b),
      });
      expect(response.status).toBe(200);
      expect(idsOf(response)).toEqual([a.courses.c1, a.courses.c2].sort());
    });

    it("rejects tenantId or academyId in a list query with 400", async () => {
      const token = await tokenOf(a, "admin");
      for (const key of ["tenantId", "academyId", "tenant_id"]) {
        const response = await t.request("GET", `${COURSES}?${key}=${b.academyId}`, { token });
        expectProblem(response, 400, "validation_failed");
      }
      const users = await t.request("GET", `/api/v1/users?academyId=${b.academyId}`, { token });
      expectProblem(users, 400, "validation_failed");
    });

    it("keeps B's course 404 for A's token whatever the query says (routes without a query schema ignore it)", async () => {
      const token = await tokenOf(a, "admin");
      for (const key of ["tenantId", "academyId"]) {
        const response = await t.request(
          "GET",
          `${COURSES}/${b.courses.c1}?${key}=${b.academyId}`,
          {
            token,
          },
        );
        expectProblem(response, 404, "not_found");
      }
    });

    it("answers 404 to cross-academy writes and leaves B's objects unchanged", async () => {
      const token = await tokenOf(a, "admin");
      const headers = spoofHeaders(b);
      const patch = await t.request("PATCH", `${COURSES}/${b.courses.c1}`, {
        token,
        headers,
        body: { title: "Owned by north" },
      });
      expectProblem(patch, 404, "not_found");
      const remove = await t.request("DELETE", `/api/v1/users/${b.users.s2}`, { token, headers });
      expectProblem(remove, 404, "not_found");
      const rename = await t.request("PATCH", `/api/v1/users/${b.users.s2}`, {
        token,
        headers,
        body: { name: "Renamed by north" },
      });
      expectProblem(rename, 404, "not_found");

      const bAdmin = await tokenOf(b, "admin");
      const course = await t.request("GET", `${COURSES}/${b.courses.c1}`, { token: bAdmin });
      expect(course.body.title).toBe("SAT Math");
      const user = await t.request("GET", `/api/v1/users/${b.users.s2}`, { token: bAdmin });
      expect(user.status).toBe(200);
      expect(user.body.name).toBe("User s2");
    });

    it("rejects tenantId or academyId in a POST body with 400 and writes nothing in either academy", async () => {
      const aAdmin = await tokenOf(a, "admin");
      const bAdmin = await tokenOf(b, "admin");
      const before = {
        aCourses: idsOf(await coursesWith(aAdmin)),
        bCourses: idsOf(await coursesWith(bAdmin)),
        aUsers: idsOf(await t.request("GET", "/api/v1/users?limit=100", { token: aAdmin })),
        bUsers: idsOf(await t.request("GET", "/api/v1/users?limit=100", { token: bAdmin })),
      };

      for (const key of ["tenantId", "academyId", "tenant_id"]) {
        const course = await t.request("POST", COURSES, {
          token: aAdmin,
          body: { title: `Smuggled ${key}`, instructorId: a.users.i1, [key]: b.academyId },
        });
        expectProblem(course, 400, "validation_failed");
        const user = await t.request("POST", "/api/v1/users", {
          token: aAdmin,
          body: {
            email: `smuggled-${key.toLowerCase()}@example.com`,
            name: "Smuggled",
            role: "student",
            password: "smuggled-password-1",
            [key]: b.academyId,
          },
        });
        expectProblem(user, 400, "validation_failed");
      }

      expect(idsOf(await coursesWith(aAdmin))).toEqual(before.aCourses);
      expect(idsOf(await coursesWith(bAdmin))).toEqual(before.bCourses);
      expect(idsOf(await t.request("GET", "/api/v1/users?limit=100", { token: aAdmin }))).toEqual(
        before.aUsers,
      );
      expect(idsOf(await t.request("GET", "/api/v1/users?limit=100", { token: bAdmin }))).toEqual(
        before.bUsers,
      );
    });
  });

  describe("mass assignment on PATCH /users/:id", () => {
    const smuggled: [string, () => Record<string, unknown>][] = [
      ["role", () => ({ role: "admin" })],
      ["id", () => ({ id: randomUUID() })],
      ["tenantId", () => ({ tenantId: b.academyId })],
      ["academyId", () => ({ academyId: b.academyId })],
      ["passwordHash", () => ({ passwordHash: "scrypt$1024$8$1$AAAA$AAAA" })],
      ["password_hash", () => ({ password_hash: "scrypt$1024$8$1$AAAA$AAAA" })],
      ["deletedAt", () => ({ deletedAt: new Date().toISOString() })],
    ];

    it.each(smuggled)(
      "rejects %s (with a legitimate name change beside it) from an admin with 400 and changes nothing",
      async (_field, extra) => {
        const token = await tokenOf(a, "admin");
        const path = `/api/v1/users/${a.users.s2}`;
        const before = await t.request("GET", path, { token });
        expect(before.status).toBe(200);
        const response = await t.request("PATCH", path, {
          token,
          body: { name: "Mallory", ...extra() },
        });
        expectProblem(response, 400, "validation_failed");
        const after = await t.request("GET", path, { token });
        expect(after.status).toBe(200);
        expect(after.body).toEqual(before.body);
      },
    );

    it.each(smuggled)(
      "rejects %s from a student editing themself with 400 and changes nothing",
      async (_field, extra) => {
        const token = await tokenOf(a, "s3");
        const path = `/api/v1/users/${a.users.s3}`;
        const before = await t.request("GET", path, { token });
        expect(before.status).toBe(200);
        const response = await t.request("PATCH", path, {
          token,
          body: { name: "Mallory", ...extra() },
        });
        expectProblem(response, 400, "validation_failed");
        const after = await t.request("GET", path, { token });
        expect(after.body).toEqual(before.body);
        expect(after.body.role).toBe("student");
        // The old token still works, so the role in the database did not move.
        expect((await coursesWith(token)).status).toBe(200);
      },
    );

    it("keeps the old password working after a rejected passwordHash change", async () => {
      const token = await tokenOf(a, "s3");
      const response = await t.request("PATCH", `/api/v1/users/${a.users.s3}`, {
        token,
        body: { passwordHash: "scrypt$1024$8$1$AAAA$AAAA" },
      });
      expectProblem(response, 400, "validation_failed");
      const again = await t.request("POST", "/api/v1/auth/login", {
        body: { academy: "north", email: "s3@example.com", password: "password-s3-1" },
      });
      expect(again.status).toBe(200);
    });
  });
});
