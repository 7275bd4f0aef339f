import { withTenant } from "@skillbridge/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Quiz submissions and weak spots over HTTP on both engines: every question
// type scored by its own rules (score()), answers never shown to students or
// parents, a student who keeps missing one topic gets it as a weak spot, the
// weak spots' visibility, and bad submissions that write nothing.

const API = "/api/v1";

/** One question of every type of the bank's model; the topics are what the learning model sees. */
const QUESTIONS = [
  {
    type: "multiple_choice",
    prompt: "Which value solves 3x = 21?",
    options: [
      { id: "A", text: "6" },
      { id: "B", text: "7" },
      { id: "C", text: "8" },
    ],
    answer: "B",
    explanation: "Divide both sides by 3.",
    topic: "algebra",
    difficulty: 2,
  },
  {
    type: "multi_select",
    prompt: "Which are prime? (select all that apply)",
    options: [
      { id: "A", text: "2" },
      { id: "B", text: "4" },
      { id: "C", text: "5" },
      { id: "D", text: "9" },
    ],
    answer: ["A", "C"],
    topic: "number theory",
    difficulty: 2,
  },
  {
    type: "quantitative_comparison",
    prompt: "Compare the quantities.",
    quantityA: "2^3",
    quantityB: "3^2",
    answer: "B",
    topic: "exponents",
    difficulty: 3,
  },
  {
    type: "numeric_entry",
    prompt: "What fraction of 8 is 6?",
    answer: "3/4",
    topic: "fractions",
    difficulty: 2,
  },
  {
    type: "grid_in",
    prompt: "What is 3 divided by 4?",
    answer: ["3/4"],
    topic: "division",
    difficulty: 1,
  },
  {
    type: "text_completion",
    prompt: "Her argument was so _____ that nobody could follow it.",
    blanks: [
      {
        options: [
          { id: "A", text: "lucid" },
          { id: "B", text: "cogent" },
          { id: "C", text: "convoluted" },
          { id: "D", text: "brief" },
          { id: "E", text: "plain" },
        ],
      },
    ],
    answer: ["C"],
    topic: "vocabulary",
    difficulty: 3,
  },
  {
    type: "sentence_equivalence",
    prompt: "The critic's review was _____, praising nothing.",
    options: [
      { id: "A", text: "scathing" },
      { id: "B", text: "glowing" },
      { id: "C", text: "tepid" },
      { id: "D", text: "withering" },
      { id: "E", text: "balanced" },
      { id: "F", text: "effusive" },
    ],
    answer: ["A", "D"],
    topic: "vocabulary",
    difficulty: 4,
  },
  {
    type: "select_in_passage",
    prompt: "Select the sentence that states the author's claim.",
    sentences: ["Cities grow.", "Parks make cities cooler.", "Trees need water."],
    answer: 1,
    explanation: "The second sentence is the claim.",
    topic: "reading",
    difficulty: 3,
  },
] as const;

type Stored = { id: string; type: string; topic: string };

describe.each(ENGINES)("quiz submissions and weak spots over HTTP (%s)", (engine) => {
  let t: TestApp;
  let north: SeededAcademy;
  let south: SeededAcademy;
  const tokens: Record<string, string> = {};
  const southTokens: Record<string, string> = {};
  let quizId: string;
  let questions: Stored[];

  const as = (who: string, academy: "north" | "south" = "north") =>
    (academy === "north" ? tokens : southTokens)[who];
  const byType = (type: string) => {
    const q = questions.find((x) => x.type === type);
    if (!q) throw new Error(`no ${type} question`);
    return q.id;
  };
  /** Answers by question type. */
  const answers = (byTypeAnswer: Record<string, unknown>) =>
    Object.entries(byTypeAnswer).map(([type, answer]) => ({ questionId: byType(type), answer }));
  const submit = (body: unknown, who = "s3", id = quizId) =>
    t.request("POST", `${API}/quizzes/${id}/submissions`, { token: as(who), body });
  const counts = (academyId: string) =>
    withTenant(t.db, { tenantId: academyId, userId: null, role: "system" }, async (trx) => {
      const n = async (table: "quiz_submissions" | "question_attempts" | "mastery") =>
        Number(
          (
            await trx
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const ratings = await trx
        .selectFrom("question_ratings")
        .select((eb) => eb.fn.sum("attempts").as("n"))
        .executeTakeFirstOrThrow();
      return {
        submissions: await n("quiz_submissions"),
        attempts: await n("question_attempts"),
        mastery: await n("mastery"),
        ratingAttempts: Number(ratings.n ?? 0),
      };
    });

  /** A published quiz on a course, written and published by its instructor over HTTP. */
  async function publishedQuiz(token: string | undefined, courseId: string) {
    const created = await t.request("POST", `${API}/quizzes`, {
      token,
      body: { title: "Every type", courseId, questions: QUESTIONS },
    });
    expect(created.status).toBe(201);
    const published = await t.request("PATCH", `${API}/quizzes/${created.body.id}`, {
      token,
      body: { status: "published" },
    });
    expect(published.status).toBe(200);
    return created.body as { id: string; questions: Stored[] };
  }

  beforeAll(async () => {
    t = await createTestApp(engine);
    const services = fastServices();
    north = await seedAcademy(t.db, services, "north");
    south = await seedAcademy(t.db, services, "south");
    for (const [who, role] of Object.entries({
      admin: "admin",
      i1: "i1",
      i2: "i2",
      s1: "s1",
      s2: "s2",
      s3: "s3",
      p: "p",
    })) {
      const password = who === "admin" ? "admin-password-1" : `password-${role}-1`;
      tokens[who] = await t.login({ academy: "north", email: `${role}@example.com`, password });
      southTokens[who] = await t.login({
        academy: "south",
        email: `${role}@example.com`,
        password,
      });
    }
    const quiz = await publishedQuiz(tokens.i1, north.courses.c1);
    quizId = quiz.id;
    questions = quiz.questions;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  describe("scoring", () => {
    it("every type is scored by its own rules: equal numeric forms count, option order does not", async () => {
      const res = await submit({
        answers: answers({
          multiple_choice: "B",
          multi_select: ["C", "A"],
          quantitative_comparison: "B",
          numeric_entry: "0.75",
          grid_in: ".75",
          text_completion: ["C"],
          sentence_equivalence: ["D", "A"],
          select_in_passage: 1,
        }),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ quizId, studentId: north.users.s3, score: 8, maxScore: 8 });
      expect(res.body.results).toHaveLength(8);
      for (const result of res.body.results)
        expect(result).toMatchObject({ correct: true, answered: true });
    });

    it("numeric entry takes a number, a fraction and a decimal of the same value alike", async () => {
      for (const answer of [0.75, "6/8", "3/4", ".75", "0.750"]) {
        const res = await submit({ answers: answers({ numeric_entry: answer }) });
        expect(res.status, String(answer)).toBe(201);
        const result = res.body.results.find(
          (r: { questionId: string }) => r.questionId === byType("numeric_entry"),
        );
        expect(result, String(answer)).toMatchObject({ correct: true, response: answer });
      }
      const wrong = await submit({ answers: answers({ numeric_entry: "0.7" }) });
      expect(wrong.body.score).toBe(0);
    });

    it("multi-select and sentence equivalence are all or nothing; wrong choices score 0", async () => {
      const res = await submit({
        answers: answers({
          multiple_choice: "A",
          multi_select: ["A"],
          quantitative_comparison: "A",
          numeric_entry: "6/8",
          grid_in: "3/4",
          text_completion: ["A"],
          sentence_equivalence: ["A", "B"],
          select_in_passage: 2,
        }),
      });
      expect(res.status).toBe(201);
      const correct = Object.fromEntries(
        res.body.results.map((r: { questionId: string; correct: boolean }) => [
          questions.find((q) => q.id === r.questionId)?.type,
          r.correct,
        ]),
      );
      expect(correct).toEqual({
        multiple_choice: false,
        multi_select: false,
        quantitative_comparison: false,
        numeric_entry: true,
        grid_in: true,
        text_completion: false,
        sentence_equivalence: false,
        select_in_passage: false,
      });
      expect(res.body).toMatchObject({ score: 2, maxScore: 8 });
      const superset = await submit({ answers: answers({ multi_select: ["A", "C", "D"] }) });
      expect(superset.body.score).toBe(0);
    });

    it("a question left out scores as wrong and records no attempt", async () => {
      const before = await counts(north.academyId);
      const res = await submit({ answers: answers({ multiple_choice: "B" }) });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ score: 1, maxScore: 8 });
      const unanswered = res.body.results.filter((r: { answered: boolean }) => !r.answered);
      expect(unanswered).toHaveLength(7);
      for (const r of unanswered) expect(r).toMatchObject({ correct: false, response: null });
      const after = await counts(north.academyId);
      expect(after.attempts - before.attempts).toBe(1);
      expect(after.submissions - before.submissions).toBe(1);
    });

    it("each answer is an attempt of the submission, at its question's topic, in the same transaction", async () => {
      const res = await submit(
        { answers: answers({ multiple_choice: "B", sentence_equivalence: ["A", "D"] }) },
        "s1",
      );
      expect(res.status).toBe(201);
      const rows = await withTenant(
        t.db,
        { tenantId: north.academyId, userId: null, role: "system" },
        (trx) =>
          trx
            .selectFrom("question_attempts")
            .select(["question_id", "topic", "correct", "student_id"])
            .where("quiz_submission_id", "=", res.body.id)
            .orderBy("topic")
            .execute(),
      );
      expect(rows).toEqual([
        {
          question_id: byType("multiple_choice"),
          topic: "algebra",
          correct: true,
          student_id: north.users.s1,
        },
        {
          question_id: byType("sentence_equivalence"),
          topic: "vocabulary",
          correct: true,
          student_id: north.users.s1,
        },
      ]);
    });
  });

  describe("XP", () => {
    it("a scored submission earns the quiz's XP and the first-quiz badge, in the same transaction", async () => {
      const me = () => t.request("GET", `${API}/gamification/me`, { token: as("s2", "south") });
      const southQuiz = await publishedQuiz(southTokens.i2, south.courses.c2);
      const before = await me();
      expect(before.status).toBe(200);
      expect(before.body.badges.map((b: { id: string }) => b.id)).not.toContain("first-quiz");
      const mc = southQuiz.questions.find((q) => q.type === "multiple_choice");
      const res = await t.request("POST", `${API}/quizzes/${southQuiz.id}/submissions`, {
        token: as("s2", "south"),
        body: { answers: [{ questionId: mc?.id, answer: "B" }] },
      });
      expect(res.status).toBe(201);
      const after = await me();
      expect(after.body.xp - before.body.xp).toBe(
        5 + Math.round((20 * res.body.score) / res.body.maxScore),
      );
      expect(after.body.badges.map((b: { id: string }) => b.id)).toContain("first-quiz");
    });
  });

  describe("answers stay hidden from students and parents", () => {
    const HIDDEN = /"(answer|explanation|source)"/;

    it("GET /quizzes/:id and the list show learners every type's question without its answer", async () => {
      for (const who of ["s1", "s3", "p"]) {
        const quiz = await t.request("GET", `${API}/quizzes/${quizId}`, { token: as(who) });
        expect(quiz.status).toBe(200);
        expect(JSON.stringify(quiz.body)).not.toMatch(HIDDEN);
        expect(quiz.body.questions.map((q: { type: string }) => q.type)).toEqual(
          QUESTIONS.map((q) => q.type),
        );
        const textCompletion = quiz.body.questions.find(
          (q: { type: string }) => q.type === "text_completion",
        );
        expect(textCompletion.blanks[0].options).toHaveLength(5);
        const list = await t.request("GET", `${API}/quizzes`, { token: as(who) });
        expect(list.status).toBe(200);
        expect(JSON.stringify(list.body)).not.toMatch(HIDDEN);
      }
      const staff = await t.request("GET", `${API}/quizzes/${quizId}`, { token: as("i1") });
      expect(staff.body.questions[0]).toMatchObject({
        answer: "B",
        explanation: expect.any(String),
      });
    });

    it("a submission's results say right or wrong, never the right answer", async () => {
      const res = await submit({ answers: answers({ multiple_choice: "A", multi_select: ["B"] }) });
      expect(res.status).toBe(201);
      expect(JSON.stringify(res.body)).not.toMatch(HIDDEN);
      for (const who of ["s3", "i1", "admin"]) {
        const read = await t.request("GET", `${API}/quiz-submissions/${res.body.id}`, {
          token: as(who),
        });
        expect(read.status, who).toBe(200);
        expect(JSON.stringify(read.body)).not.toMatch(HIDDEN);
      }
      const mine = await t.request("GET", `${API}/quiz-submissions?quizId=${quizId}&limit=100`, {
        token: as("s3"),
      });
      expect(mine.body.data.length).toBeGreaterThan(0);
      for (const s of mine.body.data) expect(s.studentId).toBe(north.users.s3);
      expect(JSON.stringify(mine.body)).not.toMatch(HIDDEN);
      // p is linked to s1 only: s3's submissions are not theirs to see.
      const parent = await t.request("GET", `${API}/quiz-submissions/${res.body.id}`, {
        token: as("p"),
      });
      expect(parent.status).toBe(404);
    });
  });

  describe("bad submissions", () => {
    const cases: [string, () => unknown, string][] = [
      [
        "an answer of the wrong shape",
        () => ({ answers: answers({ multiple_choice: "B", multi_select: "A" }) }),
        "answers.1.answer",
      ],
      [
        "an option its question does not have",
        () => ({ answers: answers({ sentence_equivalence: ["A", "Z"] }) }),
        "answers.0.answer",
      ],
      [
        "a sentence index beyond the passage",
        () => ({ answers: answers({ select_in_passage: 3 }) }),
        "answers.0.answer",
      ],
      [
        "text that is not a number for numeric entry",
        () => ({ answers: answers({ numeric_entry: "three quarters" }) }),
        "answers.0.answer",
      ],
      [
        "an unknown question",
        () => ({
          answers: [
            { questionId: byType("multiple_choice"), answer: "B" },
            { questionId: "7d4f1c1e-2a53-4c9f-9a55-1b0e0c3a9f10", answer: "B" },
          ],
        }),
        "answers.1.questionId",
      ],
      [
        "a question answered twice",
        () => ({
          answers: [
            { questionId: byType("multiple_choice"), answer: "B" },
            { questionId: byType("multiple_choice"), answer: "A" },
          ],
        }),
        "answers.1.questionId",
      ],
      [
        "an unknown field",
        () => ({ answers: answers({ multiple_choice: "B" }), studentId: north.users.s1 }),
        "studentId",
      ],
    ];

    it.each(cases)("%s is a 400 naming the path, and nothing is written", async (_, body, path) => {
      const before = await counts(north.academyId);
      const res = await submit(body());
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
      expect(await counts(north.academyId)).toEqual(before);
    });

    it("only a student who can see a published quiz submits", async () => {
      const before = await counts(north.academyId);
      const body = { answers: answers({ multiple_choice: "B" }) };
      expect((await submit(body, "i1")).status).toBe(403);
      expect((await submit(body, "p")).status).toBe(403);
      // s2 is enrolled in c2 only; the quiz is on c1.
      expect((await submit(body, "s2")).status).toBe(404);
      const other = await t.request("POST", `${API}/quizzes/${quizId}/submissions`, {
        token: as("s1", "south"),
        body,
      });
      expect(other.status).toBe(404);
      const draft = await t.request("POST", `${API}/quizzes`, {
        token: as("i1"),
        body: { title: "Draft", courseId: north.courses.c1, questions: QUESTIONS.slice(0, 1) },
      });
      const onDraft = await submit(
        { answers: [{ questionId: draft.body.questions[0].id, answer: "B" }] },
        "s1",
        draft.body.id,
      );
      expect(onDraft.status).toBe(404);
      expect(await counts(north.academyId)).toEqual(before);
    });
  });

  describe("weak spots", () => {
    // South is fresh: s1 (c1) keeps missing algebra and gets everything else right.
    let southQuiz: { id: string; questions: Stored[] };
    const southAnswers = (algebra: string) => {
      const pick = (type: string) => southQuiz.questions.find((q) => q.type === type)?.id;
      return [
        { questionId: pick("multiple_choice"), answer: algebra },
        { questionId: pick("multi_select"), answer: ["A", "C"] },
        { questionId: pick("numeric_entry"), answer: "3/4" },
        { questionId: pick("sentence_equivalence"), answer: ["A", "D"] },
      ];
    };
    const weakSpots = (studentId: string, who: string) =>
      t.request("GET", `${API}/students/${studentId}/weak-spots`, { token: as(who, "south") });

    beforeAll(async () => {
      southQuiz = await publishedQuiz(as("i1", "south"), south.courses.c1);
    });

    it("a student who keeps missing one topic gets it as a weak spot, and only that one", async () => {
      const first = await weakSpots(south.users.s3, "s3");
      expect(first.body).toEqual({ data: [] });
      for (let i = 0; i < 4; i++) {
        const res = await t.request("POST", `${API}/quizzes/${southQuiz.id}/submissions`, {
          token: as("s3", "south"),
          body: { answers: southAnswers("A") },
        });
        expect(res.status).toBe(201);
      }
      for (const who of ["s3", "i1", "i2", "admin"]) {
        const res = await weakSpots(south.users.s3, who);
        expect(res.status, who).toBe(200);
        expect(res.body.data, who).toEqual([
          {
            topic: "algebra",
            mastery: expect.any(Number),
            attempts: 4,
            lastSeenAt: expect.any(String),
          },
        ]);
        expect(res.body.data[0].mastery).toBeLessThan(0.6);
      }
      const course = await t.request("GET", `${API}/courses/${south.courses.c1}/weak-spots`, {
        token: as("i1", "south"),
      });
      expect(course.status).toBe(200);
      expect(course.body.data).toEqual([
        { topic: "algebra", students: 1, averageMastery: expect.any(Number), attempts: 4 },
      ]);
    });

    it("once they get the topic right again and again, it is no longer a weak spot", async () => {
      for (let i = 0; i < 6; i++) {
        await t.request("POST", `${API}/quizzes/${southQuiz.id}/submissions`, {
          token: as("s3", "south"),
          body: { answers: southAnswers("B") },
        });
      }
      const res = await weakSpots(south.users.s3, "s3");
      expect(res.body).toEqual({ data: [] });
    });

    it("a parent linked to the student reads them; an unlinked parent gets 404", async () => {
      // p is linked to s1; s1 has the seed's algebra mastery (one attempt: not yet a weak spot).
      expect((await weakSpots(south.users.s1, "p")).status).toBe(200);
      const unlinked = await weakSpots(south.users.s3, "p");
      expect(unlinked.status).toBe(404);
      expect(unlinked.body).toMatchObject({ code: "not_found" });
    });

    it("an instructor not teaching the student, another student and another academy get 404", async () => {
      // s2 is enrolled in c2 only (taught by i2): i1 does not teach them.
      expect((await weakSpots(south.users.s2, "i1")).status).toBe(404);
      expect((await weakSpots(south.users.s3, "s1")).status).toBe(404);
      const foreign = await t.request("GET", `${API}/students/${south.users.s3}/weak-spots`, {
        token: as("admin"),
      });
      expect(foreign.status).toBe(404);
      // A course's weak spots: its instructor and admins only.
      const notTheirs = await t.request("GET", `${API}/courses/${south.courses.c1}/weak-spots`, {
        token: as("i2", "south"),
      });
      expect(notTheirs.status).toBe(404);
      const fromNorth = await t.request("GET", `${API}/courses/${south.courses.c1}/weak-spots`, {
        token: as("i1"),
      });
      expect(fromNorth.status).toBe(404);
    });
  });
});
