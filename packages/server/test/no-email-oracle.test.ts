import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp, type TestResponse } from "./support/test-app.js";

// #18 finding 10, replayed: `PATCH /users/{self} {email}` answered 409
// "already exists" for a taken address and 200 (applying it) otherwise, so any
// user could test which addresses their academy has. Now only admins change
// emails: anyone else gets the same 403 whether the address is taken or free,
// and nothing changes.

const ROLES = [
  ["i1", "password-i1-1"],
  ["s1", "password-s1-1"],
  ["p", "password-p-1"],
] as const;

/** The answer without what differs between two requests anyway (request ids). */
function answer(response: TestResponse) {
  const { instance: _instance, requestId: _requestId, ...body } = response.body ?? {};
  return { status: response.status, body };
}

describe.each(ENGINES)("no email oracle (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  const services = fastServices();

  beforeAll(async () => {
    t = await createTestApp(engine, {
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 900 },
    });
    a = await seedAcademy(t.db, services, "north");
  });
  afterAll(() => t.dispose());

  it.each(ROLES)(
    "a %s changing their own email gets the same 403 for a taken and a free address, and keeps theirs",
    async (key, password) => {
      const token = await t.login({ academy: a.slug, email: `${key}@example.com`, password });
      const patch = (email: string) =>
        t.request("PATCH", `/api/v1/users/${a.users[key]}`, { token, body: { email } });
      const taken = await patch("admin@example.com");
      const free = await patch(`free-${key}@example.com`);
      expect(taken.status).toBe(403);
      expect(String(taken.headers["content-type"])).toMatch(/^application\/problem\+json/);
      expect(taken.body).toMatchObject({ code: "forbidden" });
      expect(taken.body.detail).toMatch(/only an academy admin can change an email/i);
      expect(answer(free)).toEqual(answer(taken));
      const me = await t.request("GET", "/api/v1/me", { token });
      expect(me.body.user.email).toBe(`${key}@example.com`);
      // Everything else about themself they may still change.
      const renamed = await t.request("PATCH", `/api/v1/users/${a.users[key]}`, {
        token,
        body: { name: `Renamed ${key}` },
      });
      expect(renamed.status).toBe(200);
    },
  );

  it("an admin still changes emails (and is told when one is taken: admins see the directory anyway)", async () => {
    const admin = await t.login({
      academy: a.slug,
      email: "admin@example.com",
      password: "admin-password-1",
    });
    const changed = await t.request("PATCH", `/api/v1/users/${a.users.s2}`, {
      token: admin,
      body: { email: "s2-new@example.com" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.email).toBe("s2-new@example.com");
    const taken = await t.request("PATCH", `/api/v1/users/${a.users.s3}`, {
      token: admin,
      body: { email: "s2-new@example.com" },
    });
    expect(taken.status).toBe(409);
  });
});
