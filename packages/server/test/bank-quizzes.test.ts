import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp } from "./support/test-app.js";

// Quizzes from the shared bank (#19) over HTTP: a bank question given by id
// is copied into the quiz (a later bank edit leaves a published quiz as it
// was), its answer key stays hidden from students and parents as for any
// quiz question, `POST /quizzes/from-bank` draws different questions at
// random by bank, topics, types and difficulty, too few matches are a 409,
// and another academy never sees the quiz.

const API = "/api/v1";
const LEARNER_HIDDEN = /"(answer|explanation|source|bankQuestionId)"/;

/** SAT questions: six algebra multiple choice at levels 1-5, one geometry at 3, and a grid-in. */
const SAT = [
  ...[1, 2, 3, 4, 5, 5].map((level, i) => ({
    externalId: `alg-${i}`,
    type: "multiple_choice",
    prompt: `Algebra question ${i}: which value solves ${i + 2}x = ${(i + 2) * 7}?`,
    options: [
      { id: "A", text: "6" },
      { id: "B", text: "7" },
    ],
    answer: "B",
    explanation: `Divide both sides by ${i + 2}: bank key ${i}.`,
    topic: "algebra",
    difficulty: level,
  })),
  {
    externalId: "geo-0",
    type: "multiple_choice",
    prompt: "How many degrees are in a right angle?",
    options: [
      { id: "A", text: "90" },
      { id: "B", text: "180" },
    ],
    answer: "A",
    explanation: "A right angle is a quarter turn.",
    topic: "geometry",
    difficulty: 3,
  },
  {
    externalId: "grid-0",
    type: "grid_in",
    prompt: "What is 3 divided by 4?",
    answer: ["3/4", ".75"],
    explanation: "Three quarters.",
    topic: "algebra",
    difficulty: 3,
  },
];

describe.each(ENGINES)("quizzes from the shared bank (%s)", (engine) => {
  let t: TestApp;
  let north: SeededAcademy;
  const tokens: Record<string, string> = {};
  const south: Record<string, string> = {};
  let platform: string;
  const bankId = new Map<string, string>();

  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    t.request(method, `${API}${path}`, { token, body });
  const as = (who: string) => tokens[who];
  const importSat = (questions: unknown[]) =>
    call("POST", "/admin/questions/batch", platform, { bank: "sat", questions });
  const quizCount = async () =>
    (await call("GET", "/quizzes?limit=100", as("admin"))).body.data.length as number;

  beforeAll(async () => {
    t = await createTestApp(engine);
    const services = fastServices();
    north = await seedAcademy(t.db, services, "north-bank");
    await seedAcademy(t.db, services, "south-bank");
    for (const who of ["admin", "i1", "i2", "s1", "s2", "p"]) {
      const password = who === "admin" ? "admin-password-1" : `password-${who}-1`;
      const email = `${who}@example.com`;
      tokens[who] = await t.login({ academy: "north-bank", email, password });
      south[who] = await t.login({ academy: "south-bank", email, password });
    }
    platform = await t.platformToken();
    const imported = await importSat(SAT);
    expect(imported.status).toBe(200);
    expect(imported.body.inserted).toBe(SAT.length);
    const page = await call("GET", "/questions?bank=sat&limit=100", platform);
    for (const q of page.body.data) bankId.set(q.externalId, q.id);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  describe("bank questions by id in POST /quizzes", () => {
    let quiz: {
      id: string;
      questions: { id: string; bankQuestionId: string | null; prompt: string }[];
    };

    beforeAll(async () => {
      const created = await call("POST", "/quizzes", as("i1"), {
        title: "Bank and own",
        courseId: north.courses.c1,
        allowedAttempts: 3,
        questions: [
          { bankQuestionId: bankId.get("alg-0") },
          { type: "bank", bankQuestionId: bankId.get("grid-0") },
          {
            type: "multiple_choice",
            prompt: "Written here: 1 + 1?",
            options: [
              { id: "A", text: "2" },
              { id: "B", text: "3" },
            ],
            answer: "A",
            topic: "arithmetic",
            difficulty: 1,
          },
        ],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      quiz = created.body;
      const published = await call("PATCH", `/quizzes/${quiz.id}`, as("i1"), {
        status: "published",
      });
      expect(published.status).toBe(200);
    });

    it("copies the bank question in for staff: its text, key and explanation, a new id, the bank's id as provenance", async () => {
      const [fromBank, grid, own] = quiz.questions;
      expect(fromBank).toMatchObject({
        type: "multiple_choice",
        prompt: SAT[0]?.prompt,
        answer: "B",
        explanation: SAT[0]?.explanation,
        topic: "algebra",
        difficulty: 1,
        bankQuestionId: bankId.get("alg-0"),
        source: null,
      });
      expect(fromBank?.id).not.toBe(bankId.get("alg-0"));
      expect(grid).toMatchObject({ type: "grid_in", answer: ["3/4", ".75"] });
      expect(own).toMatchObject({ bankQuestionId: null, prompt: "Written here: 1 + 1?" });
    });

    it("a student and a parent never see the bank's answer, explanation or id before submitting", async () => {
      for (const who of ["s1", "p"]) {
        const read = await call("GET", `/quizzes/${quiz.id}`, as(who));
        expect(read.status, who).toBe(200);
        const text = JSON.stringify(read.body);
        expect(text).not.toMatch(LEARNER_HIDDEN);
        for (const id of bankId.values()) expect(text).not.toContain(id);
        expect(text).not.toContain("bank key 0");
        expect(read.body.questions[0].prompt).toBe(SAT[0]?.prompt);
      }
      const submitted = await call("POST", `/quizzes/${quiz.id}/submissions`, as("s1"), {
        answers: [
          { questionId: quiz.questions[0]?.id, answer: "B" },
          { questionId: quiz.questions[1]?.id, answer: "3/4" },
        ],
      });
      expect(submitted.status).toBe(201);
      expect(submitted.body.score).toBe(2);
      expect(JSON.stringify(submitted.body)).not.toMatch(LEARNER_HIDDEN);
    });

    it("a later edit of the bank question leaves the published quiz as it was", async () => {
      const edited = { ...SAT[0], prompt: "Edited in the bank.", answer: "A", explanation: "New." };
      const reimport = await importSat([edited]);
      expect(reimport.body).toMatchObject({ updated: 1 });
      const bank = await call("GET", `/questions/${bankId.get("alg-0")}`, platform);
      expect(bank.body).toMatchObject({ prompt: "Edited in the bank.", answer: "A" });

      const staff = await call("GET", `/quizzes/${quiz.id}`, as("i1"));
      expect(staff.body.questions[0]).toMatchObject({
        prompt: SAT[0]?.prompt,
        answer: "B",
        explanation: SAT[0]?.explanation,
      });
      // Scored against the quiz's copy, not the bank's new key.
      const res = await call("POST", `/quizzes/${quiz.id}/submissions`, as("s1"), {
        answers: [{ questionId: quiz.questions[0]?.id, answer: "B" }],
      });
      expect(res.body.results[0]).toMatchObject({ correct: true });
      await importSat([SAT[0]]);
    });

    it("another academy never sees the quiz, by id, in a list or to submit", async () => {
      for (const who of ["admin", "i1", "s1", "p"]) {
        const read = await call("GET", `/quizzes/${quiz.id}`, south[who]);
        expect(read.status, who).toBe(404);
        const list = await call("GET", "/quizzes?limit=100", south[who]);
        expect(JSON.stringify(list.body), who).not.toContain(quiz.id);
      }
      const submit = await call("POST", `/quizzes/${quiz.id}/submissions`, south.s1, {
        answers: [{ questionId: quiz.questions[0]?.id, answer: "B" }],
      });
      expect(submit.status).toBe(404);
    });

    it("a copy keeps the bank question's text format, and written HTML is sanitised as in the bank", async () => {
      const html = {
        externalId: "fmt-html",
        type: "multiple_choice",
        format: "html",
        prompt: '<p>Which is <b>larger</b>?<img src="x" onerror="alert(1)"></p>',
        options: [
          { id: "A", text: "2<sup>3</sup>" },
          { id: "B", text: "3<sup>2</sup>" },
        ],
        answer: "B",
        topic: "formats",
        difficulty: 2,
      };
      expect((await importSat([html])).body).toMatchObject({ inserted: 1 });
      const page = await call("GET", "/questions?bank=sat&externalId=fmt-html", platform);
      const bankQuestion = page.body.data[0];
      expect(bankQuestion).toMatchObject({
        format: "html",
        prompt: "<p>Which is <b>larger</b>?</p>",
      });

      const written = {
        type: "multiple_choice",
        format: "html",
        prompt: '<p onclick="steal()">Two<script>steal()</script> <i>or</i> three?</p>',
        options: [
          { id: "A", text: "<b>2</b>" },
          { id: "B", text: '<a href="javascript:steal()">3</a>' },
        ],
        answer: "A",
        topic: "formats",
        difficulty: 1,
      };
      const created = await call("POST", "/quizzes", as("i1"), {
        title: "Formats",
        courseId: north.courses.c1,
        questions: [{ bankQuestionId: bankQuestion.id }, written, { ...written, format: "plain" }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const [copy, sanitised, plain] = created.body.questions;
      expect(copy).toMatchObject({
        format: "html",
        prompt: bankQuestion.prompt,
        options: bankQuestion.options,
      });
      expect(sanitised).toMatchObject({
        format: "html",
        prompt: "<p>Two <i>or</i> three?</p>",
        options: [
          { id: "A", text: "<b>2</b>" },
          { id: "B", text: "<a>3</a>" },
        ],
      });
      // Plain text is text: stored as written, for integrators to escape.
      expect(plain).toMatchObject({ format: "plain", prompt: written.prompt });
      // Questions written without a format, and learners' view, say it too.
      expect(quiz.questions.map((q) => (q as { format?: string }).format)).toEqual([
        "plain",
        "plain",
        "plain",
      ]);
      await call("PATCH", `/quizzes/${created.body.id}`, as("i1"), { status: "published" });
      const learner = await call("GET", `/quizzes/${created.body.id}`, as("s1"));
      expect(learner.body.questions.map((q: { format: string }) => q.format)).toEqual([
        "html",
        "html",
        "plain",
      ]);
      expect(JSON.stringify(learner.body.questions.slice(0, 2))).not.toMatch(
        /onerror|<script|javascript:/,
      );

      const emptied = await call("POST", "/quizzes", as("i1"), {
        title: "Nothing left",
        questions: [{ ...written, prompt: "<script>steal()</script>" }],
      });
      expect(emptied.status).toBe(400);
      expect(emptied.body.errors).toContainEqual({
        path: "questions.0.prompt",
        message: expect.stringMatching(/Nothing is left of this text/),
      });
    });

    it("PATCH replaces a draft's items with bank copies; a published quiz's items stay fixed", async () => {
      const draft = await call("POST", "/quizzes", as("i1"), {
        title: "Draft to edit",
        questions: [{ bankQuestionId: bankId.get("alg-2") }],
      });
      expect(draft.status).toBe(201);
      const edited = await call("PATCH", `/quizzes/${draft.body.id}`, as("i1"), {
        questions: [
          { bankQuestionId: bankId.get("geo-0") },
          { bankQuestionId: bankId.get("alg-3") },
        ],
      });
      expect(edited.status).toBe(200);
      expect(
        edited.body.questions.map((q: { bankQuestionId: string }) => q.bankQuestionId),
      ).toEqual([bankId.get("geo-0"), bankId.get("alg-3")]);
      expect(edited.body.questions[0]).toMatchObject({ answer: "A", topic: "geometry" });
      const fixed = await call("PATCH", `/quizzes/${quiz.id}`, as("i1"), {
        questions: [{ bankQuestionId: bankId.get("geo-0") }],
      });
      expect(fixed.status).toBe(409);
    });

    it("an unknown or repeated bank id, and an item with neither type nor bank id, are 400s naming the item", async () => {
      const before = await quizCount();
      const unknown = await call("POST", "/quizzes", as("i1"), {
        title: "Broken",
        questions: [
          { bankQuestionId: bankId.get("alg-1") },
          { bankQuestionId: "00000000-0000-4000-8000-000000000000" },
          { bankQuestionId: bankId.get("alg-1") },
        ],
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([
        { path: "questions.1.bankQuestionId", message: expect.stringMatching(/No question/) },
        { path: "questions.2.bankQuestionId", message: expect.stringMatching(/already item 0/) },
      ]);
      const shapeless = await call("POST", "/quizzes", as("i1"), { title: "X", questions: [{}] });
      expect(shapeless.status).toBe(400);
      expect(shapeless.body.errors[0]).toMatchObject({
        path: "questions.0.bankQuestionId",
        message: expect.stringMatching(/type .*or a bankQuestionId/),
      });
      const both = await call("POST", "/quizzes", as("i1"), {
        title: "X",
        questions: [{ bankQuestionId: bankId.get("alg-1"), prompt: "Smuggled" }],
      });
      expect(both.status).toBe(400);
      expect(await quizCount()).toBe(before);
    });
  });

  describe("POST /quizzes/from-bank", () => {
    const draw = (body: Record<string, unknown>, who = "i1") =>
      call("POST", "/quizzes/from-bank", as(who), {
        title: "Drawn",
        courseId: north.courses.c1,
        bank: "sat",
        ...body,
      });

    it("draws `count` different questions matching every filter, as a draft with its policy", async () => {
      const res = await draw({
        topics: ["algebra"],
        types: ["multiple_choice"],
        minDifficulty: 2,
        maxDifficulty: 5,
        count: 4,
        allowedAttempts: 1,
        results: "score_only",
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({
        status: "draft",
        courseId: north.courses.c1,
        allowedAttempts: 1,
        results: "score_only",
      });
      const questions = res.body.questions as {
        bankQuestionId: string;
        topic: string;
        type: string;
        difficulty: number;
      }[];
      expect(questions).toHaveLength(4);
      expect(new Set(questions.map((q) => q.bankQuestionId)).size).toBe(4);
      for (const q of questions) {
        expect(q).toMatchObject({ topic: "algebra", type: "multiple_choice" });
        expect(q.difficulty).toBeGreaterThanOrEqual(2);
      }
      const allowed = ["alg-1", "alg-2", "alg-3", "alg-4", "alg-5"].map((k) => bankId.get(k));
      for (const q of questions) expect(allowed).toContain(q.bankQuestionId);
    });

    it("chooses at random: draws of 3 of the 6 algebra questions differ", async () => {
      const sets = new Set<string>();
      for (let i = 0; i < 8; i += 1) {
        const res = await draw({ topics: ["algebra"], types: ["multiple_choice"], count: 3 });
        expect(res.status).toBe(201);
        sets.add(
          res.body.questions
            .map((q: { bankQuestionId: string }) => q.bankQuestionId)
            .sort()
            .join(),
        );
      }
      // 20 possible sets: eight identical draws would happen about once in 10^10 runs.
      expect(sets.size).toBeGreaterThan(1);
    });

    it("too few matching questions is a 409 bank_too_small saying how many match what; nothing is written", async () => {
      const before = await quizCount();
      const res = await draw({ topics: ["geometry"], count: 2 });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: "bank_too_small", status: 409 });
      expect(res.body.detail).toMatch(
        /^Only 1 shared-bank question matches \(bank sat; topics geometry\); the quiz asks for 2\./,
      );
      const gre = await draw({ bank: "gre", count: 1 });
      expect(gre.status).toBe(409);
      expect(gre.body.detail).toMatch(/^No shared-bank question matches \(bank gre\)/);
      expect(await quizCount()).toBe(before);
    });

    it("checks the caller and the body: learners 403, another instructor's course 404, bad ranges 400", async () => {
      expect((await draw({ count: 1 }, "s1")).status).toBe(403);
      expect((await draw({ count: 1 }, "p")).status).toBe(403);
      expect((await draw({ count: 1, courseId: north.courses.c2 })).status).toBe(404);
      const range = await draw({ count: 1, minDifficulty: 4, maxDifficulty: 2 });
      expect(range.status).toBe(400);
      expect(range.body.errors[0].path).toBe("maxDifficulty");
      expect((await draw({ count: 0 })).status).toBe(400);
      expect((await draw({ count: 1, tenantId: north.academyId })).status).toBe(400);
      const academyWide = await call("POST", "/quizzes/from-bank", as("admin"), {
        title: "Academy-wide draw",
        bank: "sat",
        count: 1,
      });
      expect(academyWide.status).toBe(201);
      expect(academyWide.body.courseId).toBeNull();
    });

    it("a drawn quiz, once published, keeps its key from students and parents", async () => {
      const drawn = await draw({ topics: ["geometry"], count: 1 });
      const published = await call("PATCH", `/quizzes/${drawn.body.id}`, as("i1"), {
        status: "published",
      });
      expect(published.status).toBe(200);
      for (const who of ["s1", "p"]) {
        const read = await call("GET", `/quizzes/${drawn.body.id}`, as(who));
        expect(read.status).toBe(200);
        expect(JSON.stringify(read.body)).not.toMatch(LEARNER_HIDDEN);
        expect(JSON.stringify(read.body)).not.toContain("quarter turn");
      }
      expect((await call("GET", `/quizzes/${drawn.body.id}`, south.admin)).status).toBe(404);
    });
  });
});
