import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AiOutputInvalidError,
  AiUnavailableError,
  aiLimitsFromEnv,
  GroqProvider,
  OFFLINE_LABEL,
  OfflineProvider,
  providerFromEnv,
} from "../src/index.js";
import { completion, type FakeGroq, startGroqServer } from "./support/groq-server.js";

// One factory picks the provider from the environment; the offline provider is
// deterministic and labels everything it says.

describe("providerFromEnv", () => {
  let fake: FakeGroq;
  beforeAll(async () => {
    fake = await startGroqServer(() => completion("from the fake"));
  });
  afterAll(() => fake.close());

  it("is the offline provider when GROQ_API_KEY is unset or blank", () => {
    expect(providerFromEnv({}).name).toBe("offline");
    expect(providerFromEnv({ GROQ_API_KEY: "  " }).offline).toBe(true);
  });

  it("is Groq when GROQ_API_KEY is set, honouring GROQ_BASE_URL and the model names", async () => {
    const provider = providerFromEnv({
      GROQ_API_KEY: "gsk_env",
      GROQ_BASE_URL: fake.url,
      SKILLBRIDGE_AI_MODEL: "env-main",
      SKILLBRIDGE_AI_GUARD_MODEL: "env-guard",
    });
    expect(provider).toBeInstanceOf(GroqProvider);
    expect(provider.modelFor("guard")).toBe("env-guard");
    const result = await provider.chat({ task: "t", messages: [{ role: "user", content: "hi" }] });
    expect(result.text).toBe("from the fake");
    expect(fake.calls.at(-1)).toMatchObject({
      authorization: "Bearer gsk_env",
      body: { model: "env-main" },
    });
  });

  it("defaults to llama-3.3-70b-versatile for work and llama-3.1-8b-instant for guard checks", () => {
    const provider = providerFromEnv({ GROQ_API_KEY: "gsk_env" });
    expect([provider.modelFor("main"), provider.modelFor("guard")]).toEqual([
      "llama-3.3-70b-versatile",
      "llama-3.1-8b-instant",
    ]);
  });

  it("reads the limits and refuses values that are not positive integers", () => {
    expect(
      aiLimitsFromEnv({
        SKILLBRIDGE_AI_DAILY_TOKENS: "5000",
        SKILLBRIDGE_AI_MAX_CONCURRENT: "3",
        SKILLBRIDGE_AI_MAX_QUEUED: "0",
      }),
    ).toEqual({ dailyTokenBudget: 5000, maxConcurrent: 3, maxQueued: 0 });
    expect(aiLimitsFromEnv({})).toEqual({});
    expect(() => aiLimitsFromEnv({ SKILLBRIDGE_AI_DAILY_TOKENS: "lots" })).toThrow(
      /SKILLBRIDGE_AI_DAILY_TOKENS/,
    );
    expect(() => aiLimitsFromEnv({ SKILLBRIDGE_AI_MAX_CONCURRENT: "0" })).toThrow(
      /SKILLBRIDGE_AI_MAX_CONCURRENT/,
    );
  });
});

describe("OfflineProvider", () => {
  const provider = new OfflineProvider({
    responders: {
      echo: (request) => `You said: ${request.messages.at(-1)?.content}`,
      score: (request) => ({ score: (request.facts as { n: number }).n }),
      broken: () => ({ score: "high" }),
    },
  });
  const Score = z.object({ score: z.number() });

  it("answers by rule, labelled offline, the same every time, at no token cost", async () => {
    const request = { task: "echo", messages: [{ role: "user" as const, content: "hello" }] };
    const first = await provider.chat(request);
    const second = await provider.chat(request);
    expect(first).toEqual(second);
    expect(first).toEqual({
      text: `${OFFLINE_LABEL} You said: hello`,
      model: "offline/rules",
      provider: "offline",
      offline: true,
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
    });
  });

  it("labels even a task it has no rule for", async () => {
    const { text } = await provider.chat({ task: "unknown", messages: [] });
    expect(text.startsWith(OFFLINE_LABEL)).toBe(true);
    expect(text).toMatch(/GROQ_API_KEY/);
  });

  it("validates JSON answers with the caller's schema, like a model's", async () => {
    const result = await provider.json(Score, { task: "score", messages: [], facts: { n: 7 } });
    expect(result).toMatchObject({ data: { score: 7 }, offline: true, repaired: false });
    await expect(provider.json(Score, { task: "broken", messages: [] })).rejects.toBeInstanceOf(
      AiOutputInvalidError,
    );
    await expect(provider.json(Score, { task: "none", messages: [] })).rejects.toBeInstanceOf(
      AiUnavailableError,
    );
  });

  it("streams its labelled text word by word", async () => {
    const stream = provider.stream({
      task: "echo",
      messages: [{ role: "user", content: "two words" }],
    });
    const pieces: string[] = [];
    for await (const piece of stream) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe((await stream.result).text);
    expect(pieces[0]).toBe(`${OFFLINE_LABEL} `);
  });
});
