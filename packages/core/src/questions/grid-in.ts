import {
  equals,
  parseNumber,
  type Rational,
  roundHalfUp,
  truncate,
  type WrittenNumber,
  wholeDigits,
} from "./numbers.js";

/**
 * SAT student-produced responses (grid-ins). The digital SAT takes up to 5
 * characters for a positive answer and 6 for a negative one (the sign counts).
 */
export const GRID_IN_WIDTH = { positive: 5, negative: 6 } as const;

export type GridInReading =
  | { readonly ok: true; readonly number: WrittenNumber }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads a response as a student would enter it: a decimal or a fraction that
 * fits the width, an optional leading `-`, and no mixed numbers (`1 1/2` is
 * refused; `11/2` is eleven halves).
 */
export function readGridIn(response: string): GridInReading {
  const text = response.trim();
  if (/\d\s+\d/.test(text)) return { ok: false, reason: "Mixed numbers are not accepted." };
  const width = text.startsWith("-") ? GRID_IN_WIDTH.negative : GRID_IN_WIDTH.positive;
  if (text.length > width)
    return { ok: false, reason: `An answer takes at most ${width} characters here.` };
  const number = parseNumber(text);
  if (!number) return { ok: false, reason: "Enter a number or a fraction." };
  return { ok: true, number };
}

/**
 * Whether a response scores against one accepted value. Any equal value is
 * right (3/6 for 1/2, 0.50 for .5). A decimal that is not exact must use the
 * whole width the value allows when written with its whole part (0.333 for
 * 1/3: three decimals); more decimals are fine if they fit (.3333), fewer are
 * not (.33). It may be cut or rounded at its last digit (.6666 or .6667).
 */
export function gridInAccepts(accepted: Rational, response: WrittenNumber): boolean {
  if (equals(accepted, response.value)) return true;
  if (response.form !== "decimal") return false;
  const negative = accepted.num < 0n;
  const width = negative ? GRID_IN_WIDTH.negative : GRID_IN_WIDTH.positive;
  const required = width - (negative ? 1 : 0) - wholeDigits(accepted).length - 1;
  if (required < 1 || response.decimals < required) return false;
  return (
    equals(response.value, truncate(accepted, response.decimals)) ||
    equals(response.value, roundHalfUp(accepted, response.decimals))
  );
}
