import { describe, expect, it } from "vitest";
import { kindOfField, kindOfSegment } from "../src/audit/probe/kinds.js";
import { readRoutes } from "../src/audit/probe/openapi-routes.js";
import { sampleValue } from "../src/audit/probe/sample-value.js";

// How the probe reads an OpenAPI document and builds requests from it: what
// lets it call routes it has never seen.

const components = {
  Rubric: {
    type: "array",
    minItems: 1,
    items: {
      type: "object",
      properties: { id: { type: "string", minLength: 1 }, points: { type: "integer", minimum: 1 } },
      required: ["id", "points"],
    },
  },
  CreateThing: {
    type: "object",
    properties: {
      courseId: { type: "string", format: "uuid" },
      studentId: { anyOf: [{ type: "string", format: "uuid" }, { type: "null" }] },
      title: { type: "string", minLength: 5, maxLength: 8 },
      slug: { type: "string", pattern: "^[a-z0-9][a-z0-9-]*[a-z0-9]$" },
      mode: { $ref: "#/components/schemas/Mode", default: "socratic" },
      dueAt: { type: "string", format: "date-time" },
      count: { type: "integer", minimum: 3, maximum: 10 },
      rubric: { $ref: "#/components/schemas/Rubric" },
      password: { type: "string", minLength: 8 },
      note: { type: "string" },
    },
    required: ["courseId", "title", "slug", "mode", "dueAt", "count", "rubric", "password"],
    additionalProperties: false,
  },
  Mode: { type: "string", enum: ["socratic", "direct"] },
  Patch: {
    type: "object",
    properties: { instructorId: { type: "string", format: "uuid" }, name: { type: "string" } },
  },
};

const ids = (field: string | undefined) => `id-for-${field}`;

describe("request bodies built from a schema", () => {
  it("fill the required fields within their bounds, ids from the caller's picks", () => {
    const body = sampleValue(
      { $ref: "#/components/schemas/CreateThing" },
      { components, uuidFor: ids },
    ) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ["count", "courseId", "dueAt", "mode", "password", "rubric", "slug", "title"].sort(),
    );
    expect(body.courseId).toBe("id-for-courseId");
    expect(String(body.title).length).toBeGreaterThanOrEqual(5);
    expect(String(body.title).length).toBeLessThanOrEqual(8);
    expect(body.slug).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    expect(body.mode).toBe("socratic");
    expect(Date.parse(String(body.dueAt))).toBeGreaterThan(Date.now());
    expect(body.count).toBe(3);
    expect(body.rubric).toEqual([{ id: "isolation probe", points: 1 }]);
    expect(String(body.password).length).toBeGreaterThanOrEqual(8);
  });

  it("a body of optional fields only (a PATCH) gets its first field that is not an id", () => {
    expect(
      sampleValue({ $ref: "#/components/schemas/Patch" }, { components, uuidFor: ids }),
    ).toEqual({
      name: "isolation probe",
    });
  });
});

describe("what an id names", () => {
  it("by the path segment before it", () => {
    expect(kindOfSegment("courses")).toEqual({ kind: "courses" });
    expect(kindOfSegment("students")).toEqual({ kind: "users", role: "student" });
    expect(kindOfSegment("tutor-sessions")).toEqual({ kind: "tutor-sessions" });
  });

  it("by the field's name", () => {
    expect(kindOfField("studentId")).toEqual({ kind: "users", role: "student" });
    expect(kindOfField("academyId")).toEqual({ kind: "academies" });
    expect(kindOfField("quizId")).toEqual({ kind: "quizzes" });
    expect(kindOfField("tutorSessionId")).toEqual({ kind: "tutor-sessions" });
    expect(kindOfField("quiz_submission_id")).toEqual({ kind: "quiz-submissions" });
    expect(kindOfField("title")).toBeNull();
  });
});

describe("routes read from an OpenAPI document", () => {
  it("keeps operations under /api/v1 with their parameters, body, 201 and public flags", () => {
    const routes = readRoutes({
      paths: {
        "/health": { get: { security: [] } },
        "/api/v1/auth/login": { post: { security: [], responses: { 200: {} } } },
        "/api/v1/courses/{id}/enrollments": {
          post: {
            parameters: [{ in: "path", name: "id", required: true, schema: { type: "string" } }],
            requestBody: { content: { "application/json": { schema: { type: "object" } } } },
            responses: { 201: {} },
          },
        },
        "/api/v1/quizzes/generate": {
          post: {
            requestBody: { content: { "multipart/form-data": { schema: {} } } },
            responses: { 201: {} },
          },
        },
      },
    });
    expect(routes.map((r) => [r.key, r.public, r.creates, r.foreignBody])).toEqual([
      ["POST /auth/login", true, false, null],
      ["POST /courses/{id}/enrollments", false, true, null],
      ["POST /quizzes/generate", false, true, "multipart/form-data"],
    ]);
    expect(routes[1]?.params).toEqual([{ name: "id", ref: { kind: "courses" } }]);
  });
});
