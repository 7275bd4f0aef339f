import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AiOutputInvalidError,
  AiRateLimitedError,
  AiUnavailableError,
  type CallRecord,
  GroqProvider,
  type GroqProviderOptions,
} from "../src/index.js";
import {
  completion,
  type FakeGroq,
  groqError,
  jsonValidateFailed,
  startGroqServer,
  streamed,
} from "./support/groq-server.js";

// GroqProvider through groq-sdk against a local server speaking Groq's
// chat-completions API. Waits go through an injected sleep that records them,
// so "honours Retry-After" is checked by value, not by the clock.

const user = (content: string) => [{ role: "user" as const, content }];

describe("GroqProvider against a Groq-speaking server", () => {
  let fake: FakeGroq;
  let slept: number[];

  beforeAll(async () => {
    fake = await startGroqServer();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.calls.length = 0;
    slept = [];
  });

  function provider(options: Partial<GroqProviderOptions> = {}) {
    return new GroqProvider({
      apiKey: "gsk_test",
      baseURL: fake.url,
      sleep: async (ms) => {
        slept.push(ms);
      },
      ...options,
    });
  }

  describe("chat", () => {
    it("sends the messages to the main model with the key and returns text, model and usage", async () => {
      fake.script = () =>
        completion("Hello, learner.", { prompt_tokens: 11, completion_tokens: 4 });
      const records: CallRecord[] = [];
      const result = await provider().chat(
        { task: "demo", messages: user("Hi"), temperature: 0.2, maxTokens: 50 },
        { onCall: (r) => records.push(r) },
      );
      expect(result).toEqual({
        text: "Hello, learner.",
        model: "llama-3.3-70b-versatile",
        provider: "groq",
        offline: false,
        usage: { promptTokens: 11, completionTokens: 4, totalTokens: 15 },
      });
      expect(fake.calls).toHaveLength(1);
      const [call] = fake.calls;
      expect(call?.authorization).toBe("Bearer gsk_test");
      expect(call?.body).toMatchObject({
        model: "llama-3.3-70b-versatile",
        messages: [{ role: "user", content: "Hi" }],
        temperature: 0.2,
        max_completion_tokens: 50,
      });
      expect(records).toEqual([
        {
          model: "llama-3.3-70b-versatile",
          usage: { promptTokens: 11, completionTokens: 4, totalTokens: 15 },
        },
      ]);
    });

    it("runs guard checks on the small model, and model names are configurable", async () => {
      fake.script = () => completion("fine");
      await provider().chat({ task: "judge", tier: "guard", messages: user("x") });
      await provider({ models: { main: "custom-main", guard: "custom-guard" } }).chat({
        task: "t",
        messages: user("x"),
      });
      await provider({ models: { guard: "custom-guard" } }).chat({
        task: "t",
        tier: "guard",
        messages: user("x"),
      });
      expect(fake.calls.map((c) => c.body.model)).toEqual([
        "llama-3.1-8b-instant",
        "custom-main",
        "custom-guard",
      ]);
    });
  });

  describe("json", () => {
    const Verdict = z.object({ verdict: z.enum(["safe", "unsafe"]), reason: z.string() });

    it("asks for json_object, says JSON in the prompt, and returns the validated object", async () => {
      fake.script = () => completion('{"verdict":"safe","reason":"no answer in it"}');
      const result = await provider().json(Verdict, {
        task: "judge",
        messages: [
          { role: "system", content: "You check replies." },
          { role: "user", content: "Reply: keep going" },
        ],
      });
      expect(result.data).toEqual({ verdict: "safe", reason: "no answer in it" });
      expect(result.repaired).toBe(false);
      const [call] = fake.calls;
      expect(call?.body.response_format).toEqual({ type: "json_object" });
      expect(call?.body.messages[0]?.role).toBe("system");
      expect(call?.body.messages[0]?.content).toMatch(/^You check replies\.[\s\S]*JSON/);
      expect(call?.body.messages[0]?.content).toContain('"verdict"');
    });

    it("repairs an answer that fails the schema once, telling the model what was wrong", async () => {
      const answers = ['{"verdict":"maybe"}', '{"verdict":"unsafe","reason":"states 42"}'];
      fake.script = (call) => completion(answers[call.index] ?? "");
      const records: CallRecord[] = [];
      const result = await provider().json(
        Verdict,
        { task: "judge", messages: user("check") },
        { onCall: (r) => records.push(r) },
      );
      expect(result.data).toEqual({ verdict: "unsafe", reason: "states 42" });
      expect(result.repaired).toBe(true);
      expect(fake.calls).toHaveLength(2);
      const repair = fake.calls[1]?.body.messages ?? [];
      expect(repair.at(-2)).toEqual({ role: "assistant", content: '{"verdict":"maybe"}' });
      expect(repair.at(-1)?.content).toMatch(/verdict/);
      expect(repair.at(-1)?.content).toMatch(/corrected JSON/);
      // Both attempts were billed, and both are reported.
      expect(records).toHaveLength(2);
      expect(result.usage.totalTokens).toBe(records.reduce((n, r) => n + r.usage.totalTokens, 0));
    });

    it("repairs text that is not JSON at all", async () => {
      const answers = ["Sure! Here you go: verdict safe", '{"verdict":"safe","reason":"ok"}'];
      fake.script = (call) => completion(answers[call.index] ?? "");
      const result = await provider().json(Verdict, { task: "judge", messages: user("check") });
      expect(result.data.verdict).toBe("safe");
      expect(fake.calls[1]?.body.messages.at(-1)?.content).toMatch(/not valid JSON/);
    });

    it("gives up after one repair with a typed error", async () => {
      fake.script = () => completion('{"verdict":42}');
      const error = await provider()
        .json(Verdict, { task: "judge", messages: user("check") })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AiOutputInvalidError);
      expect(error).toMatchObject({ code: "ai_output_invalid", status: 502 });
      expect(fake.calls).toHaveLength(2);
    });

    it("makes no repair attempt when asked for none (a judge that cannot be read is unsafe)", async () => {
      fake.script = () => completion("not json");
      await expect(
        provider().json(Verdict, { task: "judge", messages: user("c") }, { repairs: 0 }),
      ).rejects.toBeInstanceOf(AiOutputInvalidError);
      expect(fake.calls).toHaveLength(1);
    });

    it("retries Groq's json_validate_failed once with the same request", async () => {
      fake.script = (call) =>
        call.index === 0 ? jsonValidateFailed() : completion('{"verdict":"safe","reason":"ok"}');
      const result = await provider().json(Verdict, { task: "judge", messages: user("check") });
      expect(result.data.verdict).toBe("safe");
      expect(fake.calls).toHaveLength(2);
      expect(fake.calls[1]?.body.messages).toEqual(fake.calls[0]?.body.messages);
      expect(slept).toEqual([]);
    });

    it("a second json_validate_failed is a typed error, not a third attempt", async () => {
      fake.script = () => jsonValidateFailed();
      await expect(
        provider().json(Verdict, { task: "judge", messages: user("check") }),
      ).rejects.toBeInstanceOf(AiOutputInvalidError);
      expect(fake.calls).toHaveLength(2);
    });
  });

  describe("errors", () => {
    it("waits out a 429's Retry-After (seconds) and then succeeds", async () => {
      fake.script = (call) =>
        call.index === 0
          ? groqError(429, "rate_limit_exceeded", { "retry-after": "3" })
          : completion("ok");
      const result = await provider().chat({ task: "t", messages: user("x") });
      expect(result.text).toBe("ok");
      expect(slept).toEqual([3000]);
      expect(fake.calls).toHaveLength(2);
    });

    it("prefers retry-after-ms when Groq sends it", async () => {
      fake.script = (call) =>
        call.index === 0
          ? groqError(429, "rate_limit_exceeded", { "retry-after": "3", "retry-after-ms": "1250" })
          : completion("ok");
      await provider().chat({ task: "t", messages: user("x") });
      expect(slept).toEqual([1250]);
    });

    it("a Retry-After longer than a request may wait fails at once, carrying the wait", async () => {
      fake.script = () => groqError(429, "rate_limit_exceeded", { "retry-after": "120" });
      const error = await provider({ maxRetryWaitMs: 20_000 })
        .chat({ task: "t", messages: user("x") })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AiRateLimitedError);
      expect(error).toMatchObject({ code: "ai_rate_limited", status: 429, retryAfterSeconds: 120 });
      expect(fake.calls).toHaveLength(1);
      expect(slept).toEqual([]);
    });

    it("a 429 that persists past the retries is AiRateLimitedError", async () => {
      fake.script = () => groqError(429, "rate_limit_exceeded", { "retry-after": "1" });
      await expect(
        provider({ maxRetries: 2 }).chat({ task: "t", messages: user("x") }),
      ).rejects.toMatchObject({ code: "ai_rate_limited", retryAfterSeconds: 1 });
      expect(fake.calls).toHaveLength(3);
      expect(slept).toEqual([1000, 1000]);
    });

    it("retries a 5xx with exponential backoff and succeeds", async () => {
      fake.script = (call) =>
        call.index < 2 ? groqError(500, "internal_server_error") : completion("recovered");
      const result = await provider().chat({ task: "t", messages: user("x") });
      expect(result.text).toBe("recovered");
      expect(slept).toEqual([500, 1000]);
    });

    it("a provider that stays down is AiUnavailableError (503) after the retries", async () => {
      fake.script = () => groqError(503, "service_unavailable");
      const error = await provider()
        .chat({ task: "t", messages: user("x") })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AiUnavailableError);
      expect(error).toMatchObject({ code: "ai_unavailable", status: 503 });
      expect(fake.calls).toHaveLength(3);
    });

    it("refused credentials are AiUnavailableError without a retry", async () => {
      fake.script = () => groqError(401, "invalid_api_key");
      await expect(provider().chat({ task: "t", messages: user("x") })).rejects.toMatchObject({
        code: "ai_unavailable",
        message: expect.stringMatching(/credentials/),
      });
      expect(fake.calls).toHaveLength(1);
    });

    it("an unreachable provider is AiUnavailableError", async () => {
      const closed = await startGroqServer();
      const url = closed.url;
      await closed.close();
      await expect(
        provider({ baseURL: url, maxRetries: 1 }).chat({ task: "t", messages: user("x") }),
      ).rejects.toMatchObject({ code: "ai_unavailable" });
      expect(slept).toEqual([500]);
    });
  });

  describe("stream", () => {
    it("yields the deltas in order and settles the whole text and usage from x_groq", async () => {
      fake.script = () =>
        streamed(["What ", "do you ", "notice?"], { prompt_tokens: 20, completion_tokens: 5 });
      const records: CallRecord[] = [];
      const stream = provider().stream(
        { task: "t", messages: user("x") },
        { onCall: (r) => records.push(r) },
      );
      const seen: string[] = [];
      for await (const delta of stream) seen.push(delta);
      expect(seen).toEqual(["What ", "do you ", "notice?"]);
      const result = await stream.result;
      expect(result.text).toBe("What do you notice?");
      expect(result.usage).toEqual({ promptTokens: 20, completionTokens: 5, totalTokens: 25 });
      expect(fake.calls[0]?.body.stream).toBe(true);
      expect(records).toHaveLength(1);
    });

    it("a stream whose request fails rejects both the iteration and the result", async () => {
      fake.script = () => groqError(401, "invalid_api_key");
      const stream = provider().stream({ task: "t", messages: user("x") });
      await expect(
        (async () => {
          for await (const _ of stream) {
            // nothing arrives
          }
        })(),
      ).rejects.toMatchObject({ code: "ai_unavailable" });
      await expect(stream.result).rejects.toMatchObject({ code: "ai_unavailable" });
    });
  });
});
