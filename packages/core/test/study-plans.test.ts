import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actor,
  createServices,
  difficultyForSuccess,
  difficultyPrior,
  eloExpected,
  masteryBasis,
  PasswordHasher,
  PLAN_RULES,
  recordAttempts,
  type SkillBridgeDatabase,
  type TenantDb,
  weakSpotsOf,
  withPlatform,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

// Study plans from a simulated student's answers (recordAttempts) and a bank
// seeded through the batch service: the plan aims at the missed topic, at
// ~75% predicted success, skips what was just attempted, uses this academy's
// question difficulty, is stored and reused while mastery is unchanged, and
// never carries answers.

const TOPIC = "plan-geometry";

describe.each(ENGINES)("study plans (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let a: SeededAcademy;
  let b: SeededAcademy;
  const services = createServices({
    passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
    cursorSecret: "test-secret",
  });
  /** Bank ids by level (three per level, 1-5). */
  const bank = new Map<number, string[]>();

  const system = (academy: SeededAcademy) => ({
    tenantId: academy.academyId,
    userId: null,
    role: "system" as const,
  });
  const runner =
    (academy: SeededAcademy, actor: Actor) =>
    <T>(fn: (trx: TenantDb, actor: Actor) => Promise<T>) =>
      withTenant(
        db,
        { tenantId: academy.academyId, userId: actor.userId, role: actor.role },
        (trx) => fn(trx, actor),
      );

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    const seeding = fastServices();
    a = await seedAcademy(db, seeding, "plans-a");
    b = await seedAcademy(db, seeding, "plans-b");
    const questions = [1, 2, 3, 4, 5].flatMap((level) =>
      [1, 2, 3].map((n) => ({
        externalId: `plan-${level}-${n}`,
        type: "grid_in" as const,
        prompt: `Level ${level} question ${n}: what is ${level} + ${n}?`,
        topic: TOPIC,
        difficulty: level,
        answer: [String(level + n)],
        explanation: `Add ${level} and ${n}.`,
      })),
    );
    const report = await withPlatform(db, (trx) =>
      seeding.questions.batch(trx, { platformUserId: null }, { bank: "sat", questions }),
    );
    expect(report.inserted).toBe(15);
    const rows = await withPlatform(db, (trx) =>
      trx
        .selectFrom("exam_questions")
        .select(["id", "difficulty", "external_id"])
        .where("topic", "=", TOPIC)
        .orderBy("external_id")
        .execute(),
    );
    for (const row of rows) bank.set(row.difficulty, [...(bank.get(row.difficulty) ?? []), row.id]);
  });
  afterAll(async () => dispose());

  /** The student misses the topic `times` times (questions outside the bank) and gets another right. */
  async function missTopic(academy: SeededAcademy, studentId: string, times: number) {
    for (let i = 0; i < times; i += 1) {
      await withTenant(db, system(academy), (trx) =>
        recordAttempts(trx, studentId, [
          { questionId: randomUUID(), topic: TOPIC, correct: false, level: 3 },
          { questionId: randomUUID(), topic: "plan-vocabulary", correct: true, level: 3 },
        ]),
      );
    }
  }

  it("a student who keeps missing one topic gets practice on that topic at about 75% predicted success", async () => {
    await missTopic(a, a.users.s2, 6);
    // One bank question was just attempted: it must not be offered again.
    const recent = bank.get(1)?.[0] ?? "";
    await withTenant(db, system(a), (trx) =>
      recordAttempts(trx, a.users.s2, [
        { questionId: recent, topic: TOPIC, correct: false, level: 1 },
      ]),
    );
    const [spot] = await withTenant(db, system(a), (trx) => weakSpotsOf(trx, a.users.s2));
    expect(spot?.topic).toBe(TOPIC);
    const ability = spot?.rating ?? 0;

    const plan = await services.studyPlans.get(runner(a, a.actor("s2")), a.academyId, a.users.s2);
    expect(plan.weakSpots.map((w) => w.topic)).toEqual([TOPIC]);
    expect(plan.items.map((i) => i.topic)).toEqual([TOPIC]);
    const item = plan.items[0];
    const chosen = item?.questions ?? [];
    expect(chosen).toHaveLength(PLAN_RULES.questionsPerTopic);
    expect(chosen.map((q) => q.id)).not.toContain(recent);

    // The best the bank offers: the questions nearest 75% by the prior of their level.
    const ranked = [...bank.entries()]
      .flatMap(([level, ids]) =>
        ids.map((id) => ({ id, p: eloExpected(ability, difficultyPrior(level)) })),
      )
      .filter((q) => q.id !== recent)
      .sort((x, y) => Math.abs(x.p - 0.75) - Math.abs(y.p - 0.75) || (x.id < y.id ? -1 : 1));
    expect(chosen.map((q) => q.id)).toEqual(ranked.slice(0, 5).map((q) => q.id));
    for (const q of chosen) {
      expect(q.predictedSuccess).toBeCloseTo(
        eloExpected(ability, difficultyPrior(q.difficulty)),
        10,
      );
    }
    const nearest = Math.abs((chosen[0]?.predictedSuccess ?? 0) - 0.75);
    expect(nearest).toBeLessThan(0.1);
    expect(plan.rationale.offline).toBe(true);
    expect(plan.rationale.text).toMatch(/^\[offline\]/);
    expect(plan.rationale.text).toContain(TOPIC);
  });

  it("uses the academy's own difficulty of a question when it has one, and no other academy's", async () => {
    const [spot] = await withTenant(db, system(a), (trx) => weakSpotsOf(trx, a.users.s2));
    const hard = bank.get(5)?.[2] ?? "";
    // In A, the level-5 question has proved exactly right for this student.
    await withTenant(db, system(a), (trx) =>
      trx
        .insertInto("question_ratings")
        .values({
          question_id: hard,
          topic: TOPIC,
          rating: difficultyForSuccess(spot?.rating ?? 0, 0.75),
          attempts: 40,
        })
        .execute(),
    );
    // Mastery changed? No: only a question rating. Move the basis so the plan is rebuilt.
    await missTopic(a, a.users.s2, 1);
    const plan = await services.studyPlans.get(runner(a, a.actor("s2")), a.academyId, a.users.s2);
    const first = plan.items[0]?.questions[0];
    expect(first?.id).toBe(hard);
    expect(first?.difficulty).toBe(5);
    // (the ability moved with the extra miss: it is still the closest by far)
    expect(Math.abs((first?.predictedSuccess ?? 0) - 0.75)).toBeLessThan(0.05);

    // Academy B's student with the same misses: the question has only its level-5 prior there.
    await missTopic(b, b.users.s2, 7);
    const other = await services.studyPlans.get(runner(b, b.actor("s2")), b.academyId, b.users.s2);
    expect(other.items[0]?.questions.map((q) => q.id)).not.toContain(hard);
  });

  it("serves the stored plan while the mastery is unchanged, and rebuilds it when it changes", async () => {
    const get = () => services.studyPlans.get(runner(a, a.actor("admin")), a.academyId, a.users.s2);
    const first = await get();
    const again = await get();
    expect(again).toEqual(first);
    const stored = await withTenant(db, system(a), (trx) =>
      trx
        .selectFrom("study_plans")
        .select(["basis", "generated_at"])
        .where("student_id", "=", a.users.s2)
        .executeTakeFirstOrThrow(),
    );
    expect(stored.basis).toBe(
      await withTenant(db, system(a), (trx) => masteryBasis(trx, a.users.s2)),
    );
    expect(new Date(stored.generated_at).toISOString()).toBe(first.generatedAt);

    await new Promise((resolve) => setTimeout(resolve, 5));
    await missTopic(a, a.users.s2, 1);
    const rebuilt = await get();
    expect(rebuilt.generatedAt > first.generatedAt).toBe(true);
    expect(rebuilt.weakSpots[0]?.mastery).toBeLessThan(first.weakSpots[0]?.mastery ?? 0);
    const basis = await withTenant(db, system(a), (trx) =>
      trx
        .selectFrom("study_plans")
        .select("basis")
        .where("student_id", "=", a.users.s2)
        .executeTakeFirstOrThrow(),
    );
    expect(basis.basis).not.toBe(stored.basis);
    expect(await get()).toEqual(rebuilt);
  });

  it("a student with no weak spots gets an empty plan whose rationale says so", async () => {
    const plan = await services.studyPlans.get(runner(a, a.actor("s3")), a.academyId, a.users.s3);
    expect(plan.weakSpots).toEqual([]);
    expect(plan.items).toEqual([]);
    expect(plan.rationale).toMatchObject({ provider: "offline", offline: true });
    expect(plan.rationale.text).toMatch(/no weak spots/i);
  });

  it("a plan holds no answers or explanations", async () => {
    const plan = await services.studyPlans.get(runner(a, a.actor("p")), a.academyId, a.users.s1);
    const stored = await withTenant(db, system(a), (trx) =>
      trx
        .selectFrom("study_plans")
        .select("plan")
        .where("student_id", "=", a.users.s2)
        .executeTakeFirstOrThrow(),
    );
    for (const value of [plan, stored.plan]) {
      expect(JSON.stringify(value)).not.toMatch(/"answer"|"explanation"|Add \d and \d/);
    }
  });

  it("only the student, their instructors, admins and linked parents get the plan; others get 404", async () => {
    const get = (academy: SeededAcademy, who: keyof SeededAcademy["users"], studentId: string) =>
      services.studyPlans
        .get(runner(academy, academy.actor(who)), academy.academyId, studentId)
        .then(
          () => 200,
          (error: { status?: number }) => error.status,
        );
    // s1: c1 (i1), linked to p. s2: c2 (i2).
    expect(await get(a, "admin", a.users.s1)).toBe(200);
    expect(await get(a, "i1", a.users.s1)).toBe(200);
    expect(await get(a, "s1", a.users.s1)).toBe(200);
    expect(await get(a, "p", a.users.s1)).toBe(200);
    expect(await get(a, "p", a.users.s2)).toBe(404);
    expect(await get(a, "i1", a.users.s2)).toBe(404);
    expect(await get(a, "s1", a.users.s2)).toBe(404);
    expect(await get(a, "admin", a.users.i1)).toBe(404);
    expect(await get(a, "admin", b.users.s1)).toBe(404);
    expect(await get(a, "admin", randomUUID())).toBe(404);
  });
});
