import type { AiGateway } from "../ai/ai-gateway.js";
import type { LlmProvider } from "../ai/llm-provider.js";
import { type StudyPlan, StudyPlanSchema } from "../contracts/index.js";
import { choosePractice, masteryBasis } from "../learning/study-plan.js";
import { planFacts, writeRationale } from "../learning/study-plan-rationale.js";
import { weakSpotsOf } from "../learning/weak-spots.js";
import { createOfflineProvider } from "./offline-responders.js";
import { assertStudentVisible } from "./students.js";
import type { TenantRunner } from "./tutor-sessions.js";

export interface LearningOptions {
  /** The metered model access; without it, texts come from the offline templates. */
  readonly ai?: AiGateway | undefined;
  /** The clock (tests move it). */
  readonly now?: (() => Date) | undefined;
}

/** The model of an academy's work, or the offline templates when no gateway was given. */
export function learningModel(
  ai: AiGateway | undefined,
  academyId: string,
  userId: string,
): LlmProvider {
  return ai ? ai.forAcademy(academyId, userId) : createOfflineProvider();
}

/**
 * Study plans (`GET /students/:id/study-plan`, docs/learning-plans.md):
 * practice aimed at the student's weak spots, with a rationale written by
 * the model. A plan is stored with a digest of the mastery it was built
 * from and served as stored while that digest is unchanged. Like the
 * tutor, no transaction is open while the model writes.
 */
export class StudyPlanService {
  readonly #ai: AiGateway | undefined;
  readonly #now: () => Date;

  constructor(options: LearningOptions = {}) {
    this.#ai = options.ai;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * The student's plan, rebuilt when their mastery changed since it was stored.
   * Call it outside any transaction: `tenant` opens its own, twice.
   */
  async get(
    tenant: TenantRunner,
    academyId: string,
    studentId: string,
    signal?: AbortSignal,
  ): Promise<StudyPlan> {
    const now = this.#now();
    const read = await tenant(async (trx, actor) => {
      await assertStudentVisible(trx, actor, studentId);
      const basis = await masteryBasis(trx, studentId);
      const stored = await trx
        .selectFrom("study_plans")
        .select(["plan", "basis"])
        .where("student_id", "=", studentId)
        .executeTakeFirst();
      if (stored && stored.basis === basis) {
        const parsed = StudyPlanSchema.safeParse(stored.plan);
        if (parsed.success && parsed.data.studentId === studentId) {
          return { stored: parsed.data } as const;
        }
      }
      const spots = await weakSpotsOf(trx, studentId);
      const items = await choosePractice(trx, studentId, spots, now);
      return { stored: null, basis, spots, items, userId: actor.userId } as const;
    });
    if (read.stored) return read.stored;

    const rationale = await writeRationale(
      learningModel(this.#ai, academyId, read.userId),
      planFacts(read.items),
      signal,
    );
    signal?.throwIfAborted();
    const plan: StudyPlan = StudyPlanSchema.parse({
      studentId,
      generatedAt: now.toISOString(),
      weakSpots: read.spots.map((s) => ({
        topic: s.topic,
        mastery: s.mastery,
        attempts: s.attempts,
      })),
      items: read.items,
      rationale,
    });
    await tenant(async (trx, actor) => {
      await assertStudentVisible(trx, actor, studentId);
      await trx
        .insertInto("study_plans")
        .values({
          student_id: studentId,
          plan: JSON.stringify(plan),
          basis: read.basis,
          generated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(["tenant_id", "student_id"]).doUpdateSet((eb) => ({
            plan: eb.ref("excluded.plan"),
            basis: eb.ref("excluded.basis"),
            generated_at: eb.ref("excluded.generated_at"),
          })),
        )
        .execute();
    });
    return plan;
  }
}
