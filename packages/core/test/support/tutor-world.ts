import {
  type Actor,
  AiGateway,
  type AiLimits,
  createServices,
  DatabaseUsageLedger,
  GroqProvider,
  type LlmProvider,
  PasswordHasher,
  type Services,
  type SkillBridgeDatabase,
  type TenantRunner,
  withTenant,
} from "../../src/index.js";
import type { GroqCall } from "./groq-server.js";
import type { SeededAcademy } from "./seed.js";

/** The tenant runner the server hands services: one scoped transaction per call. */
export function runnerFor(db: SkillBridgeDatabase, academyId: string, actor: Actor): TenantRunner {
  return (fn) =>
    withTenant(db, { tenantId: academyId, userId: actor.userId, role: actor.role }, (trx) =>
      fn(trx, actor),
    );
}

/** Services whose AI runs on `provider`, metered into `db`'s ledger. */
export function tutorServices(
  db: SkillBridgeDatabase,
  provider: LlmProvider,
  options: { judge?: boolean; limits?: Partial<AiLimits> } = {},
): Services {
  const ai = new AiGateway({
    provider,
    ledger: new DatabaseUsageLedger(db),
    limits: options.limits,
  });
  return createServices({
    passwords: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
    cursorSecret: "test-secret",
    ai,
    tutorJudge: options.judge,
  });
}

/** groq-sdk against the local server, with waits that do not wait. */
export function groqAt(url: string): GroqProvider {
  return new GroqProvider({ apiKey: "gsk_test", baseURL: url, sleep: async () => {} });
}

/** A judge call is the JSON one; a reply is plain chat. */
export const isJudgeCall = (call: GroqCall) => call.body.response_format?.type === "json_object";

/** Adds an assignment to the seed's course c1 (taught by i1; s1 and s3 enrolled). */
export async function addAssignment(
  db: SkillBridgeDatabase,
  services: Services,
  seed: SeededAcademy,
  input: { instructions: string; referenceAnswer?: string; tutorMode?: "off" | "socratic" },
): Promise<string> {
  const admin = seed.actor("admin");
  return withTenant(
    db,
    { tenantId: seed.academyId, userId: admin.userId, role: "admin" },
    async (trx) => {
      const assignment = await services.assignments.create(trx, admin, seed.courses.c1, {
        title: "Tutor practice",
        maxPoints: 10,
        ...input,
      });
      return assignment.id;
    },
  );
}
