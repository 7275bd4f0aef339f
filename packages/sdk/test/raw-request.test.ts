import { afterEach, describe, expect, it } from "vitest";
import { SkillBridge } from "../src/index.js";
import { json, problem, type StubServer, stubServer } from "./support/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const client = (url: string, maxRetries = 2) =>
  new SkillBridge({ baseUrl: url, token: "t", maxRetries });

describe("rawRequest", () => {
  it("answers a 404 as data, with the problem document parsed, instead of throwing", async () => {
    stub = await stubServer((res) =>
      json(res, 404, problem(404, "not_found", "Course not found."), { "x-request-id": "r-1" }),
    );
    const answer = await client(stub.url).rawRequest({ method: "GET", path: "/courses/abc" });
    expect(answer).toMatchObject({
      status: 404,
      requestId: "r-1",
      body: { code: "not_found", detail: "Course not found." },
    });
    expect(stub.requests).toHaveLength(1);
  });

  it("sends the token, the query, a JSON body and an idempotency key on POST", async () => {
    stub = await stubServer((res) => json(res, 201, { id: "x" }));
    const answer = await client(stub.url).rawRequest({
      method: "POST",
      path: "/courses/c1/enrollments",
      query: { dryRun: "no", skip: undefined },
      body: { studentId: "s1" },
    });
    expect(answer).toMatchObject({ status: 201, body: { id: "x" } });
    const [sent] = stub.requests;
    expect(sent?.url).toBe("/api/v1/courses/c1/enrollments?dryRun=no");
    expect(sent?.headers.authorization).toBe("Bearer t");
    expect(sent?.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(sent?.body ?? "")).toEqual({ studentId: "s1" });
  });

  it("does not retry a 500 (the caller sees it), but waits out a 429's Retry-After", async () => {
    stub = await stubServer((res, n) => {
      if (n === 1)
        json(res, 429, problem(429, "rate_limited", "Slow down."), { "retry-after": "0" });
      else json(res, 500, problem(500, "internal", "Boom."));
    });
    const answer = await client(stub.url).rawRequest({ method: "GET", path: "/users" });
    expect(answer.status).toBe(500);
    expect(stub.requests).toHaveLength(2);
  });

  it("gives a 429 back once the retries are spent", async () => {
    stub = await stubServer((res) =>
      json(res, 429, problem(429, "rate_limited", "Slow down."), { "retry-after": "0" }),
    );
    const answer = await client(stub.url, 1).rawRequest({ method: "GET", path: "/users" });
    expect(answer.status).toBe(429);
    expect(stub.requests).toHaveLength(2);
  });

  it("keeps a body that is not JSON as text, and an empty one as null", async () => {
    stub = await stubServer((res, n) => {
      if (n === 1) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end("Bad gateway");
      } else {
        res.writeHead(204);
        res.end();
      }
    });
    const api = client(stub.url, 0);
    expect(await api.rawRequest({ method: "GET", path: "/x" })).toMatchObject({
      status: 502,
      body: "Bad gateway",
    });
    expect(await api.rawRequest({ method: "DELETE", path: "/x" })).toMatchObject({
      status: 204,
      body: null,
    });
  });

  it("refuses a path that is not under the API root", () => {
    expect(() =>
      client("http://127.0.0.1:9").rawRequest({ method: "GET", path: "courses" }),
    ).toThrow(/must start with "\/"/);
  });
});
