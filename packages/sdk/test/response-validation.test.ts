import { afterEach, describe, expect, it, vi } from "vitest";
import { ResponseValidationError, SkillBridge } from "../src/index.js";
import { COURSE, json, type StubServer, stubServer } from "./support/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await stub?.close();
  stub = undefined;
});

async function serve(body: unknown, headers: Record<string, string> = {}) {
  stub = await stubServer((res) => json(res, 200, body, headers));
  return stub.url;
}

describe("response validation", () => {
  it("names the field path when a page item does not match its contract", async () => {
    const url = await serve(
      { data: [COURSE, { ...COURSE, createdAt: "yesterday" }], nextCursor: null },
      { "x-request-id": "req-bad" },
    );
    const client = new SkillBridge({ baseUrl: url, validateResponses: true });
    const error = await client.courses
      .list()
      .firstPage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    const invalid = error as ResponseValidationError;
    expect(invalid.code).toBe("invalid_response");
    expect(invalid.status).toBe(200);
    expect(invalid.requestId).toBe("req-bad");
    expect(invalid.issues.map((i) => i.path)).toEqual(["data.1.createdAt"]);
    expect(invalid.message).toMatch(
      /GET \/courses does not match the API contract: data\.1\.createdAt: /,
    );
  });

  it("reports a missing field and a wrong type together", async () => {
    const { title: _title, ...untitled } = COURSE;
    const url = await serve({ ...untitled, instructorId: 42 });
    const client = new SkillBridge({ baseUrl: url, validateResponses: true });
    const error = (await client.courses.get(COURSE.id).catch((e: unknown) => e)) as
      | ResponseValidationError
      | undefined;
    expect(error?.issues.map((i) => i.path).sort()).toEqual(["instructorId", "title"]);
  });

  it("returns the body as sent, extra fields included, when it matches", async () => {
    const url = await serve({ ...COURSE, color: "teal" });
    const client = new SkillBridge({ baseUrl: url, validateResponses: true });
    expect(await client.courses.get(COURSE.id)).toEqual({ ...COURSE, color: "teal" });
  });

  it("validateResponses: false passes a mismatched body through", async () => {
    const url = await serve({ ...COURSE, createdAt: "yesterday" });
    const client = new SkillBridge({ baseUrl: url, validateResponses: false });
    expect((await client.courses.get(COURSE.id)).createdAt).toBe("yesterday");
  });

  it("is on by default outside production and off in production", async () => {
    const url = await serve({ ...COURSE, id: "not-a-uuid" });
    vi.stubEnv("NODE_ENV", "test");
    await expect(new SkillBridge({ baseUrl: url }).courses.get(COURSE.id)).rejects.toBeInstanceOf(
      ResponseValidationError,
    );
    vi.stubEnv("NODE_ENV", "production");
    expect((await new SkillBridge({ baseUrl: url }).courses.get(COURSE.id)).id).toBe("not-a-uuid");
  });

  it("a success answer that is not JSON is a ResponseValidationError even when not validating", async () => {
    stub = await stubServer((res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>login portal</html>");
    });
    const client = new SkillBridge({ baseUrl: stub.url, validateResponses: false });
    const error = await client.courses.get(COURSE.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as Error).message).toMatch(/not JSON/);
  });

  it("assignments accept both the staff and the student view", async () => {
    const assignment = {
      id: COURSE.id,
      courseId: COURSE.id,
      title: "Essay",
      instructions: "Write.",
      maxPoints: 10,
      dueAt: null,
      tutorMode: "socratic",
      rubric: null,
      createdAt: COURSE.createdAt,
      updatedAt: COURSE.updatedAt,
    };
    const url = await serve({
      data: [assignment, { ...assignment, referenceAnswer: "42" }],
      nextCursor: null,
    });
    const client = new SkillBridge({ baseUrl: url, validateResponses: true });
    const page = await client.assignments.list().firstPage();
    expect(page.data).toHaveLength(2);
    expect("referenceAnswer" in (page.data[0] ?? {})).toBe(false);
  });
});
