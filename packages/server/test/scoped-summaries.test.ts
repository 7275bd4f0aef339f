import { withTenant } from "@skillbridge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Finding 6 of issue #18, replayed over HTTP: instructor i1 teaches only c1
// ("SAT Math"); student s3 is also in c2 ("GRE Verbal", i2's), graded 3/10
// there, with a c2 quiz and c2 tutor use. Every aggregate over s3 shows i1
// only what i1 may read directly: the summary's grades, quiz results and
// tutor use are filtered by the viewer's own read rules; the cross-course
// aggregates (topic mastery, Elo, XP: docs/learning.md) carry no grade,
// answer or title of c2.

const API = "/api/v1";

/** What i1 must never receive about c2: its title, its assignment's, its quiz's, the grade, the quiz's key. */
const C2_SECRETS = [
  "GRE Verbal",
  "Synonyms",
  "Verbal check",
  "3 / 10",
  "Pellucid",
  "Limpid means clear",
] as const;
/** And what i2 must never receive about c1. */
const C1_SECRETS = ["SAT Math", "Linear equations", "Warm-up", "8 / 10"] as const;

const C2_QUESTION = {
  type: "multiple_choice",
  prompt: "Choose the word closest in meaning to lucid.",
  options: [
    { id: "A", text: "Pellucid" },
    { id: "B", text: "Murky" },
  ],
  answer: "A",
  explanation: "Limpid means clear, and so does pellucid.",
  topic: "vocabulary",
  difficulty: 2,
};

type Fact = { kind: string; label: string; value: string };

describe.each(ENGINES)("aggregates over a student are scoped to the viewer (%s)", (engine) => {
  let t: TestApp;
  let seed: SeededAcademy;
  const tokens: Record<string, string> = {};

  const get = (who: string, path: string) =>
    t.request("GET", `${API}${path}`, { token: tokens[who] });
  const summaryOf = async (who: string) => {
    const res = await get(who, `/students/${seed.users.s3}/summary`);
    expect(res.status, who).toBe(200);
    return res.body as { text: string; facts: Fact[] };
  };
  const kind = (facts: Fact[], k: string) =>
    facts.filter((f) => f.kind === k).map((f) => `${f.label}: ${f.value}`);

  beforeAll(async () => {
    t = await createTestApp(engine);
    const services = fastServices();
    seed = await seedAcademy(t.db, services, "scoped");
    // The parent p is linked to s3 too (the seed links p to s1 only).
    await withTenant(
      t.db,
      { tenantId: seed.academyId, userId: seed.users.admin, role: "admin" },
      (trx) =>
        services.parentLinks.create(trx, seed.actor("admin"), {
          parentId: seed.users.p,
          studentId: seed.users.s3,
        }),
    );
    for (const who of ["admin", "i1", "i2", "s3", "p"] as const) {
      tokens[who] = await t.login({
        academy: "scoped",
        email: `${who}@example.com`,
        password: who === "admin" ? "admin-password-1" : `password-${who}-1`,
      });
    }

    // c1 (i1's): s3's submission sub3 graded 8/10, and s3 answers the seed's Warm-up quiz.
    const graded1 = await t.request("PATCH", `${API}/submissions/${seed.submissions.sub3}/grade`, {
      token: tokens.i1,
      body: { grade: 8 },
    });
    expect(graded1.status).toBe(200);
    const warmUp = await t.request("POST", `${API}/quizzes/${seed.quizId}/submissions`, {
      token: tokens.s3,
      body: { answers: [{ questionId: seed.quizQuestionId, answer: "B" }] },
    });
    expect(warmUp.status).toBe(201);

    // c2 (i2's): s3 submits a2, i2 grades it 3/10; a c2 quiz s3 gets wrong three times.
    const sub = await t.request("POST", `${API}/assignments/${seed.assignments.a2}/submissions`, {
      token: tokens.s3,
      body: { content: "Lucid, limpid, pellucid." },
    });
    expect(sub.status).toBe(201);
    const graded2 = await t.request("PATCH", `${API}/submissions/${sub.body.id}/grade`, {
      token: tokens.i2,
      body: { grade: 3 },
    });
    expect(graded2.status).toBe(200);
    const quiz = await t.request("POST", `${API}/quizzes`, {
      token: tokens.i2,
      body: { title: "Verbal check", courseId: seed.courses.c2, questions: [C2_QUESTION] },
    });
    expect(quiz.status).toBe(201);
    const published = await t.request("PATCH", `${API}/quizzes/${quiz.body.id}`, {
      token: tokens.i2,
      body: { status: "published" },
    });
    expect(published.status).toBe(200);
    for (let i = 0; i < 3; i += 1) {
      const wrong = await t.request("POST", `${API}/quizzes/${quiz.body.id}/submissions`, {
        token: tokens.s3,
        body: { answers: [{ questionId: quiz.body.questions[0].id, answer: "B" }] },
      });
      expect(wrong.status).toBe(201);
    }

    // Tutor use this week: one message on a1 (c1), two on a2 (c2).
    const at = new Date().toISOString();
    const asked = (n: number) =>
      JSON.stringify(
        Array.from({ length: n }, () => ({ role: "student", content: "Help?", createdAt: at })),
      );
    await withTenant(
      t.db,
      { tenantId: seed.academyId, userId: seed.users.admin, role: "admin" },
      async (trx) => {
        await trx
          .insertInto("tutor_sessions")
          .values([
            { assignment_id: seed.assignments.a1, student_id: seed.users.s3, messages: asked(1) },
            { assignment_id: seed.assignments.a2, student_id: seed.users.s3, messages: asked(2) },
          ])
          .execute();
      },
    );
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("i1's summary of s3 shows c1's grade, quiz and tutor use, and nothing of i2's course c2", async () => {
    const { text, facts } = await summaryOf("i1");
    expect(kind(facts, "grade")).toEqual(["Linear equations (SAT Math): 8 / 10"]);
    expect(kind(facts, "quiz")).toEqual(["Warm-up: 1 / 1"]);
    expect(kind(facts, "tutor")).toEqual(["AI tutor: 1 message in 1 session"]);
    const body = JSON.stringify({ text, facts }).toLowerCase();
    for (const secret of C2_SECRETS) expect(body, secret).not.toContain(secret.toLowerCase());
  });

  it("i2's summary of s3 shows c2's and nothing of c1", async () => {
    const { text, facts } = await summaryOf("i2");
    expect(kind(facts, "grade")).toEqual(["Synonyms (GRE Verbal): 3 / 10"]);
    expect(kind(facts, "quiz")).toEqual([
      "Verbal check: 0 / 1",
      "Verbal check: 0 / 1",
      "Verbal check: 0 / 1",
    ]);
    expect(kind(facts, "tutor")).toEqual(["AI tutor: 2 messages in 1 session"]);
    const body = JSON.stringify({ text, facts }).toLowerCase();
    for (const secret of C1_SECRETS) expect(body, secret).not.toContain(secret.toLowerCase());
  });

  it("the admin, s3 themself and s3's linked parent see both courses", async () => {
    for (const who of ["admin", "s3", "p"]) {
      const { facts } = await summaryOf(who);
      expect(kind(facts, "grade"), who).toEqual([
        "Linear equations (SAT Math): 8 / 10",
        "Synonyms (GRE Verbal): 3 / 10",
      ]);
      expect(kind(facts, "quiz"), who).toHaveLength(4);
      expect(kind(facts, "tutor"), who).toEqual(["AI tutor: 3 messages in 2 sessions"]);
    }
  });

  it("alternating viewers each get their own scope: nothing is served from another viewer's summary", async () => {
    for (const who of ["admin", "i1", "i2", "i1", "admin", "i2"]) {
      const grades = kind((await summaryOf(who)).facts, "grade");
      expect(grades, who).toEqual(
        who === "i1"
          ? ["Linear equations (SAT Math): 8 / 10"]
          : who === "i2"
            ? ["Synonyms (GRE Verbal): 3 / 10"]
            : ["Linear equations (SAT Math): 8 / 10", "Synonyms (GRE Verbal): 3 / 10"],
      );
    }
  });

  it("the cross-course aggregates (weak spots, study plan, XP) show i1 topics and totals, never c2's grade, answer or titles", async () => {
    const spots = await get("i1", `/students/${seed.users.s3}/weak-spots`);
    expect(spots.status).toBe(200);
    // Mastery is per topic, not per course: the topic s3 keeps missing in c2 is a weak spot for every viewer.
    expect(spots.body.data.map((s: { topic: string }) => s.topic)).toEqual(["vocabulary"]);
    const responses = [
      spots,
      await get("i1", `/students/${seed.users.s3}/study-plan`),
      await get("i1", `/students/${seed.users.s3}/gamification`),
      await get("i1", `/courses/${seed.courses.c1}/weak-spots`),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      const body = JSON.stringify(res.body).toLowerCase();
      for (const secret of C2_SECRETS) expect(body, secret).not.toContain(secret.toLowerCase());
      expect(body).not.toContain('"answer"');
      expect(body).not.toContain('"explanation"');
    }
  });
});
