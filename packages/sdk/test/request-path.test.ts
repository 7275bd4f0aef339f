import { afterEach, describe, expect, it } from "vitest";
import {
  type HttpClient,
  type HttpRequest,
  NotFoundError,
  SkillBridge,
  ValidationError,
} from "../src/index.js";
import { COURSE, json, problem, type StubServer, stubServer } from "./support/stub-server.js";

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

const LOGIN = {
  accessToken: "token-from-login",
  tokenType: "Bearer",
  expiresIn: 3600,
  user: {
    id: COURSE.instructorId,
    email: "ada@north.example",
    name: "Ada",
    role: "admin",
    academyId: COURSE.id,
  },
};

/** A transport that answers from memory and records what it was asked. */
function memoryHttp(answer: (req: HttpRequest) => { status: number; body?: unknown }) {
  const seen: HttpRequest[] = [];
  const http: HttpClient = {
    async request(req) {
      seen.push(req);
      const { status, body } = answer(req);
      return {
        status,
        headers: { "x-request-id": `mem-${seen.length}` },
        text: async () => (body === undefined ? "" : JSON.stringify(body)),
      };
    },
  };
  return { http, seen };
}

describe("the request path", () => {
  it("adds /api/v1 to the base URL unless it is there", async () => {
    const { http, seen } = memoryHttp(() => ({ status: 200, body: COURSE }));
    for (const baseUrl of [
      "http://api.example",
      "http://api.example/",
      "http://api.example/api/v1",
      "http://api.example/api/v1/",
    ]) {
      await new SkillBridge({ baseUrl, httpClient: http }).courses.get("a b");
    }
    expect(new Set(seen.map((r) => r.url))).toEqual(
      new Set(["http://api.example/api/v1/courses/a%20b"]),
    );
  });

  it("sends JSON, the bearer token, the user agent and the caller's headers", async () => {
    const { http, seen } = memoryHttp(() => ({ status: 200, body: COURSE }));
    const client = new SkillBridge({
      baseUrl: "http://api.example",
      token: "tok",
      httpClient: http,
      headers: { "X-Team": "north" },
    });
    await client.courses.update(
      COURSE.id,
      { title: "New" },
      { headers: { "X-Request-Id": "mine-1" } },
    );
    const [req] = seen;
    expect(req?.method).toBe("PATCH");
    expect(req?.body).toBe('{"title":"New"}');
    expect(req?.headers).toMatchObject({
      accept: "application/json",
      "content-type": "application/json",
      authorization: "Bearer tok",
      "x-team": "north",
      "x-request-id": "mine-1",
    });
    expect(req?.headers["user-agent"]).toMatch(/^skillbridge-sdk\/0\.1\.0 node\/v\d+/);
    expect(req?.headers["idempotency-key"]).toBeUndefined();
  });

  it("login keeps the token and sends none itself; setToken replaces it", async () => {
    const { http, seen } = memoryHttp((req) =>
      req.url.endsWith("/auth/login")
        ? { status: 200, body: LOGIN }
        : { status: 200, body: COURSE },
    );
    const client = new SkillBridge({
      baseUrl: "http://api.example",
      token: "old",
      httpClient: http,
    });
    const login = await client.auth.login({ email: "ada@north.example", password: "pw" });
    expect(login.accessToken).toBe("token-from-login");
    expect(client.token).toBe("token-from-login");
    expect(seen[0]?.headers.authorization).toBeUndefined();
    await client.courses.get(COURSE.id);
    expect(seen[1]?.headers.authorization).toBe("Bearer token-from-login");
    client.setToken(undefined);
    await client.courses.get(COURSE.id);
    expect(seen[2]?.headers.authorization).toBeUndefined();
  });

  it("a failed login keeps the old token", async () => {
    const { http } = memoryHttp(() => ({
      status: 401,
      body: problem(401, "unauthenticated", "Wrong."),
    }));
    const client = new SkillBridge({
      baseUrl: "http://api.example",
      token: "old",
      httpClient: http,
    });
    await expect(client.auth.login({ email: "a@b.example", password: "x" })).rejects.toThrow(
      "Wrong.",
    );
    expect(client.token).toBe("old");
  });

  it("withToken makes a sibling client on the same transport", async () => {
    const { http, seen } = memoryHttp(() => ({ status: 200, body: COURSE }));
    const client = new SkillBridge({
      baseUrl: "http://api.example",
      token: "admin",
      httpClient: http,
    });
    const other = client.withToken("student");
    await other.courses.get(COURSE.id);
    await client.courses.get(COURSE.id);
    expect(seen.map((r) => r.headers.authorization)).toEqual(["Bearer student", "Bearer admin"]);
    expect(client.token).toBe("admin");
  });

  it("a 204 resolves to undefined and still has a request id", async () => {
    const { http } = memoryHttp(() => ({ status: 204 }));
    const client = new SkillBridge({ baseUrl: "http://api.example", httpClient: http });
    const { data, requestId, response } = await client.courses.delete(COURSE.id).withResponse();
    expect(data).toBeUndefined();
    expect(requestId).toBe("mem-1");
    expect(response.status).toBe(204);
  });

  it("an APIPromise runs its request once, however often it is awaited", async () => {
    const { http, seen } = memoryHttp(() => ({ status: 200, body: COURSE }));
    const client = new SkillBridge({ baseUrl: "http://api.example", httpClient: http });
    const call = client.courses.get(COURSE.id);
    expect(call).toBeInstanceOf(Promise);
    await call;
    await call;
    await call.withResponse();
    expect(seen).toHaveLength(1);
    const [a, b] = await Promise.all([call, call.then((c) => c.title)]);
    expect(a.id).toBe(COURSE.id);
    expect(b).toBe(COURSE.title);
  });

  it("x-request-id comes back on results (withResponse) and on errors", async () => {
    stub = await stubServer((res, n) =>
      n === 1
        ? json(res, 200, COURSE, { "x-request-id": "ok-1" })
        : json(res, 404, problem(404, "not_found", "Course not found."), {
            "x-request-id": "nf-2",
          }),
    );
    const client = new SkillBridge({ baseUrl: stub.url });
    const { requestId, response } = await client.courses.get(COURSE.id).withResponse();
    expect(requestId).toBe("ok-1");
    expect(response.headers["x-request-id"]).toBe("ok-1");
    const error = await client.courses.get(COURSE.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).requestId).toBe("nf-2");
  });

  it("the fetch option sends through the given fetch", async () => {
    stub = await stubServer((res) =>
      json(res, 400, {
        ...problem(400, "validation_failed", "Bad."),
        errors: [{ path: "title", message: "Too small" }],
      }),
    );
    const urls: string[] = [];
    const client = new SkillBridge({
      baseUrl: stub.url,
      fetch: (url, init) => {
        urls.push(url);
        return fetch(url, init);
      },
    });
    const error = await client.courses
      .create({ title: "", instructorId: COURSE.instructorId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual([
      { path: "title", message: "Too small" },
    ]);
    expect(urls).toEqual([`${stub.url}/api/v1/courses`]);
    expect(stub.requests[0]?.headers["idempotency-key"]).toBeTruthy();
  });

  it("refuses contradictory or invalid options", () => {
    const { http } = memoryHttp(() => ({ status: 200 }));
    expect(() => new SkillBridge({ baseUrl: "http://x", httpClient: http, fetch })).toThrow(
      TypeError,
    );
    expect(() => new SkillBridge({ baseUrl: "not a url" })).toThrow(TypeError);
    expect(() => new SkillBridge({ baseUrl: "http://x", maxRetries: -1 })).toThrow(RangeError);
    expect(() => new SkillBridge({ baseUrl: "http://x", timeoutMs: 0 })).toThrow(RangeError);
  });
});
