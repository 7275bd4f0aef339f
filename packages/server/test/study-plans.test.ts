import { randomUUID } from "node:crypto";
import { GroqProvider, recordAttempts, withPlatform, withTenant } from "@skillbridge/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import {
  completion,
  type FakeGroq,
  groqError,
  startGroqServer,
} from "../../core/test/support/groq-server.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Study plans over HTTP with the model behind a local Groq-speaking server
// (groq-sdk): the rationale is the model's and metered; the stored plan is
// served without another model call while mastery is unchanged; a failing
// model falls back to the labelled template instead of failing the plan.

const TOPIC = "http-plan-ratios";
const RATIONALE = "Ratios keep tripping you up, so this week is ratio practice pitched just right.";

describe.each(ENGINES)("study plans over HTTP (%s)", (engine) => {
  let fake: FakeGroq;
  let t: TestApp;
  let seed: SeededAcademy;
  let parent: string;
  let failing = false;

  const miss = () =>
    withTenant(t.db, { tenantId: seed.academyId, userId: null, role: "system" }, (trx) =>
      recordAttempts(
        trx,
        seed.users.s1,
        [1, 2, 3].map(() => ({ questionId: randomUUID(), topic: TOPIC, correct: false })),
      ),
    );
  const plan = () =>
    t.request("GET", `/api/v1/students/${seed.users.s1}/study-plan`, { token: parent });

  beforeAll(async () => {
    fake = await startGroqServer();
    fake.script = () => (failing ? groqError(500, "internal_error") : completion(RATIONALE));
    t = await createTestApp(
      engine,
      {},
      {
        provider: new GroqProvider({
          apiKey: "gsk_plans",
          baseURL: fake.url,
          sleep: async () => {},
        }),
      },
    );
    const services = fastServices();
    seed = await seedAcademy(t.db, services, "http-plans");
    const report = await withPlatform(t.db, (trx) =>
      services.questions.batch(
        trx,
        { platformUserId: null },
        {
          bank: "sat",
          questions: [1, 2, 3, 4, 5].map((level) => ({
            externalId: `http-plan-${level}`,
            type: "grid_in" as const,
            prompt: `Level ${level}: what is ${level} times 2?`,
            topic: TOPIC,
            difficulty: level,
            answer: [String(level * 2)],
            explanation: `Double ${level}.`,
          })),
        },
      ),
    );
    expect(report.inserted).toBe(5);
    parent = await t.login({
      academy: "http-plans",
      email: "p@example.com",
      password: "password-p-1",
    });
  });
  afterAll(async () => {
    await t?.dispose();
    await fake?.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
    failing = false;
  });

  it("the rationale is the model's, metered for the academy, and the prompt holds no answers", async () => {
    await miss();
    const res = await plan();
    expect(res.status).toBe(200);
    expect(res.body.items[0]?.topic).toBe(TOPIC);
    expect(res.body.items[0]?.questions.length).toBe(5);
    expect(res.body.rationale).toEqual({ text: RATIONALE, provider: "groq", offline: false });
    expect(fake.calls).toHaveLength(1);
    const prompt = JSON.stringify(fake.calls[0]?.body.messages);
    expect(prompt).toContain(TOPIC);
    expect(prompt).not.toMatch(/Double \d|times 2/);
    expect(JSON.stringify(res.body)).not.toMatch(/"answer"|"explanation"|Double \d/);
    const usage = await withTenant(
      t.db,
      { tenantId: seed.academyId, userId: null, role: "system" },
      (trx) =>
        trx
          .selectFrom("ai_usage")
          .select(["task", "user_id"])
          .where("task", "=", "plan.rationale")
          .execute(),
    );
    expect(usage).toEqual([{ task: "plan.rationale", user_id: seed.users.p }]);
  });

  it("serves the stored plan with no model call while mastery is unchanged, and rebuilds it after an answer", async () => {
    const first = await plan();
    const again = await plan();
    expect(again.body).toEqual(first.body);
    expect(fake.calls).toHaveLength(0);
    await miss();
    const rebuilt = await plan();
    expect(fake.calls).toHaveLength(1);
    expect(rebuilt.body.generatedAt).not.toBe(first.body.generatedAt);
    expect(rebuilt.body.items[0]?.mastery).toBeLessThan(first.body.items[0]?.mastery);
  });

  it("a failing model gives the template rationale, labelled offline, not an error", async () => {
    await miss();
    failing = true;
    const res = await plan();
    expect(res.status).toBe(200);
    expect(res.body.rationale.provider).toBe("offline");
    expect(res.body.rationale.offline).toBe(true);
    expect(res.body.rationale.text).toMatch(/^\[offline\] This plan targets/);
    expect(res.body.rationale.text).toContain(TOPIC);
  });
});
