import { withPlatform } from "@skillbridge/core";
import type {
  CreateQuizBody,
  CreateQuizFromBankBody,
  Quiz,
  QuizResultsPolicy,
  QuizSubmission,
} from "@skillbridge/core/contracts";
import { ConflictError, SkillBridge, ValidationError } from "@skillbridge/sdk";
import { startServer } from "@skillbridge/server";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { fastServices } from "../packages/core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../packages/core/test/support/seed.js";
import { createTestApp, ENGINES } from "../packages/server/test/support/test-app.js";

// The SDK's quiz calls for the attempt policy and quizzes from the bank,
// against the real server through a socket: quizzes.create with bank items
// and a policy, quizzes.fromBank, the ConflictErrors a caller branches on
// (`attempts_exhausted`, `bank_too_small`), and the types they return.

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe.each(ENGINES)("the SDK's quiz policy and bank quizzes on %s", (engine) => {
  let close: () => Promise<void>;
  let seed: SeededAcademy;
  const clients: Record<string, SkillBridge> = {};
  const bankIds: string[] = [];

  const client = (who: string) => {
    const c = clients[who];
    if (!c) throw new Error(`no client for ${who}`);
    return c;
  };

  beforeAll(async () => {
    const t = await createTestApp(engine);
    const running = await startServer({ app: t.app, port: 0, handleSignals: false });
    close = async () => {
      await running.close();
      await t.dispose();
    };
    const services = fastServices();
    seed = await seedAcademy(t.db, services, "sdk-policy");
    await withPlatform(t.db, async (trx) => {
      await services.questions.batch(
        trx,
        { platformUserId: null },
        {
          bank: "gre",
          questions: [1, 2, 3].map((n) => ({
            externalId: `qc-${n}`,
            type: "quantitative_comparison",
            prompt: `Compare ${n}^2 and ${n + 1}.`,
            quantityA: `${n}^2`,
            quantityB: `${n + 1}`,
            answer: n === 1 ? "B" : n === 2 ? "A" : "A",
            explanation: `The SDK bank key ${n}.`,
            topic: "exponents",
            difficulty: 3,
          })),
        },
      );
      const rows = await trx.selectFrom("exam_questions").select("id").execute();
      bankIds.push(...rows.map((r) => r.id));
    });
    for (const who of ["i1", "s1", "p"]) {
      const c = new SkillBridge({ baseUrl: running.url, maxRetries: 0 });
      await c.auth.login({
        academy: "sdk-policy",
        email: `${who}@example.com`,
        password: `password-${who}-1`,
      });
      clients[who] = c;
    }
  });
  afterAll(() => close());

  it("quizzes.create copies bank items in; with one attempt and score_only the second submit is attempts_exhausted", async () => {
    const quiz = await client("i1").quizzes.create({
      title: "SDK policy",
      courseId: seed.courses.c1,
      allowedAttempts: 1,
      results: "score_only",
      questions: [{ bankQuestionId: bankIds[0] ?? "" }],
    });
    expect(quiz).toMatchObject({ allowedAttempts: 1, results: "score_only" });
    expect(quiz.questions[0]).toMatchObject({ bankQuestionId: bankIds[0], answer: "B" });
    await client("i1").quizzes.publish(quiz.id);
    const questionId = quiz.questions[0]?.id ?? "";

    const result = await client("s1").quizzes.submit(quiz.id, {
      answers: [{ questionId, answer: "B" }],
    });
    expect(result).toMatchObject({ score: 1, resultsShown: "score_only", attemptsLeft: 0 });
    expect(result.results[0]?.correct).toBeUndefined();
    const parentView = await client("p").quizSubmissions.get(result.id);
    expect(JSON.stringify(parentView)).not.toMatch(/"(correct|answer|explanation)"/);

    const again = await caught(
      client("s1").quizzes.submit(quiz.id, { answers: [{ questionId, answer: "A" }] }),
    );
    expect(again).toBeInstanceOf(ConflictError);
    expect(again).toMatchObject({ status: 409, code: "attempts_exhausted" });
  });

  it("quizzes.fromBank draws a draft; too few questions is a ConflictError bank_too_small; a bad range a ValidationError", async () => {
    const drawn = await client("i1").quizzes.fromBank({
      title: "SDK draw",
      courseId: seed.courses.c1,
      bank: "gre",
      topics: ["exponents"],
      count: 3,
    });
    expect(drawn.status).toBe("draft");
    expect(drawn.questions.map((q) => q.bankQuestionId).sort()).toEqual([...bankIds].sort());

    const short = await caught(
      client("i1").quizzes.fromBank({ title: "x", bank: "gre", count: 4 }),
    );
    expect(short).toBeInstanceOf(ConflictError);
    expect(short).toMatchObject({ code: "bank_too_small" });
    const range = await caught(
      client("i1").quizzes.fromBank({
        title: "x",
        bank: "gre",
        count: 1,
        minDifficulty: 5,
        maxDifficulty: 1,
      }),
    );
    expect(range).toBeInstanceOf(ValidationError);
  });

  it("types: bank items and policies in the bodies, the contracts' types out", () => {
    const c = client("i1");
    expectTypeOf(c.quizzes.fromBank).parameter(0).toEqualTypeOf<CreateQuizFromBankBody>();
    expectTypeOf(c.quizzes.fromBank).returns.resolves.toEqualTypeOf<Quiz>();
    expectTypeOf<{ bankQuestionId: string }>().toExtend<CreateQuizBody["questions"][number]>();
    expectTypeOf<Quiz["results"]>().toEqualTypeOf<QuizResultsPolicy>();
    expectTypeOf<QuizSubmission["results"][number]["correct"]>().toEqualTypeOf<
      boolean | undefined
    >();
  });
});
