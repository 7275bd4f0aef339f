import type { Gamification } from "../contracts/index.js";
import { ForbiddenError } from "../errors.js";
import { BADGE_RULES, type GamificationState, gamificationOf } from "../learning/gamification.js";
import type { Actor } from "../policies/actor.js";
import type { TenantDb } from "../tenancy/context.js";
import { assertStudentVisible } from "./students.js";

const RULE = new Map(BADGE_RULES.map((rule) => [rule.id, rule]));

function toGamification(studentId: string, state: GamificationState): Gamification {
  return {
    studentId,
    xp: state.xp,
    level: state.level,
    streakDays: state.streakDays,
    lastActiveOn: state.lastActiveOn,
    badges: state.badges.map((b) => ({
      id: b.id,
      name: RULE.get(b.id)?.name ?? b.id,
      description: RULE.get(b.id)?.description ?? "",
      awardedAt: b.awardedAt,
    })),
  };
}

/** XP, streaks and badges as read (awarding is `awardActivity`, in the writers' transactions). */
export class GamificationService {
  /** The signed-in student's own (`GET /gamification/me`); other roles have none: 403. */
  async me(trx: TenantDb, actor: Actor, now: Date = new Date()): Promise<Gamification> {
    if (actor.role !== "student") throw new ForbiddenError("Only students earn XP and badges.");
    return toGamification(actor.userId, await gamificationOf(trx, actor.userId, now));
  }

  /** A student's, for whoever may see the student (`GET /students/:id/gamification`). */
  async forStudent(
    trx: TenantDb,
    actor: Actor,
    studentId: string,
    now: Date = new Date(),
  ): Promise<Gamification> {
    await assertStudentVisible(trx, actor, studentId);
    return toGamification(studentId, await gamificationOf(trx, studentId, now));
  }
}
