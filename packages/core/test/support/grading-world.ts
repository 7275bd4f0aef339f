import { sql } from "kysely";
import type { RubricInput } from "../../src/contracts/index.js";
import {
  type Actor,
  AiGateway,
  createJobWorker,
  createServices,
  DatabaseUsageLedger,
  type JobWorker,
  type LlmProvider,
  PasswordHasher,
  type Services,
  type SkillBridgeDatabase,
  withPlatform,
  withTenant,
} from "../../src/index.js";
import { completion, type GroqCall, type GroqReply } from "./groq-server.js";
import type { SeededAcademy } from "./seed.js";

/** Services and a job worker whose AI runs on `provider`, metered into `db`'s ledger. */
export function gradingWorld(
  db: SkillBridgeDatabase,
  provider: LlmProvider,
): { services: Services; ai: AiGateway; worker: JobWorker } {
  const ai = new AiGateway({ provider, ledger: new DatabaseUsageLedger(db) });
  const services = createServices({
    passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
    cursorSecret: "test-secret",
    ai,
  });
  // Retries due in a second (tests make them due at once with `dueNow`).
  const worker = createJobWorker({
    db,
    ai,
    backoff: { baseMs: 1_000, maxMs: 60_000, random: () => 1 },
  });
  return { services, ai, worker };
}

/** Runs `fn` as a seeded user, in that academy's tenant transaction. */
export function as<T>(
  db: SkillBridgeDatabase,
  seed: SeededAcademy,
  who: keyof SeededAcademy["users"],
  fn: (trx: Parameters<Parameters<typeof withTenant>[2]>[0], actor: Actor) => Promise<T>,
): Promise<T> {
  const actor = seed.actor(who);
  return withTenant(
    db,
    { tenantId: seed.academyId, userId: actor.userId, role: actor.role },
    (trx) => fn(trx, actor),
  );
}

/** A new assignment on the seed's c1 (taught by i1; s1 and s3 enrolled). */
export function addGradedAssignment(
  db: SkillBridgeDatabase,
  services: Services,
  seed: SeededAcademy,
  input: { rubric?: RubricInput; maxPoints?: number; referenceAnswer?: string } = {},
): Promise<string> {
  return as(db, seed, "i1", async (trx, actor) => {
    const assignment = await services.assignments.create(trx, actor, seed.courses.c1, {
      title: "Linear equations, explained",
      instructions: "Solve 2x + 3 = 87 and explain each step.",
      maxPoints: input.maxPoints ?? 10,
      referenceAnswer: input.referenceAnswer ?? "42",
      ...(input.rubric ? { rubric: input.rubric } : {}),
    });
    return assignment.id;
  });
}

export async function submit(
  db: SkillBridgeDatabase,
  services: Services,
  seed: SeededAcademy,
  assignmentId: string,
  content: string,
  who: "s1" | "s3" = "s1",
): Promise<string> {
  const submission = await as(db, seed, who, (trx, actor) =>
    services.submissions.create(trx, actor, assignmentId, { content }),
  );
  return submission.id;
}

/** Every queued job due now, as if its backoff had passed. */
export async function dueNow(db: SkillBridgeDatabase): Promise<void> {
  await withPlatform(db, (trx) =>
    trx
      .updateTable("jobs")
      .set({ run_at: sql<Date>`clock_timestamp()` })
      .where("status", "=", "queued")
      .execute(),
  );
}

/** The submission a grading call is about (what the prompt fences as `<submission>`). */
export function submissionIn(call: GroqCall): string {
  const user = call.body.messages.at(-1)?.content ?? "";
  return /<submission>\n([\s\S]*)\n<\/submission>/.exec(user)?.[1] ?? "";
}

export interface ScoredCriterion {
  readonly id: string;
  readonly points: number;
  readonly evidence?: readonly string[];
  readonly confidence: number;
  readonly rationale?: string;
}

/** A grading answer in the shape the prompt asks for. */
export function grading(criteria: readonly ScoredCriterion[], feedback = "Clear work."): GroqReply {
  return completion(
    JSON.stringify({
      criteria: criteria.map((c) => ({
        rationale: "Because.",
        evidence: [],
        ...c,
      })),
      feedback,
    }),
  );
}
