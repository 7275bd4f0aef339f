import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  evaluate,
  expressionValues,
  MAX_WINDOW_OPERANDS,
} from "../src/ai/tutor/expression-values.js";

// What `expressionValues` promises for a chain longer than its window: every
// sub-expression of at most MAX_WINDOW_OPERANDS numbers, and every prefix and
// every suffix, however long, each computed incrementally in one pass. Checked
// here against `evaluate` on each slice (the direct, quadratic reading).

type Op = "+" | "-" | "*" | "/";

const near = (values: readonly number[], expected: number) =>
  values.some((v) => Math.abs(v - expected) <= 1e-9 * Math.max(1, Math.abs(expected)));

const chain = fc.integer({ min: MAX_WINDOW_OPERANDS + 1, max: 24 }).chain((m) =>
  fc.record({
    nums: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: m, maxLength: m }),
    ops: fc.array(fc.constantFrom<Op>("+", "-", "*", "/"), {
      minLength: m - 1,
      maxLength: m - 1,
    }),
  }),
);

describe("expressionValues on a chain longer than its window", () => {
  it("reaches every prefix, every suffix and every short window, as evaluate reads each slice", () => {
    fc.assert(
      fc.property(chain, ({ nums, ops }) => {
        const text = nums.map((n, i) => (i === 0 ? `${n}` : `${ops[i - 1]} ${n}`)).join(" ");
        const values = expressionValues(text);
        const m = nums.length;
        const missing: string[] = [];
        const check = (from: number, to: number) => {
          const value = evaluate(nums.slice(from, to), ops.slice(from, to - 1));
          if (value !== undefined && !near(values, value))
            missing.push(`[${from}, ${to}) = ${value}`);
        };
        for (let to = 2; to <= m; to++) check(0, to);
        for (let from = 0; from <= m - 2; from++) check(from, m);
        for (let from = 0; from < m; from++)
          for (let to = from + 2; to <= Math.min(m, from + MAX_WINDOW_OPERANDS); to++)
            check(from, to);
        expect(missing, text).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("finds a long sum as a whole: forty-two ones make 42", () => {
    expect(expressionValues(Array.from({ length: 42 }, () => "1").join(" + "))).toContain(42);
  });
});
