import type { TenantDb } from "../tenancy/context.js";

/** Mastery below this is a weak spot ... */
export const WEAK_SPOT_MASTERY = 0.6;
/** ... once the student has made at least this many attempts at the topic. */
export const WEAK_SPOT_MIN_ATTEMPTS = 3;

export interface WeakSpotRow {
  readonly topic: string;
  readonly mastery: number;
  readonly attempts: number;
  readonly rating: number;
  readonly lastSeenAt: Date;
}

/**
 * A student's weak spots: topics whose mastery is below 0.6 after at least
 * three attempts, weakest first (ties by topic, so the order is stable).
 * Visibility is the caller's: check that the actor may see the student first.
 */
export async function weakSpotsOf(trx: TenantDb, studentId: string): Promise<WeakSpotRow[]> {
  const rows = await trx
    .selectFrom("mastery")
    .select(["topic", "p_known", "attempts", "rating", "last_seen_at"])
    .where("student_id", "=", studentId)
    .where("attempts", ">=", WEAK_SPOT_MIN_ATTEMPTS)
    .where("p_known", "<", WEAK_SPOT_MASTERY)
    .orderBy("p_known")
    .orderBy("topic")
    .execute();
  return rows.map((r) => ({
    topic: r.topic,
    mastery: r.p_known,
    attempts: r.attempts,
    rating: r.rating,
    lastSeenAt: r.last_seen_at,
  }));
}
