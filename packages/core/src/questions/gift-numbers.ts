import { Decimal as DecimalBase } from "decimal.js";
import { parseNumber, type Rational, rational } from "./numbers.js";

/**
 * Numbers as authors write them in question files, read exactly. Moodle
 * reads GIFT numbers with PHP's `is_numeric` (a sign, digits, a point, an
 * exponent) and does arithmetic in floats, which puts `{#3.141..3.142}`'s
 * tolerance at 0.0004999…; here every step is decimal arithmetic
 * (decimal.js), so a range's ends are exactly its midpoint ± half its width.
 */

/**
 * Enough digits that a sum or half-difference of two authored numbers
 * (at most 64 characters, exponents of at most 3 digits) is never rounded.
 */
export const Decimal = DecimalBase.clone({ precision: 2_200, rounding: DecimalBase.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

/** PHP's `is_numeric` for decimals: `+1.5`, `-.5`, `5.`, `1e3`, `2.5E-2`. */
const AUTHORED = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?$/;
/** Mixed numbers (`1 1/2`, `-2 3/4`): Moodle keeps them as text; their value is what was meant. */
const MIXED = /^(-)?(\d{1,20})\s+(\d{1,20})\/(\d{1,20})$/;
/** The longest number text stored: past this, a written exponent made it silly (`1e999`). */
const MAX_TEXT = 64;

/** An authored decimal's exact value, or undefined when it is not one. */
export function readDecimal(text: string): Decimal | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_TEXT || !AUTHORED.test(trimmed))
    return undefined;
  return new Decimal(trimmed);
}

/** A decimal as plain text (`1e3` → `1000`), or undefined when that is too long to store. */
export function decimalText(value: Decimal): string | undefined {
  const text = value.toFixed();
  return text.length > MAX_TEXT ? undefined : text;
}

/**
 * The text to store for a numeric answer an author wrote: kept as written
 * when the model reads it already (`0.75`, `3/4`, `-2`), otherwise its exact
 * plain form (`1e3` → `1000`, `+5` → `5`, `1 1/2` → `3/2`). Undefined when
 * it is not a number at all.
 *
 * @example
 * numericAnswerText("1 1/2"); // "3/2"
 */
export function numericAnswerText(text: string): string | undefined {
  const trimmed = text.trim();
  if (parseNumber(trimmed)) return trimmed;
  const mixed = MIXED.exec(trimmed);
  if (mixed) {
    const [, minus, whole = "", top = "", bottom = ""] = mixed;
    const den = BigInt(bottom);
    if (den === 0n) return undefined;
    const value: Rational = rational((BigInt(whole) * den + BigInt(top)) * (minus ? -1n : 1n), den);
    return value.den === 1n ? `${value.num}` : `${value.num}/${value.den}`;
  }
  const decimal = readDecimal(trimmed);
  return decimal ? decimalText(decimal) : undefined;
}

/**
 * A tolerance as the JSON number the model stores, only when that number
 * reads back as exactly this decimal (JavaScript prints a double's shortest
 * round-trip text, so 0.0005 stays 0.0005); undefined when more digits were
 * written than a double keeps.
 */
export function toleranceNumber(value: Decimal): number | undefined {
  const number = Number(value.toFixed());
  if (!Number.isFinite(number)) return undefined;
  return new Decimal(String(number)).eq(value) ? number : undefined;
}

/** A stored tolerance as an exact rational: the decimal its shortest text names. */
export function toleranceRational(tolerance: number): Rational | undefined {
  if (!Number.isFinite(tolerance) || tolerance < 0) return undefined;
  const [num, den] = new Decimal(String(tolerance)).toFraction();
  return num && den ? rational(BigInt(num.toFixed()), BigInt(den.toFixed())) : undefined;
}
