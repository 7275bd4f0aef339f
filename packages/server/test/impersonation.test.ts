import { randomUUID } from "node:crypto";
import { withPlatform } from "@skillbridge/core";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp, type TestResponse } from "./support/test-app.js";

// POST /api/v1/admin/impersonations: the only way a platform admin acts inside
// an academy. Short-lived, marked with `imp`, written to the audit log first,
// and never more than the impersonated user could do themself.

const IMPERSONATIONS = "/api/v1/admin/impersonations";
const MAX_TTL = 3600;

interface AuditEvent {
  id: string;
  occurredAt: string;
  actorId: string | null;
  action: string;
  academyId: string | null;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

function expectProblem(response: TestResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
  expect(response.body).not.toHaveProperty("accessToken");
}

describe.each(ENGINES)("impersonation (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  let b: SeededAcademy;
  let platform: string;
  let platformAdminId: string;
  const services = fastServices();

  const impersonate = (body: Record<string, unknown>, token = platform) =>
    t.request("POST", IMPERSONATIONS, { token, body });

  /** The whole audit trail, every page. */
  async function auditLog(): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await t.request("GET", `/api/v1/admin/audit-log?limit=100${query}`, {
        token: platform,
      });
      expect(page.status).toBe(200);
      events.push(...(page.body.data as AuditEvent[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return events;
  }

  const impersonationRows = async () =>
    (await auditLog()).filter((event) => event.action === "impersonation.create");

  /** A second platform user, created the way `init` would, and signed in. */
  async function platformUser(role: "platform_admin" | "content_manager") {
    const email = `${role}-${randomUUID().slice(0, 8)}@platform.example`;
    const password = "another-platform-password-1";
    const user = await withPlatform(t.db, (trx) =>
      t.app.context.deps.services.platformUsers.create(trx, {
        email,
        name: `Another ${role}`,
        role,
        password,
      }),
    );
    return { id: user.id, token: await t.login({ email, password }) };
  }

  beforeAll(async () => {
    t = await createTestApp(engine, {
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 900 },
    });
    a = await seedAcademy(t.db, services, "north");
    b = await seedAcademy(t.db, services, "south");
    platform = await t.platformToken();
    const me = await t.request("GET", "/api/v1/me", { token: platform });
    platformAdminId = me.body.user.id;
  });
  afterAll(() => t.dispose());

  it("answers a platform admin 201 { accessToken, expiresIn }", async () => {
    const response = await impersonate({
      academyId: a.academyId,
      userId: a.users.s1,
      reason: "Support ticket 4711",
    });
    expect(response.status).toBe(201);
    expect(Object.keys(response.body).sort()).toEqual(["accessToken", "expiresIn"]);
    expect(typeof response.body.accessToken).toBe("string");
    expect(Number.isInteger(response.body.expiresIn)).toBe(true);
    expect(response.body.expiresIn).toBeGreaterThan(0);
    expect(response.body.expiresIn).toBeLessThanOrEqual(MAX_TTL);
  });

  it("gives a token that acts as the impersonated user, with that user's powers only", async () => {
    const response = await impersonate({
      academyId: a.academyId,
      userId: a.users.s1,
      reason: "Student cannot see course",
    });
    const token = response.body.accessToken as string;

    const me = await t.request("GET", "/api/v1/me", { token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: a.users.s1, role: "student", academyId: a.academyId });
    expect(me.body.academy.id).toBe(a.academyId);

    // Exactly what s1 sees: the course they are enrolled in, not the academy's.
    const courses = await t.request("GET", "/api/v1/courses", { token });
    expect(courses.status).toBe(200);
    expect((courses.body.data as { id: string }[]).map((c) => c.id)).toEqual([a.courses.c1]);
    expectProblem(
      await t.request("GET", `/api/v1/users/${a.users.s2}`, { token }),
      404,
      "not_found",
    );
    expectProblem(
      await t.request("POST", "/api/v1/users", {
        token,
        body: { email: "x@example.com", name: "X", role: "admin", password: "x-password-1" },
      }),
      403,
      "forbidden",
    );
    // Nor anything in another academy.
    expectProblem(
      await t.request("GET", `/api/v1/courses/${b.courses.c1}`, { token }),
      404,
      "not_found",
    );
  });

  it("gives the impersonation token no platform powers", async () => {
    const response = await impersonate({
      academyId: a.academyId,
      userId: a.users.admin,
      reason: "Check the admin's view",
    });
    const token = response.body.accessToken as string;
    expectProblem(await t.request("GET", "/api/v1/admin/academies", { token }), 403, "forbidden");
    expectProblem(await t.request("GET", "/api/v1/admin/audit-log", { token }), 403, "forbidden");
    // No chaining: an impersonation token cannot mint another one.
    const chained = await impersonate(
      { academyId: b.academyId, userId: b.users.admin, reason: "Chained" },
      token,
    );
    expectProblem(chained, 403, "forbidden");
  });

  it("marks the token with imp = the platform admin's id, and keeps it within an hour", async () => {
    const response = await impersonate({
      academyId: a.academyId,
      userId: a.users.i1,
      reason: "Instructor reports a grading bug",
      ttlSeconds: MAX_TTL,
    });
    expect(response.status).toBe(201);
    expect(response.body.expiresIn).toBe(MAX_TTL);
    const claims = decodeJwt(response.body.accessToken);
    expect(claims).toMatchObject({
      sub: a.users.i1,
      aid: a.academyId,
      role: "instructor",
      imp: platformAdminId,
      iss: "skillbridge",
      aud: "skillbridge-api",
    });
    const lifetime = (claims.exp ?? Number.POSITIVE_INFINITY) - (claims.iat ?? 0);
    expect(lifetime).toBeLessThanOrEqual(MAX_TTL);
    expect(lifetime).toBe(response.body.expiresIn);
  });

  it("defaults to a lifetime shorter than an hour when no ttlSeconds is given", async () => {
    const response = await impersonate({
      academyId: a.academyId,
      userId: a.users.p,
      reason: "Parent cannot see grades",
    });
    const claims = decodeJwt(response.body.accessToken);
    const lifetime = (claims.exp ?? Number.POSITIVE_INFINITY) - (claims.iat ?? 0);
    expect(lifetime).toBe(response.body.expiresIn);
    expect(lifetime).toBeLessThan(MAX_TTL);
    expect(claims.imp).toBe(platformAdminId);
  });

  it("rejects a ttlSeconds over one hour (7200, 3601) with 400, issuing no token and writing no audit row", async () => {
    const before = (await impersonationRows()).length;
    for (const ttlSeconds of [7200, 3601, 86_400 * 365]) {
      const response = await impersonate({
        academyId: a.academyId,
        userId: a.users.s2,
        reason: "Wants a long session",
        ttlSeconds,
      });
      expectProblem(response, 400, "validation_failed");
      expect(response.body.errors).toEqual([expect.objectContaining({ path: "ttlSeconds" })]);
    }
    for (const ttlSeconds of [0, -1, 59, 1.5, "3600"]) {
      const response = await impersonate({
        academyId: a.academyId,
        userId: a.users.s2,
        reason: "Odd lifetimes",
        ttlSeconds,
      });
      expectProblem(response, 400, "validation_failed");
    }
    expect((await impersonationRows()).length).toBe(before);
  });

  it("writes an impersonation.create audit row with the admin, reason, academy, target user and lifetime", async () => {
    const reason = `Ticket ${randomUUID()}`;
    const response = await impersonate({
      academyId: a.academyId,
      userId: a.users.s3,
      reason,
      ttlSeconds: 600,
    });
    expect(response.status).toBe(201);
    const rows = (await impersonationRows()).filter((event) => event.reason === reason);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "impersonation.create",
      actorId: platformAdminId,
      academyId: a.academyId,
      targetType: "user",
      targetId: a.users.s3,
      reason,
      details: { role: "student", ttlSeconds: 600 },
    });
    expect(Number.isNaN(Date.parse(rows[0]?.occurredAt ?? ""))).toBe(false);
  });

  it("trims the reason and rejects a missing or blank one with 400, writing nothing", async () => {
    const before = (await impersonationRows()).length;
    for (const body of [
      { academyId: a.academyId, userId: a.users.s1 },
      { academyId: a.academyId, userId: a.users.s1, reason: "" },
      { academyId: a.academyId, userId: a.users.s1, reason: "      " },
      { academyId: a.academyId, userId: a.users.s1, reason: "x".repeat(501) },
    ]) {
      expectProblem(await impersonate(body), 400, "validation_failed");
    }
    expect((await impersonationRows()).length).toBe(before);

    const reason = `  padded ${randomUUID()}  `;
    const ok = await impersonate({ academyId: a.academyId, userId: a.users.s1, reason });
    expect(ok.status).toBe(201);
    const rows = await impersonationRows();
    expect(rows.some((event) => event.reason === reason.trim())).toBe(true);
  });

  it("rejects unknown fields (role, imp, tenantId) with 400 and writes nothing", async () => {
    const before = (await impersonationRows()).length;
    for (const extra of [{ role: "admin" }, { imp: randomUUID() }, { tenantId: b.academyId }]) {
      const response = await impersonate({
        academyId: a.academyId,
        userId: a.users.s1,
        reason: "Smuggling",
        ...extra,
      });
      expectProblem(response, 400, "validation_failed");
    }
    expect((await impersonationRows()).length).toBe(before);
  });

  it("answers 404 for another academy's user, an unknown user or an unknown academy, and writes no audit row", async () => {
    const before = await impersonationRows();
    const attempts = [
      { academyId: a.academyId, userId: b.users.s1 },
      { academyId: b.academyId, userId: a.users.admin },
      { academyId: a.academyId, userId: randomUUID() },
      { academyId: randomUUID(), userId: a.users.s1 },
    ];
    for (const target of attempts) {
      const response = await impersonate({ ...target, reason: "Wrong door" });
      expectProblem(response, 404, "not_found");
    }
    const after = await impersonationRows();
    expect(after.length).toBe(before.length);
    expect(after.some((event) => event.reason === "Wrong door")).toBe(false);
  });

  it("answers 404 for a soft-deleted user and for a soft-deleted academy", async () => {
    const c = await seedAcademy(t.db, services, "leaving");
    const admin = await t.login({
      academy: c.slug,
      email: "admin@example.com",
      password: "admin-password-1",
    });
    expect(
      (await t.request("DELETE", `/api/v1/users/${c.users.s2}`, { token: admin })).status,
    ).toBe(204);
    expectProblem(
      await impersonate({ academyId: c.academyId, userId: c.users.s2, reason: "Deleted user" }),
      404,
      "not_found",
    );

    expect(
      (await t.request("DELETE", `/api/v1/admin/academies/${c.academyId}`, { token: platform }))
        .status,
    ).toBe(204);
    expectProblem(
      await impersonate({ academyId: c.academyId, userId: c.users.s1, reason: "Deleted academy" }),
      404,
      "not_found",
    );
    const reasons = (await impersonationRows()).map((event) => event.reason);
    expect(reasons).not.toContain("Deleted user");
    expect(reasons).not.toContain("Deleted academy");
  });

  it("forbids an academy admin (403) and writes no audit row", async () => {
    const before = (await impersonationRows()).length;
    const admin = await t.login({
      academy: "north",
      email: "admin@example.com",
      password: "admin-password-1",
    });
    for (const target of [
      { academyId: a.academyId, userId: a.users.s1 },
      { academyId: b.academyId, userId: b.users.admin },
    ]) {
      expectProblem(
        await impersonate({ ...target, reason: "Admin tries" }, admin),
        403,
        "forbidden",
      );
    }
    expect((await impersonationRows()).length).toBe(before);
  });

  it("forbids a content manager (403) and writes no audit row", async () => {
    const before = (await impersonationRows()).length;
    const manager = await platformUser("content_manager");
    const response = await impersonate(
      { academyId: a.academyId, userId: a.users.s1, reason: "Content manager tries" },
      manager.token,
    );
    expectProblem(response, 403, "forbidden");
    expect((await impersonationRows()).length).toBe(before);
  });

  it("refuses an unauthenticated or forged caller with 401", async () => {
    const body = { academyId: a.academyId, userId: a.users.s1, reason: "No token" };
    expectProblem(await t.request("POST", IMPERSONATIONS, { body }), 401, "unauthenticated");
    expectProblem(await impersonate(body, "not-a-token"), 401, "unauthenticated");
  });

  it("stops an impersonation token at once when the impersonated user is deleted", async () => {
    const c = await seedAcademy(t.db, services, "target-gone");
    const response = await impersonate({
      academyId: c.academyId,
      userId: c.users.s1,
      reason: "Before deletion",
    });
    const token = response.body.accessToken as string;
    expect((await t.request("GET", "/api/v1/me", { token })).status).toBe(200);
    const admin = await t.login({
      academy: c.slug,
      email: "admin@example.com",
      password: "admin-password-1",
    });
    await t.request("DELETE", `/api/v1/users/${c.users.s1}`, { token: admin });
    expectProblem(await t.request("GET", "/api/v1/me", { token }), 401, "unauthenticated");
  });

  it("stops an impersonation token at once when the impersonating platform admin is deleted", async () => {
    const second = await platformUser("platform_admin");
    const response = await impersonate(
      { academyId: a.academyId, userId: a.users.admin, reason: "Admin about to leave" },
      second.token,
    );
    expect(response.status).toBe(201);
    const token = response.body.accessToken as string;
    expect(decodeJwt(token).imp).toBe(second.id);
    expect((await t.request("GET", "/api/v1/users", { token })).status).toBe(200);

    await withPlatform(t.db, (trx) =>
      trx
        .updateTable("platform_users")
        .set({ deleted_at: new Date() })
        .where("id", "=", second.id)
        .execute(),
    );
    // The admin's own token is dead (the control) ...
    expectProblem(
      await t.request("GET", "/api/v1/admin/academies", { token: second.token }),
      401,
      "unauthenticated",
    );
    // ... and so must be the academy-admin powers they minted for themself.
    expectProblem(await t.request("GET", "/api/v1/users", { token }), 401, "unauthenticated");
  });
});
