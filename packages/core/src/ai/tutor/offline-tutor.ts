import type { ChatRequest } from "../llm-provider.js";
import type { OfflineResponder } from "../offline-provider.js";
import { safeHint, type TutorFacts } from "./socratic-tutor.js";

/**
 * The tutor without a network: the same hint ladder the guard falls back on,
 * chosen by the turn's facts (level, pressure, whether the student stated the
 * answer). It never repeats the answer, not even to confirm it.
 */
const tutorReply: OfflineResponder = (request: ChatRequest) => {
  const facts = request.facts as TutorFacts | undefined;
  if (!facts) return "Tell me how you would start this problem.";
  if (facts.studentProducedAnswer) {
    return "That matches what I expected — well done. Can you explain, step by step, why your method works?";
  }
  return safeHint(
    null,
    facts.hintLevel,
    facts.pressure.length > 0,
    facts.turn + (facts.strict ? 1 : 0),
  );
};

/** The judge runs only after the rules passed; offline, the rules are all there is. */
const tutorJudge: OfflineResponder = (request: ChatRequest) => {
  const facts = request.facts as { rulesFoundLeak?: boolean } | undefined;
  return facts?.rulesFoundLeak
    ? { verdict: "unsafe", reason: "offline rules found the answer" }
    : { verdict: "safe", reason: "offline rules found no answer" };
};

export const TUTOR_OFFLINE_RESPONDERS: Readonly<Record<string, OfflineResponder>> = {
  "tutor.reply": tutorReply,
  "tutor.judge": tutorJudge,
};
