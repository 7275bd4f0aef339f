import { afterEach, describe, expect, it } from "vitest";
import {
  MAX_RETRY_AFTER_MS,
  MAX_RETRY_DELAY_MS,
  parseRetryAfterMs,
  retryDelayMs,
} from "../src/core/retry.js";
import {
  ConflictError,
  ConnectionError,
  IdempotencyError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  SkillBridge,
} from "../src/index.js";
import { COURSE, json, problem, type StubServer, stubServer } from "./support/stub-server.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let stub: StubServer | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

function client(url: string, maxRetries = 2) {
  return new SkillBridge({ baseUrl: url, token: "t", maxRetries });
}

describe("retry delays", () => {
  it("back off exponentially from 0.5 s to a cap of 8 s, with up to a quarter of jitter", () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, undefined, none))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(retryDelayMs(0, undefined, () => 1)).toBe(375);
    expect(retryDelayMs(6, undefined, () => 0.999_999)).toBeGreaterThan(MAX_RETRY_DELAY_MS * 0.75);
    for (let i = 0; i < 50; i++) {
      const delay = retryDelayMs(1, undefined);
      expect(delay).toBeGreaterThan(750);
      expect(delay).toBeLessThanOrEqual(1000);
    }
  });

  it("follow Retry-After (seconds or HTTP date) over backoff, capped at 60 s", () => {
    expect(retryDelayMs(0, "2")).toBe(2000);
    expect(retryDelayMs(3, "0")).toBe(0);
    expect(retryDelayMs(0, "3600")).toBe(MAX_RETRY_AFTER_MS);
    const soon = new Date(Date.now() + 5_000).toUTCString();
    expect(retryDelayMs(0, soon)).toBeGreaterThan(3_000);
    expect(retryDelayMs(0, soon)).toBeLessThanOrEqual(5_000);
    const late = new Date(Date.now() + 3_600_000).toUTCString();
    expect(retryDelayMs(0, late)).toBe(MAX_RETRY_AFTER_MS);
  });

  it("read Retry-After leniently: a past date is now, garbage is absent", () => {
    const now = Date.parse("2026-10-21T07:28:00Z");
    expect(parseRetryAfterMs("Wed, 21 Oct 2026 07:28:03 GMT", now)).toBe(3000);
    expect(parseRetryAfterMs("Wed, 21 Oct 2026 07:27:00 GMT", now)).toBe(0);
    expect(parseRetryAfterMs(" 1.5 ", now)).toBe(1500);
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
    expect(parseRetryAfterMs("", now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs("-5", now)).toBeUndefined();
  });
});

describe("retries against a local server", () => {
  it("503 with Retry-After twice, then 200: waits as told and succeeds on the third attempt", async () => {
    stub = await stubServer((res, n) => {
      if (n <= 2) json(res, 503, problem(503, "unavailable", "Busy."), { "retry-after": "1" });
      else json(res, 200, COURSE, { "x-request-id": "third" });
    });
    const { data, response, requestId } = await client(stub.url)
      .courses.get(COURSE.id)
      .withResponse();
    expect(data).toEqual(COURSE);
    expect(response.attempts).toBe(3);
    expect(requestId).toBe("third");
    const [first, second, third] = stub.requests.map((r) => r.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(950);
    expect((third ?? 0) - (second ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("429 with Retry-After as an HTTP date waits until that date", async () => {
    let retryAt = 0;
    stub = await stubServer((res, n) => {
      if (n === 1) {
        // HTTP dates have whole seconds: the next full second, at least one away.
        retryAt = (Math.floor(Date.now() / 1000) + 2) * 1000;
        json(res, 429, problem(429, "rate_limited", "Slow down."), {
          "retry-after": new Date(retryAt).toUTCString(),
        });
      } else json(res, 200, COURSE);
    });
    const course = await client(stub.url).courses.get(COURSE.id);
    expect(course.id).toBe(COURSE.id);
    expect(stub.requests).toHaveLength(2);
    expect(Date.now()).toBeGreaterThanOrEqual(retryAt - 20);
  });

  it("stops at maxRetries and throws the last answer's error", async () => {
    stub = await stubServer((res) =>
      json(res, 503, problem(503, "unavailable", "Still busy."), { "retry-after": "0" }),
    );
    const error = await client(stub.url, 3)
      .courses.get(COURSE.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).code).toBe("unavailable");
    expect(stub.requests).toHaveLength(4);
  });

  it("maxRetries: 0 makes one attempt and surfaces the 429 with its retryAfter", async () => {
    stub = await stubServer((res) =>
      json(res, 429, problem(429, "rate_limited", "Slow down."), { "retry-after": "17" }),
    );
    const error = await client(stub.url, 0)
      .courses.list()
      .firstPage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(17);
    expect(stub.requests).toHaveLength(1);
  });

  it("a spent daily AI budget (429 ai_budget_exhausted) is not retried: it renews at midnight", async () => {
    stub = await stubServer((res) =>
      json(res, 429, problem(429, "ai_budget_exhausted", "Budget spent."), {
        "retry-after": "36000",
      }),
    );
    const error = await client(stub.url, 3)
      .courses.get(COURSE.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: "ai_budget_exhausted", retryAfter: 36000 });
    expect(stub.requests).toHaveLength(1);
  });

  it("a per-request maxRetries overrides the client's", async () => {
    stub = await stubServer((res) => json(res, 500, problem(500, "internal", "Oops.")));
    await expect(
      client(stub.url, 5).courses.get(COURSE.id, { maxRetries: 0 }),
    ).rejects.toBeInstanceOf(InternalServerError);
    expect(stub.requests).toHaveLength(1);
  });

  it("without Retry-After, backs off exponentially", async () => {
    stub = await stubServer((res, n) => {
      if (n <= 2) json(res, 502, problem(502, "internal", "Gateway."));
      else json(res, 200, COURSE);
    });
    await client(stub.url).courses.get(COURSE.id);
    const [a = 0, b = 0, c = 0] = stub.requests.map((r) => r.at);
    expect(b - a).toBeGreaterThanOrEqual(370);
    expect(c - b).toBeGreaterThanOrEqual(740);
  });

  it("4xx answers other than 408 and 429 are not retried", async () => {
    stub = await stubServer((res) => json(res, 404, problem(404, "not_found", "No course.")));
    await expect(client(stub.url).courses.get(COURSE.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(stub.requests).toHaveLength(1);
  });

  it("408 is retried", async () => {
    stub = await stubServer((res, n) => {
      if (n === 1) json(res, 408, problem(408, "timeout", "Too slow."), { "retry-after": "0" });
      else json(res, 200, COURSE);
    });
    await client(stub.url).courses.get(COURSE.id);
    expect(stub.requests).toHaveLength(2);
  });

  it("a dropped connection is retried for a GET", async () => {
    stub = await stubServer((res, n) => {
      if (n === 1) res.socket?.destroy();
      else json(res, 200, COURSE);
    });
    expect((await client(stub.url).courses.get(COURSE.id)).id).toBe(COURSE.id);
    expect(stub.requests).toHaveLength(2);
  });

  it("a refused connection is a ConnectionError once retries are spent", async () => {
    const closed = await stubServer(() => undefined);
    await closed.close();
    const error = await client(closed.url, 1)
      .courses.get(COURSE.id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).code).toBe("connection_error");
    expect((error as ConnectionError).status).toBeUndefined();
    expect((error as ConnectionError).requestId).toBeNull();
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});

describe("POST, idempotency keys and retries", () => {
  const body = { title: "SAT Math", instructorId: COURSE.instructorId };

  it("every POST carries a fresh Idempotency-Key", async () => {
    stub = await stubServer((res) => json(res, 201, COURSE));
    const sdk = client(stub.url);
    await sdk.courses.create(body);
    await sdk.courses.create(body);
    const [first, second] = stub.requests.map((r) => r.headers["idempotency-key"]);
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
  });

  it("a POST whose first connection drops is retried with the same key", async () => {
    stub = await stubServer((res, n) => {
      if (n === 1) res.socket?.destroy();
      else json(res, 201, COURSE);
    });
    const course = await client(stub.url).courses.create(body);
    expect(course.id).toBe(COURSE.id);
    expect(stub.requests).toHaveLength(2);
    const [first, second] = stub.requests;
    expect(first?.headers["idempotency-key"]).toMatch(UUID);
    expect(second?.headers["idempotency-key"]).toBe(first?.headers["idempotency-key"]);
    expect(second?.body).toBe(first?.body);
  });

  it("the caller's idempotencyKey is used and kept across retries", async () => {
    stub = await stubServer((res, n) => {
      if (n === 1) json(res, 503, problem(503, "unavailable", "Busy."), { "retry-after": "0" });
      else json(res, 201, COURSE);
    });
    await client(stub.url).courses.create(body, { idempotencyKey: "order-4711" });
    expect(stub.requests.map((r) => r.headers["idempotency-key"])).toEqual([
      "order-4711",
      "order-4711",
    ]);
  });

  it("a 409 saying the same key is still in progress is waited out; the replay is the answer", async () => {
    stub = await stubServer((res, n) => {
      if (n === 1) {
        json(res, 409, problem(409, "idempotency_key_in_progress", "Still running."), {
          "retry-after": "0",
        });
      } else json(res, 201, COURSE, { "idempotent-replayed": "true" });
    });
    const { data, response } = await client(stub.url).courses.create(body).withResponse();
    expect(data.id).toBe(COURSE.id);
    expect(response.attempts).toBe(2);
    expect(response.headers["idempotent-replayed"]).toBe("true");
  });

  it("any other 409, and a 422 for a key reused on another body, fail at once", async () => {
    stub = await stubServer((res, n) =>
      n === 1
        ? json(res, 409, problem(409, "conflict", "Slug taken."))
        : json(res, 422, problem(422, "idempotency_key_reused", "Other body, same key.")),
    );
    const conflict = await client(stub.url)
      .courses.create(body)
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    const reused = await client(stub.url)
      .courses.create(body, { idempotencyKey: "k" })
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(IdempotencyError);
    expect((reused as IdempotencyError).code).toBe("idempotency_key_reused");
    expect(stub.requests).toHaveLength(2);
  });

  it("login carries no key and is never retried", async () => {
    stub = await stubServer((res) => {
      res.socket?.destroy();
    });
    const error = await client(stub.url)
      .auth.login({ email: "a@b.example", password: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]?.headers["idempotency-key"]).toBeUndefined();
  });

  it("a POST whose key the caller blanks out is sent without one and never retried", async () => {
    stub = await stubServer((res) => json(res, 503, problem(503, "unavailable", "Busy.")));
    const answer = await client(stub.url)
      .courses.create(body, { headers: { "Idempotency-Key": "" } })
      .catch((e: unknown) => e);
    expect(answer).toBeInstanceOf(InternalServerError);
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]?.headers["idempotency-key"]).toBeUndefined();
  });
});
