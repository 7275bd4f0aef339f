import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bktUpdate,
  DEFAULT_BKT_PARAMS,
  difficultyPrior,
  recordAttempts,
  type SkillBridgeDatabase,
  weakSpotsOf,
  withTenant,
} from "../src/index.js";
import { ENGINES, openTestDatabase } from "./support/engines.js";
import { fastServices } from "./support/fast-services.js";
import { type SeededAcademy, seedAcademy } from "./support/seed.js";

describe.each(ENGINES)("recording attempts (%s)", (engine) => {
  let db: SkillBridgeDatabase;
  let dispose: () => Promise<void>;
  let a: SeededAcademy;
  let b: SeededAcademy;
  const ctx = (academy: SeededAcademy) => ({
    tenantId: academy.academyId,
    userId: null,
    role: "system" as const,
  });

  beforeAll(async () => {
    ({ db, dispose } = await openTestDatabase(engine));
    const services = fastServices();
    a = await seedAcademy(db, services, "learn-a");
    b = await seedAcademy(db, services, "learn-b");
  });
  afterAll(async () => dispose());

  it("a student who keeps missing one topic gets it as a weak spot, and only that one", async () => {
    const missed = randomUUID();
    const known = randomUUID();
    for (let round = 0; round < 4; round += 1) {
      await withTenant(db, ctx(a), (trx) =>
        recordAttempts(trx, a.users.s2, [
          { questionId: missed, topic: "geometry", correct: false, level: 2 },
          { questionId: known, topic: "vocabulary", correct: true, level: 2 },
        ]),
      );
    }
    const spots = await withTenant(db, ctx(a), (trx) => weakSpotsOf(trx, a.users.s2));
    expect(spots.map((s) => [s.topic, s.attempts])).toEqual([["geometry", 4]]);

    let expected = DEFAULT_BKT_PARAMS.pInit;
    for (let i = 0; i < 4; i += 1) expected = bktUpdate(expected, false);
    expect(spots[0]?.mastery).toBeCloseTo(expected, 10);
  });

  it("fewer than three attempts is not yet a weak spot", async () => {
    await withTenant(db, ctx(a), (trx) =>
      recordAttempts(trx, a.users.s3, [
        { questionId: randomUUID(), topic: "ratios", correct: false },
        { questionId: randomUUID(), topic: "ratios", correct: false },
      ]),
    );
    expect(await withTenant(db, ctx(a), (trx) => weakSpotsOf(trx, a.users.s3))).toEqual([]);
  });

  it("writes one attempt row per answer and moves the question's difficulty against the answers", async () => {
    const question = randomUUID();
    await withTenant(db, ctx(a), (trx) =>
      recordAttempts(trx, a.users.s1, [
        { questionId: question, topic: "functions", correct: false, level: 4, timeMs: 4_200 },
      ]),
    );
    const [attempt, rating] = await withTenant(db, ctx(a), (trx) =>
      Promise.all([
        trx
          .selectFrom("question_attempts")
          .select(["student_id", "topic", "correct", "time_ms"])
          .where("question_id", "=", question)
          .execute(),
        trx
          .selectFrom("question_ratings")
          .select(["rating", "attempts", "topic"])
          .where("question_id", "=", question)
          .executeTakeFirstOrThrow(),
      ]),
    );
    expect(attempt).toEqual([
      { student_id: a.users.s1, topic: "functions", correct: false, time_ms: 4_200 },
    ]);
    expect(rating.attempts).toBe(1);
    expect(rating.topic).toBe("functions");
    expect(rating.rating).toBeGreaterThan(difficultyPrior(4));
  });

  it("another academy's attempts, mastery and ratings stay in that academy", async () => {
    const question = randomUUID();
    for (let i = 0; i < 3; i += 1) {
      await withTenant(db, ctx(b), (trx) =>
        recordAttempts(trx, b.users.s2, [
          { questionId: question, topic: "geometry", correct: true },
        ]),
      );
    }
    const inA = await withTenant(db, ctx(a), (trx) =>
      trx.selectFrom("question_ratings").select("id").where("question_id", "=", question).execute(),
    );
    expect(inA).toEqual([]);
    const spotsA = await withTenant(db, ctx(a), (trx) => weakSpotsOf(trx, a.users.s2));
    expect(spotsA.map((s) => s.attempts)).toEqual([4]);
  });

  it("concurrent submissions on the same topic lose no update", async () => {
    const question = randomUUID();
    await Promise.all(
      Array.from({ length: 6 }, () =>
        withTenant(db, ctx(a), (trx) =>
          recordAttempts(trx, a.users.s3, [
            { questionId: question, topic: "probability", correct: false },
          ]),
        ),
      ),
    );
    const row = await withTenant(db, ctx(a), (trx) =>
      trx
        .selectFrom("mastery")
        .select(["attempts", "p_known"])
        .where("student_id", "=", a.users.s3)
        .where("topic", "=", "probability")
        .executeTakeFirstOrThrow(),
    );
    let expected = DEFAULT_BKT_PARAMS.pInit;
    for (let i = 0; i < 6; i += 1) expected = bktUpdate(expected, false);
    expect(row.attempts).toBe(6);
    expect(row.p_known).toBeCloseTo(expected, 10);
  });
});
