import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp, type TestResponse } from "./support/test-app.js";

// #18 finding 3, replayed: with a short impersonation token for an academy
// admin, `POST /users {role: "admin", password}` and `PATCH /users/{other}
// {password}` gave accounts that signed in normally long after the
// impersonation ended, and the audit log held only `impersonation.create`.
// Now every credential write is a 403 `impersonation_forbidden` that writes
// nothing, and every write request through the token is in the audit log with
// the platform admin, the reason and the impersonated user.

interface AuditEvent {
  actorId: string | null;
  action: string;
  academyId: string | null;
  targetType: string | null;
  targetId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

function expectImpersonationForbidden(response: TestResponse): void {
  expect(response.status).toBe(403);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 403, code: "impersonation_forbidden" });
  expect(response.body.detail).toMatch(/impersonation/i);
}

describe.each(ENGINES)("an impersonation cannot create or change credentials (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  let platform: string;
  let platformAdminId: string;
  const services = fastServices();

  async function impersonate(userId: string, reason: string): Promise<string> {
    const response = await t.request("POST", "/api/v1/admin/impersonations", {
      token: platform,
      body: { academyId: a.academyId, userId, reason, ttlSeconds: 60 },
    });
    expect(response.status).toBe(201);
    return response.body.accessToken as string;
  }

  async function auditLog(): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await t.request("GET", `/api/v1/admin/audit-log?limit=100${query}`, {
        token: platform,
      });
      events.push(...(page.body.data as AuditEvent[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return events;
  }

  const signIn = (email: string, password: string) =>
    t.request("POST", "/api/v1/auth/login", { body: { academy: a.slug, email, password } });

  beforeAll(async () => {
    t = await createTestApp(engine, {
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 900 },
    });
    a = await seedAcademy(t.db, services, "north");
    platform = await t.platformToken();
    platformAdminId = (await t.request("GET", "/api/v1/me", { token: platform })).body.user.id;
  });
  afterAll(() => t.dispose());

  it("refuses POST /users {role: admin, password} with 403 impersonation_forbidden, and the account never exists", async () => {
    const token = await impersonate(a.users.admin, "Replay: create an admin");
    const email = `backdoor-${randomUUID().slice(0, 8)}@example.com`;
    const created = await t.request("POST", "/api/v1/users", {
      token,
      body: { email, name: "Backdoor", role: "admin", password: "backdoor-password-1" },
    });
    expectImpersonationForbidden(created);
    expect((await signIn(email, "backdoor-password-1")).status).toBe(401);
    // Nor any other role: every new account comes with a password the impersonator knows.
    expectImpersonationForbidden(
      await t.request("POST", "/api/v1/users", {
        token,
        body: { email, name: "Student", role: "student", password: "backdoor-password-1" },
      }),
    );
    const admin = await t.login({
      academy: a.slug,
      email: "admin@example.com",
      password: "admin-password-1",
    });
    const found = await t.request("GET", `/api/v1/users?limit=100`, { token: admin });
    expect((found.body.data as { email: string }[]).map((u) => u.email)).not.toContain(email);
  });

  it("refuses PATCH /users/{other} {password} and {email} with 403, and the old password still works", async () => {
    const token = await impersonate(a.users.admin, "Replay: reset a password");
    expectImpersonationForbidden(
      await t.request("PATCH", `/api/v1/users/${a.users.i1}`, {
        token,
        body: { password: "taken-over-password-1" },
      }),
    );
    expectImpersonationForbidden(
      await t.request("PATCH", `/api/v1/users/${a.users.i1}`, {
        token,
        body: { email: "attacker@example.com" },
      }),
    );
    expect((await signIn("i1@example.com", "taken-over-password-1")).status).toBe(401);
    expect((await signIn("i1@example.com", "password-i1-1")).status).toBe(200);
    expect((await signIn("attacker@example.com", "password-i1-1")).status).toBe(401);
  });

  it("refuses the impersonated user's own password or email change (a student's too)", async () => {
    const adminToken = await impersonate(a.users.admin, "Own password");
    expectImpersonationForbidden(
      await t.request("PATCH", `/api/v1/users/${a.users.admin}`, {
        token: adminToken,
        body: { password: "admin-password-2" },
      }),
    );
    const studentToken = await impersonate(a.users.s2, "Student password");
    expectImpersonationForbidden(
      await t.request("PATCH", `/api/v1/users/${a.users.s2}`, {
        token: studentToken,
        body: { name: "Renamed", password: "student-password-2" },
      }),
    );
    expect((await signIn("s2@example.com", "password-s2-1")).status).toBe(200);
    const me = await t.request("GET", `/api/v1/users/${a.users.s2}`, { token: studentToken });
    expect(me.body.name).toBe("User s2");
  });

  it("still lets an impersonation do what is not a credential (a name change)", async () => {
    const token = await impersonate(a.users.admin, "Fix a typo");
    const renamed = await t.request("PATCH", `/api/v1/users/${a.users.s3}`, {
      token,
      body: { name: "User s3 (fixed)" },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe("User s3 (fixed)");
  });

  it("audit-logs every write through an impersonation token with the platform admin, the reason and the target, refused ones included", async () => {
    const reason = `Ticket ${randomUUID()}`;
    const token = await impersonate(a.users.admin, reason);
    const renamed = await t.request("PATCH", `/api/v1/users/${a.users.p}`, {
      token,
      body: { name: "Parent renamed" },
    });
    expect(renamed.status).toBe(200);
    const refused = await t.request("PATCH", `/api/v1/users/${a.users.p}`, {
      token,
      body: { password: "parent-password-2" },
    });
    expectImpersonationForbidden(refused);
    const course = await t.request("POST", "/api/v1/courses", {
      token,
      body: { title: "Made while impersonating", instructorId: a.users.i1 },
    });
    expect(course.status).toBe(201);
    // Reads are not writes: no event for them.
    expect((await t.request("GET", "/api/v1/courses", { token })).status).toBe(200);

    const writes = (await auditLog()).filter(
      (event) => event.action === "impersonation.write" && event.reason === reason,
    );
    expect(writes).toHaveLength(3);
    for (const event of writes) {
      expect(event).toMatchObject({
        actorId: platformAdminId,
        academyId: a.academyId,
        targetType: "user",
        targetId: a.users.admin,
        reason,
      });
    }
    expect(writes.map((event) => `${event.details.method} ${event.details.path}`).sort()).toEqual(
      [
        "PATCH /api/v1/users/" + a.users.p,
        "PATCH /api/v1/users/" + a.users.p,
        "POST /api/v1/courses",
      ].sort(),
    );
  });

  it("writes no impersonation event for an ordinary admin token's writes", async () => {
    const before = (await auditLog()).filter((e) => e.action === "impersonation.write").length;
    const admin = await t.login({
      academy: a.slug,
      email: "admin@example.com",
      password: "admin-password-1",
    });
    const renamed = await t.request("PATCH", `/api/v1/users/${a.users.s1}`, {
      token: admin,
      body: { name: "Renamed by the admin" },
    });
    expect(renamed.status).toBe(200);
    const after = (await auditLog()).filter((e) => e.action === "impersonation.write").length;
    expect(after).toBe(before);
  });
});
