import { GRADING_OFFLINE_RESPONDERS } from "../ai/grading/offline-grader.js";
import { OfflineProvider, type OfflineResponder } from "../ai/offline-provider.js";
import { QUIZ_OFFLINE_RESPONDERS } from "../ai/quiz/offline-quiz.js";
import { TUTOR_OFFLINE_RESPONDERS } from "../ai/tutor/offline-tutor.js";
import { PLAN_OFFLINE_RESPONDERS } from "../learning/study-plan-rationale.js";
import { SUMMARY_OFFLINE_RESPONDERS } from "../learning/summary-text.js";

/**
 * Every feature's rule-based answers, by task. A feature that calls the model
 * adds its responders here so it works end to end without a network.
 */
export const OFFLINE_RESPONDERS: Readonly<Record<string, OfflineResponder>> = {
  ...TUTOR_OFFLINE_RESPONDERS,
  ...QUIZ_OFFLINE_RESPONDERS,
  ...GRADING_OFFLINE_RESPONDERS,
  ...PLAN_OFFLINE_RESPONDERS,
  ...SUMMARY_OFFLINE_RESPONDERS,
};

/** The offline provider with every feature's responders (plus any given). */
export function createOfflineProvider(
  extra: Readonly<Record<string, OfflineResponder>> = {},
): OfflineProvider {
  return new OfflineProvider({ responders: { ...OFFLINE_RESPONDERS, ...extra } });
}
