import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  awardActivity,
  gamificationOf,
  nextStreak,
  type SkillBridgeDatabase,
  withTenant,
  XP_RULES,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

describe("streaks by UTC day", () => {
  it("starts at 1, grows by one a day, holds within a day and restarts after a missed day", () => {
    expect(nextStreak(null, 0, "2026-11-01")).toEqual({
      streakDays: 1,
      lastActiveOn: "2026-11-01",
    });
    expect(nextStreak("2026-11-01", 1, "2026-11-02")).toEqual({
      streakDays: 2,
      lastActiveOn: "2026-11-02",
    });
    expect(nextStreak("2026-11-02", 2, "2026-11-02")).toEqual({
      streakDays: 2,
      lastActiveOn: "2026-11-02",
    });
    expect(nextStreak("2026-11-02", 2, "2026-11-04")).toEqual({
      streakDays: 1,
      lastActiveOn: "2026-11-04",
    });
    // Across a month end, and an award for an older row changes nothing.
    expect(nextStreak("2026-11-30", 4, "2026-12-01")).toEqual({
      streakDays: 5,
      lastActiveOn: "2026-12-01",
    });
    expect(nextStreak("2026-12-01", 5, "2026-11-28")).toEqual({
      streakDays: 5,
      lastActiveOn: "2026-12-01",
    });
  });
});

describe.each(ENGINES)("gamification (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let a: SeededAcademy;
  const services = fastServices();
  const asAdmin = () => ({ tenantId: a.academyId, userId: a.users.admin, role: "admin" as const });

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    a = await seedAcademy(db, services, "game-a");
  });
  afterAll(async () => dispose());

  /** A new student of c1. */
  async function student(key: string): Promise<string> {
    return withTenant(db, asAdmin(), async (trx) => {
      const user = await services.users.create(trx, a.actor("admin"), {
        email: `${key}@example.com`,
        name: `Gamer ${key}`,
        role: "student",
        password: `password-${key}-1`,
      });
      await services.enrollments.create(trx, a.actor("admin"), a.courses.c1, {
        studentId: user.id,
      });
      return user.id;
    });
  }

  /** A submission written at `at`, then awarded (what a writer does in its transaction). */
  async function submitAt(studentId: string, at: string) {
    return withTenant(db, asAdmin(), async (trx) => {
      const row = await trx
        .insertInto("submissions")
        .values({
          assignment_id: a.assignments.a1,
          student_id: studentId,
          content: `work at ${at}`,
          submitted_at: new Date(at),
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return {
        id: row.id,
        state: await awardActivity(trx, studentId, { kind: "submission", submissionId: row.id }),
      };
    });
  }

  async function quiz(studentId: string, score: number, maxScore: number) {
    return withTenant(db, asAdmin(), async (trx) => {
      const row = await trx
        .insertInto("quiz_submissions")
        .values({
          quiz_id: a.quizId,
          student_id: studentId,
          answers: "[]",
          results: "[]",
          score,
          max_score: maxScore,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return awardActivity(trx, studentId, { kind: "quiz", quizSubmissionId: row.id });
    });
  }

  const stateOf = (studentId: string, now?: Date) =>
    withTenant(db, asAdmin(), (trx) => gamificationOf(trx, studentId, now));

  it("submitting an assignment earns 10 XP and the first-submission badge, in the same transaction", async () => {
    const id = await student("first");
    const actor = { userId: id, role: "student" as const };
    await withTenant(db, { tenantId: a.academyId, userId: id, role: "student" }, (trx) =>
      services.submissions.create(trx, actor, a.assignments.a1, { content: "My first answer." }),
    );
    const state = await stateOf(id);
    expect(state.xp).toBe(XP_RULES.submission);
    expect(state.level).toBe(1);
    expect(state.streakDays).toBe(1);
    expect(state.badges.map((b) => b.id)).toEqual(["first-submission"]);
  });

  it("a submission awarded again earns no more XP and moves no streak", async () => {
    const id = await student("twice");
    const { id: submissionId, state } = await submitAt(id, "2026-11-01T09:00:00Z");
    expect(state.xp).toBe(10);
    for (let i = 0; i < 3; i += 1) {
      const again = await withTenant(db, asAdmin(), (trx) =>
        awardActivity(trx, id, { kind: "submission", submissionId }),
      );
      expect(again).toEqual(state);
    }
  });

  it("a quiz earns 5 XP plus up to 20 by its score, and full marks earn the perfect-quiz badge", async () => {
    const id = await student("quizzer");
    const half = await quiz(id, 2, 4);
    expect(half.xp).toBe(XP_RULES.quizBase + 10);
    expect(half.badges.map((b) => b.id)).toEqual(["first-quiz"]);
    const full = await quiz(id, 4, 4);
    expect(full.xp).toBe(15 + 25);
    expect(full.badges.map((b) => b.id)).toEqual(["first-quiz", "perfect-quiz"]);
    const zero = await quiz(id, 0, 5);
    expect(zero.xp).toBe(40 + 5);
  });

  it("the streak counts UTC days: 23:59 and 00:01 are two days, and three in a row earn the 3-day badge and its 15 XP", async () => {
    const id = await student("streaker");
    expect((await submitAt(id, "2026-11-01T23:59:00Z")).state.streakDays).toBe(1);
    expect((await submitAt(id, "2026-11-02T00:01:00Z")).state.streakDays).toBe(2);
    expect((await submitAt(id, "2026-11-02T18:00:00Z")).state.streakDays).toBe(2);
    const third = (await submitAt(id, "2026-11-03T08:00:00Z")).state;
    expect(third.streakDays).toBe(3);
    expect(third.badges.map((b) => b.id)).toEqual(["first-submission", "streak-3"]);
    expect(third.xp).toBe(4 * XP_RULES.submission + 15);

    // A missed day starts over; the badge stays.
    const after = (await submitAt(id, "2026-11-05T08:00:00Z")).state;
    expect(after.streakDays).toBe(1);
    expect(after.badges.map((b) => b.id)).toContain("streak-3");
    // Read the next day, the streak is alive; two days on, it is 0.
    expect((await stateOf(id, new Date("2026-11-06T23:00:00Z"))).streakDays).toBe(1);
    expect((await stateOf(id, new Date("2026-11-07T00:00:01Z"))).streakDays).toBe(0);
  });

  it("seven days in a row earn the 7-day badge, and 100 XP the 100 XP badge", async () => {
    const id = await student("weekly");
    let state = (await submitAt(id, "2026-11-10T12:00:00Z")).state;
    for (let day = 11; day <= 16; day += 1) {
      state = (await submitAt(id, `2026-11-${day}T12:00:00Z`)).state;
    }
    expect(state.streakDays).toBe(7);
    // 7 submissions (70) + 15 + 50 streak bonus = 135.
    expect(state.xp).toBe(135);
    expect(state.level).toBe(2);
    expect(state.badges.map((b) => b.id)).toEqual([
      "first-submission",
      "streak-3",
      "streak-7",
      "xp-100",
    ]);
  });

  it("concurrent submissions of one student each count once: the row lock serialises the awards", async () => {
    const id = await student("racer");
    const states = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => submitAt(id, `2026-11-20T0${n}:00:00Z`)),
    );
    expect(states.map((s) => s.state.xp).sort((x, y) => x - y)).toEqual([10, 20, 30, 40, 50, 60]);
    const final = await stateOf(id, new Date("2026-11-20T12:00:00Z"));
    expect(final).toMatchObject({ xp: 60, streakDays: 1, lastActiveOn: "2026-11-20" });
  });

  it("refuses to award a submission to a student who did not write it", async () => {
    const id = await student("thief");
    await expect(
      withTenant(db, asAdmin(), (trx) =>
        awardActivity(trx, id, { kind: "submission", submissionId: a.submissions.sub1 }),
      ),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await stateOf(id)).xp).toBe(0);
  });

  it("only a student has their own XP; staff and parents are refused by the service", async () => {
    await withTenant(db, asAdmin(), async (trx) => {
      await expect(services.gamification.me(trx, a.actor("admin"))).rejects.toMatchObject({
        status: 403,
      });
      await expect(services.gamification.me(trx, a.actor("p"))).rejects.toMatchObject({
        status: 403,
      });
      const mine = await services.gamification.me(trx, a.actor("s1"));
      expect(mine.studentId).toBe(a.users.s1);
      expect(mine.badges[0]).toMatchObject({ id: "first-submission", name: "First submission" });
      await expect(
        services.gamification.forStudent(trx, a.actor("p"), a.users.s2),
      ).rejects.toMatchObject({ status: 404 });
      expect((await services.gamification.forStudent(trx, a.actor("p"), a.users.s1)).xp).toBe(
        mine.xp,
      );
    });
  });
});
