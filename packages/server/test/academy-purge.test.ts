import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// POST /admin/academies/{id}/purge removes a deleted academy for good: every
// tenant row, its dedicated schema, its academy row; the audit log keeps its
// entries. A live academy is refused: purging is the step after a delete.

describe.each(ENGINES)("purging an academy on %s", (engine) => {
  let t: TestApp;
  let platform: string;
  beforeAll(async () => {
    t = await createTestApp(engine);
    platform = await t.platformToken();
  });
  afterAll(() => t?.dispose());

  async function academyWithData(slug: string, placement: "shared" | "schema") {
    const created = await t.request("POST", "/api/v1/admin/academies", {
      token: platform,
      body: {
        slug,
        name: "Throwaway",
        placement,
        admin: { email: `ada@${slug}.example`, name: "Ada", password: "password-a-1" },
      },
    });
    expect(created.status).toBe(201);
    const admin = await t.login({
      academy: slug,
      email: `ada@${slug}.example`,
      password: "password-a-1",
    });
    const instructor = await t.request("POST", "/api/v1/users", {
      token: admin,
      body: {
        email: `ines@${slug}.example`,
        name: "Ines",
        role: "instructor",
        password: "password-i-1",
      },
    });
    await t.request("POST", "/api/v1/courses", {
      token: admin,
      body: { title: "SAT Math", instructorId: instructor.body.id },
    });
    return created.body.academy.id as string;
  }

  const rowsOf = async (id: string) => {
    const result = await sql<{ n: string }>`
      select (select count(*) from public.academies where id = ${id})
           + (select count(*) from public.jobs where academy_id = ${id}) as n`.execute(t.db.kysely);
    return Number(result.rows[0]?.n);
  };

  it.each(["shared", "schema"] as const)(
    "a deleted %s academy is gone, rows and all; the audit log stays",
    async (placement) => {
      const id = await academyWithData(`purge-${placement}`, placement);
      const live = await t.request("POST", `/api/v1/admin/academies/${id}/purge`, {
        token: platform,
      });
      expect(live.status).toBe(409);
      expect(live.body.detail).toMatch(/delete it first/);

      expect(
        (await t.request("DELETE", `/api/v1/admin/academies/${id}`, { token: platform })).status,
      ).toBe(204);
      const purged = await t.request("POST", `/api/v1/admin/academies/${id}/purge`, {
        token: platform,
      });
      expect(purged.status).toBe(204);

      expect(await rowsOf(id)).toBe(0);
      const listed = await t.request(
        "GET",
        `/api/v1/admin/academies?deleted=include&slug=purge-${placement}`,
        {
          token: platform,
        },
      );
      expect(listed.body.data).toEqual([]);
      const schemas = await sql<{ n: string }>`
      select count(*) as n from pg_namespace where nspname like ${`%${id.replaceAll("-", "")}%`}`.execute(
        t.db.kysely,
      );
      expect(Number(schemas.rows[0]?.n)).toBe(0);
      // Tenant rows: none left in any table of the shared schema for this academy.
      const users = await t.db.kysely.transaction().execute(async (trx) => {
        await sql`select set_config('app.tenant_id', ${id}, true)`.execute(trx);
        return sql<{ n: string }>`
        select (select count(*) from public.users where tenant_id = ${id})
             + (select count(*) from public.courses where tenant_id = ${id}) as n`.execute(trx);
      });
      expect(Number(users.rows[0]?.n)).toBe(0);

      const events = await t.request("GET", "/api/v1/admin/audit-log?limit=100", {
        token: platform,
      });
      const mine = (events.body.data as { action: string; targetId: string | null }[]).filter(
        (e) => e.targetId === id,
      );
      expect(mine.map((e) => e.action)).toEqual(
        expect.arrayContaining(["academy.create", "academy.delete", "academy.purge"]),
      );
      // The purged academy's id is free to be nothing: a second purge is a 404.
      expect(
        (await t.request("POST", `/api/v1/admin/academies/${id}/purge`, { token: platform }))
          .status,
      ).toBe(404);
    },
  );
});
