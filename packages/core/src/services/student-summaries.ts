import type { AiGateway } from "../ai/ai-gateway.js";
import { labelOffline } from "../ai/offline-provider.js";
import { type StudentSummary, StudentSummarySchema } from "../contracts/index.js";
import { AiError } from "../errors.js";
import { summaryInput } from "../learning/summary-facts.js";
import {
  namesAnotherUser,
  SUMMARY_TASK,
  type SummaryFacts,
  summaryMessages,
  templateSummary,
} from "../learning/summary-text.js";
import { assertStudentVisible } from "./students.js";
import { type LearningOptions, learningModel } from "./study-plans.js";
import type { TenantRunner } from "./tutor-sessions.js";

/**
 * Weekly summaries for parents (`GET /students/:id/summary`): the model
 * writes from one student's facts only, and a deterministic check rejects a
 * text naming any other user of the academy (the template replaces it).
 * The facts are the viewer's (an instructor sees the courses they teach:
 * `summaryInput`), so a summary is computed for each request and viewer and
 * never cached: no viewer can be served another's scope. No transaction is
 * open during the model call.
 */
export class StudentSummaryService {
  readonly #ai: AiGateway | undefined;
  readonly #now: () => Date;

  constructor(options: LearningOptions = {}) {
    this.#ai = options.ai;
    this.#now = options.now ?? (() => new Date());
  }

  async get(
    tenant: TenantRunner,
    academyId: string,
    studentId: string,
    signal?: AbortSignal,
  ): Promise<StudentSummary> {
    const now = this.#now();
    const { input, userId } = await tenant(async (trx, actor) => {
      await assertStudentVisible(trx, actor, studentId);
      return { input: await summaryInput(trx, actor, studentId, now), userId: actor.userId };
    });
    const facts: SummaryFacts = {
      firstName: input.student.name.trim().split(/\s+/)[0] ?? input.student.name,
      from: input.period.from.toISOString(),
      to: input.period.to.toISOString(),
      facts: input.facts,
    };
    const template = () => labelOffline(templateSummary(facts));
    let text = template();
    let written: Pick<StudentSummary, "provider" | "offline" | "check"> = {
      provider: "offline",
      offline: true,
      check: "fallback",
    };
    try {
      const result = await learningModel(this.#ai, academyId, userId).chat(
        {
          task: SUMMARY_TASK,
          messages: summaryMessages(facts),
          facts,
          temperature: 0.3,
          maxTokens: 400,
        },
        { signal },
      );
      const draft = result.text.trim();
      if (result.offline) {
        text = draft || text;
        written = { provider: "offline", offline: true, check: "template" };
      } else if (
        draft.length > 0 &&
        !namesAnotherUser(draft, input.others, {
          studentName: input.student.name,
          facts: input.facts,
        })
      ) {
        text = draft;
        written = { provider: result.provider, offline: false, check: "passed" };
      }
    } catch (error) {
      if (!(error instanceof AiError)) throw error;
    }
    signal?.throwIfAborted();
    return StudentSummarySchema.parse({
      studentId,
      period: { from: facts.from, to: facts.to },
      text,
      facts: input.facts,
      ...written,
      generatedAt: now.toISOString(),
    });
  }
}
