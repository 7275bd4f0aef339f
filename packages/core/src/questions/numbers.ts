/**
 * Exact numbers for scoring. Answers like 3/4, 0.75 and 36/48 must compare
 * equal and 0.1 + 0.2 must not drift, so values are rationals over bigint,
 * never floats.
 */

/** `num / den` in lowest terms, `den > 0`. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** A number as written: its exact value and the shape of its text (grid-in rules need both). */
export interface WrittenNumber {
  readonly value: Rational;
  readonly form: "decimal" | "fraction";
  /** Digits written after the decimal point (0 for integers and fractions). */
  readonly decimals: number;
  /** The text as given, trimmed. */
  readonly text: string;
}

export interface NumberSyntax {
  /** Accept `1.5e-3` (authoring answers); responses never take exponents. */
  readonly exponent?: boolean;
}

const DECIMAL = /^(-)?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?$/;
const FRACTION = /^(-)?(\d+)\/(\d+)$/;
/** Longer texts are not numbers anyone types; the bound keeps bigint work small. */
const MAX_LENGTH = 64;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** A rational in lowest terms; `den` must not be zero. */
export function rational(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new RangeError("A rational needs a non-zero denominator.");
  const sign = den < 0n ? -1n : 1n;
  const divisor = gcd(num, den) || 1n;
  return { num: (sign * num) / divisor, den: (sign * den) / divisor };
}

/**
 * Reads a decimal (`-0.75`, `.5`, `12.`, `1.20`) or a fraction (`-3/4`, `36/48`).
 * Returns undefined for anything else: mixed numbers (`1 1/2`), a zero
 * denominator, signs other than a leading `-`, thousands separators.
 *
 * @example
 * parseNumber("36/48")?.value; // { num: 3n, den: 4n }
 */
export function parseNumber(input: string, syntax: NumberSyntax = {}): WrittenNumber | undefined {
  const text = input.trim();
  if (text.length === 0 || text.length > MAX_LENGTH) return undefined;
  const fraction = FRACTION.exec(text);
  if (fraction) {
    const [, minus, top = "", bottom = ""] = fraction;
    const den = BigInt(bottom);
    if (den === 0n) return undefined;
    const num = BigInt(top) * (minus ? -1n : 1n);
    return { value: rational(num, den), form: "fraction", decimals: 0, text };
  }
  const decimal = DECIMAL.exec(text);
  if (!decimal) return undefined;
  const [, minus, whole = "", fractional, exponent] = decimal;
  const digits = fractional ?? "";
  if (whole.length === 0 && digits.length === 0) return undefined;
  if (exponent !== undefined && !syntax.exponent) return undefined;
  const shift = BigInt(exponent ?? "0") - BigInt(digits.length);
  let num = BigInt(`${whole}${digits}` || "0") * (minus ? -1n : 1n);
  let den = 1n;
  if (shift >= 0n) num *= 10n ** shift;
  else den = 10n ** -shift;
  return { value: rational(num, den), form: "decimal", decimals: digits.length, text };
}

/** The text of a JS number as `parseNumber` reads it (authoring: `0.75` → `"0.75"`). */
export function numberText(value: number): string {
  return String(value);
}

export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compare(a: Rational, b: Rational): number {
  const difference = a.num * b.den - b.num * a.den;
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** |a - b| <= tolerance, exactly. */
export function within(a: Rational, b: Rational, tolerance: Rational): boolean {
  const difference = rational(a.num * b.den - b.num * a.den, a.den * b.den);
  const absolute = difference.num < 0n ? rational(-difference.num, difference.den) : difference;
  return compare(absolute, tolerance) <= 0;
}

/** Cut to `digits` decimals toward zero: 2/3 at 3 → 0.666. */
export function truncate(value: Rational, digits: number): Rational {
  const scale = 10n ** BigInt(digits);
  return rational((value.num * scale) / value.den, scale);
}

/** Round to `digits` decimals, halves away from zero: 2/3 at 3 → 0.667. */
export function roundHalfUp(value: Rational, digits: number): Rational {
  const scale = 10n ** BigInt(digits);
  const negative = value.num < 0n;
  const magnitude = negative ? -value.num : value.num;
  const scaled = (2n * magnitude * scale + value.den) / (2n * value.den);
  return rational(negative ? -scaled : scaled, scale);
}

/** The digits of the whole part of |value|: 1/3 → "0", -12.5 → "12". */
export function wholeDigits(value: Rational): string {
  const magnitude = value.num < 0n ? -value.num : value.num;
  return (magnitude / value.den).toString();
}
