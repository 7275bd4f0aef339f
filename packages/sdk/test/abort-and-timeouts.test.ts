import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AbortError, ConnectionError, SkillBridge, TimeoutError } from "../src/index.js";
import { COURSE, json, problem, type StubServer, stubServer } from "./support/stub-server.js";

// A server that takes every request and never answers.
let silent: StubServer;
beforeAll(async () => {
  silent = await stubServer(() => undefined);
});
afterAll(() => silent.close());
beforeEach(() => {
  silent.requests.length = 0;
});

describe("timeoutMs", () => {
  it("ends an unanswered request with a TimeoutError after about timeoutMs", async () => {
    const client = new SkillBridge({ baseUrl: silent.url, timeoutMs: 200, maxRetries: 0 });
    const started = performance.now();
    const error = await client.courses.get(COURSE.id).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as TimeoutError).code).toBe("timeout");
    expect((error as Error).message).toMatch(/within 200 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    expect(silent.requests).toHaveLength(1);
  });

  it("applies to each attempt; a timed-out GET is retried", async () => {
    const client = new SkillBridge({ baseUrl: silent.url, timeoutMs: 100, maxRetries: 1 });
    await expect(client.courses.get(COURSE.id)).rejects.toBeInstanceOf(TimeoutError);
    expect(silent.requests).toHaveLength(2);
  });

  it("a per-request timeoutMs overrides the client's", async () => {
    const client = new SkillBridge({ baseUrl: silent.url, timeoutMs: 60_000, maxRetries: 0 });
    const started = performance.now();
    await expect(client.courses.get(COURSE.id, { timeoutMs: 150 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("covers the body too: headers sent, body never finished", async () => {
    const trickle = await stubServer((res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id":');
    });
    try {
      const client = new SkillBridge({ baseUrl: trickle.url, timeoutMs: 200, maxRetries: 0 });
      await expect(client.courses.get(COURSE.id)).rejects.toBeInstanceOf(TimeoutError);
    } finally {
      await trickle.close();
    }
  });
});

describe("AbortSignal", () => {
  const client = () => new SkillBridge({ baseUrl: silent.url, timeoutMs: 30_000, maxRetries: 2 });

  it("cancels a request in flight with an AbortError carrying the reason, without retrying", async () => {
    const controller = new AbortController();
    const reason = new Error("user navigated away");
    setTimeout(() => controller.abort(reason), 100);
    const started = performance.now();
    const error = await client()
      .courses.get(COURSE.id, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).name).toBe("AbortError");
    expect((error as AbortError).code).toBe("aborted");
    expect((error as AbortError).cause).toBe(reason);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(silent.requests).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const error = await client()
      .courses.get(COURSE.id, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(silent.requests).toHaveLength(0);
  });

  it("AbortSignal.timeout works as a deadline for the whole call, retries included", async () => {
    const started = performance.now();
    const error = await client()
      .courses.get(COURSE.id, { signal: AbortSignal.timeout(150) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBeInstanceOf(DOMException);
    expect(((error as AbortError).cause as DOMException).name).toBe("TimeoutError");
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("cancels the wait between retries", async () => {
    const busy = await stubServer((res) =>
      json(res, 503, problem(503, "unavailable", "Busy."), { "retry-after": "30" }),
    );
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const started = performance.now();
      const sdk = new SkillBridge({ baseUrl: busy.url, maxRetries: 3 });
      const error = await sdk.courses
        .get(COURSE.id, { signal: controller.signal })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(busy.requests).toHaveLength(1);
    } finally {
      await busy.close();
    }
  });

  it("walking pages stops when the signal fires", async () => {
    const controller = new AbortController();
    const pages = client().courses.list({ limit: 1 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pages.toArray({ limit: 10 })).rejects.toBeInstanceOf(AbortError);
  });
});
