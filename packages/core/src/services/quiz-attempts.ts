import { sql } from "kysely";
import type { QuizResultsPolicy } from "../contracts/index.js";
import type { QuizAttemptPolicy } from "../policies/quiz-submissions.js";
import type { TenantDb } from "../tenancy/context.js";

/**
 * Counting a student's attempts at a quiz (docs/learning.md, "Attempt
 * policy"). Submissions are counted, not numbered in a column: the count is
 * what the limit is about, and it is exact under the lock below.
 */

/**
 * Advisory-lock class of "one student's submissions to one quiz" (two int4
 * keys: this class and a hash of the pair), apart from the placement and
 * migration classes (0x5b01, 0x5b02).
 */
export const QUIZ_ATTEMPT_LOCK_CLASS = 0x5b_17;

/**
 * Serialises one student's submissions to one quiz until the transaction
 * ends, so that counting the attempts used and inserting the next one
 * cannot interleave with a concurrent submission of theirs (READ COMMITTED:
 * the count after the lock sees what the previous holder committed). A hash
 * collision only makes two unrelated pairs wait for each other.
 */
export async function lockAttempts(trx: TenantDb, quizId: string, studentId: string) {
  await sql`select pg_advisory_xact_lock(${sql.lit(QUIZ_ATTEMPT_LOCK_CLASS)}, hashtext(${`${quizId}:${studentId}`}))`.execute(
    trx,
  );
}

/** How many submissions `studentId` has made to `quizId`. */
export async function attemptsUsed(
  trx: TenantDb,
  quizId: string,
  studentId: string,
): Promise<number> {
  const row = await trx
    .selectFrom("quiz_submissions")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("quiz_id", "=", quizId)
    .where("student_id", "=", studentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A stored policy as the contracts read it (the table's check keeps `results` to these). */
export function attemptPolicyOf(row: {
  readonly allowed_attempts: number | null;
  readonly results: string;
}): QuizAttemptPolicy {
  return {
    allowedAttempts: row.allowed_attempts,
    results: row.results as QuizResultsPolicy,
  };
}

/** Attempts left under `policy` after `used`; null: unlimited. */
export function attemptsLeft(policy: QuizAttemptPolicy, used: number): number | null {
  return policy.allowedAttempts === null ? null : Math.max(0, policy.allowedAttempts - used);
}
