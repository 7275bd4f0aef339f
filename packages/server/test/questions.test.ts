import { withPlatform } from "@skillbridge/core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastServices } from "../../core/test/support/fast-services.js";
import { greQuestions, satQuestions } from "../../core/test/support/questions.js";
import { type SeededAcademy, seedAcademy } from "../../core/test/support/seed.js";
import { createTestApp, ENGINES, type TestApp, type TestResponse } from "./support/test-app.js";

// The question bank over HTTP: the batch import route's report, limits and
// modes, and the reads' filters, pages and per-role views. Who may call which
// route is the route matrix's job (route-matrix.test.ts).

const BATCH = "/api/v1/admin/questions/batch";

function expectProblem(response: TestResponse, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(String(response.headers["content-type"])).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
}

describe.each(ENGINES)("the question bank over HTTP on %s", (engine) => {
  let t: TestApp;
  let platform: string;
  let manager: string;
  let academy: SeededAcademy;
  const tokens: Record<"admin" | "i1" | "s1" | "p", string> = { admin: "", i1: "", s1: "", p: "" };

  const rows = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from exam_questions`.execute(t.db.kysely))
      .rows[0]?.n ?? 0;
  const versions = async () =>
    (
      await sql<{ external_id: string; xmin: string; updated_at: Date }>`
        select external_id, xmin::text as xmin, updated_at from exam_questions order by external_id`.execute(
        t.db.kysely,
      )
    ).rows;
  const importEvents = async () =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from audit_log where action = 'questions.import'`.execute(
        t.db.kysely,
      )
    ).rows[0]?.n ?? 0;

  beforeAll(async () => {
    t = await createTestApp(engine);
    platform = await t.platformToken();
    const services = fastServices();
    await withPlatform(t.db, (trx) =>
      services.platformUsers.create(trx, {
        email: "content@platform.example",
        name: "Content Manager",
        role: "content_manager",
        password: "content-password-1",
      }),
    );
    manager = await t.login({ email: "content@platform.example", password: "content-password-1" });
    academy = await seedAcademy(t.db, services, "bank-readers");
    for (const user of ["admin", "i1", "s1", "p"] as const) {
      tokens[user] = await t.app.context.deps.tokens.sign({
        kind: "academy",
        userId: academy.users[user],
        academyId: academy.academyId,
        role: academy.actor(user).role,
        impersonatorId: null,
      });
    }
  });

  afterAll(async () => {
    await t?.dispose();
  });

  describe("POST /admin/questions/batch", () => {
    it("imports the valid items and rejects the others by their position in the batch", async () => {
      const [mc, ms, qc] = greQuestions("batch");
      const response = await t.request("POST", BATCH, {
        token: manager,
        body: {
          bank: "gre",
          questions: [mc, { ...ms, answer: ["Z"] }, qc, { ...qc, prompt: "Again." }],
        },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body).toEqual({
        inserted: 2,
        updated: 0,
        unchanged: 0,
        rejected: [
          {
            index: 1,
            externalId: "batch-ms",
            errors: [{ path: "answer.0", message: '"Z" is not one of the option ids.' }],
          },
          {
            index: 3,
            externalId: "batch-qc",
            errors: [
              {
                path: "externalId",
                message: expect.stringContaining("already used on item 2 of this batch"),
              },
            ],
          },
        ],
      });
    });

    it("re-sending a batch reports every item unchanged and rewrites no row", async () => {
      const body = { bank: "gre", questions: greQuestions("again") };
      const first = await t.request("POST", BATCH, { token: platform, body });
      expect(first.body).toMatchObject({ inserted: 7, updated: 0, unchanged: 0, rejected: [] });
      const before = await versions();
      const events = await importEvents();
      const second = await t.request("POST", BATCH, { token: platform, body });
      expect(second.body).toEqual({ inserted: 0, updated: 0, unchanged: 7, rejected: [] });
      // Same row versions (xmin) and timestamps: nothing was written, not even an audit event.
      expect(await versions()).toEqual(before);
      expect(await importEvents()).toBe(events);
    });

    it("a changed question is updated in place, never duplicated", async () => {
      const questions = satQuestions("change");
      await t.request("POST", BATCH, { token: platform, body: { bank: "sat", questions } });
      const count = await rows();
      const edited = [
        { ...questions[0], prompt: "What is the slope of y = 3x + 7?" },
        questions[1],
      ];
      const response = await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "sat", questions: edited },
      });
      expect(response.body).toEqual({
        inserted: 0,
        updated: 1,
        unchanged: 1,
        rejected: [],
        updates: [{ index: 0, externalId: "change-mc", fields: ["prompt"] }],
      });
      expect(await rows()).toBe(count);
      const list = await t.request(
        "GET",
        "/api/v1/questions?bank=sat&topic=linear-functions&limit=100",
        {
          token: platform,
        },
      );
      const changed = list.body.data.find(
        (q: { externalId: string }) => q.externalId === "change-mc",
      );
      expect(changed.prompt).toBe("What is the slope of y = 3x + 7?");
      expect(new Date(changed.updatedAt).getTime()).toBeGreaterThan(
        new Date(changed.createdAt).getTime(),
      );
    });

    it("takes the hand-made shape, names items without an externalId by their content, and refuses an ungriddable grid-in", async () => {
      const hand = {
        prompt: "Which of the following is correct?",
        topic: "hand-made",
        difficulty: "easy",
        choices: ["(A) 1 < 2", "(B) 2 < 1"],
        answer: 0,
      };
      const other = { ...hand, choices: ["3 > 4", "4 > 3"], answer: "B" };
      // Options written as the prompt's last lines, as text dumps of SAT sets have them.
      const inStem = {
        prompt: "Which of the following is prime?\n(A) 4\n(B) 6\n(C) 7",
        topic: "hand-made",
        difficulty: "hard",
        answer: "c",
      };
      const grid = {
        type: "grid_in",
        prompt: "Big?",
        topic: "hand-made",
        difficulty: 2,
        answer: ["123456"],
      };
      const response = await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "sat", questions: [hand, other, inStem, grid] },
      });
      expect(response.body).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
      expect(response.body.rejected).toEqual([
        {
          index: 3,
          errors: [
            { path: "answer.0", message: expect.stringMatching(/No one can enter "123456"/) },
          ],
        },
      ]);
      const list = await t.request("GET", "/api/v1/questions?bank=sat&topic=hand-made", {
        token: platform,
      });
      expect(
        list.body.data
          .map(
            (q: {
              externalId: string;
              prompt: string;
              options: unknown;
              answer: string;
              difficulty: number;
            }) => [q.externalId.slice(0, 2), q.prompt, q.options, q.answer, q.difficulty],
          )
          // One batch, one instant: order by answer, not creation.
          .sort((a: unknown[], b: unknown[]) => String(a[3]).localeCompare(String(b[3]))),
      ).toEqual([
        [
          "q-",
          hand.prompt,
          [
            { id: "A", text: "1 < 2" },
            { id: "B", text: "2 < 1" },
          ],
          "A",
          2,
        ],
        [
          "q-",
          hand.prompt,
          [
            { id: "A", text: "3 > 4" },
            { id: "B", text: "4 > 3" },
          ],
          "B",
          2,
        ],
        [
          "q-",
          "Which of the following is prime?",
          [
            { id: "A", text: "4" },
            { id: "B", text: "6" },
            { id: "C", text: "7" },
          ],
          "C",
          4,
        ],
      ]);
      const again = await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "sat", questions: [hand, other, inStem] },
      });
      expect(again.body).toEqual({ inserted: 0, updated: 0, unchanged: 3, rejected: [] });
    });

    it("strict: one rejected item means nothing of the batch is written", async () => {
      const count = await rows();
      const [mc, ms] = greQuestions("strict");
      const response = await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "gre", strict: true, questions: [mc, { ...ms, difficulty: 9 }] },
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 0 });
      expect(response.body.rejected).toEqual([
        {
          index: 1,
          externalId: "strict-ms",
          errors: [{ path: "difficulty", message: expect.any(String) }],
        },
      ]);
      expect(await rows()).toBe(count);
    });

    it("dryRun classifies against the bank and writes nothing", async () => {
      const questions = greQuestions("dry");
      await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "gre", questions: questions.slice(0, 2) },
      });
      const count = await rows();
      const before = await versions();
      const events = await importEvents();
      const response = await t.request("POST", BATCH, {
        token: platform,
        body: {
          bank: "gre",
          dryRun: true,
          questions: [questions[0], { ...questions[1], difficulty: 5 }, ...questions.slice(2)],
        },
      });
      expect(response.body).toEqual({
        inserted: 5,
        updated: 1,
        unchanged: 1,
        rejected: [],
        updates: [{ index: 1, externalId: questions[1]?.externalId, fields: ["difficulty"] }],
      });
      expect(await rows()).toBe(count);
      expect(await versions()).toEqual(before);
      expect(await importEvents()).toBe(events);
    });

    it("rejects a question of a type the bank does not hold, or naming another bank", async () => {
      const [mc, grid] = satQuestions("wrongbank");
      const response = await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "gre", questions: [grid, { ...mc, bank: "sat" }] },
      });
      expect(response.body.inserted).toBe(0);
      expect(
        response.body.rejected.map((r: { index: number; errors: { path: string }[] }) => [
          r.index,
          r.errors[0]?.path,
        ]),
      ).toEqual([
        [0, "type"],
        [1, "bank"],
      ]);
    });

    it("records a successful import in the audit log with its counts", async () => {
      const before = await importEvents();
      await t.request("POST", BATCH, {
        token: manager,
        body: { bank: "sat", questions: satQuestions("audited") },
      });
      expect(await importEvents()).toBe(before + 1);
      const log = await t.request("GET", "/api/v1/admin/audit-log?limit=100", { token: platform });
      const last = log.body.data
        .filter((e: { action: string }) => e.action === "questions.import")
        .at(-1);
      expect(last).toMatchObject({
        targetType: "question_bank",
        targetId: "sat",
        details: { inserted: 2, updated: 0, unchanged: 0, rejected: 0 },
      });
    });

    it("takes a body over the server's default limit, up to the route's own", async () => {
      const questions = Array.from({ length: 60 }, (_, i) => ({
        ...satQuestions(`big-${i}`)[0],
        passage: "A long passage. ".repeat(500),
      }));
      const body = { bank: "sat", questions };
      expect(JSON.stringify(body).length).toBeGreaterThan(256 * 1024);
      const response = await t.request("POST", BATCH, { token: platform, body });
      expect(response.status).toBe(200);
      expect(response.body.inserted).toBe(60);
    });

    it("a body over the route's 8 MiB limit is a 413 and nothing is written", async () => {
      const count = await rows();
      const questions = Array.from({ length: 200 }, (_, i) => ({
        ...satQuestions(`huge-${i}`)[0],
        passage: "x".repeat(45_000),
      }));
      const response = await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "sat", questions },
      });
      expectProblem(response, 413, "payload_too_large");
      expect(await rows()).toBe(count);
    });

    it("more than 1,000 questions is a 400 naming the field, and nothing is written", async () => {
      const count = await rows();
      const questions = Array.from({ length: 1_001 }, (_, i) => satQuestions(`many-${i}`)[0]);
      const response = await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "sat", questions },
      });
      expectProblem(response, 400, "validation_failed");
      expect(response.body.errors).toEqual([
        { path: "questions", message: expect.stringMatching(/1000/) },
      ]);
      expect(await rows()).toBe(count);
    });

    it.each([
      ["an unknown bank", { bank: "act", questions: satQuestions("x") }, "bank"],
      ["no questions", { bank: "sat", questions: [] }, "questions"],
      ["an item that is not an object", { bank: "sat", questions: ["q"] }, "questions.0"],
      [
        "an unknown field",
        { bank: "sat", questions: satQuestions("x"), academyId: "a" },
        "academyId",
      ],
      [
        "a non-boolean dryRun",
        { bank: "sat", questions: satQuestions("x"), dryRun: "yes" },
        "dryRun",
      ],
    ])("%s is a 400 problem document naming the field", async (_, body, path) => {
      const response = await t.request("POST", BATCH, { token: platform, body });
      expectProblem(response, 400, "validation_failed");
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });
  });

  describe("GET /questions", () => {
    beforeAll(async () => {
      await t.request("POST", BATCH, {
        token: platform,
        body: { bank: "gre", questions: greQuestions("read") },
      });
    });

    it("filters by bank, type and topic", async () => {
      const get = (query: string) =>
        t.request("GET", `/api/v1/questions?limit=100&${query}`, { token: tokens.i1 });
      const byType = await get("type=quantitative_comparison");
      expect(byType.body.data.length).toBeGreaterThan(0);
      expect(
        byType.body.data.every((q: { type: string }) => q.type === "quantitative_comparison"),
      ).toBe(true);
      const byTopic = await get("bank=gre&topic=vocabulary");
      expect(byTopic.body.data.map((q: { externalId: string }) => q.externalId)).toEqual(
        expect.arrayContaining(["read-tc", "read-se"]),
      );
      expect(
        byTopic.body.data.every(
          (q: { bank: string; topic: string }) => q.bank === "gre" && q.topic === "vocabulary",
        ),
      ).toBe(true);
      const sat = await get("bank=sat");
      expect(sat.body.data.every((q: { bank: string }) => q.bank === "sat")).toBe(true);
    });

    it("walks every question once, page by page, in creation order", async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: TestResponse = await t.request(
          "GET",
          `/api/v1/questions?bank=gre&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
          { token: platform },
        );
        expect(page.status).toBe(200);
        expect(page.body.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.map((q: { id: string }) => q.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      const all = await t.request("GET", "/api/v1/questions?bank=gre&limit=100", {
        token: platform,
      });
      expect(seen).toEqual(all.body.data.map((q: { id: string }) => q.id));
      expect(new Set(seen).size).toBe(seen.length);
    });

    it("gives staff and platform users answers and explanations, students and parents neither", async () => {
      for (const [token, full] of [
        [platform, true],
        [manager, true],
        [tokens.admin, true],
        [tokens.i1, true],
        [tokens.s1, false],
        [tokens.p, false],
      ] as const) {
        const list = await t.request("GET", "/api/v1/questions?topic=algebra&limit=100", { token });
        const mc = list.body.data.find((q: { externalId: string }) => q.externalId === "read-mc");
        expect(mc).toBeDefined();
        expect(Object.hasOwn(mc, "answer")).toBe(full);
        expect(Object.hasOwn(mc, "explanation")).toBe(full);
        expect(mc.options).toHaveLength(5);
        const one = await t.request("GET", `/api/v1/questions/${mc.id}`, { token });
        expect(one.status).toBe(200);
        expect(Object.hasOwn(one.body, "answer")).toBe(full);
        expect(JSON.stringify(one.body).includes("Subtract 1, then halve")).toBe(full);
      }
    });

    it.each([
      ["an unknown type", "type=essay", "type"],
      ["an unknown bank", "bank=act", "bank"],
      ["an unknown filter", "difficulty=3", "difficulty"],
      ["a limit out of range", "limit=abc", "limit"],
    ])("%s is a 400 problem document", async (_, query, path) => {
      const response = await t.request("GET", `/api/v1/questions?${query}`, { token: tokens.s1 });
      expectProblem(response, 400, "validation_failed");
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    });

    it("a suspended academy's users get 403; once it is active, older tokens stay revoked and new ones read", async () => {
      const suspend = (status: string) =>
        t.request("PATCH", `/api/v1/admin/academies/${academy.academyId}`, {
          token: platform,
          body: { status },
        });
      await suspend("suspended");
      expectProblem(
        await t.request("GET", "/api/v1/questions", { token: tokens.s1 }),
        403,
        "academy_suspended",
      );
      await suspend("active");
      // The suspension raised the academy's credential version: older tokens are 401 (#18 finding 4).
      expectProblem(
        await t.request("GET", "/api/v1/questions", { token: tokens.s1 }),
        401,
        "unauthenticated",
      );
      const fresh = await t.app.context.deps.tokens.sign({
        kind: "academy",
        userId: academy.users.s1,
        academyId: academy.academyId,
        role: "student",
        impersonatorId: null,
        credentials: { user: 0, academy: 1 },
      });
      expect((await t.request("GET", "/api/v1/questions", { token: fresh })).status).toBe(200);
    });
  });
});
