import { withPlatform, withTenant } from "@skillbridge/core";
import { decodeJwt } from "jose";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import {
  createPeerApp,
  createTestApp,
  ENGINES,
  PLATFORM_ADMIN,
  requestVia,
  type TestApp,
  type TestResponse,
} from "./support/test-app.js";

// #18 finding 4, replayed: a password reset left the user's old token
// working. Now a password change (self or admin), a role change, a deletion or
// a suspension makes every token issued before it a 401 on its next request,
// tokens issued after it keep working (even in the same second: JWT `iat` has
// second resolution, so what is compared is a credentials version, not a
// time), and `POST /auth/logout` revokes the token it is called with, in
// every server process.

const ME = "/api/v1/me";

function expectUnauthenticated(response: TestResponse): void {
  expect(response.status).toBe(401);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 401, code: "unauthenticated" });
}

describe.each(ENGINES)("credential changes revoke tokens (%s)", (engine) => {
  let t: TestApp;
  const services = fastServices();
  let slugs = 0;
  let a: SeededAcademy;
  let admin: string;

  /** A fresh academy, so each case's password changes touch no other case. */
  const fresh = async () => {
    slugs += 1;
    return seedAcademy(t.db, services, `revoke-${slugs}`);
  };
  const signIn = (academy: SeededAcademy, email: string, password: string) =>
    t.login({ academy: academy.slug, email, password });
  const me = (token: string) => t.request("GET", ME, { token });

  beforeAll(async () => {
    t = await createTestApp(engine, {
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 900 },
    });
    a = await fresh();
    admin = await signIn(a, "admin@example.com", "admin-password-1");
  });
  afterAll(() => t.dispose());

  it("an admin's password reset makes the user's older tokens 401, and leaves the admin's own token working", async () => {
    const old = await signIn(a, "s1@example.com", "password-s1-1");
    expect((await me(old)).status).toBe(200);
    const reset = await t.request("PATCH", `/api/v1/users/${a.users.s1}`, {
      token: admin,
      body: { password: "password-s1-2" },
    });
    expect(reset.status).toBe(200);
    expectUnauthenticated(await me(old));
    expectUnauthenticated(await t.request("GET", "/api/v1/courses", { token: old }));
    expect((await me(admin)).status).toBe(200);
    const fresh = await signIn(a, "s1@example.com", "password-s1-2");
    expect((await me(fresh)).status).toBe(200);
  });

  it("a user's own password change ends every older session, the one that made it included", async () => {
    const first = await signIn(a, "s2@example.com", "password-s2-1");
    const second = await signIn(a, "s2@example.com", "password-s2-1");
    const changed = await t.request("PATCH", `/api/v1/users/${a.users.s2}`, {
      token: first,
      body: { password: "password-s2-2" },
    });
    expect(changed.status).toBe(200);
    expectUnauthenticated(await me(first));
    expectUnauthenticated(await me(second));
    expect((await me(await signIn(a, "s2@example.com", "password-s2-2"))).status).toBe(200);
  });

  it("a token issued in the same second as the change is judged by which side of it it is on", async () => {
    const c = await fresh();
    const cAdmin = await signIn(c, "admin@example.com", "admin-password-1");
    let round = 0;
    let sameSecond = false;
    while (!sameSecond && round < 10) {
      round += 1;
      const password = `password-i1-${round + 1}`;
      const before = await signIn(c, "i1@example.com", `password-i1-${round}`);
      const reset = await t.request("PATCH", `/api/v1/users/${c.users.i1}`, {
        token: cAdmin,
        body: { password },
      });
      expect(reset.status).toBe(200);
      const after = await signIn(c, "i1@example.com", password);
      expectUnauthenticated(await me(before));
      expect((await me(after)).status).toBe(200);
      sameSecond = decodeJwt(before).iat === decodeJwt(after).iat;
    }
    // At least one round had both tokens in one second: `iat` alone could not tell them apart.
    expect(sameSecond).toBe(true);
  });

  it("a role change makes older tokens 401, even once the role is changed back", async () => {
    const c = await fresh();
    const old = await signIn(c, "i2@example.com", "password-i2-1");
    const setRole = (role: string) =>
      withTenant(t.db, { tenantId: c.academyId, userId: null, role: "system" }, (trx) =>
        trx.updateTable("users").set({ role }).where("id", "=", c.users.i2).execute(),
      );
    await setRole("student");
    await setRole("instructor");
    expectUnauthenticated(await me(old));
    expect((await me(await signIn(c, "i2@example.com", "password-i2-1"))).status).toBe(200);
  });

  it("a deletion makes older tokens 401, and they stay dead if the user is brought back", async () => {
    const c = await fresh();
    const cAdmin = await signIn(c, "admin@example.com", "admin-password-1");
    const old = await signIn(c, "s3@example.com", "password-s3-1");
    expect(
      (await t.request("DELETE", `/api/v1/users/${c.users.s3}`, { token: cAdmin })).status,
    ).toBe(204);
    expectUnauthenticated(await me(old));
    await withTenant(t.db, { tenantId: c.academyId, userId: null, role: "system" }, (trx) =>
      trx.updateTable("users").set({ deleted_at: null }).where("id", "=", c.users.s3).execute(),
    );
    expectUnauthenticated(await me(old));
    expect((await me(await signIn(c, "s3@example.com", "password-s3-1"))).status).toBe(200);
  });

  it("a suspension is 403 while it lasts (API.md), and tokens from before it are 401 once the academy is reactivated", async () => {
    const c = await fresh();
    const platform = await t.platformToken();
    const old = await signIn(c, "s1@example.com", "password-s1-1");
    const setStatus = (status: string) =>
      t.request("PATCH", `/api/v1/admin/academies/${c.academyId}`, {
        token: platform,
        body: { status },
      });
    expect((await setStatus("suspended")).status).toBe(200);
    const during = await me(old);
    expect(during.status).toBe(403);
    expect(during.body.code).toBe("academy_suspended");
    expect((await setStatus("active")).status).toBe(200);
    expectUnauthenticated(await me(old));
    expect((await me(await signIn(c, "s1@example.com", "password-s1-1"))).status).toBe(200);
  });

  it("a platform admin's password change makes their platform token and the impersonations they started 401", async () => {
    const platform = await t.platformToken();
    const impersonation = await t.request("POST", "/api/v1/admin/impersonations", {
      token: platform,
      body: { academyId: a.academyId, userId: a.users.p, reason: "Before a password change" },
    });
    expect(impersonation.status).toBe(201);
    const acting = impersonation.body.accessToken as string;
    expect((await me(acting)).status).toBe(200);
    const hash = await services.passwords.hash("platform-password-2");
    await withPlatform(t.db, (trx) =>
      trx
        .updateTable("platform_users")
        .set({ password_hash: hash })
        .where("email", "=", PLATFORM_ADMIN.email)
        .execute(),
    );
    expectUnauthenticated(await t.request("GET", "/api/v1/admin/academies", { token: platform }));
    expectUnauthenticated(await me(acting));
    // Put it back for the other cases: a new login works again.
    await withPlatform(t.db, async (trx) =>
      trx
        .updateTable("platform_users")
        .set({ password_hash: await services.passwords.hash(PLATFORM_ADMIN.password) })
        .where("email", "=", PLATFORM_ADMIN.email)
        .execute(),
    );
    expect((await me(await t.platformToken())).status).toBe(200);
  });

  it("POST /auth/logout revokes exactly the token it is called with, in every server process", async () => {
    const peer = createPeerApp(t);
    try {
      const onPeer = requestVia(peer);
      const leaving = await signIn(a, "i1@example.com", "password-i1-1");
      const staying = await signIn(a, "i1@example.com", "password-i1-1");
      expect((await onPeer("GET", ME, { token: leaving })).status).toBe(200);
      const out = await t.request("POST", "/api/v1/auth/logout", { token: leaving });
      expect(out.status).toBe(204);
      expectUnauthenticated(await me(leaving));
      expectUnauthenticated(await onPeer("GET", ME, { token: leaving }));
      expectUnauthenticated(await t.request("POST", "/api/v1/auth/logout", { token: leaving }));
      expect((await me(staying)).status).toBe(200);
      expect((await onPeer("GET", ME, { token: staying })).status).toBe(200);
    } finally {
      await peer.closeResources();
    }
  });

  it("POST /auth/logout revokes a platform token too, and needs a token", async () => {
    const platform = await t.platformToken();
    const other = await t.platformToken();
    expect((await t.request("POST", "/api/v1/auth/logout", { token: platform })).status).toBe(204);
    expectUnauthenticated(await t.request("GET", "/api/v1/admin/academies", { token: platform }));
    expect((await t.request("GET", "/api/v1/admin/academies", { token: other })).status).toBe(200);
    expectUnauthenticated(await t.request("POST", "/api/v1/auth/logout"));
  });

  it("keeps a revoked token's row only until the token would have expired", async () => {
    const token = await signIn(a, "p@example.com", "password-p-1");
    expect((await t.request("POST", "/api/v1/auth/logout", { token })).status).toBe(204);
    const rows = await withPlatform(t.db, (trx) =>
      trx
        .selectFrom("revoked_tokens")
        .select(["jti", "academy_id", "expires_at"])
        .where("jti", "=", String(decodeJwt(token).jti))
        .execute(),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.academy_id).toBe(a.academyId);
    expect(new Date(rows[0]?.expires_at ?? 0).getTime()).toBe((decodeJwt(token).exp ?? 0) * 1000);
    // A row whose token expired over a minute ago is swept by the next logout.
    await withPlatform(t.db, (trx) =>
      trx
        .updateTable("revoked_tokens")
        .set({ expires_at: sql<Date>`now() - interval '2 minutes'` })
        .where("jti", "=", String(decodeJwt(token).jti))
        .execute(),
    );
    const another = await signIn(a, "p@example.com", "password-p-1");
    expect((await t.request("POST", "/api/v1/auth/logout", { token: another })).status).toBe(204);
    const left = await withPlatform(t.db, (trx) =>
      trx
        .selectFrom("revoked_tokens")
        .select("jti")
        .where("jti", "=", String(decodeJwt(token).jti))
        .execute(),
    );
    expect(left).toEqual([]);
  });
});
