import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { deferred } from "../src/ai/timing.js";
import {
  AiBudgetExhaustedError,
  AiBusyError,
  AiGateway,
  type AiLimits,
  DatabaseUsageLedger,
  GroqProvider,
  type SkillBridgeDatabase,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { completion, type FakeGroq, startGroqServer, streamed } from "./support/groq-server.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// The gateway's promises, on both engines, with groq-sdk talking to a local
// Groq-speaking server: every upstream call's tokens land in the academy's
// own ai_usage rows; a spent daily budget stops calls before they reach Groq;
// one academy's calls cannot take another's concurrency slots.

const user = (content: string) => [{ role: "user" as const, content }];
/** A day on which nothing has been spent yet (rows are stamped with the real time). */
const unspentDay = () => new Date(Date.now() + 10 * 86_400_000);

describe.each(ENGINES)("AI gateway (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let fake: FakeGroq;
  let a: SeededAcademy;
  let b: SeededAcademy;
  let clock: Date;

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    const services = fastServices();
    a = await seedAcademy(db, services, "north");
    b = await seedAcademy(db, services, "south");
    fake = await startGroqServer();
  });
  afterAll(async () => {
    await fake.close();
    await dispose();
  });
  beforeEach(async () => {
    fake.calls.length = 0;
    fake.script = () => completion("ok");
    // created_at comes from the database's clock, so budgets count from the real today.
    clock = new Date();
  });

  function gateway(limits: Partial<AiLimits> = {}) {
    return new AiGateway({
      provider: new GroqProvider({ apiKey: "gsk_test", baseURL: fake.url, sleep: async () => {} }),
      ledger: new DatabaseUsageLedger(db),
      limits,
      now: () => clock,
    });
  }

  /** ai_usage rows of an academy since the test's day began, as the academy itself sees them. */
  async function usageRows(academyId: string) {
    const since = new Date(
      Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate()),
    );
    return withTenant(db, { tenantId: academyId, userId: null, role: "system" }, (trx) =>
      trx
        .selectFrom("ai_usage")
        .select([
          "user_id",
          "task",
          "provider",
          "model",
          "prompt_tokens",
          "completion_tokens",
          "total_tokens",
        ])
        .where("created_at", ">=", since)
        .orderBy("created_at")
        .execute(),
    );
  }

  it("records every upstream call's tokens against the academy and user, repairs included", async () => {
    const before = await usageRows(a.academyId);
    const answers = ['{"n":"x"}', '{"n":3}'];
    fake.script = (call) =>
      completion(answers[call.index] ?? "", {
        prompt_tokens: 40 + call.index,
        completion_tokens: 7,
      });
    const llm = gateway().forAcademy(a.academyId, a.users.s1);
    const result = await llm.json(z.object({ n: z.number() }), {
      task: "quiz.generate",
      messages: user("count"),
    });
    expect(result.data).toEqual({ n: 3 });
    const rows = (await usageRows(a.academyId)).slice(before.length);
    expect(rows).toEqual([
      {
        user_id: a.users.s1,
        task: "quiz.generate",
        provider: "groq",
        model: "llama-3.3-70b-versatile",
        prompt_tokens: 40,
        completion_tokens: 7,
        total_tokens: 47,
      },
      expect.objectContaining({ prompt_tokens: 41, total_tokens: 48 }),
    ]);
    expect(result.usage.totalTokens).toBe(95);
    const usage = await gateway().usage(a.academyId);
    expect(usage.usedTokens).toBeGreaterThanOrEqual(95);
  });

  it("another academy never sees the tokens, and its own budget is untouched", async () => {
    const bBefore = await gateway().usage(b.academyId);
    const aBefore = await usageRows(a.academyId);
    fake.script = () => completion("hi", { prompt_tokens: 500, completion_tokens: 500 });
    await gateway()
      .forAcademy(a.academyId, null)
      .chat({ task: "t", messages: user("x") });
    const bAfter = await gateway().usage(b.academyId);
    expect(bAfter.usedTokens).toBe(bBefore.usedTokens);
    const aAfter = await usageRows(a.academyId);
    expect(aAfter.length).toBe(aBefore.length + 1);
    expect(aAfter.at(-1)).toMatchObject({ user_id: null, total_tokens: 1000 });
  });

  it("streams are metered: tokens recorded once the stream ends", async () => {
    const before = await usageRows(a.academyId);
    fake.script = () => streamed(["a", "b"], { prompt_tokens: 9, completion_tokens: 2 });
    const stream = gateway()
      .forAcademy(a.academyId, a.users.s1)
      .stream({ task: "s", messages: user("x") });
    const deltas: string[] = [];
    for await (const d of stream) deltas.push(d);
    expect(deltas).toEqual(["a", "b"]);
    expect((await stream.result).text).toBe("ab");
    const rows = (await usageRows(a.academyId)).slice(before.length);
    expect(rows).toEqual([expect.objectContaining({ task: "s", total_tokens: 11 })]);
  });

  it("a spent daily budget is a 429 AiBudgetExhaustedError before anything reaches Groq", async () => {
    const spent = (await gateway().usage(a.academyId)).usedTokens;
    // Room for one call: its estimate (ceil(1/4) + 20 = 21) fits, and after it
    // records 190 tokens, the next estimate (21) no longer does.
    const ai = gateway({ dailyTokenBudget: spent + 200 });
    fake.script = () => completion("ok", { prompt_tokens: 150, completion_tokens: 40 });
    const llm = ai.forAcademy(a.academyId, a.users.s1);
    await llm.chat({ task: "t", messages: user("x"), maxTokens: 20 });
    expect(fake.calls).toHaveLength(1);
    const error = await llm
      .chat({ task: "t", messages: user("x"), maxTokens: 20 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AiBudgetExhaustedError);
    const midnight = Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth(), clock.getUTCDate() + 1);
    expect(error).toMatchObject({
      code: "ai_budget_exhausted",
      status: 429,
      retryAfterSeconds: Math.ceil((midnight - clock.getTime()) / 1000),
    });
    expect(fake.calls).toHaveLength(1);
    // The other academy spends its own budget.
    await ai
      .forAcademy(b.academyId, b.users.s1)
      .chat({ task: "t", messages: user("x"), maxTokens: 20 });
    expect(fake.calls).toHaveLength(2);
  });

  it("the budget renews at midnight UTC", async () => {
    const spent = (await gateway().usage(a.academyId)).usedTokens;
    const ai = gateway({ dailyTokenBudget: Math.max(1, spent) });
    await expect(
      ai.forAcademy(a.academyId).chat({ task: "t", messages: user("x"), maxTokens: 10 }),
    ).rejects.toBeInstanceOf(AiBudgetExhaustedError);
    clock = new Date(clock.getTime() + 86_400_000);
    await ai.forAcademy(a.academyId).chat({ task: "t", messages: user("x"), maxTokens: 10 });
    expect(fake.calls).toHaveLength(1);
  });

  it("calls in flight count against the budget before their tokens are recorded", async () => {
    clock = unspentDay();
    const ai = gateway({ dailyTokenBudget: 1000 });
    const gate = deferred<void>();
    fake.script = async () => {
      await gate.promise;
      return completion("ok");
    };
    const llm = ai.forAcademy(a.academyId);
    const first = llm.chat({ task: "t", messages: user("x"), maxTokens: 700 });
    await fake.waitForCalls(1);
    // 700 reserved + 700 more would pass 1000: refused although nothing is recorded yet.
    await expect(
      llm.chat({ task: "t", messages: user("x"), maxTokens: 700 }),
    ).rejects.toBeInstanceOf(AiBudgetExhaustedError);
    gate.resolve();
    await first;
    expect(fake.calls).toHaveLength(1);
  });

  it("caps an academy's concurrent calls, queues a few, refuses the rest, and leaves other academies alone", async () => {
    clock = unspentDay();
    const ai = gateway({ maxConcurrent: 2, maxQueued: 1 });
    const gate = deferred<void>();
    fake.script = async () => {
      await gate.promise;
      return completion("done");
    };
    const aLlm = ai.forAcademy(a.academyId);
    const running = [
      aLlm.chat({ task: "t", messages: user("1") }),
      aLlm.chat({ task: "t", messages: user("2") }),
    ];
    await fake.waitForCalls(2);
    const queued = aLlm.chat({ task: "t", messages: user("3") });
    const refused = await aLlm.chat({ task: "t", messages: user("4") }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AiBusyError);
    expect(refused).toMatchObject({ code: "ai_busy", status: 429, retryAfterSeconds: 1 });

    // Academy B is not behind A's queue: its call reaches Groq while A's are held.
    const other = ai.forAcademy(b.academyId).chat({ task: "t", messages: user("b") });
    await fake.waitForCalls(3);
    expect(fake.inFlight).toBe(3);
    expect(fake.calls.map((c) => c.body.messages[0]?.content).sort()).toEqual(["1", "2", "b"]);

    gate.resolve();
    const texts = await Promise.all([...running, queued, other]);
    expect(texts.map((r) => r.text)).toEqual(["done", "done", "done", "done"]);
    // The queued call went out only after a slot freed: A never had more than 2 at once.
    expect(fake.calls.map((c) => c.body.messages[0]?.content)).toContain("3");
    expect(fake.maxInFlight).toBeLessThanOrEqual(3);
  });
});
