import { GroqProvider, withTenant } from "@skillbridge/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import {
  completion,
  type FakeGroq,
  groqError,
  startGroqServer,
} from "../../core/test/support/groq-server.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import {
  createPeerApp,
  createTestApp,
  ENGINES,
  requestVia,
  type TestApp,
} from "./support/test-app.js";

// The tutor routes over HTTP (in-process), with groq-sdk talking to a local
// Groq-speaking server: answers, problem documents for the AI's failures, and
// idempotent retries of a message.

describe.each(ENGINES)("tutor session routes on %s", (engine) => {
  let fake: FakeGroq;
  let t: TestApp;
  let poor: ReturnType<typeof createPeerApp>;
  let seed: SeededAcademy;
  let student: string;
  let parent: string;
  let assignmentId: string;
  let offAssignmentId: string;

  beforeAll(async () => {
    fake = await startGroqServer();
    const provider = new GroqProvider({
      apiKey: "gsk_test",
      baseURL: fake.url,
      sleep: async () => {},
    });
    t = await createTestApp(engine, {}, { provider, judge: false });
    // A second server process on the same database whose academies may spend almost nothing.
    poor = createPeerApp(t, {}, { provider, limits: { dailyTokenBudget: 5 } });
    const services = fastServices();
    seed = await seedAcademy(t.db, services, "tutor-http");
    const admin = seed.actor("admin");
    [assignmentId, offAssignmentId] = (await withTenant(
      t.db,
      { tenantId: seed.academyId, userId: admin.userId, role: "admin" },
      async (trx) => [
        (
          await services.assignments.create(trx, admin, seed.courses.c1, {
            title: "Equation",
            instructions: "Solve 2x + 3 = 87.",
            maxPoints: 5,
            referenceAnswer: "42",
          })
        ).id,
        (
          await services.assignments.create(trx, admin, seed.courses.c1, {
            title: "No tutor",
            instructions: "On your own.",
            maxPoints: 5,
            tutorMode: "off",
          })
        ).id,
      ],
    )) as [string, string];
    student = await t.login({
      academy: "tutor-http",
      email: "s1@example.com",
      password: "password-s1-1",
    });
    parent = await t.login({
      academy: "tutor-http",
      email: "p@example.com",
      password: "password-p-1",
    });
  });
  afterAll(async () => {
    await t?.dispose();
    await poor?.closeResources();
    await fake?.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
    fake.script = () => completion("What could you do to both sides first?");
  });

  async function openSession(app: TestApp = t, token = student) {
    const res = await app.request("POST", "/api/v1/tutor-sessions", {
      token,
      body: { assignmentId },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  it("a message answers 200 { reply, session }, and the linked parent reads the session", async () => {
    const id = await openSession();
    const res = await t.request("POST", `/api/v1/tutor-sessions/${id}/messages`, {
      token: student,
      body: { content: "How do I start?" },
    });
    expect(res.status).toBe(200);
    expect(res.body.reply).toMatchObject({
      role: "tutor",
      content: "What could you do to both sides first?",
      guard: "passed",
      provider: "groq",
      hintLevel: 1,
    });
    expect(res.body.session.messages).toHaveLength(2);
    expect(JSON.stringify(res.body)).not.toMatch(/referenceAnswer/);

    const list = await t.request("GET", "/api/v1/tutor-sessions?limit=100", { token: parent });
    expect(list.status).toBe(200);
    expect(list.body.data.find((s: { id: string }) => s.id === id)).toMatchObject({
      messageCount: 2,
    });
    const read = await t.request("GET", `/api/v1/tutor-sessions/${id}`, { token: parent });
    expect(read.body.messages.map((m: { role: string }) => m.role)).toEqual(["student", "tutor"]);
  });

  it("a retried message with the same Idempotency-Key is replayed, not asked twice", async () => {
    const id = await openSession();
    const send = () =>
      t.request("POST", `/api/v1/tutor-sessions/${id}/messages`, {
        token: student,
        body: { content: "Hint please" },
        headers: { "idempotency-key": `tutor-${id}` },
      });
    const first = await send();
    const again = await send();
    expect(again.status).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body).toEqual(first.body);
    expect(fake.calls).toHaveLength(1);
  });

  it("a spent AI budget is a 429 problem with Retry-After, and nothing is stored", async () => {
    const request = requestVia(poor);
    const token = student;
    const res = await request("POST", "/api/v1/tutor-sessions", { token, body: { assignmentId } });
    expect(res.status).toBe(201);
    const sent = await request("POST", `/api/v1/tutor-sessions/${res.body.id}/messages`, {
      token,
      body: { content: "Hello?" },
    });
    expect(sent.status).toBe(429);
    expect(sent.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(sent.body).toMatchObject({ code: "ai_budget_exhausted", status: 429 });
    expect(Number(sent.headers["retry-after"])).toBeGreaterThan(0);
    expect(fake.calls).toHaveLength(0);
    const read = await request("GET", `/api/v1/tutor-sessions/${res.body.id}`, { token });
    expect(read.body.messages).toEqual([]);
  });

  it("a provider that stays down is a 503 problem, without internals, and nothing is stored", async () => {
    fake.script = () => groqError(503, "service_unavailable", { "retry-after": "2" });
    const id = await openSession();
    const res = await t.request("POST", `/api/v1/tutor-sessions/${id}/messages`, {
      token: student,
      body: { content: "Hello?" },
    });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: "ai_unavailable", status: 503 });
    expect(res.headers["retry-after"]).toBe("2");
    expect(JSON.stringify(res.body)).not.toMatch(/fake groq|stack|groq-sdk/i);
    const read = await t.request("GET", `/api/v1/tutor-sessions/${id}`, { token: student });
    expect(read.body.messages).toEqual([]);
  });

  it("bad input is a 400 and nothing is written", async () => {
    const id = await openSession();
    for (const body of [
      { content: "" },
      { content: "   " },
      { content: "hi", role: "tutor" },
      {},
    ]) {
      const res = await t.request("POST", `/api/v1/tutor-sessions/${id}/messages`, {
        token: student,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const tooLong = await t.request("POST", `/api/v1/tutor-sessions/${id}/messages`, {
      token: student,
      body: { content: "x".repeat(4_001) },
    });
    expect(tooLong.status).toBe(400);
    const open = await t.request("POST", "/api/v1/tutor-sessions", {
      token: student,
      body: { assignmentId, studentId: seed.users.s2 },
    });
    expect(open.status).toBe(400);
    expect(fake.calls).toHaveLength(0);
    const read = await t.request("GET", `/api/v1/tutor-sessions/${id}`, { token: student });
    expect(read.body.messages).toEqual([]);
  });

  it("an assignment with the tutor off answers 409", async () => {
    const res = await t.request("POST", "/api/v1/tutor-sessions", {
      token: student,
      body: { assignmentId: offAssignmentId },
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("conflict");
  });
});
