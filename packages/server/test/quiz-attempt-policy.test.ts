import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Finding 9 of issue #18, replayed over HTTP: a quiz's answer key was one
// resubmission per option away (unlimited submissions, each saying which
// questions were right). Quizzes now carry an attempt policy: a submission
// past `allowedAttempts` is 409 attempts_exhausted (also when two arrive at
// once), and `results: "score_only"` (or "after_last_attempt" before the
// last attempt) keeps per-question `correct` out of every view a student or
// parent gets: the POST response, GET /quiz-submissions and /:id, summaries.

const API = "/api/v1";
/** Any per-question verdict or key in a body. */
const PER_QUESTION = /"(correct|answer|explanation|source)"/;

const KEYED = {
  type: "multiple_choice",
  prompt: "Which value solves 4x = 28?",
  options: [
    { id: "A", text: "6" },
    { id: "B", text: "7" },
    { id: "C", text: "8" },
    { id: "D", text: "9" },
  ],
  answer: "B",
  explanation: "Divide both sides by 4.",
  topic: "algebra",
  difficulty: 2,
};
const SECOND = { ...KEYED, prompt: "Which value solves 2x = 14?", answer: "B" };

describe.each(ENGINES)("a quiz's attempt policy (%s)", (engine) => {
  let t: TestApp;
  let seed: SeededAcademy;
  const tokens: Record<string, string> = {};

  const call = (method: string, path: string, who: string, body?: unknown) =>
    t.request(method, `${API}${path}`, { token: tokens[who], body });

  /** A published quiz on c1 (s1 and s3 are enrolled; p is s1's parent), written by i1. */
  async function quiz(policy: Record<string, unknown>) {
    const created = await call("POST", "/quizzes", "i1", {
      title: "Policy quiz",
      courseId: seed.courses.c1,
      questions: [KEYED, SECOND],
      ...policy,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const published = await call("PATCH", `/quizzes/${created.body.id}`, "i1", {
      status: "published",
    });
    expect(published.status).toBe(200);
    return created.body as { id: string; questions: { id: string }[] };
  }
  const submitTo = (q: { id: string; questions: { id: string }[] }, answer: string, who = "s1") =>
    call("POST", `/quizzes/${q.id}/submissions`, who, {
      answers: [{ questionId: q.questions[0]?.id, answer }],
    });
  /** Every view of one submission a student or parent can get. */
  async function learnerViews(id: string, quizId: string) {
    const views = [];
    for (const who of ["s1", "p"]) {
      const one = await call("GET", `/quiz-submissions/${id}`, who);
      expect(one.status, who).toBe(200);
      const page = await call("GET", `/quiz-submissions?quizId=${quizId}&limit=100`, who);
      expect(page.status, who).toBe(200);
      views.push(one.body, page.body);
    }
    return views;
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    seed = await seedAcademy(t.db, fastServices(), "policy");
    for (const who of ["admin", "i1", "i2", "s1", "s3", "p"]) {
      tokens[who] = await t.login({
        academy: "policy",
        email: `${who}@example.com`,
        password: who === "admin" ? "admin-password-1" : `password-${who}-1`,
      });
    }
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("a quiz is unlimited with per-question results unless said otherwise; bad policies are a 400", async () => {
    const plain = await quiz({});
    const read = await call("GET", `/quizzes/${plain.id}`, "s1");
    expect(read.body).toMatchObject({ allowedAttempts: null, results: "per_question" });
    const list = await call("GET", `/quizzes?courseId=${seed.courses.c1}&limit=100`, "s1");
    expect(list.body.data.find((q: { id: string }) => q.id === plain.id)).toMatchObject({
      allowedAttempts: null,
      results: "per_question",
    });
    for (const bad of [{ allowedAttempts: 0 }, { allowedAttempts: 1.5 }, { results: "never" }]) {
      const res = await call("POST", "/quizzes", "i1", {
        title: "Bad",
        questions: [KEYED],
        ...bad,
      });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.errors[0].path).toBe(Object.keys(bad)[0]);
    }
  });

  it("the key hunt of finding 9 ends at the allowed attempts: 409 attempts_exhausted, nothing written", async () => {
    const q = await quiz({ allowedAttempts: 2, results: "score_only" });
    const first = await submitTo(q, "A");
    const second = await submitTo(q, "C");
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toMatchObject({ attempt: 2, attemptsLeft: 0, resultsShown: "score_only" });
    const third = await submitTo(q, "B");
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ code: "attempts_exhausted", status: 409 });
    expect(third.body.detail).toMatch(/all 2 attempts/);
    const all = await call("GET", `/quiz-submissions?quizId=${q.id}&limit=100`, "i1");
    expect(all.body.data).toHaveLength(2);
    // Another student's attempts are their own.
    expect((await submitTo(q, "B", "s3")).status).toBe(201);
  });

  it("score_only: no view a student or parent gets says which questions were right; staff see it", async () => {
    const q = await quiz({ results: "score_only" });
    const posted = await submitTo(q, "B");
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      score: 1,
      maxScore: 2,
      resultsShown: "score_only",
      attempt: 1,
      attemptsLeft: null,
    });
    expect(posted.body.results[0]).toEqual({
      questionId: q.questions[0]?.id,
      answered: true,
      response: "B",
    });
    for (const view of [posted.body, ...(await learnerViews(posted.body.id, q.id))]) {
      expect(JSON.stringify(view)).not.toMatch(PER_QUESTION);
    }
    for (const who of ["i1", "admin"]) {
      const staff = await call("GET", `/quiz-submissions/${posted.body.id}`, who);
      expect(staff.body.resultsShown, who).toBe("per_question");
      expect(staff.body.results.map((r: { correct: boolean }) => r.correct)).toEqual([true, false]);
    }
    // The parent's weekly summary carries the score, not the questions.
    const summary = await call("GET", `/students/${seed.users.s1}/summary`, "p");
    expect(summary.status).toBe(200);
    expect(JSON.stringify(summary.body)).not.toMatch(PER_QUESTION);
    expect(summary.body.facts).toContainEqual(
      expect.objectContaining({ kind: "quiz", label: "Policy quiz", value: "1 / 2" }),
    );
  });

  it("after_last_attempt: the score alone until the last attempt, then per question on every attempt", async () => {
    const q = await quiz({ allowedAttempts: 2, results: "after_last_attempt" });
    const first = await submitTo(q, "A");
    expect(first.body.resultsShown).toBe("score_only");
    for (const view of [first.body, ...(await learnerViews(first.body.id, q.id))])
      expect(JSON.stringify(view)).not.toMatch(PER_QUESTION);

    const last = await submitTo(q, "B");
    expect(last.body).toMatchObject({ resultsShown: "per_question", attempt: 2, attemptsLeft: 0 });
    expect(last.body.results[0].correct).toBe(true);
    const earlier = await call("GET", `/quiz-submissions/${first.body.id}`, "p");
    expect(earlier.body).toMatchObject({ resultsShown: "per_question", attempt: 1 });
    expect(earlier.body.results[0].correct).toBe(false);
    // Never the right answers, even then.
    expect(JSON.stringify(earlier.body)).not.toMatch(/"(answer|explanation|source)"/);
  });

  it("after_last_attempt with unlimited attempts has no last attempt: the score alone", async () => {
    const q = await quiz({ results: "after_last_attempt" });
    for (const answer of ["A", "B", "C"]) {
      const res = await submitTo(q, answer);
      expect(JSON.stringify(res.body)).not.toMatch(PER_QUESTION);
    }
  });

  it("the policy of a published quiz can change: more attempts, then results per question", async () => {
    const q = await quiz({ allowedAttempts: 1, results: "score_only" });
    const first = await submitTo(q, "A");
    expect((await submitTo(q, "B")).status).toBe(409);
    const raised = await call("PATCH", `/quizzes/${q.id}`, "i1", { allowedAttempts: 2 });
    expect(raised.status).toBe(200);
    expect(raised.body).toMatchObject({ allowedAttempts: 2, results: "score_only" });
    expect((await submitTo(q, "B")).status).toBe(201);
    const revealed = await call("PATCH", `/quizzes/${q.id}`, "i1", {
      results: "per_question",
      allowedAttempts: null,
    });
    expect(revealed.body).toMatchObject({ allowedAttempts: null, results: "per_question" });
    const read = await call("GET", `/quiz-submissions/${first.body.id}`, "s1");
    expect(read.body.results[0].correct).toBe(false);
    // Only staff who manage the quiz change its policy.
    expect((await call("PATCH", `/quizzes/${q.id}`, "s1", { allowedAttempts: 9 })).status).toBe(
      403,
    );
    expect((await call("PATCH", `/quizzes/${q.id}`, "i2", { allowedAttempts: 9 })).status).toBe(
      404,
    );
  });

  // A real race on PostgreSQL (a pool of connections); PGlite's one connection queues them.
  it("two submissions at once with one attempt left: one 201, the others 409, and one row", async () => {
    for (let round = 0; round < 5; round += 1) {
      const q = await quiz({ allowedAttempts: 2 });
      expect((await submitTo(q, "A")).status).toBe(201);
      const racing = await Promise.all([submitTo(q, "B"), submitTo(q, "C"), submitTo(q, "D")]);
      expect(racing.map((r) => r.status).sort(), `round ${round}`).toEqual([201, 409, 409]);
      const rows = await call("GET", `/quiz-submissions?quizId=${q.id}&limit=100`, "i1");
      expect(rows.body.data).toHaveLength(2);
      expect(rows.body.data.map((s: { attempt: number }) => s.attempt).sort()).toEqual([1, 2]);
    }
  });
});
