import { describe, expect, it } from "vitest";
import {
  bktPredictCorrect,
  bktUpdate,
  checkBktParams,
  DEFAULT_BKT_PARAMS,
  difficultyForSuccess,
  difficultyPrior,
  eloExpected,
  eloK,
  eloUpdate,
  ValidationError,
} from "../src/index.js";

// Hand-computed with the default parameters: P(L0)=0.3, P(T)=0.1, P(S)=0.1, P(G)=0.2.
describe("Bayesian Knowledge Tracing", () => {
  it("a right answer raises mastery by Bayes' rule, then the learning step", () => {
    // posterior = 0.3·0.9 / (0.3·0.9 + 0.7·0.2) = 0.27 / 0.41 = 0.658536…
    // next = 0.658536 + (1 − 0.658536)·0.1 = 0.692683…
    expect(bktUpdate(0.3, true)).toBeCloseTo(0.692683, 6);
  });

  it("a wrong answer lowers mastery", () => {
    // posterior = 0.3·0.1 / (0.3·0.1 + 0.7·0.8) = 0.03 / 0.59 = 0.050847…
    // next = 0.050847 + 0.949153·0.1 = 0.145763…
    expect(bktUpdate(0.3, false)).toBeCloseTo(0.145763, 6);
  });

  it("follows custom parameters", () => {
    const params = { pInit: 0.5, pTransit: 0, pSlip: 0.05, pGuess: 0.25 };
    // 0.5·0.95 / (0.5·0.95 + 0.5·0.25) = 0.475 / 0.6 = 0.791666…
    expect(bktUpdate(0.5, true, params)).toBeCloseTo(0.791667, 6);
    // 0.5·0.05 / (0.5·0.05 + 0.5·0.75) = 0.025 / 0.4 = 0.0625
    expect(bktUpdate(0.5, false, params)).toBeCloseTo(0.0625, 6);
  });

  it("a run of misses drives mastery toward the floor the learning rate allows, never below 0", () => {
    let p = DEFAULT_BKT_PARAMS.pInit;
    for (let i = 0; i < 20; i += 1) p = bktUpdate(p, false);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(0.15);
  });

  it("predicts the next answer from mastery, slip and guess", () => {
    expect(bktPredictCorrect(0.3)).toBeCloseTo(0.3 * 0.9 + 0.7 * 0.2, 10);
  });

  it("refuses a slip above 0.1 or a guess above 0.3, naming the parameter", () => {
    expect(() => checkBktParams({ ...DEFAULT_BKT_PARAMS, pSlip: 0.11 })).toThrow(ValidationError);
    try {
      checkBktParams({ ...DEFAULT_BKT_PARAMS, pSlip: 0.2, pGuess: 0.31 });
    } catch (error) {
      expect((error as ValidationError).toJSON()).toMatchObject({
        errors: [{ path: "pSlip" }, { path: "pGuess" }],
      });
    }
    expect(checkBktParams(DEFAULT_BKT_PARAMS)).toBe(DEFAULT_BKT_PARAMS);
  });
});

describe("Elo ratings", () => {
  it("equal ratings expect an even chance; 400 points apart, ten to one", () => {
    expect(eloExpected(1500, 1500)).toBe(0.5);
    expect(eloExpected(1900, 1500)).toBeCloseTo(10 / 11, 10);
  });

  it("a right answer moves the student up and the question down by the same surprise", () => {
    expect(
      eloUpdate({
        ability: 1500,
        abilityAttempts: 0,
        difficulty: 1500,
        difficultyAttempts: 0,
        correct: true,
      }),
    ).toEqual({ ability: 1532, difficulty: 1468 });
  });

  it("the step shrinks with attempts and settles at 16", () => {
    expect(eloK(0)).toBe(64);
    expect(eloK(10)).toBe(32);
    expect(eloK(1_000)).toBe(16);
  });

  it("a bank level maps to a prior difficulty, and a target success rate to a difficulty", () => {
    expect(difficultyPrior(3)).toBe(1500);
    expect(difficultyPrior(5)).toBe(1800);
    const d = difficultyForSuccess(1500, 0.75);
    expect(eloExpected(1500, d)).toBeCloseTo(0.75, 10);
  });
});
