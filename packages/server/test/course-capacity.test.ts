import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp, type TestResponse } from "./support/test-app.js";

// `capacity` on courses over HTTP: optional on create and patch, always in the
// output (null for no limit), and a full course answers 409 course_full.

function expectCourseFull(response: TestResponse): void {
  expect(response.status).toBe(409);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    status: 409,
    code: "course_full",
    type: "urn:skillbridge:problem:course_full",
  });
}

describe.each(ENGINES)("course capacity over HTTP (%s)", (engine) => {
  let t: TestApp;
  let a: SeededAcademy;
  let admin: string;
  let instructor: string;

  const token = (key: "admin" | "i1") =>
    t.app.context.deps.tokens.sign({
      kind: "academy",
      userId: a.users[key],
      academyId: a.academyId,
      role: key === "admin" ? "admin" : "instructor",
      impersonatorId: null,
    });

  beforeAll(async () => {
    t = await createTestApp(engine);
    a = await seedAcademy(t.db, fastServices(), "seats");
    admin = await token("admin");
    instructor = await token("i1");
  });
  afterAll(() => t?.dispose());

  it("a course created without capacity shows capacity null, in the create, get and list answers", async () => {
    const created = await t.request("POST", "/api/v1/courses", {
      token: admin,
      body: { title: "Open course", instructorId: a.users.i1 },
    });
    expect(created.status).toBe(201);
    expect(created.body.capacity).toBeNull();
    const got = await t.request("GET", `/api/v1/courses/${created.body.id}`, { token: admin });
    expect(got.body.capacity).toBeNull();
    const listed = await t.request("GET", "/api/v1/courses?limit=100", { token: admin });
    const row = listed.body.data.find((c: { id: string }) => c.id === created.body.id);
    expect(row.capacity).toBeNull();
  });

  it("an instructor caps their own course; the seat after the last is a 409 course_full and not written", async () => {
    const created = await t.request("POST", "/api/v1/courses", {
      token: instructor,
      body: { title: "Two seats", instructorId: a.users.i1, capacity: 2 },
    });
    expect(created.status).toBe(201);
    expect(created.body.capacity).toBe(2);
    const path = `/api/v1/courses/${created.body.id}/enrollments`;
    for (const student of [a.users.s1, a.users.s2]) {
      const enrolled = await t.request("POST", path, {
        token: instructor,
        body: { studentId: student },
      });
      expect(enrolled.status).toBe(201);
    }
    expectCourseFull(
      await t.request("POST", path, { token: instructor, body: { studentId: a.users.s3 } }),
    );
    const roster = await t.request("GET", path, { token: instructor });
    expect(roster.body.data.map((e: { studentId: string }) => e.studentId).sort()).toEqual(
      [a.users.s1, a.users.s2].sort(),
    );
  });

  it("PATCH raises the capacity, and capacity null lifts it", async () => {
    const created = await t.request("POST", "/api/v1/courses", {
      token: admin,
      body: { title: "One seat", instructorId: a.users.i1, capacity: 1 },
    });
    const path = `/api/v1/courses/${created.body.id}/enrollments`;
    await t.request("POST", path, { token: admin, body: { studentId: a.users.s1 } });
    expectCourseFull(
      await t.request("POST", path, { token: admin, body: { studentId: a.users.s2 } }),
    );
    const lifted = await t.request("PATCH", `/api/v1/courses/${created.body.id}`, {
      token: admin,
      body: { capacity: null },
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body.capacity).toBeNull();
    const enrolled = await t.request("POST", path, {
      token: admin,
      body: { studentId: a.users.s2 },
    });
    expect(enrolled.status).toBe(201);
  });

  it.each([
    ["zero", 0],
    ["negative", -1],
    ["fractional", 1.5],
    ["a string", "10"],
  ])("a %s capacity is a 400 naming the field", async (_, capacity) => {
    const response = await t.request("POST", "/api/v1/courses", {
      token: admin,
      body: { title: "Bad seats", instructorId: a.users.i1, capacity },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain("capacity");
  });
});
