import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PracticeWorld, seedPracticeWorld } from "./support/practice-world.js";
import { createTestApp, ENGINES, type TestApp, type TestResponse } from "./support/test-app.js";

// Browsing and retiring the shared bank (#20) over HTTP: `?externalId=` and
// `?q=` on GET /questions, retiring and bringing back a question, a retired
// question out of every new practice set, mock exam and quiz from the bank
// while what was made with it keeps it, and content managers created by
// POST /admin/users, who may import and retire but not touch academies.

const API = "/api/v1";

function expectProblem(response: TestResponse, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
}

const mc = (externalId: string, prompt: string, extra: object = {}) => ({
  externalId,
  type: "multiple_choice",
  section: "math",
  prompt,
  options: [
    { id: "A", text: "one" },
    { id: "B", text: "two" },
  ],
  answer: "B",
  topic: "browse",
  difficulty: 3,
  ...extra,
});

describe.each(ENGINES)("browsing and retiring bank questions on %s", (engine) => {
  let t: TestApp;
  let w: PracticeWorld;
  let platform: string;
  const call = (method: string, path: string, token: string | undefined, body?: unknown) =>
    t.request(method, `${API}${path}`, { token, body });
  const idOf = async (bank: string, externalId: string): Promise<string> => {
    const res = await call(
      "GET",
      `/questions?bank=${bank}&externalId=${encodeURIComponent(externalId)}&retired=include`,
      platform,
    );
    expect(res.body.data, externalId).toHaveLength(1);
    return res.body.data[0].id;
  };
  const auditCount = async (action: string) =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from audit_log where action = ${action}`.execute(t.db.kysely)
    ).rows[0]?.n ?? 0;

  beforeAll(async () => {
    t = await createTestApp(engine);
    platform = await t.platformToken();
    w = await seedPracticeWorld(t, { perLevel: 2 });
    const sat = await call("POST", "/admin/questions/batch", platform, {
      bank: "sat",
      questions: [
        mc("circle-1", "The circles below are tangent. What is the radius of the smaller circle?"),
        mc("triangle-1", "A right triangle has legs 3 and 4. How long is its hypotenuse?", {
          passage: "Pythagoras was a Greek philosopher who studied circles and numbers.",
        }),
        mc("shared-id", "Which line is steepest?"),
      ],
    });
    expect(sat.body).toMatchObject({ inserted: 3, rejected: [] });
    const gre = await call("POST", "/admin/questions/batch", platform, {
      bank: "gre",
      questions: [{ ...mc("shared-id", "Which ratio is largest?"), section: "quantitative" }],
    });
    expect(gre.body).toMatchObject({ inserted: 1, rejected: [] });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  describe("GET /questions?externalId=&q=", () => {
    it("externalId is an exact match: with bank one question, without it each bank's", async () => {
      const one = await call("GET", "/questions?bank=sat&externalId=shared-id", platform);
      expect(one.status).toBe(200);
      expect(one.body.data.map((q: { prompt: string }) => q.prompt)).toEqual([
        "Which line is steepest?",
      ]);
      const both = await call("GET", "/questions?externalId=shared-id", w.tokens.i1);
      expect(both.body.data.map((q: { bank: string }) => q.bank).sort()).toEqual(["gre", "sat"]);
      const none = await call("GET", "/questions?externalId=shared", platform);
      expect(none.body).toEqual({ data: [], nextCursor: null });
    });

    it("q searches prompts and passages by word, with English stemming and phrases", async () => {
      const search = async (q: string, token = platform) => {
        const res = await call("GET", `/questions?q=${encodeURIComponent(q)}`, token);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.data.map((x: { externalId: string }) => x.externalId).sort();
      };
      // "circle" finds "circles" in a prompt and in a passage.
      expect(await search("circle")).toEqual(["circle-1", "triangle-1"]);
      expect(await search("hypotenuse")).toEqual(["triangle-1"]);
      expect(await search('"right triangle"')).toEqual(["triangle-1"]);
      expect(await search("circle -hypotenuse")).toEqual(["circle-1"]);
      expect(await search("dodecahedron")).toEqual([]);
      // Learners search too, and get the learner view.
      const learner = await call("GET", "/questions?q=hypotenuse", w.tokens.s1);
      expect(learner.body.data).toHaveLength(1);
      expect(Object.hasOwn(learner.body.data[0], "answer")).toBe(false);
    });

    it("q is a parameter: quotes, operators and SQL in it are text, never a 500", async () => {
      for (const q of ["'; drop table exam_questions; --", '"unclosed', "a & | ! ( ) :*", "  )("]) {
        const res = await call("GET", `/questions?q=${encodeURIComponent(q)}`, platform);
        expect(res.status, q).toBe(200);
        expect(res.body.data, q).toEqual([]);
      }
      expect((await call("GET", "/questions?bank=sat&limit=100", platform)).body.data.length).toBe(
        3 + 40,
      );
    });

    it("an over-long q, an empty q and an unknown retired filter are 400 problems", async () => {
      expectProblem(
        await call("GET", `/questions?q=${"a".repeat(201)}`, platform),
        400,
        "validation_failed",
      );
      expectProblem(await call("GET", "/questions?q=", platform), 400, "validation_failed");
      expectProblem(
        await call("GET", "/questions?retired=yes", platform),
        400,
        "validation_failed",
      );
    });
  });

  describe("POST /questions/{id}/retire and /unretire", () => {
    it("a retired question leaves lists but stays readable by id; unretire brings it back", async () => {
      const id = await idOf("sat", "circle-1");
      const before = await auditCount("questions.retire");
      const retired = await call("POST", `/questions/${id}/retire`, platform);
      expect(retired.status, JSON.stringify(retired.body)).toBe(200);
      expect(retired.body).toMatchObject({ id, externalId: "circle-1" });
      expect(Date.parse(retired.body.retiredAt)).not.toBeNaN();
      // Again: the same first retiredAt, and no second audit event.
      const again = await call("POST", `/questions/${id}/retire`, platform);
      expect(again.body.retiredAt).toBe(retired.body.retiredAt);
      expect(await auditCount("questions.retire")).toBe(before + 1);

      const listed = async (query: string) =>
        (await call("GET", `/questions?bank=sat&limit=100${query}`, platform)).body.data.map(
          (q: { id: string }) => q.id,
        );
      expect(await listed("")).not.toContain(id);
      expect(await listed("&q=circle")).not.toContain(id);
      expect(await listed("&retired=include")).toContain(id);
      expect(await listed("&retired=only")).toEqual([id]);
      const byId = await call("GET", `/questions/${id}`, w.tokens.s1);
      expect(byId.status).toBe(200);
      expect(byId.body.retiredAt).toBe(retired.body.retiredAt);

      const back = await call("POST", `/questions/${id}/unretire`, platform);
      expect(back.body.retiredAt).toBeNull();
      expect(await listed("")).toContain(id);
      expect(await auditCount("questions.unretire")).toBe(1);
    });

    it("a re-import leaves a retired question retired and reports it unchanged", async () => {
      const id = await idOf("sat", "triangle-1");
      await call("POST", `/questions/${id}/retire`, platform);
      const res = await call("POST", "/admin/questions/batch", platform, {
        bank: "sat",
        questions: [
          mc("triangle-1", "A right triangle has legs 3 and 4. How long is its hypotenuse?", {
            passage: "Pythagoras was a Greek philosopher who studied circles and numbers.",
          }),
        ],
      });
      expect(res.body).toEqual({ inserted: 0, updated: 0, unchanged: 1, rejected: [] });
      expect((await call("GET", `/questions/${id}`, platform)).body.retiredAt).not.toBeNull();
      await call("POST", `/questions/${id}/unretire`, platform);
    });

    it("academy users may not retire; an unknown id is 404", async () => {
      const id = await idOf("sat", "shared-id");
      for (const who of ["admin", "i1", "s1"] as const)
        expectProblem(
          await call("POST", `/questions/${id}/retire`, w.tokens[who]),
          403,
          "forbidden",
        );
      expectProblem(
        await call("POST", "/questions/3f1f7c36-52d4-4d5e-9a36-2f1a0f3c6b11/retire", platform),
        404,
        "not_found",
      );
      expect((await call("GET", `/questions/${id}`, platform)).body.retiredAt).toBeNull();
    });
  });

  describe("a retired question leaves practice, mock exams and quizzes from the bank", () => {
    it("practice: not by id; a set made before keeps it and can answer it", async () => {
      const target = await idOf("sat", "p-sat-math-algebra-3-0");
      const before = await call("POST", "/practice-sets", w.tokens.s2, {
        bank: "sat",
        questionIds: [target],
        adaptive: false,
      });
      expect(before.status, JSON.stringify(before.body)).toBe(201);
      await call("POST", `/questions/${target}/retire`, platform);
      try {
        const byId = await call("POST", "/practice-sets", w.tokens.s2, {
          bank: "sat",
          questionIds: [target],
        });
        expectProblem(byId, 400, "validation_failed");
        // The set made before still shows it, and it can still be answered.
        const kept = await call("GET", `/practice-sets/${before.body.id}`, w.tokens.s2);
        expect(kept.body.current?.id ?? kept.body.items[0]?.questionId).toBe(target);
        const answered = await call(
          "POST",
          `/practice-sets/${before.body.id}/answers`,
          w.tokens.s2,
          {
            questionId: target,
            answer: "7",
          },
        );
        expect(answered.status, JSON.stringify(answered.body)).toBe(200);
        expect(answered.body.correct).toBe(true);
      } finally {
        await call("POST", `/questions/${target}/unretire`, platform);
      }
    });

    it("quizzes: a retired id is a 400, draws skip it, sections filter the draw, copies stay", async () => {
      const target = await idOf("sat", "p-sat-reading_writing-vocabulary-1-0");
      const kept = await call("POST", "/quizzes", w.tokens.i1, {
        title: "Made before",
        questions: [{ bankQuestionId: target }],
      });
      expect(kept.status, JSON.stringify(kept.body)).toBe(201);
      await call("POST", `/questions/${target}/retire`, platform);
      try {
        const byId = await call("POST", "/quizzes", w.tokens.i1, {
          title: "After",
          questions: [{ bankQuestionId: target }],
        });
        expectProblem(byId, 400, "validation_failed");
        expect(byId.body.errors[0].path).toBe("questions.0.bankQuestionId");

        // vocabulary level 1 holds two questions; one is retired.
        const filter = { bank: "sat", topics: ["vocabulary"], minDifficulty: 1, maxDifficulty: 1 };
        const tooMany = await call("POST", "/quizzes/from-bank", w.tokens.i1, {
          title: "Too many",
          ...filter,
          count: 2,
        });
        expectProblem(tooMany, 409, "bank_too_small");
        const one = await call("POST", "/quizzes/from-bank", w.tokens.i1, {
          title: "One",
          ...filter,
          count: 1,
        });
        expect(one.body.questions[0].bankQuestionId).not.toBe(target);

        // sections: 20 reading and writing questions (one retired), 20 math.
        const math = await call("POST", "/quizzes/from-bank", w.tokens.i1, {
          title: "Math only",
          bank: "sat",
          sections: ["math"],
          count: 20,
        });
        expect(math.status, JSON.stringify(math.body)).toBe(201);
        const rw = await call("POST", "/quizzes/from-bank", w.tokens.i1, {
          title: "Reading",
          bank: "sat",
          sections: ["reading_writing"],
          count: 20,
        });
        expectProblem(rw, 409, "bank_too_small");
        expect(rw.body.detail).toContain("sections reading_writing");
        expectProblem(
          await call("POST", "/quizzes/from-bank", w.tokens.i1, {
            title: "Wrong bank",
            bank: "sat",
            sections: ["verbal"],
            count: 1,
          }),
          400,
          "validation_failed",
        );

        const copy = await call("GET", `/quizzes/${kept.body.id}`, w.tokens.i1);
        expect(copy.body.questions[0].bankQuestionId).toBe(target);
      } finally {
        await call("POST", `/questions/${target}/unretire`, platform);
      }
    });

    it("mock exams: retiring a section's questions makes the form bank_too_small", async () => {
      const short = { exam: "gre", length: "short" };
      const first = await call("POST", "/mock-exams", w.tokens.s1, short);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      const quantitative = await call(
        "GET",
        "/questions?bank=gre&section=quantitative&limit=100",
        platform,
      );
      const ids: string[] = quantitative.body.data.map((q: { id: string }) => q.id);
      // The practice bank's 20 and shared-id.
      expect(ids.length).toBe(21);
      for (const id of ids) await call("POST", `/questions/${id}/retire`, platform);
      try {
        expectProblem(await call("POST", "/mock-exams", w.tokens.s3, short), 409, "bank_too_small");
        // The exam started before is still there.
        expect((await call("GET", `/mock-exams/${first.body.id}`, w.tokens.s1)).status).toBe(200);
      } finally {
        for (const id of ids) await call("POST", `/questions/${id}/unretire`, platform);
      }
      expect((await call("POST", "/mock-exams", w.tokens.s3, short)).status).toBe(201);
    });
  });

  describe("POST /admin/users: least-privilege content managers", () => {
    it("a content manager imports and retires, and may not touch academies or users", async () => {
      const created = await call("POST", "/admin/users", platform, {
        email: "Importer@Content.example",
        name: "Content importer",
        role: "content_manager",
        password: "content-importer-pw-1",
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        email: "importer@content.example",
        name: "Content importer",
        role: "content_manager",
        academyId: null,
      });
      expect(await auditCount("platform_users.create")).toBe(1);
      const manager = await t.login({
        email: "importer@content.example",
        password: "content-importer-pw-1",
      });

      const imported = await call("POST", "/admin/questions/batch", manager, {
        bank: "sat",
        questions: [mc("by-manager", "Imported by the content team.")],
      });
      expect(imported.body).toMatchObject({ inserted: 1 });
      const id = await idOf("sat", "by-manager");
      expect((await call("POST", `/questions/${id}/retire`, manager)).status).toBe(200);
      expect((await call("POST", `/questions/${id}/unretire`, manager)).status).toBe(200);

      for (const [method, path, body] of [
        ["GET", "/admin/academies", undefined],
        ["GET", `/admin/academies/${w.A.academyId}`, undefined],
        ["DELETE", `/admin/academies/${w.A.academyId}`, undefined],
        [
          "POST",
          "/admin/academies",
          {
            slug: "by-manager",
            name: "Nope",
            admin: { email: "a@example.com", name: "A", password: "first-admin-pw-1" },
          },
        ],
        [
          "POST",
          "/admin/impersonations",
          { academyId: w.A.academyId, userId: w.A.users.s1, reason: "Looking around here" },
        ],
        [
          "POST",
          "/admin/users",
          { email: "x@example.com", name: "X", role: "platform_admin", password: "platform-pw-12" },
        ],
        ["GET", "/users", undefined],
      ] as const)
        expectProblem(await call(method, path, manager, body), 403, "forbidden");
      expect((await call("GET", `/admin/academies/${w.A.academyId}`, platform)).body.status).toBe(
        "active",
      );
    });

    it("a taken email is 409; an academy role or an academyId is 400; nothing is written", async () => {
      const body = {
        email: "root@platform.example",
        name: "Again",
        role: "content_manager",
        password: "content-again-pw-1",
      };
      expectProblem(await call("POST", "/admin/users", platform, body), 409, "conflict");
      expectProblem(
        await call("POST", "/admin/users", platform, {
          ...body,
          email: "n@x.example",
          role: "admin",
        }),
        400,
        "validation_failed",
      );
      expectProblem(
        await call("POST", "/admin/users", platform, {
          ...body,
          email: "n@x.example",
          academyId: w.A.academyId,
        }),
        400,
        "validation_failed",
      );
      const n = await sql<{ n: number }>`
        select count(*)::int as n from platform_users where email = 'n@x.example'`.execute(
        t.db.kysely,
      );
      expect(n.rows[0]?.n).toBe(0);
    });
  });
});
