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

/** `value` (an exact multiple of 10^-digits) written with `digits` decimals: `.333`, `-1.5`. */
function decimalString(value: Rational, digits: number): string {
  const scaled = (value.num * 10n ** BigInt(digits)) / value.den;
  const negative = scaled < 0n;
  const magnitude = (negative ? -scaled : scaled).toString().padStart(digits + 1, "0");
  const whole = magnitude.slice(0, magnitude.length - digits).replace(/^0+$/, "");
  return `${negative ? "-" : ""}${whole}.${magnitude.slice(magnitude.length - digits)}`;
}

/**
 * A response a student can grid that scores for `accepted`, or undefined
 * when none fits (`123456` needs six characters; a positive answer has
 * five). Tried with `readGridIn` and `gridInAccepts` themselves, so an
 * answer passes import exactly when `score()` can ever accept it.
 *
 * @example
 * gridInEntry(parseNumber("1/3")!.value); // "1/3"
 * gridInEntry(parseNumber("123456")!.value); // undefined
 */
export function gridInEntry(accepted: Rational): string | undefined {
  const negative = accepted.num < 0n;
  const sign = negative ? "-" : "";
  const magnitude = negative ? -accepted.num : accepted.num;
  const candidates = [
    accepted.den === 1n ? `${sign}${magnitude}` : `${sign}${magnitude}/${accepted.den}`,
  ];
  const width = negative ? GRID_IN_WIDTH.negative : GRID_IN_WIDTH.positive;
  for (let digits = 1; digits < width; digits++)
    candidates.push(
      decimalString(truncate(accepted, digits), digits),
      decimalString(roundHalfUp(accepted, digits), digits),
    );
  return candidates.find((text) => {
    const reading = readGridIn(text);
    return reading.ok && gridInAccepts(accepted, reading.number);
  });
}
