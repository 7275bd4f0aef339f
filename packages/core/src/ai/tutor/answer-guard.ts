import { z } from "zod";
import type { LlmProvider } from "../llm-provider.js";
import type { AnswerKey } from "./answer-key.js";
import { findLeaks } from "./answer-leaks.js";
import { judgePrompt } from "./socratic-prompt.js";

export const JudgeVerdictSchema = z.object({
  verdict: z.enum(["safe", "unsafe"]),
  reason: z.string().max(2_000).optional(),
});

export interface GuardVerdict {
  readonly safe: boolean;
  /** Why it is unsafe: the rules' findings, or the judge's. */
  readonly reasons: readonly string[];
  /** What decided: the deterministic rules, or (after they passed) the model judge. */
  readonly decidedBy: "rules" | "judge";
}

export interface GuardContext {
  readonly key: AnswerKey | null;
  readonly problem: string;
  readonly message: string;
  /** The student's own message states the answer: the reply may confirm it. */
  readonly studentProducedAnswer: boolean;
  /** The model judge, when enabled (runs on the guard tier). */
  readonly judge?: LlmProvider | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The output guard, which does not trust the model. First the deterministic
 * rules (`findLeaks`): if they find the answer, the reply is unsafe and
 * nothing can overrule them. Then, optionally, a model judge on the small
 * model; a verdict that cannot be read, or a judge that fails, counts as
 * unsafe. An empty reply is unsafe: it would be stored as a tutor turn.
 */
export async function guardReply(reply: string, ctx: GuardContext): Promise<GuardVerdict> {
  if (reply.trim() === "") return { safe: false, reasons: ["empty reply"], decidedBy: "rules" };
  if (ctx.key === null || ctx.studentProducedAnswer) {
    return { safe: true, reasons: [], decidedBy: "rules" };
  }
  const leaks = findLeaks(reply, ctx.key);
  if (leaks.length > 0) {
    return { safe: false, reasons: leaks.map((l) => `${l.kind}: ${l.detail}`), decidedBy: "rules" };
  }
  if (!ctx.judge) return { safe: true, reasons: [], decidedBy: "rules" };
  try {
    const { data } = await ctx.judge.json(
      JudgeVerdictSchema,
      {
        task: "tutor.judge",
        tier: "guard",
        temperature: 0,
        maxTokens: 120,
        messages: judgePrompt({
          problem: ctx.problem,
          referenceAnswer: ctx.key.raw,
          message: ctx.message,
          reply,
        }),
        facts: { rulesFoundLeak: false },
      },
      { repairs: 0, signal: ctx.signal },
    );
    return data.verdict === "safe"
      ? { safe: true, reasons: [], decidedBy: "judge" }
      : { safe: false, reasons: [`judge: ${data.reason ?? "unsafe"}`], decidedBy: "judge" };
  } catch (error) {
    return {
      safe: false,
      reasons: [`judge unreadable or failed: ${(error as Error).message ?? String(error)}`],
      decidedBy: "judge",
    };
  }
}
