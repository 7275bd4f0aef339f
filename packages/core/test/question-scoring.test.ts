import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNumber, type ScorableQuestion, score } from "../src/index.js";

const correct = (question: ScorableQuestion, response: unknown) =>
  score(question, response).correct;

describe("scoring: multiple choice and quantitative comparison", () => {
  const mc: ScorableQuestion = { type: "multiple_choice", answer: "B" };
  const qc: ScorableQuestion = { type: "quantitative_comparison", answer: "D" };

  it("scores the one right option 1 and any other option 0", () => {
    expect(score(mc, "B")).toEqual({ correct: true, score: 1, maxScore: 1 });
    expect(score(mc, "A")).toEqual({ correct: false, score: 0, maxScore: 1 });
    expect(correct(qc, "D")).toBe(true);
    expect(correct(qc, "C")).toBe(false);
  });

  it("compares option ids exactly (case matters)", () => {
    expect(correct(mc, "b")).toBe(false);
  });

  it("marks a response that is not one option id invalid, without throwing", () => {
    for (const response of [["B"], 2, null, undefined, { id: "B" }]) {
      const result = score(mc, response);
      expect(result.correct).toBe(false);
      expect(result.invalid).toMatch(/option/);
    }
  });
});

describe("scoring: multi-select is all or nothing", () => {
  const q: ScorableQuestion = { type: "multi_select", answer: ["A", "C", "D"] };

  it("scores exactly the right set, in any order", () => {
    expect(correct(q, ["A", "C", "D"])).toBe(true);
    expect(correct(q, ["D", "A", "C"])).toBe(true);
  });

  it("gives nothing for a subset, a superset or a different set", () => {
    expect(score(q, ["A", "C"])).toEqual({ correct: false, score: 0, maxScore: 1 });
    expect(correct(q, ["A", "B", "C", "D"])).toBe(false);
    expect(correct(q, ["B"])).toBe(false);
    expect(correct(q, [])).toBe(false);
  });

  it("marks a single id or a mixed list invalid", () => {
    expect(score(q, "A").invalid).toBeDefined();
    expect(score(q, ["A", 3]).invalid).toBeDefined();
  });
});

describe("scoring: sentence equivalence needs both right options", () => {
  const q: ScorableQuestion = { type: "sentence_equivalence", answer: ["A", "C"] };

  it("scores the right pair in either order", () => {
    expect(correct(q, ["A", "C"])).toBe(true);
    expect(correct(q, ["C", "A"])).toBe(true);
  });

  it("gives no partial credit for one right option of two", () => {
    expect(correct(q, ["A", "B"])).toBe(false);
  });

  it("refuses one, three or a repeated option as a response", () => {
    expect(score(q, ["A"]).invalid).toMatch(/two/);
    expect(score(q, ["A", "C", "E"]).invalid).toMatch(/two/);
    expect(score(q, ["A", "A"]).invalid).toMatch(/two/);
  });
});

describe("scoring: text completion is all blanks or nothing", () => {
  const q: ScorableQuestion = { type: "text_completion", answer: ["A", "E", "G"] };

  it("scores every blank right", () => {
    expect(correct(q, ["A", "E", "G"])).toBe(true);
  });

  it("gives no partial credit for two blanks of three", () => {
    expect(correct(q, ["A", "E", "H"])).toBe(false);
  });

  it("reads blanks in order: a right set in the wrong blanks is wrong", () => {
    expect(correct({ type: "text_completion", answer: ["A", "D"] }, ["D", "A"])).toBe(false);
  });

  it("refuses a response with the wrong number of blanks", () => {
    expect(score(q, ["A", "E"]).invalid).toMatch(/3 blanks/);
  });
});

describe("scoring: select in passage", () => {
  const q: ScorableQuestion = { type: "select_in_passage", answer: 3 };

  it("scores the right sentence index only", () => {
    expect(correct(q, 3)).toBe(true);
    expect(correct(q, 2)).toBe(false);
  });

  it("refuses a non-integer or a text index", () => {
    expect(score(q, 3.5).invalid).toBeDefined();
    expect(score(q, "3").invalid).toBeDefined();
  });
});

describe("scoring: numeric entry takes any equivalent form", () => {
  const threeQuarters: ScorableQuestion = { type: "numeric_entry", answer: "3/4" };

  it("3/4 = 0.75 = .75 = 36/48 = 0.750", () => {
    for (const response of ["3/4", "0.75", ".75", "36/48", "0.750", "75/100", 0.75])
      expect(correct(threeQuarters, response), String(response)).toBe(true);
  });

  it("1.2 = 1.20 = 6/5, whichever form is stored", () => {
    for (const answer of ["1.2", "1.20", "6/5"]) {
      const q: ScorableQuestion = { type: "numeric_entry", answer };
      for (const response of ["1.2", "1.20", "6/5", "12/10", 1.2])
        expect(correct(q, response), `${answer} vs ${response}`).toBe(true);
    }
  });

  it("a close but different value is wrong without a tolerance", () => {
    expect(correct(threeQuarters, "0.7499")).toBe(false);
    expect(correct(threeQuarters, "-3/4")).toBe(false);
    expect(correct({ type: "numeric_entry", answer: "0.3" }, "0.30000000000000004")).toBe(false);
  });

  it("compares exactly: 0.1 + 0.2 is 0.3 when written as 3/10", () => {
    expect(correct({ type: "numeric_entry", answer: "0.3" }, "3/10")).toBe(true);
  });

  it("accepts a value within the tolerance, inclusive, and nothing beyond", () => {
    const q: ScorableQuestion = { type: "numeric_entry", answer: "4.0", tolerance: 0.05 };
    expect(correct(q, "3.95")).toBe(true);
    expect(correct(q, "4.05")).toBe(true);
    expect(correct(q, "3.99")).toBe(true);
    expect(correct(q, "3.949")).toBe(false);
    expect(correct(q, "4.051")).toBe(false);
  });

  it("refuses text that is not a number or a fraction", () => {
    for (const response of ["", "three quarters", "3/0", "1 1/2", "1e3", "+3", "1,000", "0.7.5"])
      expect(score(threeQuarters, response).invalid, response).toBeDefined();
  });

  it("agrees with exact fraction arithmetic for any equivalent fraction (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -500, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 50 }),
        (num, den, k) => {
          const q: ScorableQuestion = { type: "numeric_entry", answer: `${num}/${den}` };
          return correct(q, `${num * k}/${den * k}`) && !correct(q, `${num * k + 1}/${den * k}`);
        },
      ),
    );
  });
});

describe("scoring: SAT grid-ins", () => {
  const third: ScorableQuestion = { type: "grid_in", answer: ["1/3"] };

  it("1/3 accepts 1/3, .3333, .333 and 0.333, not .33 or 0.33", () => {
    for (const response of ["1/3", ".3333", ".333", "0.333", "2/6"])
      expect(correct(third, response), response).toBe(true);
    for (const response of [".33", "0.33", ".3", "0.3"])
      expect(correct(third, response), response).toBe(false);
  });

  it("2/3 accepts a decimal cut or rounded at the last place that fits", () => {
    const q: ScorableQuestion = { type: "grid_in", answer: ["2/3"] };
    for (const response of [".6666", ".6667", "0.666", "0.667"])
      expect(correct(q, response), response).toBe(true);
    for (const response of [".66", ".67", "0.66", "0.67", ".6668"])
      expect(correct(q, response), response).toBe(false);
  });

  it("needs the width the whole part leaves: 5/3 takes 1.666 or 1.667, not 1.67", () => {
    const q: ScorableQuestion = { type: "grid_in", answer: ["5/3"] };
    expect(correct(q, "1.666")).toBe(true);
    expect(correct(q, "1.667")).toBe(true);
    expect(correct(q, "1.67")).toBe(false);
  });

  it("takes negative answers, with one more character for the sign", () => {
    const q: ScorableQuestion = { type: "grid_in", answer: ["-3/2"] };
    for (const response of ["-3/2", "-1.5", "-6/4"])
      expect(correct(q, response), response).toBe(true);
    expect(correct(q, "3/2")).toBe(false);
    const negativeThird: ScorableQuestion = { type: "grid_in", answer: ["-1/3"] };
    expect(correct(negativeThird, "-.3333")).toBe(true);
    expect(correct(negativeThird, "-0.333")).toBe(true);
    expect(correct(negativeThird, "-.33")).toBe(false);
  });

  it("refuses mixed numbers: 1 1/2 is invalid and 11/2 means eleven halves", () => {
    const q: ScorableQuestion = { type: "grid_in", answer: ["3/2"] };
    expect(score(q, "1 1/2").invalid).toMatch(/Mixed/);
    expect(correct(q, "11/2")).toBe(false);
    expect(correct({ type: "grid_in", answer: ["5.5"] }, "11/2")).toBe(true);
  });

  it("refuses what does not fit the grid: more than 5 characters, or 6 with a sign", () => {
    expect(score(third, "0.3333").invalid).toMatch(/at most 5/);
    expect(score({ type: "grid_in", answer: ["-1/3"] }, "-0.3333").invalid).toMatch(/at most 6/);
    expect(correct({ type: "grid_in", answer: ["12345"] }, "12345")).toBe(true);
  });

  it("accepts any of several accepted answers", () => {
    const q: ScorableQuestion = { type: "grid_in", answer: ["2", "5"] };
    expect(correct(q, "2")).toBe(true);
    expect(correct(q, "5.0")).toBe(true);
    expect(correct(q, "3")).toBe(false);
  });

  it("an exact decimal answer needs an equal response, never an approximation", () => {
    const q: ScorableQuestion = { type: "grid_in", answer: ["0.125"] };
    expect(correct(q, ".125")).toBe(true);
    expect(correct(q, "1/8")).toBe(true);
    expect(correct(q, ".13")).toBe(false);
    expect(correct(q, ".12")).toBe(false);
  });

  it("refuses a response that is not text (a grid holds characters)", () => {
    expect(score(third, 0.3333).invalid).toBeDefined();
  });
});

describe("number reading", () => {
  it("reads decimals and fractions exactly, in lowest terms", () => {
    expect(parseNumber("36/48")?.value).toEqual({ num: 3n, den: 4n });
    expect(parseNumber("-0.50")?.value).toEqual({ num: -1n, den: 2n });
    expect(parseNumber(".5")?.decimals).toBe(1);
    expect(parseNumber("12.")?.value).toEqual({ num: 12n, den: 1n });
  });

  it("takes exponents only when asked (authoring), never in responses", () => {
    expect(parseNumber("1.5e-3")).toBeUndefined();
    expect(parseNumber("1.5e-3", { exponent: true })?.value).toEqual({ num: 3n, den: 2000n });
  });

  it("refuses mixed numbers, zero denominators, signs but a leading minus, and huge texts", () => {
    for (const text of ["1 1/2", "1/0", "+1", "--1", "1-", ".", "-", "1/-2", "9".repeat(65)])
      expect(parseNumber(text), text).toBeUndefined();
  });
});
