import { withPlatform } from "@skillbridge/core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deferred } from "../../core/src/ai/timing.js";
import { fastServices } from "../../core/test/support/fast-services.js";
import { grading } from "../../core/test/support/grading-world.js";
import { type FakeGroq, startGroqServer } from "../../core/test/support/groq-server.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { groqAt } from "../../core/test/support/tutor-world.js";
import { createServer, serverConfig, startServer } from "../src/index.js";
import { createTestApp, ENGINES, TEST_SECRET, type TestApp } from "./support/test-app.js";

// AI pre-grading over HTTP on both engines: a submission is queued, the
// app's worker grades it, staff review it in the queue and approve it; the
// student sees nothing until then. Workers start and stop with startServer.

const WORK = "First I subtracted 3 from both sides: 2x = 84. Then I divided by 2, so x = 42.";

async function tokens(t: TestApp) {
  const login = (email: string, password: string) => t.login({ academy: "north", email, password });
  return {
    i1: await login("i1@example.com", "password-i1-1"),
    s1: await login("s1@example.com", "password-s1-1"),
    p: await login("p@example.com", "password-p-1"),
  };
}

describe.each(ENGINES)("AI pre-grading over HTTP on %s", (engine) => {
  let t: TestApp;
  let seed: SeededAcademy;
  let as: Awaited<ReturnType<typeof tokens>>;

  beforeAll(async () => {
    t = await createTestApp(engine);
    seed = await seedAcademy(t.db, fastServices(), "north");
    as = await tokens(t);
  });
  afterAll(() => t.dispose());

  it("submit, grade in the background, review in the queue, approve: the student sees only the approved grade", async () => {
    const created = await t.request(
      "POST",
      `/api/v1/assignments/${seed.assignments.a1}/submissions`,
      {
        token: as.s1,
        body: { content: WORK },
      },
    );
    expect(created.status).toBe(201);
    expect(Object.hasOwn(created.body, "aiReview")).toBe(false);
    const id = created.body.id as string;
    const staff = () => t.request("GET", `/api/v1/submissions/${id}`, { token: as.i1 });
    expect((await staff()).body.aiReview).toMatchObject({ status: "queued", suggestion: null });

    await t.app.workers?.drain();
    const review = (await staff()).body.aiReview;
    expect(review).toMatchObject({
      status: "suggested",
      confidence: 0.3,
      suggestion: { provider: "offline", offline: true, criteria: [{ criterionId: "method" }] },
    });

    const queue = await t.request(
      "GET",
      `/api/v1/grading-queue?assignmentId=${seed.assignments.a1}`,
      {
        token: as.i1,
      },
    );
    expect(queue.status).toBe(200);
    expect(queue.body.data.map((s: { id: string }) => s.id)).toContain(id);
    for (const token of [as.s1, as.p]) {
      expect((await t.request("GET", "/api/v1/grading-queue", { token })).status).toBe(403);
      const seen = await t.request("GET", `/api/v1/submissions/${id}`, { token });
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ grade: null, feedback: null });
      expect(JSON.stringify(seen.body)).not.toMatch(/aiReview|suggest|confidence/);
    }

    const approved = await t.request("PATCH", `/api/v1/submissions/${id}/grade`, {
      token: as.i1,
      body: { acceptSuggestion: true },
    });
    expect(approved.status).toBe(200);
    expect(approved.body.aiReview.status).toBe("accepted");
    expect(approved.body.grade).toBe(review.suggestion.grade);
    const released = await t.request("GET", `/api/v1/submissions/${id}`, { token: as.s1 });
    expect(released.body).toMatchObject({
      grade: review.suggestion.grade,
      feedback: review.suggestion.feedback,
    });
    expect(Object.hasOwn(released.body, "aiReview")).toBe(false);
  });

  it("a grade body must be a grade or an acceptance, not both, not neither", async () => {
    for (const body of [{}, { grade: 5, acceptSuggestion: true }, { acceptSuggestion: false }]) {
      const res = await t.request("PATCH", `/api/v1/submissions/${seed.submissions.sub1}/grade`, {
        token: as.i1,
        body,
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation_failed");
    }
  });
});

describe("workers with the server", () => {
  let fake: FakeGroq;
  beforeAll(async () => {
    fake = await startGroqServer();
  });
  afterAll(() => fake.close());

  it("startServer starts the worker: a submission is graded with no one asking", async () => {
    fake.script = () =>
      grading([{ id: "method", points: 8, evidence: ["x = 42"], confidence: 0.8 }]);
    const t = await createTestApp("pglite", {}, { provider: groqAt(fake.url) });
    const running = await startServer({ app: t.app, port: 0, handleSignals: false });
    try {
      await seedAcademy(t.db, fastServices(), "north");
      const as = await tokens(t);
      const created = await t.request(
        "POST",
        `/api/v1/assignments/${(await t.request("GET", "/api/v1/assignments", { token: as.s1 })).body.data[0].id}/submissions`,
        {
          token: as.s1,
          body: { content: WORK },
        },
      );
      let status = "queued";
      for (let i = 0; i < 500 && status !== "suggested"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const seen = await t.request("GET", `/api/v1/submissions/${created.body.id}`, {
          token: as.i1,
        });
        status = seen.body.aiReview.status;
      }
      expect(status).toBe("suggested");
    } finally {
      await running.close();
      await t.dispose();
    }
  });

  it("closing the server finishes the grading in hand before it returns, and claims nothing more", async () => {
    const release = deferred<void>();
    fake.calls.length = 0;
    fake.script = async () => {
      await release.promise;
      return grading([{ id: "method", points: 5, evidence: ["x = 42"], confidence: 0.7 }]);
    };
    const t = await createTestApp("pglite", {}, { provider: groqAt(fake.url) });
    const running = await startServer({ app: t.app, port: 0, handleSignals: false });
    try {
      const seed = await seedAcademy(t.db, fastServices(), "north");
      await fake.waitForCalls(1);
      let closed = false;
      const closing = running.close().then(() => {
        closed = true;
      });
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(closed).toBe(false);
      release.resolve();
      await closing;
      // The seed queued three submissions; the one in hand finished, the others wait.
      expect(fake.calls).toHaveLength(1);
      const jobs = await withPlatform(t.db, (trx) =>
        trx.selectFrom("jobs").select("status").where("academy_id", "=", seed.academyId).execute(),
      );
      expect(jobs.map((j) => j.status).sort()).toEqual(["done", "queued", "queued"]);
    } finally {
      await t.dispose();
    }
  });

  it("workers: false leaves the queue to another process (skillbridge worker)", async () => {
    const t = await createTestApp("pglite");
    const app = createServer({
      db: t.db,
      config: serverConfig({ jwtSecret: TEST_SECRET, logger: pino({ level: "silent" }) }),
      workers: false,
    });
    const running = await startServer({
      app: t.app,
      port: 0,
      handleSignals: false,
      workers: false,
    });
    try {
      expect(app.workers).toBeUndefined();
      expect(t.app.workers?.started).toBe(false);
    } finally {
      await running.close();
      await app.closeResources();
      await t.dispose();
    }
  });
});
