import { withTenant } from "@skillbridge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rightAnswer, wrongAnswer } from "../../core/test/support/practice-bank.js";
import { type PracticeWorld, seedPracticeWorld } from "./support/practice-world.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Practice sets over HTTP on both engines: adaptive choice that climbs, the
// answer revealed only after answering, every answer a learning-model
// attempt (weak spots, study plans, XP), explicit and study-plan sets, and
// who may see what (API.md, "Practice and mock exams").

const API = "/api/v1";
const LOTS = {
  points: 1_000_000,
  durationSeconds: 60,
  burstPoints: 1_000_000,
  burstDurationSeconds: 10,
};

describe.each(ENGINES)("practice sets on %s", (engine) => {
  let t: TestApp;
  let w: PracticeWorld;

  beforeAll(async () => {
    t = await createTestApp(engine, { rateLimit: LOTS });
    w = await seedPracticeWorld(t, { perLevel: 4 });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const post = (path: string, token: string, body: unknown) =>
    t.request("POST", `${API}${path}`, { token, body });
  const get = (path: string, token: string) => t.request("GET", `${API}${path}`, { token });

  /** Answers the set's current question right or wrong; returns the answer's response body. */
  async function answer(
    token: string,
    set: { id: string; current: { id: string; type: string } },
    right: boolean,
  ) {
    const res = await post(`/practice-sets/${set.id}/answers`, token, {
      questionId: set.current.id,
      answer: right ? rightAnswer(set.current) : wrongAnswer(set.current),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  it("an adaptive set climbs after right answers, never repeats, and aims at 60-70 % predicted success", async () => {
    const created = await post("/practice-sets", w.tokens.s2, {
      bank: "sat",
      topics: ["algebra"],
      sections: ["math"],
      count: 12,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      adaptive: true,
      total: 12,
      answered: 0,
      status: "in_progress",
    });
    let set = created.body;
    for (let i = 0; i < 12; i++) set = (await answer(w.tokens.s2, set, true)).set;
    expect(set).toMatchObject({ status: "finished", answered: 12, correct: 12, current: null });
    const levels = set.items.map((item: { difficulty: number }) => item.difficulty);
    // A new student (ability 1500) starts below the middle: level 2 is predicted right ~70 % of the time.
    expect(levels[0]).toBe(2);
    expect(levels.at(-1)).toBeGreaterThan(levels[0]);
    expect(Math.max(...levels.slice(6))).toBeGreaterThan(Math.max(...levels.slice(0, 3)));
    expect(new Set(set.items.map((i: { questionId: string }) => i.questionId)).size).toBe(12);
    for (const item of set.items)
      expect(item).toMatchObject({
        topic: "algebra",
        section: "math",
        answered: true,
        correct: true,
      });
    // While the level it aims at has questions left, each is predicted right 60-70 % of the
    // time, give or take a level's step (150 Elo); later ones fall back to neighbouring levels.
    for (const item of set.items.slice(0, 4)) {
      expect(item.predictedSuccess).toBeGreaterThan(0.5);
      expect(item.predictedSuccess).toBeLessThan(0.75);
    }
  });

  it("a wrong answer reveals the right one only afterwards, to the student and the linked parent", async () => {
    const created = await post("/practice-sets", w.tokens.s1, {
      bank: "sat",
      sections: ["math"],
      count: 3,
    });
    expect(created.status).toBe(201);
    const before = created.body;
    expect(before.current).not.toHaveProperty("answer");
    expect(before.current).not.toHaveProperty("explanation");
    expect(before.items).toHaveLength(1);
    expect(before.items[0]).not.toHaveProperty("answer");
    expect(before.items[0]).not.toHaveProperty("explanation");
    // The parent, before the answer: nothing either.
    const parentBefore = await get(`/practice-sets/${before.id}`, w.tokens.p);
    expect(parentBefore.status).toBe(200);
    expect(JSON.stringify(parentBefore.body)).not.toMatch(/"answer"|"explanation"/);
    // Staff (the student's instructor) see the current question's key.
    const staff = await get(`/practice-sets/${before.id}`, w.tokens.i1);
    expect(staff.status).toBe(200);
    expect(staff.body.items[0]).toHaveProperty("answer");

    const wrong = await answer(w.tokens.s1, before, false);
    expect(wrong.correct).toBe(false);
    expect(wrong.questionId).toBe(before.current.id);
    expect(wrong.answer).toEqual(before.current.type === "grid_in" ? ["7"] : "B");
    expect(wrong.explanation).toMatch(/^Why /);
    expect(wrong.set.items[0]).toMatchObject({
      answered: true,
      correct: false,
      answer: wrong.answer,
    });
    expect(wrong.set.items[0].response).toEqual(wrongAnswer(before.current));
    // The next question is served without its key.
    expect(wrong.set.items[1]).not.toHaveProperty("answer");
    expect(wrong.set.current).not.toHaveProperty("answer");
    expect(wrong.set.current.id).not.toBe(before.current.id);

    const parentAfter = await get(`/practice-sets/${before.id}`, w.tokens.p);
    expect(parentAfter.body.items[0]).toMatchObject({
      answer: wrong.answer,
      explanation: wrong.explanation,
    });
    expect(parentAfter.body.items[1]).not.toHaveProperty("answer");
  });

  it("weak spots, the study plan and XP follow practice; the plan's questions start a set", async () => {
    const me = (await get("/gamification/me", w.tokens.s3)).body;
    const set = (
      await post("/practice-sets", w.tokens.s3, {
        bank: "gre",
        topics: ["arithmetic"],
        count: 6,
      })
    ).body;
    let current = set;
    for (let i = 0; i < 3; i++) current = (await answer(w.tokens.s3, current, false)).set;
    const spots = await get(`/students/${w.A.users.s3}/weak-spots`, w.tokens.s3);
    expect(spots.body.data.map((s: { topic: string }) => s.topic)).toContain("arithmetic");
    const plan = await get(`/students/${w.A.users.s3}/study-plan`, w.tokens.s3);
    const planned = plan.body.items
      .filter((i: { topic: string }) => i.topic === "arithmetic")
      .flatMap((i: { questions: { id: string; bank: string }[] }) => i.questions)
      .filter((q: { bank: string }) => q.bank === "gre")
      .map((q: { id: string }) => q.id);
    expect(planned.length).toBeGreaterThan(0);
    const fromPlan = await post("/practice-sets", w.tokens.s3, {
      bank: "gre",
      fromStudyPlan: true,
      adaptive: false,
    });
    expect(fromPlan.status, JSON.stringify(fromPlan.body)).toBe(201);
    expect(fromPlan.body.filters).toEqual({ fromStudyPlan: true });
    expect(fromPlan.body.total).toBe(planned.length);
    expect(fromPlan.body.current.id).toBe(planned[0]);

    for (let i = 0; i < 3; i++) current = (await answer(w.tokens.s3, current, true)).set;
    const after = await get(`/students/${w.A.users.s3}/weak-spots`, w.tokens.s3);
    expect(after.body.data.map((s: { topic: string }) => s.topic)).not.toContain("arithmetic");
    const xp = (await get("/gamification/me", w.tokens.s3)).body;
    expect(xp.xp - me.xp).toBe(3 * 2);
    // One attempt per answer, from practice (no quiz submission behind it).
    const attempts = await withTenant(
      t.db,
      { tenantId: w.A.academyId, userId: null, role: "system" },
      (trx) =>
        trx
          .selectFrom("question_attempts")
          .select(["question_id", "correct", "quiz_submission_id"])
          .where("student_id", "=", w.A.users.s3)
          .where("topic", "=", "arithmetic")
          .execute(),
    );
    expect(attempts).toHaveLength(6);
    expect(attempts.every((a) => a.quiz_submission_id === null)).toBe(true);
  });

  it("explicit questions are practised in the order given; a non-adaptive section set stays in its section", async () => {
    const page = await get("/questions?bank=sat&section=reading_writing&limit=5", w.tokens.s2);
    const ids = page.body.data.map((q: { id: string }) => q.id).reverse();
    const explicit = await post("/practice-sets", w.tokens.s2, {
      bank: "sat",
      questionIds: ids,
      adaptive: false,
    });
    expect(explicit.status).toBe(201);
    expect(explicit.body.total).toBe(5);
    let set = explicit.body;
    const seen: string[] = [];
    while (set.current) {
      seen.push(set.current.id);
      set = (await answer(w.tokens.s2, set, true)).set;
    }
    expect(seen).toEqual(ids);

    const drawn = await post("/practice-sets", w.tokens.s2, {
      bank: "sat",
      sections: ["reading_writing"],
      adaptive: false,
      count: 8,
    });
    set = drawn.body;
    while (set.current) set = (await answer(w.tokens.s2, set, false)).set;
    expect(set.items).toHaveLength(8);
    expect(set.items.every((i: { section: string }) => i.section === "reading_writing")).toBe(true);
    expect(new Set(set.items.map((i: { questionId: string }) => i.questionId)).size).toBe(8);
    expect(
      set.items.every((i: { predictedSuccess?: number }) => i.predictedSuccess === undefined),
    ).toBe(true);
  });

  it("only the current question can be answered; a bad answer is a 400 that writes nothing; a finished set is a 409", async () => {
    const set = (
      await post("/practice-sets", w.tokens.s2, { bank: "gre", sections: ["verbal"], count: 1 })
    ).body;
    const other = await post(`/practice-sets/${set.id}/answers`, w.tokens.s2, {
      questionId: w.A.quizQuestionId,
      answer: "B",
    });
    expect(other.status).toBe(409);
    expect(other.body.detail).toContain(set.current.id);
    const badShape = await post(`/practice-sets/${set.id}/answers`, w.tokens.s2, {
      questionId: set.current.id,
      answer: "B",
    });
    expect(badShape.status).toBe(400);
    expect(badShape.body.errors).toEqual([{ path: "answer", message: expect.any(String) }]);
    const unknownField = await post(`/practice-sets/${set.id}/answers`, w.tokens.s2, {
      questionId: set.current.id,
      answer: ["B"],
      tenantId: w.B.academyId,
    });
    expect(unknownField.status).toBe(400);
    const still = await get(`/practice-sets/${set.id}`, w.tokens.s2);
    expect(still.body).toMatchObject({ answered: 0, status: "in_progress" });
    const done = await answer(w.tokens.s2, set, true);
    expect(done.set).toMatchObject({ status: "finished", total: 1, answered: 1, correct: 1 });
    const again = await post(`/practice-sets/${set.id}/answers`, w.tokens.s2, {
      questionId: set.current.id,
      answer: ["B"],
    });
    expect(again.status).toBe(409);
  });

  it("bad filters: a section of the other test or another bank's question is a 400; nothing to draw is 409 bank_too_small", async () => {
    const section = await post("/practice-sets", w.tokens.s2, { bank: "gre", sections: ["math"] });
    expect(section.status).toBe(400);
    expect(section.body.errors[0].path).toBe("sections.0");
    const satIds = (await get("/questions?bank=sat&limit=1", w.tokens.s2)).body.data.map(
      (q: { id: string }) => q.id,
    );
    const otherBank = await post("/practice-sets", w.tokens.s2, {
      bank: "gre",
      questionIds: satIds,
    });
    expect(otherBank.status).toBe(400);
    expect(otherBank.body.errors[0]).toMatchObject({ path: "questionIds.0" });
    const nothing = await post("/practice-sets", w.tokens.s2, {
      bank: "sat",
      topics: ["astrology"],
    });
    expect(nothing.status).toBe(409);
    expect(nothing.body).toMatchObject({ code: "bank_too_small", errors: [{ path: "topics" }] });
    const both = await post("/practice-sets", w.tokens.s2, {
      bank: "sat",
      questionIds: satIds,
      topics: ["algebra"],
    });
    expect(both.status).toBe(400);
    const tooMany = await post("/practice-sets", w.tokens.s2, { bank: "sat", count: 51 });
    expect(tooMany.status).toBe(400);
  });

  it("who sees a set: the student, the linked parent, the student's instructor and admins; anyone else and another academy 404", async () => {
    const set = (await post("/practice-sets", w.tokens.s1, { bank: "sat", count: 2 })).body;
    for (const who of ["s1", "p", "i1", "admin"] as const)
      expect((await get(`/practice-sets/${set.id}`, w.tokens[who])).status, who).toBe(200);
    for (const who of ["s2", "s3", "i2"] as const)
      expect((await get(`/practice-sets/${set.id}`, w.tokens[who])).status, who).toBe(404);
    expect((await get(`/practice-sets/${set.id}`, w.bTokens.s1)).status).toBe(404);
    const foreignAnswer = await post(`/practice-sets/${set.id}/answers`, w.bTokens.s1, {
      questionId: set.current.id,
      answer: rightAnswer(set.current),
    });
    expect(foreignAnswer.status).toBe(404);
    const otherStudent = await post(`/practice-sets/${set.id}/answers`, w.tokens.s3, {
      questionId: set.current.id,
      answer: rightAnswer(set.current),
    });
    expect(otherStudent.status).toBe(404);
    expect((await get(`/practice-sets/${set.id}`, w.tokens.s1)).body.answered).toBe(0);
    // Lists: each sees exactly the sets of the students they may see.
    const ids = async (token: string) =>
      new Set(
        ((await get("/practice-sets?limit=100", token)).body.data as { studentId: string }[]).map(
          (s) => s.studentId,
        ),
      );
    expect(await ids(w.tokens.p)).toEqual(new Set([w.A.users.s1]));
    expect(await ids(w.tokens.s3)).toEqual(new Set([w.A.users.s3]));
    expect(
      [...(await ids(w.tokens.i2))].every((id) => [w.A.users.s2, w.A.users.s3].includes(id)),
    ).toBe(true);
    // Academy B's student lists only their own (the seed gives each academy's s1 one set), never A's.
    const bList = (await get("/practice-sets?limit=100", w.bTokens.s1)).body.data as {
      id: string;
      studentId: string;
    }[];
    expect(bList.every((s) => s.studentId === w.B.users.s1)).toBe(true);
    expect(bList.map((s) => s.id)).not.toContain(set.id);
  });
});
