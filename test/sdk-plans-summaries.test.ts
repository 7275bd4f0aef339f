import type { Gamification, StudentSummary, StudyPlan } from "@skillbridge/core/contracts";
import { NotFoundError, PermissionError, SkillBridge } from "@skillbridge/sdk";
import { startServer } from "@skillbridge/server";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { fastServices } from "../packages/core/test/support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "../packages/core/test/support/seed.js";
import { createTestApp, ENGINES } from "../packages/server/test/support/test-app.js";

// The learning resources of the SDK against a live embedded server, through a
// socket: study plans, parent summaries and gamification, with the same
// visibility as the API (a linked parent reads their child's; nobody else's).

describe.each(ENGINES)("the SDK's learning resources on %s", (engine) => {
  let close: () => Promise<void>;
  let url: string;
  let seed: SeededAcademy;

  beforeAll(async () => {
    const t = await createTestApp(engine);
    seed = await seedAcademy(t.db, fastServices(), "sdk-learning");
    const running = await startServer({ app: t.app, port: 0, handleSignals: false });
    url = running.url;
    close = async () => {
      await running.close();
      await t.dispose();
    };
  });
  afterAll(() => close());

  async function as(key: "p" | "s1" | "i1" | "admin") {
    const client = new SkillBridge({ baseUrl: url, maxRetries: 0 });
    const email = key === "admin" ? "admin@example.com" : `${key}@example.com`;
    const password = key === "admin" ? "admin-password-1" : `password-${key}-1`;
    await client.auth.login({ academy: "sdk-learning", email, password });
    return client;
  }

  it("a linked parent reads their child's study plan and summary, and gets NotFoundError for another child", async () => {
    const parent = await as("p");
    const plan = await parent.students.studyPlan(seed.users.s1);
    expect(plan.studentId).toBe(seed.users.s1);
    expect(plan.rationale.offline).toBe(true);
    const summary = await parent.students.summary(seed.users.s1);
    expect(summary.studentId).toBe(seed.users.s1);
    expect(summary.facts.some((f) => f.kind === "quiz")).toBe(true);
    await expect(parent.students.studyPlan(seed.users.s2)).rejects.toBeInstanceOf(NotFoundError);
    await expect(parent.students.summary(seed.users.s2)).rejects.toBeInstanceOf(NotFoundError);
    await expect(parent.gamification.forStudent(seed.users.s2)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("a student reads their own XP and badges; staff have none of their own", async () => {
    const student = await as("s1");
    const mine = await student.gamification.me();
    expect(mine).toMatchObject({ studentId: seed.users.s1, xp: 10, level: 1 });
    expect(mine.badges.map((b) => b.id)).toEqual(["first-submission"]);
    const instructor = await as("i1");
    await expect(instructor.gamification.me()).rejects.toBeInstanceOf(PermissionError);
    expect((await instructor.gamification.forStudent(seed.users.s1)).xp).toBe(10);
  });

  it("returns the contracts' types", () => {
    const client = new SkillBridge({ baseUrl: "http://127.0.0.1:1" });
    expectTypeOf(client.students.studyPlan).returns.resolves.toEqualTypeOf<StudyPlan>();
    expectTypeOf(client.students.summary).returns.resolves.toEqualTypeOf<StudentSummary>();
    expectTypeOf(client.gamification.me).returns.resolves.toEqualTypeOf<Gamification>();
    expectTypeOf(client.gamification.forStudent).returns.resolves.toEqualTypeOf<Gamification>();
    expectTypeOf(client.students.studyPlan).parameter(0).toEqualTypeOf<string>();
  });
});
