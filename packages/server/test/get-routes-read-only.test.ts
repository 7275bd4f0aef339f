import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { defineRoute, type RouteDefinition } from "../src/index.js";
import { adminTokenOf, createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// A GET's tenant transactions are read-only (PostgreSQL refuses a write in
// them, and they answer without waiting for COMMIT's reply); a route that
// writes on GET says so with `writesOnGet`, as the study plan does.

const Written = z.object({ written: z.number() });

/** A GET that writes a course, as an embedder's route might by mistake, or on purpose. */
const writingGet = (path: string, writesOnGet: boolean): RouteDefinition =>
  defineRoute({
    method: "get",
    path,
    summary: "Writes a course on GET (a test route)",
    tag: "tests",
    auth: "academy",
    roles: ["admin"],
    status: 200,
    response: Written,
    errors: [401, 403, 429],
    ...(writesOnGet ? { writesOnGet: true as const } : {}),
    handler: async ({ tenant }) =>
      tenant(async (trx, actor) => {
        await trx
          .insertInto("courses")
          .values({ title: `written by ${path}`, instructor_id: actor.userId } as never)
          .execute();
        return { written: 1 };
      }),
  });

describe.each(ENGINES)("GET routes' tenant transactions (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  const token = () => adminTokenOf(t.app, a);
  const written = async (path: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from courses
        where tenant_id = ${a.academyId} and title = ${`written by ${path}`}`.execute(t.db.kysely)
    ).rows[0]?.n;

  beforeAll(async () => {
    t = await createTestApp(
      engine,
      {},
      { routes: [writingGet("/probe/read-only", false), writingGet("/probe/writes", true)] },
    );
    a = await seedAcademy(t.db, fastServices(), "read-only-gets");
  });
  afterAll(() => t?.dispose());

  it("are read-only: a write in one is refused by the database and nothing is stored", async () => {
    const res = await t.request("GET", "/api/v1/probe/read-only", { token: await token() });
    expect(res.status).toBe(500);
    expect(await written("/probe/read-only")).toBe(0);
  });

  it("may write when the route says writesOnGet", async () => {
    const res = await t.request("GET", "/api/v1/probe/writes", { token: await token() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ written: 1 });
    expect(await written("/probe/writes")).toBe(1);
  });

  it("still read: the built-in course list answers", async () => {
    const res = await t.request("GET", "/api/v1/courses", { token: await token() });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
  });
});
