import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_ROUTES, buildOpenApiDocument } from "../src/index.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// The OpenAPI document states the rules the server applies beyond its zod
// schemas, and the server applies them: a fuzzer reading the document finds
// no answer it did not announce (#22).

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked as plain JSON.
type Json = any;
const doc: Json = buildOpenApiDocument(ALL_ROUTES);
const operations = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
  Object.entries<Json>(item).map(([method, operation]) => ({ path, method, operation })),
);
const schemaOf = (schema: Json): Json =>
  schema?.$ref ? doc.components.schemas[schema.$ref.split("/").at(-1)] : schema;

/** A quiz of one multiple-choice question, for the text checks below. */
const quiz = (title: string, prompt = "Which value solves 3x = 21?") => ({
  title,
  questions: [
    {
      type: "multiple_choice",
      prompt,
      options: [
        { id: "A", text: "6" },
        { id: "B", text: "7" },
      ],
      answer: "B",
      topic: "algebra",
      difficulty: 2,
    },
  ],
});

describe("the OpenAPI document", () => {
  it("is still a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("names its server (relative: this one) and its license", () => {
    expect(doc.servers).toEqual([{ url: "/", description: "This server" }]);
    expect(doc.info.license).toEqual({ name: "MIT", identifier: "MIT" });
  });

  it("gives Idempotency-Key its printable-ASCII pattern, and every keyed POST its 400", () => {
    const keyed = operations.filter(({ operation }) =>
      (operation.parameters ?? []).some((p: Json) => p.name === "idempotency-key"),
    );
    expect(keyed.map((o) => o.path)).toContain("/api/v1/courses/{id}/restore");
    for (const { path, operation } of keyed) {
      const header = operation.parameters.find((p: Json) => p.name === "idempotency-key");
      expect(header.schema.pattern, path).toBe("^[\\x20-\\x7E]{1,255}$");
      expect(Object.keys(operation.responses), path).toContain("400");
    }
  });

  it("states limit's real rule: clamped to 1..100, so no minimum or maximum to trip on", () => {
    const lists = operations.filter(({ operation }) =>
      (operation.parameters ?? []).some((p: Json) => p.name === "limit"),
    );
    expect(lists.length).toBeGreaterThan(10);
    for (const { path, operation } of lists) {
      const limit = operation.parameters.find((p: Json) => p.name === "limit");
      expect(limit.schema, path).not.toHaveProperty("maximum");
      expect(limit.schema, path).not.toHaveProperty("minimum");
      expect(limit.description, path).toMatch(/clamped to that range/);
    }
  });

  it("asks every PATCH body for at least one property, and says NUL is refused", () => {
    const patches = operations.filter((o) => o.method === "patch");
    expect(patches.length).toBeGreaterThanOrEqual(5);
    for (const { path, operation } of patches) {
      const body = schemaOf(operation.requestBody.content["application/json"].schema);
      expect(body.minProperties, path).toBe(1);
    }
    expect(doc.info.description).toMatch(/NUL \(U\+0000\).*400/);
    expect(doc.paths["/api/v1/courses"].post.responses["400"].description).toMatch(/NUL/);
  });
});

describe.each(ENGINES)("the server on %s", (engine) => {
  let t: TestApp;
  let platform: string;
  let admin: string;
  let academyId: string;
  let userId: string;
  let courseId: string;
  let instructorId: string;

  beforeAll(async () => {
    t = await createTestApp(engine);
    platform = await t.platformToken();
    const created = await t.request("POST", "/api/v1/admin/academies", {
      token: platform,
      body: {
        slug: "doc-prep",
        name: "Doc Prep",
        admin: { email: "ada@doc.example", name: "Ada", password: "password-a-1" },
      },
    });
    academyId = created.body.academy.id;
    userId = created.body.admin.id;
    admin = await t.login({
      academy: "doc-prep",
      email: "ada@doc.example",
      password: "password-a-1",
    });
    const instructor = await t.request("POST", "/api/v1/users", {
      token: admin,
      body: {
        email: "ines@doc.example",
        name: "Ines",
        role: "instructor",
        password: "password-i-1",
      },
    });
    instructorId = instructor.body.id;
    const course = await t.request("POST", "/api/v1/courses", {
      token: admin,
      body: { title: "SAT Math", instructorId },
    });
    expect(course.status).toBe(201);
    courseId = course.body.id;
  });
  afterAll(() => t?.dispose());

  it("refuses an empty PATCH body with a 400 on every PATCH route", async () => {
    const patch = (path: string, token: string) => t.request("PATCH", path, { token, body: {} });
    const answers = [
      await patch(`/api/v1/admin/academies/${academyId}`, platform),
      await patch(`/api/v1/users/${userId}`, admin),
      await patch(`/api/v1/courses/${courseId}`, admin),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.headers["content-type"]).toMatch(/application\/problem\+json/);
    }
    const documented = operations.filter((o) => o.method === "patch").length;
    expect(documented).toBeGreaterThanOrEqual(answers.length);
  });

  it.each([
    ["a lone high surrogate", "Ada \ud800"],
    ["a lone low surrogate", "\udc00 Ada"],
    ["a control character", "Ada\u0007Lovelace"],
    ["a newline inside", "Ada\nLovelace"],
    ["a C1 control", "Ada\u0085"],
  ])("refuses %s in a name or title with a 400, storing nothing", async (_, text) => {
    const answers = [
      await t.request("POST", "/api/v1/users", {
        token: admin,
        body: { email: "bad@doc.example", name: text, role: "student", password: "password-b-1" },
      }),
      await t.request("PATCH", `/api/v1/users/${userId}`, { token: admin, body: { name: text } }),
      await t.request("POST", "/api/v1/courses", {
        token: admin,
        body: { title: text, instructorId },
      }),
      await t.request("PATCH", `/api/v1/admin/academies/${academyId}`, {
        token: platform,
        body: { name: text },
      }),
      await t.request("POST", "/api/v1/quizzes", {
        token: admin,
        body: quiz(text),
      }),
    ];
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(JSON.stringify(answer.body.errors)).toMatch(
        /may not contain control characters or unpaired surrogates/,
      );
    }
    const me = await t.request("GET", `/api/v1/users/${userId}`, { token: admin });
    expect(me.body.name).toBe("Ada");
    const list = await t.request("GET", "/api/v1/users?email=bad@doc.example", { token: admin });
    expect(list.body.data).toEqual([]);
  });

  it("refuses an unpaired surrogate in any other text field (a description, a prompt) with a 400 naming it, storing nothing", async () => {
    const before = await t.request("GET", `/api/v1/courses/${courseId}`, { token: admin });
    const answers = [
      await t.request("PATCH", `/api/v1/courses/${courseId}`, {
        token: admin,
        body: { description: "Ratios \ud800 and rates" },
      }),
      await t.request("POST", "/api/v1/quizzes", {
        token: admin,
        body: quiz("Surrogates", "Which value \udc00 solves 3x = 21?"),
      }),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400]);
    expect(answers[0]?.body.errors).toEqual([
      { path: "description", message: "Contains an unpaired surrogate." },
    ]);
    // A question's texts refuse it in their own schema (the bank's rule, also a file row's).
    expect(answers[1]?.body.errors).toEqual([
      {
        path: "questions.0.prompt",
        message: expect.stringMatching(/unpaired UTF-16 surrogate: it would be stored as U\+FFFD/),
      },
    ]);
    const after = await t.request("GET", `/api/v1/courses/${courseId}`, { token: admin });
    expect(after.body.description).toBe(before.body.description);
    // A paired surrogate (an emoji) is text like any other.
    const emoji = await t.request("PATCH", `/api/v1/courses/${courseId}`, {
      token: admin,
      body: { description: "Ratios 🎓 and rates" },
    });
    expect(emoji.status).toBe(200);
    expect(emoji.body.description).toBe("Ratios 🎓 and rates");
  });

  it("still takes names in any script, with accents and emoji (paired surrogates)", async () => {
    const name = "Zoë Ōsaka 山田 🎓";
    const answer = await t.request("PATCH", `/api/v1/users/${userId}`, {
      token: admin,
      body: { name },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.name).toBe(name);
  });

  it("answers TRACE with 405 and an Allow header, like any method a path does not take", async () => {
    const answer = await t.request("TRACE", "/api/v1/courses", { token: admin });
    expect(answer.status).toBe(405);
    expect(answer.body.code).toBe("method_not_allowed");
    expect(String(answer.headers.allow)).toMatch(/GET/);
  });

  it("clamps limit as documented: 1000 is a page of at most 100, 0 a page of one", async () => {
    expect((await t.request("GET", "/api/v1/courses?limit=1000", { token: admin })).status).toBe(
      200,
    );
    const one = await t.request("GET", "/api/v1/courses?limit=0", { token: admin });
    expect(one.status).toBe(200);
    expect(one.body.data).toHaveLength(1);
    expect((await t.request("GET", "/api/v1/courses?limit=1.5", { token: admin })).status).toBe(
      400,
    );
  });
});
