import { createHash, randomBytes, randomUUID } from "node:crypto";
import { withPlatform } from "@skillbridge/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp, type TestResponse } from "./support/test-app.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONTENT_MANAGER = { email: "cm@platform.example", password: "content-password-1" };

interface AcademyJson {
  id: string;
  slug: string;
  name: string;
  status: string;
  placement: string;
  createdAt: string;
}

let counter = 0;
/** A fresh onboarding body: unique slug and admin email per call. */
function newAcademy(overrides: Record<string, unknown> = {}) {
  counter += 1;
  const slug = `acme-${counter}-${randomUUID().slice(0, 8)}`;
  return {
    slug,
    name: `Acme ${counter}`,
    admin: {
      email: `owner-${counter}@${slug}.example`,
      name: "Olga Owner",
      password: "owner-pass-1",
    },
    ...overrides,
  };
}

describe.each(ENGINES)("academy onboarding and lifecycle on %s", (engine) => {
  let t: TestApp;
  let platform: string;
  let contentManager: string;
  let seeded: SeededAcademy;
  let academyAdmin: string;

  const listAll = async (): Promise<AcademyJson[]> => {
    const all: AcademyJson[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await t.request("GET", `/api/v1/admin/academies?limit=100${query}`, {
        token: platform,
      });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      all.push(...(page.body.data as AcademyJson[]));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return all;
  };

  type AuditJson = { action: string; academyId: string | null; details: Record<string, unknown> };
  const auditEvents = async (): Promise<AuditJson[]> => {
    const all: AuditJson[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await t.request("GET", `/api/v1/admin/audit-log?limit=100${query}`, {
        token: platform,
      });
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      all.push(...page.body.data);
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    return all;
  };

  /** Ground truth straight from the tables, as the owner (RLS does not apply to the superuser). */
  const rowCounts = async () => {
    const result = await sql<{ academies: number; users: number; audit: number }>`
      select (select count(*)::int from academies) as academies,
             (select count(*)::int from users) as users,
             (select count(*)::int from audit_log) as audit`.execute(t.db.kysely);
    const row = result.rows[0];
    if (!row) throw new Error("no counts");
    return row;
  };

  const onboard = (body: unknown, token: string | undefined = platform) =>
    t.request("POST", "/api/v1/admin/academies", { token, body });

  const created = async (body = newAcademy()) => {
    const response = await onboard(body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return { body, academy: response.body.academy as AcademyJson, admin: response.body.admin };
  };

  const loginStatus = async (body: { academy: string; email: string; password: string }) =>
    (await t.request("POST", "/api/v1/auth/login", { body })).status;

  const expectNothingWritten = async (before: Awaited<ReturnType<typeof rowCounts>>) => {
    expect(await rowCounts()).toEqual(before);
  };

  const expectProblem = (response: TestResponse, status: number, code?: string) => {
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
    if (code) expect(response.body.code).toBe(code);
  };

  beforeAll(async () => {
    t = await createTestApp(engine, {
      // Onboarded admins log in many times here; the budget is not what this file tests.
      loginRateLimit: { perIp: 10_000, perAccount: 10_000, durationSeconds: 60 },
    });
    await withPlatform(t.db, (trx) =>
      t.app.context.deps.services.platformUsers.create(trx, {
        ...CONTENT_MANAGER,
        name: "Carl Content",
        role: "content_manager",
      }),
    );
    platform = await t.platformToken();
    contentManager = await t.login(CONTENT_MANAGER);
    seeded = await seedAcademy(t.db, fastServices(), "seeded");
    academyAdmin = await t.login({
      academy: "seeded",
      email: "admin@example.com",
      password: "admin-password-1",
    });
  });

  afterAll(async () => {
    await t?.dispose();
  });

  describe("POST /api/v1/admin/academies", () => {
    it("creates the academy and its first admin: 201 {academy, admin}", async () => {
      const body = newAcademy();
      const response = await onboard(body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      const { academy, admin } = response.body;
      expect(academy).toEqual({
        id: expect.stringMatching(UUID),
        slug: body.slug,
        name: body.name,
        status: "active",
        placement: "shared",
        createdAt: expect.any(String),
        deletedAt: null,
      });
      expect(Number.isNaN(Date.parse(academy.createdAt))).toBe(false);
      expect(admin).toEqual({
        id: expect.stringMatching(UUID),
        email: body.admin.email,
        name: body.admin.name,
        role: "admin",
        academyId: academy.id,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/password/i);
      // With a password there is nothing to accept.
      expect(response.body).not.toHaveProperty("invitation");
    });

    it("the new admin can log in with {academy: slug, email, password} and sees their academy", async () => {
      const { body, academy, admin } = await created();
      const login = await t.request("POST", "/api/v1/auth/login", {
        body: { academy: body.slug, email: body.admin.email, password: body.admin.password },
      });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      expect(login.body.user).toEqual(admin);
      const me = await t.request("GET", "/api/v1/me", { token: login.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.academy).toEqual(academy);
      const users = await t.request("GET", "/api/v1/users", { token: login.body.accessToken });
      expect(users.status).toBe(200);
      expect((users.body.data as { id: string }[]).map((u) => u.id)).toEqual([admin.id]);
    });

    it("records the creation in the audit log, once", async () => {
      const { academy } = await created();
      const events = (await auditEvents()).filter(
        (e) => e.action === "academy.create" && e.academyId === academy.id,
      );
      expect(events).toHaveLength(1);
    });

    it("accepts an explicit placement 'shared'", async () => {
      const response = await onboard(newAcademy({ placement: "shared" }));
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.academy.placement).toBe("shared");
    });

    it("a taken slug is a 409 that leaves nothing behind", async () => {
      const first = await created();
      const listed = (await listAll()).length;
      const before = await rowCounts();
      const second = newAcademy({ slug: first.body.slug });
      const response = await onboard(second);
      expectProblem(response, 409, "conflict");
      await expectNothingWritten(before);
      expect((await listAll()).length).toBe(listed);
      // The second admin exists nowhere: not under the slug, not on its own.
      expect(
        await loginStatus({
          academy: first.body.slug,
          email: second.admin.email,
          password: second.admin.password,
        }),
      ).toBe(401);
      const creates = (await auditEvents()).filter(
        (e) => e.action === "academy.create" && e.details.slug === first.body.slug,
      );
      expect(creates).toHaveLength(1);
      expect(creates[0]?.academyId).toBe(first.academy.id);
      // The first academy is untouched.
      expect(
        await loginStatus({
          academy: first.body.slug,
          email: first.body.admin.email,
          password: first.body.admin.password,
        }),
      ).toBe(200);
    });

    it("two simultaneous onboardings of one slug: one 201, one 409, one academy", async () => {
      const a = newAcademy();
      const b = newAcademy({ slug: a.slug });
      const responses = await Promise.all([onboard(a), onboard(b)]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      expect((await listAll()).filter((x) => x.slug === a.slug)).toHaveLength(1);
    });

    it("a failure while creating the first admin leaves no academy behind", async () => {
      const before = await rowCounts();
      const body = newAcademy();
      // The NUL byte passes the schema but Postgres refuses it in the users insert,
      // after the academy row was written in the same transaction.
      const response = await onboard({ ...body, admin: { ...body.admin, name: "Bad\u0000Name" } });
      expect(response.status).not.toBe(201);
      expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
      await expectNothingWritten(before);
      expect((await listAll()).some((a) => a.slug === body.slug)).toBe(false);
      // The slug is still free.
      expect((await onboard(body)).status).toBe(201);
    });

    it.each([
      ["uppercase", "Acme"],
      ["a space", "acme academy"],
      ["too short", "ab"],
      ["a leading hyphen", "-acme"],
      ["a trailing hyphen", "acme-"],
      ["an underscore", "acme_academy"],
      ["a path separator", "acme/../x"],
      ["64 characters", "a".repeat(64)],
    ])("a slug with %s is a 400 on slug and nothing is written", async (_, slug) => {
      const before = await rowCounts();
      const response = await onboard(newAcademy({ slug }));
      expectProblem(response, 400, "validation_failed");
      expect((response.body.errors as { path: string }[]).map((e) => e.path)).toContain("slug");
      await expectNothingWritten(before);
    });

    it.each([
      [
        "a top-level tenantId",
        (b: ReturnType<typeof newAcademy>) => ({ ...b, tenantId: randomUUID() }),
      ],
      ["a top-level status", (b: ReturnType<typeof newAcademy>) => ({ ...b, status: "suspended" })],
      ["an id", (b: ReturnType<typeof newAcademy>) => ({ ...b, id: randomUUID() })],
      [
        "a role on the admin",
        (b: ReturnType<typeof newAcademy>) => ({
          ...b,
          admin: { ...b.admin, role: "platform_admin" },
        }),
      ],
      [
        "an academyId on the admin",
        (b: ReturnType<typeof newAcademy>) => ({
          ...b,
          admin: { ...b.admin, academyId: randomUUID() },
        }),
      ],
    ])("an unknown field (%s) is a 400 and nothing is written", async (_, mutate) => {
      const before = await rowCounts();
      const body = newAcademy();
      const response = await onboard(mutate(body));
      expectProblem(response, 400, "validation_failed");
      await expectNothingWritten(before);
      expect((await listAll()).some((a) => a.slug === body.slug)).toBe(false);
    });

    it.each([
      ["no admin", (b: ReturnType<typeof newAcademy>) => ({ slug: b.slug, name: b.name })],
      [
        "a short admin password",
        (b: ReturnType<typeof newAcademy>) => ({ ...b, admin: { ...b.admin, password: "short" } }),
      ],
      [
        "an invalid admin email",
        (b: ReturnType<typeof newAcademy>) => ({
          ...b,
          admin: { ...b.admin, email: "not-an-email" },
        }),
      ],
      ["an empty name", (b: ReturnType<typeof newAcademy>) => ({ ...b, name: "   " })],
      [
        "an unknown placement",
        (b: ReturnType<typeof newAcademy>) => ({ ...b, placement: "citus" }),
      ],
    ])("an invalid body (%s) is a 400 and nothing is written", async (_, mutate) => {
      const before = await rowCounts();
      const response = await onboard(mutate(newAcademy()));
      expectProblem(response, 400, "validation_failed");
      await expectNothingWritten(before);
    });

    it("placement 'schema' creates the academy in a dedicated schema, migrated, with its admin there", async () => {
      const body = newAcademy({ placement: "schema" });
      const response = await onboard(body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      expect(response.body.academy.placement).toBe("schema");
      const schema = `academy_${(response.body.academy.id as string).replaceAll("-", "")}`;
      const where = await sql<{ dedicated: number; shared: number; migrations: number }>`
        select (select count(*)::int from ${sql.table(`${schema}.users`)}) as dedicated,
               (select count(*)::int from public.users where tenant_id = ${response.body.academy.id}) as shared,
               (select count(*)::int from ${sql.table(`${schema}.skillbridge_tenant_migrations`)}) as migrations`.execute(
        t.db.kysely,
      );
      expect(where.rows[0]).toMatchObject({ dedicated: 1, shared: 0 });
      expect(where.rows[0]?.migrations).toBeGreaterThanOrEqual(5);
      expect(
        await loginStatus({
          academy: body.slug,
          email: body.admin.email,
          password: body.admin.password,
        }),
      ).toBe(200);
    });

    it("a taken slug with placement 'schema' is a 409 and leaves no schema behind", async () => {
      const before = await rowCounts();
      const schemas = async () =>
        (
          await sql<{ n: number }>`
            select count(*)::int as n from pg_namespace where nspname like 'academy\_%'`.execute(
            t.db.kysely,
          )
        ).rows[0]?.n;
      const schemasBefore = await schemas();
      const response = await onboard(newAcademy({ slug: seeded.slug, placement: "schema" }));
      expectProblem(response, 409, "conflict");
      await expectNothingWritten(before);
      expect(await schemas()).toBe(schemasBefore);
    });
  });

  describe("onboarding by invitation (no admin password)", () => {
    const TOKEN = /^[A-Za-z0-9_-]{43}$/;
    const invitedBody = (overrides: Record<string, unknown> = {}) => {
      const body = newAcademy(overrides);
      const { password: _, ...admin } = body.admin;
      return { ...body, admin };
    };
    const invite = async (overrides: Record<string, unknown> = {}) => {
      const body = invitedBody(overrides);
      const response = await onboard(body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return {
        body,
        academy: response.body.academy as AcademyJson,
        admin: response.body.admin as { id: string; email: string },
        invitation: response.body.invitation as {
          token: string;
          expiresAt: string;
          acceptPath: string;
        },
      };
    };
    const accept = (token: string, body: unknown) =>
      t.request("POST", `/api/v1/auth/invitations/${token}`, { body });
    const invitationRow = async (token: string) =>
      (
        await sql<{
          token_hash: Buffer;
          used_at: Date | null;
          seconds: number;
          whole: string;
        }>`
          select token_hash, used_at,
                 extract(epoch from expires_at - created_at)::float8 as seconds,
                 i::text as whole
          from invitations i
          where token_hash = ${createHash("sha256").update(token).digest()}`.execute(t.db.kysely)
      ).rows[0];

    it("answers 201 with the academy, the admin and a one-time invitation good for 7 days", async () => {
      const { body, academy, admin, invitation } = await invite();
      expect(admin).toEqual({
        id: expect.stringMatching(UUID),
        email: body.admin.email,
        name: body.admin.name,
        role: "admin",
        academyId: academy.id,
      });
      expect(invitation.token).toMatch(TOKEN);
      expect(invitation.acceptPath).toBe(`/auth/invitations/${invitation.token}`);
      const row = await invitationRow(invitation.token);
      expect(row?.seconds).toBeCloseTo(7 * 24 * 3600, 0);
      expect(Date.parse(invitation.expiresAt)).toBeGreaterThan(Date.parse(academy.createdAt));
      const events = (await auditEvents()).filter(
        (e) => e.action === "academy.create" && e.academyId === academy.id,
      );
      expect(events.map((e) => e.details.invited)).toEqual([true]);
    });

    it("stores only the token's SHA-256, never the token", async () => {
      const { invitation } = await invite();
      const row = await invitationRow(invitation.token);
      expect(row).toBeDefined();
      expect(Buffer.from(row?.token_hash ?? []).toString("hex")).toBe(
        createHash("sha256").update(invitation.token).digest("hex"),
      );
      expect(row?.whole).not.toContain(invitation.token);
      const anywhere = await sql<{ n: number }>`
        select count(*)::int as n from invitations i where i::text like ${`%${invitation.token}%`}`.execute(
        t.db.kysely,
      );
      expect(anywhere.rows[0]?.n).toBe(0);
    });

    it("the invited admin cannot sign in before accepting, with any password", async () => {
      const { body } = await invite();
      for (const password of ["owner-pass-1", "!invited", "x".repeat(8)]) {
        expect(await loginStatus({ academy: body.slug, email: body.admin.email, password })).toBe(
          401,
        );
      }
    });

    it("accepting sets the password and signs the admin in; the password then works at login", async () => {
      const { body, academy, admin, invitation } = await invite();
      const accepted = await accept(invitation.token, { password: "chosen-by-me-1" });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      expect(accepted.body).toEqual({
        accessToken: expect.any(String),
        tokenType: "Bearer",
        expiresIn: expect.any(Number),
        user: admin,
      });
      const me = await t.request("GET", "/api/v1/me", { token: accepted.body.accessToken });
      expect(me.status).toBe(200);
      expect(me.body.academy.id).toBe(academy.id);
      expect(
        await loginStatus({
          academy: body.slug,
          email: body.admin.email,
          password: "chosen-by-me-1",
        }),
      ).toBe(200);
      expect((await invitationRow(invitation.token))?.used_at).not.toBeNull();
      const accepts = (await auditEvents()).filter(
        (e) => e.action === "invitation.accept" && e.academyId === academy.id,
      );
      expect(accepts).toHaveLength(1);
    });

    it("a used invitation is a 410 invitation_used and the chosen password stays", async () => {
      const { body, invitation } = await invite();
      expect((await accept(invitation.token, { password: "first-choice-1" })).status).toBe(200);
      expectProblem(
        await accept(invitation.token, { password: "second-choice-1" }),
        410,
        "invitation_used",
      );
      const credentials = { academy: body.slug, email: body.admin.email };
      expect(await loginStatus({ ...credentials, password: "first-choice-1" })).toBe(200);
      expect(await loginStatus({ ...credentials, password: "second-choice-1" })).toBe(401);
    });

    it("two accepts of one token at once: one 200, one 410", async () => {
      const { invitation } = await invite();
      const answers = await Promise.all([
        accept(invitation.token, { password: "racer-one-pass" }),
        accept(invitation.token, { password: "racer-two-pass" }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 410]);
    });

    it("an expired invitation is a 410 invitation_expired and sets no password", async () => {
      const { body, invitation } = await invite();
      await sql`update invitations set expires_at = clock_timestamp() - interval '1 second'
                where token_hash = ${createHash("sha256").update(invitation.token).digest()}`.execute(
        t.db.kysely,
      );
      expectProblem(
        await accept(invitation.token, { password: "too-late-pass-1" }),
        410,
        "invitation_expired",
      );
      expect(
        await loginStatus({
          academy: body.slug,
          email: body.admin.email,
          password: "too-late-pass-1",
        }),
      ).toBe(401);
    });

    it.each([
      ["an unknown token", () => randomBytes(32).toString("base64url")],
      ["a malformed token", () => "not-a-token"],
      ["a token one character short", () => randomBytes(32).toString("base64url").slice(1)],
    ])("%s is a 404 problem", async (_, token) => {
      expectProblem(await accept(token(), { password: "whatever-pass-1" }), 404, "not_found");
    });

    it("a password against the policy is a 400 and leaves the invitation good", async () => {
      const { invitation } = await invite();
      expectProblem(
        await accept(invitation.token, { password: "short" }),
        400,
        "validation_failed",
      );
      expectProblem(
        await accept(invitation.token, { password: "long-enough-1", role: "admin" }),
        400,
        "validation_failed",
      );
      expect((await invitationRow(invitation.token))?.used_at).toBeNull();
      expect((await accept(invitation.token, { password: "long-enough-1" })).status).toBe(200);
    });

    it("a suspended academy's invitation is a 403 that spends nothing; reactivated, it works", async () => {
      const { academy, invitation } = await invite();
      const patch = (status: string) =>
        t.request("PATCH", `/api/v1/admin/academies/${academy.id}`, {
          token: platform,
          body: { status },
        });
      expect((await patch("suspended")).status).toBe(200);
      expectProblem(
        await accept(invitation.token, { password: "suspended-pass-1" }),
        403,
        "academy_suspended",
      );
      expect((await invitationRow(invitation.token))?.used_at).toBeNull();
      expect((await patch("active")).status).toBe(200);
      expect((await accept(invitation.token, { password: "suspended-pass-1" })).status).toBe(200);
    });

    it("a deleted academy's invitation is a 404", async () => {
      const { academy, invitation } = await invite();
      await t.request("DELETE", `/api/v1/admin/academies/${academy.id}`, { token: platform });
      expectProblem(await accept(invitation.token, { password: "deleted-pass-1" }), 404);
    });

    it("works for an academy placed in a dedicated schema", async () => {
      const { body, invitation } = await invite({ placement: "schema" });
      expect((await accept(invitation.token, { password: "dedicated-pass-1" })).status).toBe(200);
      expect(
        await loginStatus({
          academy: body.slug,
          email: body.admin.email,
          password: "dedicated-pass-1",
        }),
      ).toBe(200);
    });

    it("a taken slug without a password is a 409 that leaves no invitation behind", async () => {
      const first = await invite();
      const count = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from invitations`.execute(t.db.kysely))
          .rows[0]?.n;
      const before = await count();
      expectProblem(await onboard(invitedBody({ slug: first.body.slug })), 409, "conflict");
      expect(await count()).toBe(before);
    });
  });

  describe("reading academies", () => {
    it("GET /admin/academies lists a new academy", async () => {
      const { academy } = await created();
      expect((await listAll()).find((a) => a.id === academy.id)).toEqual(academy);
    });

    it("GET /admin/academies pages with limit and cursor, each academy once", async () => {
      await created();
      await created();
      const everything = await listAll();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
        const page = await t.request("GET", `/api/v1/admin/academies?limit=2${query}`, {
          token: platform,
        });
        expect(page.status).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...(page.body.data as AcademyJson[]).map((a) => a.id));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(seen.sort()).toEqual(everything.map((a) => a.id).sort());
    });

    it("GET /admin/academies/:id answers the academy; an unknown id is a 404", async () => {
      const { academy } = await created();
      const one = await t.request("GET", `/api/v1/admin/academies/${academy.id}`, {
        token: platform,
      });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(academy);
      expectProblem(
        await t.request("GET", `/api/v1/admin/academies/${randomUUID()}`, { token: platform }),
        404,
        "not_found",
      );
    });
  });

  describe("looking academies and their users up", () => {
    const get = (path: string) => t.request("GET", `/api/v1${path}`, { token: platform });

    it("?slug= finds the live academy; ?deleted=only|include shows soft-deleted ones with deletedAt", async () => {
      const { academy } = await created();
      expect((await get(`/admin/academies?slug=${academy.slug}`)).body.data).toEqual([academy]);
      expect(
        (await t.request("DELETE", `/api/v1/admin/academies/${academy.id}`, { token: platform }))
          .status,
      ).toBe(204);
      expect((await get(`/admin/academies?slug=${academy.slug}`)).body.data).toEqual([]);
      const only = (await get(`/admin/academies?slug=${academy.slug}&deleted=only`)).body.data;
      expect(only).toEqual([{ ...academy, deletedAt: expect.any(String) }]);
      const all = (await get("/admin/academies?deleted=include&limit=100")).body.data;
      expect(all.map((a: { id: string }) => a.id)).toContain(academy.id);
      expectProblem(await get("/admin/academies?deleted=maybe"), 400, "validation_failed");
      expectProblem(await get("/admin/academies?slug=Not%20A%20Slug"), 400, "validation_failed");
    });

    it("the user directory narrows by exact email and by role, and 404s a deleted academy", async () => {
      const { academy, admin } = await created();
      const byEmail = await get(
        `/admin/academies/${academy.id}/users?email=${admin.email.toUpperCase()}`,
      );
      expect(byEmail.body.data).toEqual([admin]);
      expect((await get(`/admin/academies/${academy.id}/users?role=student`)).body.data).toEqual(
        [],
      );
      expect(
        (await get(`/admin/academies/${academy.id}/users?email=nobody@example.com`)).body.data,
      ).toEqual([]);
      await t.request("DELETE", `/api/v1/admin/academies/${academy.id}`, { token: platform });
      expectProblem(await get(`/admin/academies/${academy.id}/users`), 404, "not_found");
    });

    it("GET /users?email= is an exact filter inside the caller's scope", async () => {
      const mine = await t.request("GET", "/api/v1/users?email=s1@example.com", {
        token: academyAdmin,
      });
      expect(mine.body.data.map((u: { email: string }) => u.email)).toEqual(["s1@example.com"]);
      const none = await t.request("GET", "/api/v1/users?email=s1@example.co", {
        token: academyAdmin,
      });
      expect(none.body.data).toEqual([]);
    });
  });

  describe("PATCH /api/v1/admin/academies/:id", () => {
    it("renames an academy", async () => {
      const { academy } = await created();
      const response = await t.request("PATCH", `/api/v1/admin/academies/${academy.id}`, {
        token: platform,
        body: { name: "Renamed Academy" },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toEqual({ ...academy, name: "Renamed Academy" });
      const again = await t.request("GET", `/api/v1/admin/academies/${academy.id}`, {
        token: platform,
      });
      expect(again.body.name).toBe("Renamed Academy");
    });

    it("suspending gives the academy's users 403 on tenant routes and at login; reactivating lets them sign in again (older tokens stay revoked)", async () => {
      const { body, academy } = await created();
      const credentials = {
        academy: body.slug,
        email: body.admin.email,
        password: body.admin.password,
      };
      const token = await t.login(credentials);

      const suspend = await t.request("PATCH", `/api/v1/admin/academies/${academy.id}`, {
        token: platform,
        body: { status: "suspended" },
      });
      expect(suspend.status, JSON.stringify(suspend.body)).toBe(200);
      expect(suspend.body.status).toBe("suspended");
      expectProblem(await t.request("GET", "/api/v1/users", { token }), 403);
      expectProblem(await t.request("GET", "/api/v1/me", { token }), 403);
      expect(await loginStatus(credentials)).toBe(403);
      // Other academies are unaffected.
      expect((await t.request("GET", "/api/v1/users", { token: academyAdmin })).status).toBe(200);

      const reactivate = await t.request("PATCH", `/api/v1/admin/academies/${academy.id}`, {
        token: platform,
        body: { status: "active" },
      });
      expect(reactivate.status).toBe(200);
      expect(reactivate.body.status).toBe("active");
      // A suspension revokes: tokens from before it stay dead; a new sign-in works (#18 finding 4).
      expectProblem(await t.request("GET", "/api/v1/users", { token }), 401, "unauthenticated");
      expect(await loginStatus(credentials)).toBe(200);
      const fresh = await t.login(credentials);
      expect((await t.request("GET", "/api/v1/users", { token: fresh })).status).toBe(200);
    });

    it.each([
      ["the slug", { slug: "new-slug" }],
      ["the placement", { placement: "schema" }],
      ["nothing", {}],
      ["an unknown status", { status: "deleted" }],
    ])("changing %s is a 400 and changes nothing", async (_, change) => {
      const { academy } = await created();
      const response = await t.request("PATCH", `/api/v1/admin/academies/${academy.id}`, {
        token: platform,
        body: change,
      });
      expectProblem(response, 400, "validation_failed");
      const again = await t.request("GET", `/api/v1/admin/academies/${academy.id}`, {
        token: platform,
      });
      expect(again.body).toEqual(academy);
    });
  });

  describe("DELETE and restore", () => {
    it("DELETE is a 204; its users get 401 (tokens and login); restore is a 200 and they sign in again (older tokens stay revoked)", async () => {
      const { body, academy } = await created();
      const credentials = {
        academy: body.slug,
        email: body.admin.email,
        password: body.admin.password,
      };
      const token = await t.login(credentials);
      expect((await t.request("GET", "/api/v1/users", { token })).status).toBe(200);

      const deleted = await t.request("DELETE", `/api/v1/admin/academies/${academy.id}`, {
        token: platform,
      });
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
      expect(deleted.body).toBe("");
      expectProblem(await t.request("GET", "/api/v1/users", { token }), 401, "unauthenticated");
      expectProblem(await t.request("GET", "/api/v1/me", { token }), 401, "unauthenticated");
      expect(await loginStatus(credentials)).toBe(401);
      expect((await listAll()).some((a) => a.id === academy.id)).toBe(false);
      expectProblem(
        await t.request("GET", `/api/v1/admin/academies/${academy.id}`, { token: platform }),
        404,
      );
      expectProblem(
        await t.request("DELETE", `/api/v1/admin/academies/${academy.id}`, { token: platform }),
        404,
      );
      // Other academies are unaffected.
      expect((await t.request("GET", "/api/v1/users", { token: academyAdmin })).status).toBe(200);

      const restored = await t.request("POST", `/api/v1/admin/academies/${academy.id}/restore`, {
        token: platform,
      });
      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
      expect(restored.body).toEqual(academy);
      // A deletion revokes: tokens from before it stay dead after the restore; a new sign-in works.
      expectProblem(await t.request("GET", "/api/v1/users", { token }), 401, "unauthenticated");
      expect(await loginStatus(credentials)).toBe(200);
      const fresh = await t.login(credentials);
      expect((await t.request("GET", "/api/v1/users", { token: fresh })).status).toBe(200);
      expect((await listAll()).some((a) => a.id === academy.id)).toBe(true);
    });

    it("restoring an academy that is not deleted, or does not exist, is a 404", async () => {
      const { academy } = await created();
      for (const id of [academy.id, randomUUID()]) {
        expectProblem(
          await t.request("POST", `/api/v1/admin/academies/${id}/restore`, { token: platform }),
          404,
        );
      }
    });

    it("delete and restore are written to the audit log", async () => {
      const { academy } = await created();
      await t.request("DELETE", `/api/v1/admin/academies/${academy.id}`, { token: platform });
      await t.request("POST", `/api/v1/admin/academies/${academy.id}/restore`, { token: platform });
      const actions = (await auditEvents())
        .filter((e) => e.academyId === academy.id)
        .map((e) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(["academy.create", "academy.delete", "academy.restore"]),
      );
    });
  });

  describe("who may call the platform routes", () => {
    const calls = (id: string) =>
      [
        ["POST", "/api/v1/admin/academies", newAcademy()],
        ["GET", "/api/v1/admin/academies", undefined],
        ["GET", `/api/v1/admin/academies/${id}`, undefined],
        ["PATCH", `/api/v1/admin/academies/${id}`, { status: "suspended" }],
        ["DELETE", `/api/v1/admin/academies/${id}`, undefined],
        ["POST", `/api/v1/admin/academies/${id}/restore`, undefined],
      ] as const;

    it.each([
      ["an academy admin", () => academyAdmin],
      [
        "an academy student",
        () =>
          t.app.context.deps.tokens.sign({
            kind: "academy",
            userId: seeded.users.s1,
            academyId: seeded.academyId,
            role: "student",
            impersonatorId: null,
          }),
      ],
      ["a content manager", () => contentManager],
    ])("%s gets 403 on every academy route and nothing changes", async (_, token) => {
      const target = await created();
      const before = await rowCounts();
      for (const [method, path, body] of calls(target.academy.id)) {
        const response = await t.request(method, path, { token: await token(), body });
        expectProblem(response, 403, "forbidden");
      }
      await expectNothingWritten(before);
      const again = await t.request("GET", `/api/v1/admin/academies/${target.academy.id}`, {
        token: platform,
      });
      expect(again.body).toEqual(target.academy);
    });

    it.each([
      ["no token", undefined],
      ["a garbage token", "not-a-token"],
      ["a token signed with another secret", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"],
    ])(
      "anonymous callers (%s) get 401 on every academy route and nothing changes",
      async (_, token) => {
        const target = await created();
        const before = await rowCounts();
        for (const [method, path, body] of calls(target.academy.id)) {
          const response = await t.request(method, path, { token, body });
          expectProblem(response, 401, "unauthenticated");
        }
        await expectNothingWritten(before);
      },
    );
  });
});
