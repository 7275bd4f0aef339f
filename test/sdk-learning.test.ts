import type {
  CourseWeakSpotList,
  LearnerQuiz,
  QuizSubmission,
  WeakSpotList,
} from "@skillbridge/core/contracts";
import {
  NotFoundError,
  type PagePromise,
  PermissionError,
  SkillBridge,
  ValidationError,
} from "@skillbridge/sdk";
import { startServer } from "@skillbridge/server";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { fastServices } from "../packages/core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../packages/core/test/support/seed.js";
import { createTestApp, ENGINES } from "../packages/server/test/support/test-app.js";

// The SDK's learning-loop calls against the real server through a socket:
// submitting a quiz, reading quiz submissions (pages walked by the client),
// weak spots of a student and of a course, and the errors a caller can fix.

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe.each(ENGINES)("the SDK's learning loop against a live server on %s", (engine) => {
  let close: () => Promise<void>;
  let seed: SeededAcademy;
  const clients: Record<string, SkillBridge> = {};
  let quiz: { id: string; questions: { id: string; type: string }[] };

  beforeAll(async () => {
    const t = await createTestApp(engine);
    const running = await startServer({ app: t.app, port: 0, handleSignals: false });
    close = async () => {
      await running.close();
      await t.dispose();
    };
    seed = await seedAcademy(t.db, fastServices(), "sdk-learning");
    for (const who of ["admin", "i1", "i2", "s1", "s3", "p"]) {
      const client = new SkillBridge({ baseUrl: running.url, maxRetries: 0 });
      await client.auth.login({
        academy: "sdk-learning",
        email: `${who}@example.com`,
        password: who === "admin" ? "admin-password-1" : `password-${who}-1`,
      });
      clients[who] = client;
    }
    const created = await clients.i1?.quizzes.create({
      title: "Algebra check",
      courseId: seed.courses.c1,
      questions: [
        {
          type: "multiple_choice",
          prompt: "Which value solves 3x = 21?",
          options: [
            { id: "A", text: "6" },
            { id: "B", text: "7" },
          ],
          answer: "B",
          topic: "linear equations",
          difficulty: 2,
        },
        {
          type: "numeric_entry",
          prompt: "What is 3 divided by 4?",
          answer: "3/4",
          topic: "fractions",
          difficulty: 1,
        },
      ],
    });
    if (!created) throw new Error("no quiz");
    await clients.i1?.quizzes.publish(created.id);
    quiz = created;
  });
  afterAll(() => close());

  const client = (who: string) => {
    const c = clients[who];
    if (!c) throw new Error(`no client for ${who}`);
    return c;
  };
  const idOf = (type: string) => quiz.questions.find((q) => q.type === type)?.id ?? "";

  it("quizzes.submit scores the answers; the learner's quiz view has no answers", async () => {
    const seen = (await client("s1").quizzes.get(quiz.id)) as LearnerQuiz;
    expect(JSON.stringify(seen)).not.toMatch(/"answer"/);
    const result = await client("s1").quizzes.submit(quiz.id, {
      answers: [
        { questionId: idOf("multiple_choice"), answer: "A" },
        { questionId: idOf("numeric_entry"), answer: 0.75, timeMs: 4_000 },
      ],
    });
    expect(result).toMatchObject({
      quizId: quiz.id,
      studentId: seed.users.s1,
      score: 1,
      maxScore: 2,
    });
    expect(result.results.map((r) => r.correct)).toEqual([false, true]);
  });

  it("a wrong-shaped answer is a ValidationError naming the path; a non-student gets a PermissionError", async () => {
    const bad = await caught(
      client("s1").quizzes.submit(quiz.id, {
        answers: [{ questionId: idOf("multiple_choice"), answer: ["A", "B"] }],
      }),
    );
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).problem?.errors).toEqual([
      expect.objectContaining({ path: "answers.0.answer" }),
    ]);
    const staff = await caught(
      client("i1").quizzes.submit(quiz.id, {
        answers: [{ questionId: idOf("multiple_choice"), answer: "B" }],
      }),
    );
    expect(staff).toBeInstanceOf(PermissionError);
  });

  it("quizSubmissions.list walks every page; get reads one; others' are not found", async () => {
    for (let i = 0; i < 4; i++) {
      await client("s1").quizzes.submit(quiz.id, {
        answers: [{ questionId: idOf("multiple_choice"), answer: "A" }],
      });
    }
    const walked: QuizSubmission[] = [];
    for await (const submission of client("p").quizSubmissions.list({
      quizId: quiz.id,
      limit: 2,
    })) {
      walked.push(submission);
    }
    // The seed's submission is to another quiz; s1 made five to this one.
    expect(walked).toHaveLength(5);
    expect(new Set(walked.map((s) => s.id)).size).toBe(5);
    for (const s of walked) expect(s.studentId).toBe(seed.users.s1);
    const first = walked[0];
    if (!first) throw new Error("no submission");
    expect(await client("i1").quizSubmissions.get(first.id)).toEqual(first);
    expect(await caught(client("s3").quizSubmissions.get(first.id))).toBeInstanceOf(NotFoundError);
    expect(await caught(client("i2").quizSubmissions.get(first.id))).toBeInstanceOf(NotFoundError);
  });

  it("students.weakSpots and courses.weakSpots show the topic s1 keeps missing", async () => {
    const spots = await client("p").students.weakSpots(seed.users.s1);
    expect(spots.data.map((s) => s.topic)).toEqual(["linear equations"]);
    expect(spots.data[0]).toMatchObject({ attempts: 5 });
    const course = await client("i1").courses.weakSpots(seed.courses.c1);
    expect(course.data).toEqual([
      {
        topic: "linear equations",
        students: 1,
        averageMastery: spots.data[0]?.mastery,
        attempts: 5,
      },
    ]);
    // p is linked to s1 only; i2 teaches c2, where s1 is not enrolled.
    expect(await caught(client("p").students.weakSpots(seed.users.s3))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await caught(client("i2").students.weakSpots(seed.users.s1))).toBeInstanceOf(
      NotFoundError,
    );
    expect(await caught(client("i2").courses.weakSpots(seed.courses.c1))).toBeInstanceOf(
      NotFoundError,
    );
  });

  it("return types are the contracts' types", () => {
    const c = client("s1");
    expectTypeOf(c.quizzes.submit).returns.resolves.toEqualTypeOf<QuizSubmission>();
    expectTypeOf(c.quizSubmissions.get).returns.resolves.toEqualTypeOf<QuizSubmission>();
    expectTypeOf(c.quizSubmissions.list).returns.toEqualTypeOf<PagePromise<QuizSubmission>>();
    expectTypeOf(c.students.weakSpots).returns.resolves.toEqualTypeOf<WeakSpotList>();
    expectTypeOf(c.courses.weakSpots).returns.resolves.toEqualTypeOf<CourseWeakSpotList>();
  });
});
