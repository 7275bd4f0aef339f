/**
 * Elo ratings for students (ability, per topic) and questions (difficulty,
 * per academy), on the classic 400-point logistic scale: a student whose
 * ability equals a question's difficulty answers it right half the time.
 */

/** Where every student and question starts. */
export const ELO_START = 1500;

const SCALE = 400;

/** The chance that a student of `ability` answers a question of `difficulty` right. */
export function eloExpected(ability: number, difficulty: number): number {
  return 1 / (1 + 10 ** ((difficulty - ability) / SCALE));
}

/**
 * The step size: large while a rating has few attempts behind it, settling
 * to 16 (the uncertainty-decay of Pelánek's Elo for adaptive practice).
 */
export function eloK(attempts: number): number {
  return Math.max(16, 64 / (1 + attempts / 10));
}

export interface EloUpdate {
  readonly ability: number;
  readonly difficulty: number;
}

/**
 * Both ratings after one answer: the student gains what the question loses.
 * Each side moves with its own step, from its own number of attempts so far.
 *
 * @example
 * eloUpdate({ ability: 1500, abilityAttempts: 0, difficulty: 1500, difficultyAttempts: 0, correct: true });
 * // { ability: 1532, difficulty: 1468 }
 */
export function eloUpdate(input: {
  ability: number;
  abilityAttempts: number;
  difficulty: number;
  difficultyAttempts: number;
  correct: boolean;
}): EloUpdate {
  const surprise = (input.correct ? 1 : 0) - eloExpected(input.ability, input.difficulty);
  return {
    ability: input.ability + eloK(input.abilityAttempts) * surprise,
    difficulty: input.difficulty - eloK(input.difficultyAttempts) * surprise,
  };
}

/** A bank question's difficulty before anyone in the academy answered it: its 1-5 level. */
export function difficultyPrior(level: number): number {
  return ELO_START + (level - 3) * 150;
}

/** The difficulty at which a student of `ability` is expected to succeed with probability `p`. */
export function difficultyForSuccess(ability: number, p: number): number {
  return ability + SCALE * Math.log10(1 / p - 1);
}
