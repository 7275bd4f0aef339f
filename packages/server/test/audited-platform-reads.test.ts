import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// #18 finding 8, replayed: `GET /admin/academies/{id}/users` returned every
// name, email and role of an academy and wrote nothing to the audit log. Now
// each such read writes an `academy.users.read` event naming the academy and
// the platform admin, before the people are read.

interface AuditEvent {
  actorId: string | null;
  action: string;
  academyId: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

describe.each(ENGINES)("audited platform reads (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  let b: SeededAcademy;
  let platform: string;
  let platformAdminId: string;
  const services = fastServices();

  const reads = async (): Promise<AuditEvent[]> => {
    const page = await t.request("GET", "/api/v1/admin/audit-log?limit=100", { token: platform });
    expect(page.status).toBe(200);
    return (page.body.data as AuditEvent[]).filter((e) => e.action === "academy.users.read");
  };

  beforeAll(async () => {
    t = await createTestApp(engine);
    a = await seedAcademy(t.db, services, "north");
    b = await seedAcademy(t.db, services, "south");
    platform = await t.platformToken();
    platformAdminId = (await t.request("GET", "/api/v1/me", { token: platform })).body.user.id;
  });
  afterAll(() => t.dispose());

  it("writes an academy.users.read event naming the academy and the platform admin for each directory read", async () => {
    expect(await reads()).toEqual([]);
    const directory = await t.request("GET", `/api/v1/admin/academies/${a.academyId}/users`, {
      token: platform,
    });
    expect(directory.status).toBe(200);
    expect((directory.body.data as { email: string }[]).length).toBe(7);
    const filtered = await t.request(
      "GET",
      `/api/v1/admin/academies/${b.academyId}/users?role=student&email=s1@example.com`,
      { token: platform },
    );
    expect(filtered.status).toBe(200);

    const events = await reads();
    expect(events).toHaveLength(2);
    expect(events).toContainEqual(
      expect.objectContaining({
        actorId: platformAdminId,
        academyId: a.academyId,
        targetType: "academy",
        targetId: a.academyId,
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        actorId: platformAdminId,
        academyId: b.academyId,
        details: expect.objectContaining({
          filters: { role: "student", email: "s1@example.com" },
        }),
      }),
    );
  });

  it("writes nothing for an academy that does not exist (404), nor for a caller refused", async () => {
    const before = (await reads()).length;
    const missing = await t.request(
      "GET",
      "/api/v1/admin/academies/00000000-0000-4000-8000-000000000000/users",
      { token: platform },
    );
    expect(missing.status).toBe(404);
    const admin = await t.login({
      academy: a.slug,
      email: "admin@example.com",
      password: "admin-password-1",
    });
    const refused = await t.request("GET", `/api/v1/admin/academies/${a.academyId}/users`, {
      token: admin,
    });
    expect(refused.status).toBe(403);
    expect((await reads()).length).toBe(before);
  });

  it("a platform admin creates an academy's user on the record (academy.users.create), and the user signs in; an impersonation cannot", async () => {
    const created = await t.request("POST", `/api/v1/admin/academies/${a.academyId}/users`, {
      token: platform,
      body: {
        email: "new-student@example.com",
        name: "New Student",
        role: "student",
        password: "new-student-password-1",
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ email: "new-student@example.com", role: "student" });
    expect(created.body).not.toHaveProperty("passwordHash");
    const page = await t.request("GET", "/api/v1/admin/audit-log?limit=100", { token: platform });
    expect(page.body.data as AuditEvent[]).toContainEqual(
      expect.objectContaining({
        actorId: platformAdminId,
        action: "academy.users.create",
        academyId: a.academyId,
        details: { role: "student", email: "new-student@example.com" },
      }),
    );
    const token = await t.login({
      academy: a.slug,
      email: "new-student@example.com",
      password: "new-student-password-1",
    });
    expect((await t.request("GET", "/api/v1/me", { token })).status).toBe(200);
    // Only in that academy: the other one does not have the user.
    const inB = await t.request(
      "GET",
      `/api/v1/admin/academies/${b.academyId}/users?email=new-student@example.com`,
      { token: platform },
    );
    expect(inB.body.data).toEqual([]);
    // The same through an impersonation of the academy's admin is refused.
    const admins = await t.request(
      "GET",
      `/api/v1/admin/academies/${a.academyId}/users?role=admin`,
      { token: platform },
    );
    const imp = await t.request("POST", "/api/v1/admin/impersonations", {
      token: platform,
      body: {
        academyId: a.academyId,
        userId: admins.body.data[0].id,
        reason: "support ticket 7",
        ttlSeconds: 60,
      },
    });
    expect(imp.status, JSON.stringify(imp.body)).toBe(201);
    const viaImpersonation = await t.request("POST", "/api/v1/users", {
      token: imp.body.accessToken,
      body: {
        email: "other-student@example.com",
        name: "Other",
        role: "student",
        password: "other-student-password-1",
      },
    });
    expect(viaImpersonation.status).toBe(403);
    expect(viaImpersonation.body.code).toBe("impersonation_forbidden");
  });
});
