import { CourseSchema, IdParamsSchema } from "@skillbridge/core/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACADEMY_ROLES, createServer, defineRoute, serverConfig } from "../src/index.js";
import { createTestApp, TEST_SECRET, type TestApp } from "./support/test-app.js";

// An embedding app adds its own routes through createServer({ routes }): they
// sit behind the same middleware as the built-in ones and appear in the
// OpenAPI document, which is what the isolation probe reads to find them.

const ownRoute = defineRoute({
  method: "get",
  path: "/reports/courses/{id}",
  summary: "An embedder's own report of one course",
  tag: "reports",
  auth: "academy",
  roles: ["admin"],
  params: IdParamsSchema,
  status: 200,
  response: CourseSchema,
  errors: [401, 403, 404, 429],
  handler: async ({ params, tenant, deps }) =>
    tenant((trx, actor) => deps.services.courses.get(trx, actor, params.id)),
});

describe("routes added by the embedding app", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite", {}, { routes: [ownRoute] });
  });
  afterAll(() => t?.dispose());

  it("are documented in the OpenAPI document", async () => {
    const res = await t.request("GET", "/api/v1/openapi.json");
    expect(res.body.paths["/api/v1/reports/courses/{id}"]?.get?.summary).toBe(
      "An embedder's own report of one course",
    );
    expect(res.body.paths["/api/v1/courses/{id}"]?.get).toBeDefined();
  });

  it("pass the same gates: no token is 401, a platform token 403", async () => {
    const id = "7f1c2a52-6d3e-4b0a-9a51-0c7e3c1d2b44";
    expect((await t.request("GET", `/api/v1/reports/courses/${id}`)).status).toBe(401);
    const platform = await t.platformToken();
    expect(
      (await t.request("GET", `/api/v1/reports/courses/${id}`, { token: platform })).status,
    ).toBe(403);
  });

  it("may not shadow a built-in route", () => {
    const shadow = defineRoute({ ...ownRoute, path: "/courses/{id}", roles: ACADEMY_ROLES });
    expect(() =>
      createServer({
        db: t.db,
        config: serverConfig({ jwtSecret: TEST_SECRET }),
        routes: [shadow],
      }),
    ).toThrow("The route GET /api/v1/courses/{id} would shadow a built-in route.");
  });
});
