import { withTenant } from "@skillbridge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rightAnswer, wrongAnswer } from "../../core/test/support/practice-bank.js";
import { type PracticeWorld, seedPracticeWorld } from "./support/practice-world.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Mock exams over HTTP on both engines: the SAT's and GRE's shapes, second
// modules routed harder or easier by the first, time limits kept by the
// server (a controllable clock, never a sleep), reports with labelled
// estimates, every answer an attempt, bank_too_small, and visibility.

const API = "/api/v1";
const LOTS = {
  points: 1_000_000,
  durationSeconds: 60,
  burstPoints: 1_000_000,
  burstDurationSeconds: 10,
};

interface Question {
  id: string;
  type: string;
  difficulty: number;
}

const mean = (qs: readonly Question[]) => qs.reduce((s, q) => s + q.difficulty, 0) / qs.length;

describe.each(ENGINES)("mock exams on %s", (engine) => {
  let t: TestApp;
  let w: PracticeWorld;
  let now = new Date("2030-01-01T09:00:00.000Z");
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };

  beforeAll(async () => {
    t = await createTestApp(engine, { rateLimit: LOTS, clock: () => now });
    w = await seedPracticeWorld(t, { perLevel: 3 });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  const post = (path: string, token: string, body: unknown) =>
    t.request("POST", `${API}${path}`, { token, body });
  const get = (path: string, token: string) => t.request("GET", `${API}${path}`, { token });

  async function submit(
    token: string,
    exam: { id: string; current: { questions: Question[] } },
    right: boolean,
  ) {
    const res = await post(`/mock-exams/${exam.id}/modules`, token, {
      answers: exam.current.questions.map((q) => ({
        questionId: q.id,
        answer: right ? rightAnswer(q) : wrongAnswer(q),
      })),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  it("a short SAT: reading and writing routed harder after a strong module 1, math easier after a weak one; the report estimates 200-800", async () => {
    const started = await post("/mock-exams", w.tokens.s1, { exam: "sat", length: "short" });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    let exam = started.body;
    expect(exam).toMatchObject({
      exam: "sat",
      length: "short",
      status: "in_progress",
      report: null,
    });
    expect(exam.current).toMatchObject({
      section: "reading_writing",
      module: 1,
      timeLimitSeconds: 5 * 60,
    });
    expect(exam.current).not.toHaveProperty("route");
    expect(Date.parse(exam.current.endsAt) - Date.parse(exam.current.startedAt)).toBe(5 * 60_000);
    expect(exam.current.questions).toHaveLength(4);
    expect(JSON.stringify(exam)).not.toMatch(/"answer"|"explanation"/);
    const rw1 = exam.current.questions as Question[];

    advance(60_000);
    exam = await submit(w.tokens.s1, exam, true);
    expect(exam.current).toMatchObject({ section: "reading_writing", module: 2, route: "harder" });
    const rw2 = exam.current.questions as Question[];
    expect(mean(rw2)).toBeGreaterThan(mean(rw1));
    expect(new Set([...rw1, ...rw2].map((q) => q.id)).size).toBe(8);

    exam = await submit(w.tokens.s1, exam, true);
    expect(exam.current).toMatchObject({ section: "math", module: 1, timeLimitSeconds: 7 * 60 });
    const m1 = exam.current.questions as Question[];
    exam = await submit(w.tokens.s1, exam, false);
    expect(exam.current).toMatchObject({ section: "math", module: 2, route: "easier" });
    expect(mean(exam.current.questions)).toBeLessThan(mean(m1));
    exam = await submit(w.tokens.s1, exam, false);

    expect(exam).toMatchObject({ status: "finished", current: null });
    expect(
      exam.modules.map(
        (m: { section: string; module: number; route: string | null; correct: number }) => [
          m.section,
          m.module,
          m.route,
          m.correct,
        ],
      ),
    ).toEqual([
      ["reading_writing", 1, null, 4],
      ["reading_writing", 2, "harder", 4],
      ["math", 1, null, 0],
      ["math", 2, "easier", 0],
    ]);
    const [rw, math] = exam.report.sections;
    expect(rw).toMatchObject({ section: "reading_writing", correct: 8, total: 8, route: "harder" });
    expect(math).toMatchObject({ section: "math", correct: 0, total: 8, route: "easier" });
    for (const s of exam.report.sections) {
      expect(s.estimatedScore).toMatchObject({ min: 200, max: 800, estimate: true });
      expect(s.estimatedScore.low).toBeGreaterThanOrEqual(200);
      expect(s.estimatedScore.high).toBeLessThanOrEqual(800);
      expect(s.estimatedScore.low).toBeLessThan(s.estimatedScore.high);
      expect(s.estimatedScore.low % 10).toBe(0);
    }
    expect(rw.estimatedScore.low).toBeGreaterThan(math.estimatedScore.high);
    expect(exam.report.note).toMatch(/estimate/i);
    const topics = new Map(exam.report.topics.map((x: { topic: string }) => [x.topic, x]));
    expect([...topics.keys()].sort()).toEqual(
      [...new Set(exam.report.topics.map((x: { topic: string }) => x.topic))].sort(),
    );
    const sum = exam.report.topics.reduce((n: number, x: { total: number }) => n + x.total, 0);
    expect(sum).toBe(16);

    // Every answer was an attempt; the finished exam earned its XP.
    const attempts = await withTenant(
      t.db,
      { tenantId: w.A.academyId, userId: null, role: "system" },
      (trx) =>
        trx
          .selectFrom("question_attempts")
          .select("correct")
          .where("student_id", "=", w.A.users.s1)
          .where("answered_at", ">=", new Date(exam.createdAt))
          .execute(),
    );
    expect(attempts).toHaveLength(16);
    expect(attempts.filter((a) => a.correct)).toHaveLength(8);
    const again = await post(`/mock-exams/${exam.id}/modules`, w.tokens.s1, { answers: [] });
    expect(again.status).toBe(409);
  });

  it("a short GRE: verbal and quantitative, each a 12-then-15 shape cut to 4, routed by section 1; the report estimates 130-170", async () => {
    const xpBefore = (await get("/gamification/me", w.tokens.s2)).body.xp;
    let exam = (await post("/mock-exams", w.tokens.s2, { exam: "gre", length: "short" })).body;
    expect(exam.current).toMatchObject({ section: "verbal", module: 1, timeLimitSeconds: 6 * 60 });
    exam = await submit(w.tokens.s2, exam, false);
    expect(exam.current).toMatchObject({
      section: "verbal",
      module: 2,
      route: "easier",
      timeLimitSeconds: 7 * 60,
    });
    exam = await submit(w.tokens.s2, exam, true);
    expect(exam.current).toMatchObject({
      section: "quantitative",
      module: 1,
      timeLimitSeconds: 7 * 60,
    });
    exam = await submit(w.tokens.s2, exam, true);
    expect(exam.current).toMatchObject({
      section: "quantitative",
      module: 2,
      route: "harder",
      timeLimitSeconds: 7 * 60,
    });
    exam = await submit(w.tokens.s2, exam, true);
    expect(
      exam.report.sections.map((s: { section: string; route: string; correct: number }) => [
        s.section,
        s.route,
        s.correct,
      ]),
    ).toEqual([
      ["verbal", "easier", 4],
      ["quantitative", "harder", 8],
    ]);
    for (const s of exam.report.sections) {
      expect(s.estimatedScore).toMatchObject({ min: 130, max: 170, estimate: true });
      expect(s.estimatedScore.low).toBeGreaterThanOrEqual(130);
      expect(s.estimatedScore.high).toBeLessThanOrEqual(170);
    }
    expect(exam.report.sections[1].estimatedScore.high).toBe(170);
    expect((await get("/gamification/me", w.tokens.s2)).body.xp - xpBefore).toBe(20 + 0);
  });

  it("answers after the module's time limit count as unanswered (the server's clock), and route the next module easier", async () => {
    let exam = (await post("/mock-exams", w.tokens.s3, { exam: "sat", length: "short" })).body;
    const endsAt = Date.parse(exam.current.endsAt);
    const countAttempts = () =>
      withTenant(
        t.db,
        { tenantId: w.A.academyId, userId: null, role: "system" },
        async (trx) =>
          (
            await trx
              .selectFrom("question_attempts")
              .select("id")
              .where("student_id", "=", w.A.users.s3)
              .execute()
          ).length,
      );
    const before = await countAttempts();
    now = new Date(endsAt + 1_000);
    exam = await submit(w.tokens.s3, exam, true);
    expect(exam.modules[0]).toMatchObject({ answered: 0, correct: 0, late: true });
    expect(exam.current).toMatchObject({ module: 2, route: "easier" });
    expect(Date.parse(exam.current.startedAt)).toBe(now.getTime());
    expect(await countAttempts()).toBe(before);
    // In time again: the answers count.
    advance(60_000);
    exam = await submit(w.tokens.s3, exam, true);
    expect(exam.modules[1]).toMatchObject({ answered: 4, correct: 4, late: false });
    expect(await countAttempts()).toBe(before + 4);
  });

  it("a bad module submission is a 400 naming each answer and writes nothing", async () => {
    const exam = (await post("/mock-exams", w.tokens.s2, { exam: "gre", length: "short" })).body;
    const [q0, q1] = exam.current.questions as Question[];
    const res = await post(`/mock-exams/${exam.id}/modules`, w.tokens.s2, {
      answers: [
        { questionId: q0?.id, answer: rightAnswer(q0 as Question) },
        { questionId: q0?.id, answer: rightAnswer(q0 as Question) },
        { questionId: w.A.quizQuestionId, answer: "B" },
        { questionId: q1?.id, answer: 12 },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      "answers.1.questionId",
      "answers.2.questionId",
      "answers.3.answer",
    ]);
    const still = await get(`/mock-exams/${exam.id}`, w.tokens.s2);
    expect(still.body.modules).toHaveLength(1);
    expect(still.body.modules[0].submittedAt).toBeNull();
  });

  it("too few bank questions for a full form: 409 bank_too_small naming the sections and difficulties", async () => {
    const res = await post("/mock-exams", w.tokens.s2, { exam: "sat" });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("bank_too_small");
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain("reading_writing.difficulty.3");
    expect(paths).toContain("math.difficulty.3");
    expect(
      res.body.errors.find((e: { path: string }) => e.path === "math.difficulty.3").message,
    ).toMatch(/needs \d+ math questions of difficulty 3; the bank has 6/);
    expect(
      (await get("/mock-exams?limit=100&studentId=" + w.A.users.s2, w.tokens.s2)).body.data.every(
        (e: { length: string }) => e.length === "short",
      ),
    ).toBe(true);
    const bad = await post("/mock-exams", w.tokens.s2, { exam: "act" });
    expect(bad.status).toBe(400);
  });

  it("who sees an exam: the student, the linked parent, the student's instructor and admins; anyone else and another academy 404", async () => {
    const exam = (await post("/mock-exams", w.tokens.s1, { exam: "gre", length: "short" })).body;
    for (const who of ["s1", "p", "i1", "admin"] as const)
      expect((await get(`/mock-exams/${exam.id}`, w.tokens[who])).status, who).toBe(200);
    for (const who of ["s2", "s3", "i2"] as const)
      expect((await get(`/mock-exams/${exam.id}`, w.tokens[who])).status, who).toBe(404);
    expect((await get(`/mock-exams/${exam.id}`, w.bTokens.s1)).status).toBe(404);
    const foreign = await post(`/mock-exams/${exam.id}/modules`, w.bTokens.s1, { answers: [] });
    expect(foreign.status).toBe(404);
    expect(
      (await post(`/mock-exams/${exam.id}/modules`, w.tokens.s3, { answers: [] })).status,
    ).toBe(404);
    expect((await post(`/mock-exams/${exam.id}/modules`, w.tokens.p, { answers: [] })).status).toBe(
      403,
    );
    expect((await post("/mock-exams", w.tokens.i1, { exam: "gre", length: "short" })).status).toBe(
      403,
    );
    // Academy B's student lists only their own (the seed gives each academy's s1 one exam), never A's.
    const bList = (await get("/mock-exams?limit=100", w.bTokens.s1)).body.data as {
      id: string;
      studentId: string;
    }[];
    expect(bList.every((e) => e.studentId === w.B.users.s1)).toBe(true);
    expect(bList.map((e) => e.id)).not.toContain(exam.id);
    const mine = (await get("/mock-exams?limit=100", w.tokens.p)).body.data as {
      studentId: string;
    }[];
    expect(new Set(mine.map((e) => e.studentId))).toEqual(new Set([w.A.users.s1]));
  });
});
