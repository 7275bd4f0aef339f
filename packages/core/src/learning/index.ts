/**
 * Learning models (docs/learning.md, docs/learning-plans.md): attempts and mastery
 * (BKT), difficulty (Elo), weak spots, study plans, summaries and gamification.
 */

export {
  type AttemptInput,
  type MasteryChange,
  recordAttempts,
} from "./attempts.js";
export {
  BKT_BOUNDS,
  type BktParams,
  bktPredictCorrect,
  bktUpdate,
  checkBktParams,
  DEFAULT_BKT_PARAMS,
} from "./bkt.js";
export {
  difficultyForSuccess,
  difficultyPrior,
  ELO_START,
  type EloUpdate,
  eloExpected,
  eloK,
  eloUpdate,
} from "./elo.js";
export {
  type ActivityEvent,
  awardActivity,
  BADGE_RULES,
  type BadgeId,
  type BadgeRule,
  type EarnedBadge,
  type GamificationState,
  gamificationOf,
  levelOf,
  nextStreak,
  XP_RULES,
} from "./gamification.js";
export { choosePractice, masteryBasis, PLAN_RULES } from "./study-plan.js";
export {
  PLAN_RATIONALE_TASK,
  templateRationale,
} from "./study-plan-rationale.js";
export { SUMMARY_PERIOD_DAYS, summaryInput } from "./summary-facts.js";
export { namesAnotherUser, SUMMARY_TASK, templateSummary } from "./summary-text.js";
export {
  WEAK_SPOT_MASTERY,
  WEAK_SPOT_MIN_ATTEMPTS,
  type WeakSpotRow,
  weakSpotsOf,
} from "./weak-spots.js";
