import { ValidationError } from "../errors.js";

/**
 * Bayesian Knowledge Tracing (Corbett & Anderson, 1995) for one student and
 * one topic. `pKnown` is the probability that the student has mastered the
 * topic; each answer updates it by Bayes' rule, then by the chance of
 * learning from the practice itself.
 */
export interface BktParams {
  /** P(L0): mastery before the first attempt. */
  readonly pInit: number;
  /** P(T): chance of learning the topic on an attempt. */
  readonly pTransit: number;
  /** P(S): chance of a wrong answer despite mastery. Bounded at 0.1. */
  readonly pSlip: number;
  /** P(G): chance of a right answer without mastery. Bounded at 0.3. */
  readonly pGuess: number;
}

/** The bounds that keep the model identifiable: beyond them a guess could look like mastery. */
export const BKT_BOUNDS = { maxSlip: 0.1, maxGuess: 0.3 } as const;

export const DEFAULT_BKT_PARAMS: BktParams = Object.freeze({
  pInit: 0.3,
  pTransit: 0.1,
  pSlip: 0.1,
  pGuess: 0.2,
});

/** Throws a `ValidationError` naming each parameter out of its bounds. */
export function checkBktParams(params: BktParams): BktParams {
  const problems: { path: string; message: string }[] = [];
  const unit = (name: keyof BktParams, max = 1) => {
    const value = params[name];
    if (!Number.isFinite(value) || value < 0 || value > max) {
      problems.push({ path: name, message: `Must be between 0 and ${max}.` });
    }
  };
  unit("pInit");
  unit("pTransit");
  unit("pSlip", BKT_BOUNDS.maxSlip);
  unit("pGuess", BKT_BOUNDS.maxGuess);
  if (problems.length > 0)
    throw new ValidationError("Invalid knowledge-tracing parameters.", problems);
  return params;
}

/**
 * One BKT step: the posterior given the answer, then the learning transition.
 *
 * @example
 * bktUpdate(0.3, true);  // 0.3·0.9 / (0.3·0.9 + 0.7·0.2) = 0.6585…, then + 0.3415…·0.1 = 0.6927…
 */
export function bktUpdate(
  pKnown: number,
  correct: boolean,
  params: BktParams = DEFAULT_BKT_PARAMS,
): number {
  const { pTransit: t, pSlip: s, pGuess: g } = params;
  const posterior = correct
    ? (pKnown * (1 - s)) / (pKnown * (1 - s) + (1 - pKnown) * g)
    : (pKnown * s) / (pKnown * s + (1 - pKnown) * (1 - g));
  return posterior + (1 - posterior) * t;
}

/** The chance the next answer is right: mastered and no slip, or not mastered and a guess. */
export function bktPredictCorrect(pKnown: number, params: BktParams = DEFAULT_BKT_PARAMS): number {
  return pKnown * (1 - params.pSlip) + (1 - pKnown) * params.pGuess;
}
