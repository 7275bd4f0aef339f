import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALL_ROUTES,
  API_PREFIX,
  buildOpenApiDocument,
  type RouteDefinition,
} from "../src/index.js";
import { createTestApp, type TestApp, type TestResponse } from "./support/test-app.js";

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked as plain JSON.
type Json = any;

/** API.md's Auth, Platform and Academy routes that this server implements (method, path under /api/v1). */
const CONTRACT_ROUTES: readonly (readonly [string, string])[] = [
  ["post", "/auth/login"],
  ["get", "/me"],
  ["post", "/admin/academies"],
  ["get", "/admin/academies"],
  ["get", "/admin/academies/{id}"],
  ["patch", "/admin/academies/{id}"],
  ["delete", "/admin/academies/{id}"],
  ["post", "/admin/academies/{id}/restore"],
  ["post", "/admin/impersonations"],
  ["get", "/admin/audit-log"],
  ["get", "/admin/isolation-audit"],
  ["post", "/users"],
  ["get", "/users"],
  ["get", "/users/{id}"],
  ["patch", "/users/{id}"],
  ["delete", "/users/{id}"],
  ["post", "/parent-links"],
  ["get", "/parent-links"],
  ["post", "/courses"],
  ["get", "/courses"],
  ["get", "/courses/{id}"],
  ["patch", "/courses/{id}"],
  ["delete", "/courses/{id}"],
  ["post", "/courses/{id}/restore"],
  ["post", "/courses/{id}/enrollments"],
  ["get", "/courses/{id}/enrollments"],
  ["post", "/courses/{id}/assignments"],
  ["get", "/assignments"],
  ["get", "/assignments/{id}"],
  ["post", "/assignments/{id}/submissions"],
  ["get", "/submissions"],
  ["get", "/submissions/{id}"],
  ["patch", "/submissions/{id}/grade"],
  ["post", "/admin/questions/batch"],
  ["get", "/questions"],
  ["get", "/questions/{id}"],
  ["post", "/quizzes"],
  ["post", "/quizzes/generate"],
  ["get", "/quizzes"],
  ["get", "/quizzes/{id}"],
  ["post", "/quizzes/{id}/submissions"],
  ["get", "/students/{id}/weak-spots"],
];

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function documentPath(route: RouteDefinition): string {
  return route.root ? route.path : `${API_PREFIX}${route.path}`;
}

function resolve(doc: Json, schema: Json): Json {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 10; hops += 1) {
    const ref = String(current.$ref);
    expect(ref).toMatch(/^#\/components\/schemas\//);
    current = doc.components.schemas[ref.slice("#/components/schemas/".length)];
  }
  return current;
}

/** Every property name declared anywhere in the document, with where it was found. */
function propertyNames(node: Json, at = "#", out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) {
    node.forEach((child, i) => {
      propertyNames(child, `${at}/${i}`, out);
    });
  } else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (
        (key === "properties" || key === "patternProperties") &&
        value &&
        typeof value === "object"
      )
        for (const name of Object.keys(value)) out.push([name, `${at}/${key}`]);
      if (key === "required" && Array.isArray(value))
        for (const name of value) out.push([String(name), `${at}/required`]);
      propertyNames(value, `${at}/${key}`, out);
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  let t: TestApp;
  let response: TestResponse;
  let doc: Json;

  beforeAll(async () => {
    t = await createTestApp("pglite");
    response = await t.request("GET", "/api/v1/openapi.json");
    doc = response.body;
  });

  afterAll(async () => {
    await t?.dispose();
  });

  it("GET /api/v1/openapi.json answers 200 JSON without a token", () => {
    expect(response.status).toBe(200);
    expect(String(response.headers["content-type"])).toMatch(/^application\/json/);
    expect(doc).toEqual(expect.objectContaining({ paths: expect.any(Object) }));
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(String(doc.openapi)).toMatch(/^3\.1\.\d+$/);
    const result = await new Validator().validate(doc);
    if (!result.valid) console.error(JSON.stringify(result.errors, null, 2));
    expect(result.valid, JSON.stringify(result.errors, null, 2)).toBe(true);
  });

  it("is the document generated from the route table the server runs", () => {
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(ALL_ROUTES))));
  });

  it.each(
    ALL_ROUTES.map(
      (route) => [`${route.method.toUpperCase()} ${documentPath(route)}`, route] as const,
    ),
  )(
    "documents %s with its success status and each error as application/problem+json",
    (_, route) => {
      const path = documentPath(route);
      expect(path).not.toContain(":");
      if (!route.root) expect(path.startsWith(`${API_PREFIX}/`)).toBe(true);
      const operation = doc.paths[path]?.[route.method];
      expect(operation, `${route.method} ${path} is missing`).toBeDefined();

      const success = operation.responses[String(route.status)];
      expect(success, `success ${route.status}`).toBeDefined();
      if (route.status === 204) {
        expect(success.content).toBeUndefined();
      } else if (route.response) {
        expect(success.content?.["application/json"]?.schema).toBeDefined();
      }

      for (const status of route.errors) {
        const error = operation.responses[String(status)];
        expect(error, `error ${status} of ${route.method} ${path}`).toBeDefined();
        const schema = error.content?.["application/problem+json"]?.schema;
        expect(schema, `problem+json for ${status}`).toBeDefined();
        expect(resolve(doc, schema)).toEqual(doc.components.schemas.ProblemDocument);
      }

      const declared = Object.keys(operation.responses)
        .filter((status) => status !== String(route.status))
        .map(Number)
        .sort();
      // Signed-in POSTs honour Idempotency-Key: its header and answers (a malformed key's
      // 400 included) are documented too.
      const idempotent = route.method === "post" && route.auth !== "none";
      const expected = idempotent
        ? [...new Set([...route.errors, 400, 409, 422, 503])]
        : [...route.errors];
      expect(declared).toEqual(expected.sort());
      const headers = (operation.parameters ?? [])
        .filter((p: Json) => p.in === "header")
        .map((p: Json) => p.name);
      expect(headers).toEqual(idempotent ? ["idempotency-key"] : []);
    },
  );

  it("documents no operation that the route table does not serve", () => {
    const served = new Set(ALL_ROUTES.map((r) => `${r.method} ${documentPath(r)}`));
    const documented = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual([...served].sort());
  });

  it("declares every {parameter} of a path template as a required path parameter", () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(item as Record<string, Json>)) {
        if (!METHODS.includes(method)) continue;
        const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
          .filter((p: Json) => p.in === "path")
          .map((p: Json) => {
            expect(p.required, `${method} ${path} ${p.name}`).toBe(true);
            return p.name;
          });
        expect(declared.sort(), `${method} ${path}`).toEqual(names.sort());
      }
    }
  });

  it.each(CONTRACT_ROUTES)("contains API.md's %s %s under /api/v1", (method, path) => {
    expect(doc.paths[`${API_PREFIX}${path}`]?.[method]).toBeDefined();
  });

  it("describes the quiz upload as multipart/form-data: the file part beside the strict text fields", () => {
    const body = doc.paths[`${API_PREFIX}/quizzes/generate`]?.post?.requestBody;
    expect(Object.keys(body.content)).toEqual(["multipart/form-data"]);
    const form = resolve(doc, body.content["multipart/form-data"].schema);
    expect(form.required).toEqual(["title", "file"]);
    expect(form.additionalProperties).toBe(false);
    expect(form.properties.file).toMatchObject({
      type: "string",
      contentMediaType: "application/octet-stream",
    });
    expect(Object.keys(form.properties).sort()).toEqual(["count", "courseId", "file", "title"]);
  });

  it("contains the health routes at the root", () => {
    expect(doc.paths["/health"]?.get).toBeDefined();
    expect(doc.paths["/ready"]?.get?.responses?.["503"]).toBeDefined();
    expect(doc.paths[`${API_PREFIX}/openapi.json`]?.get).toBeDefined();
  });

  it("has unique operation ids", () => {
    const ids = Object.values(doc.paths as Record<string, Json>).flatMap((item) =>
      Object.entries(item as Record<string, Json>)
        .filter(([method]) => METHODS.includes(method))
        .map(([, operation]) => operation.operationId as string),
    );
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("requires a bearer token except on the public routes", () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearer: [] }]);
    for (const route of ALL_ROUTES) {
      const operation = doc.paths[documentPath(route)][route.method];
      if (route.auth === "none") expect(operation.security, route.path).toEqual([]);
      else expect(operation.security, route.path).toBeUndefined();
    }
  });

  it.each([
    "Course",
    "User",
    "ProblemDocument",
    "Academy",
    "Assignment",
    "Submission",
    "Enrollment",
    "ParentLink",
    "AuditEvent",
    "LoginBody",
    "LoginResponse",
    "CreateAcademyBody",
  ])("has a named component schema %s", (name) => {
    expect(doc.components.schemas[name]?.type).toBe("object");
  });

  it("describes the problem document with its required fields", () => {
    const problem = doc.components.schemas.ProblemDocument;
    expect(problem.type).toBe("object");
    expect(Object.keys(problem.properties)).toEqual(
      expect.arrayContaining(["type", "title", "status", "detail", "code", "errors"]),
    );
    expect(problem.required).toEqual(
      expect.arrayContaining(["type", "title", "status", "detail", "code"]),
    );
  });

  it("documents every request body as a strict object, JSON or (uploads) multipart (unknown fields are a 400)", () => {
    for (const route of ALL_ROUTES.filter((r) => r.body)) {
      const operation = doc.paths[documentPath(route)][route.method];
      const media = route.upload ? "multipart/form-data" : "application/json";
      const schema = resolve(doc, operation.requestBody?.content?.[media]?.schema);
      expect(schema?.type, route.path).toBe("object");
      expect(schema?.additionalProperties, route.path).toBe(false);
      expect(route.errors, route.path).toContain(400);
    }
  });

  it("has no schema with a passwordHash or password_hash property", () => {
    const names = propertyNames(doc);
    expect(names.length).toBeGreaterThan(50);
    const leaks = names.filter(([name]) => /^password_?hash$/i.test(name));
    expect(leaks).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/password_?hash/i);
  });

  it("never lists a password among the properties of a response", () => {
    for (const route of ALL_ROUTES) {
      const operation = doc.paths[documentPath(route)][route.method];
      const content = operation.responses[String(route.status)]?.content;
      if (!content) continue;
      const seen = new Set<string>();
      const walk = (schema: Json): Json[] => {
        const resolved = resolve(doc, schema);
        if (!resolved || typeof resolved !== "object") return [];
        const key = JSON.stringify(resolved);
        if (seen.has(key)) return [];
        seen.add(key);
        return [
          resolved,
          ...Object.values(resolved).flatMap((v) => (typeof v === "object" ? walk(v) : [])),
        ];
      };
      for (const schema of walk(content["application/json"]?.schema)) {
        if (schema && typeof schema === "object" && schema.properties)
          expect(Object.keys(schema.properties), route.path).not.toContain("password");
      }
    }
  });
});
