import type { NumberMention } from "./number-mention.js";
import { gcd, spokenAsDigits, wordNumbers } from "./number-words.js";
import { normaliseText } from "./text-normalise.js";

export type { NumberMention } from "./number-mention.js";

/**
 * Every number a text states, in the forms people (and models) write them:
 * digits with thousands separators, decimals, fractions and mixed numbers,
 * percentages, scientific notation, hex and binary, Roman numerals, and
 * number words ("forty-two", "three quarters", "two point five"). The guard
 * compares these values with the reference answer's, so "1,000", "1000.0",
 * "one thousand" and "M" are the same leak.
 *
 * Every reader here does work linear in the text: no pattern may start a
 * match in the middle of a digit run (where a greedy `\d+` would retry the
 * rest of the run from every position), and arithmetic is read by a scanner,
 * not by trying every sub-expression (see `expressionValues`).
 */

function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

const plain = (text: string) => Number(text.replace(/[,_' ]/g, ""));

// ─── digits ──────────────────────────────────────────────────────────────────

const UNSIGNED = String.raw`(?:\d{1,3}(?:[,_' ]\d{3}(?!\d))+|\d+)(?:\.\d+)?|\.\d+`;
/** A match starts at the beginning of a number, never inside a run of digits. */
const NUMBER = String.raw`(?<![\d.])-?(?:${UNSIGNED})`;
const SCALE_WORDS: Readonly<Record<string, number>> = {
  hundred: 100,
  thousand: 1_000,
  million: 1_000_000,
  billion: 1_000_000_000,
  trillion: 1_000_000_000_000,
};

const MENTION = new RegExp(`(${NUMBER})(\\s*(?:%|percent\\b|per cent\\b))?`, "gi");
const FRACTION = new RegExp(
  `(${NUMBER})\\s*(?:/|\\bover\\b|\\bdivided by\\b)\\s*(${NUMBER})`,
  "gi",
);
const MIXED = /(?<![\d.])(-?\d+)\s+(\d+)\s*\/\s*(\d+)/g;
const SCIENTIFIC = new RegExp(
  `(${NUMBER})\\s*(?:e([+-]?\\d+)|(?:×|\\*|x)\\s*10\\s*(?:\\^|\\*\\*)\\s*\\(?([+-]?\\d+)\\)?)`,
  "gi",
);
const SCALED = new RegExp(`(${NUMBER})\\s*(hundred|thousand|million|billion|trillion)\\b`, "gi");

function digitMentions(text: string): NumberMention[] {
  const out: NumberMention[] = [];
  const add = (value: number, decimals: number, computed: boolean) => {
    if (Number.isFinite(value))
      out.push(computed ? { value, decimals, computed } : { value, decimals });
  };
  for (const m of text.matchAll(MENTION)) {
    const raw = m[1] ?? "";
    const value = plain(raw);
    add(value, decimalsOf(raw), false);
    // "75%" states both 75 and 0.75; "0.75" and "3/4" then meet it either way.
    if (m[2]) add(value / 100, decimalsOf(raw) + 2, false);
  }
  for (const m of text.matchAll(FRACTION)) {
    const top = plain(m[1] ?? "");
    const bottom = plain(m[2] ?? "");
    // 3/4 is a way of writing three quarters; 6/8 or 84/2 is a division still to be done.
    const reduced =
      Number.isInteger(top) &&
      Number.isInteger(bottom) &&
      gcd(top, bottom) === 1 &&
      Math.abs(bottom) > 1;
    if (bottom !== 0) add(top / bottom, 0, !reduced);
  }
  for (const m of text.matchAll(MIXED)) {
    const whole = Number(m[1]);
    const top = Number(m[2]);
    const bottom = Number(m[3]);
    if (bottom === 0) continue;
    const part = top / bottom;
    add(whole < 0 ? whole - part : whole + part, 0, gcd(top, bottom) !== 1 || top >= bottom);
  }
  for (const m of text.matchAll(SCIENTIFIC)) {
    add(plain(m[1] ?? "") * 10 ** Number(m[2] ?? m[3]), 0, true);
  }
  // "4.187 thousand": a unit change the reader has to multiply out.
  for (const m of text.matchAll(SCALED)) {
    add(plain(m[1] ?? "") * (SCALE_WORDS[(m[2] ?? "").toLowerCase()] ?? 1), 0, true);
  }
  for (const m of text.matchAll(/\b(\d+(?:\.\d+)?)\s?k\b/gi)) add(Number(m[1]) * 1000, 0, true);
  for (const m of text.matchAll(/\b0x([0-9a-f]+)\b/gi))
    add(Number.parseInt(m[1] ?? "", 16), 0, true);
  for (const m of text.matchAll(/\b0b([01]+)\b|\b([01]{4,})\b/gi)) {
    add(Number.parseInt(m[1] ?? m[2] ?? "", 2), 0, true);
  }
  return out;
}

// ─── Roman numerals ──────────────────────────────────────────────────────────

const ROMAN = /^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/i;
const ROMAN_VALUES: Readonly<Record<string, number>> = {
  I: 1,
  V: 5,
  X: 10,
  L: 50,
  C: 100,
  D: 500,
  M: 1000,
};

function romanValue(token: string, single: boolean): number | undefined {
  // No Roman numeral below 4,000 is longer than 15 letters: longer tokens are not tested.
  if ((token.length < 2 && !single) || token.length > 15 || !ROMAN.test(token)) return undefined;
  const letters = token.toUpperCase();
  let total = 0;
  for (let i = 0; i < letters.length; i++) {
    const here = ROMAN_VALUES[letters[i] ?? ""] ?? 0;
    const next = ROMAN_VALUES[letters[i + 1] ?? ""] ?? 0;
    total += here < next ? -here : here;
  }
  return total;
}

function romanMentions(text: string): NumberMention[] {
  // A lone letter is a Roman numeral only when the text says so ("M in Roman numerals").
  const single = /\broman\b/i.test(text);
  return (text.match(/\b[ivxlcdm]+\b/gi) ?? []).flatMap((token) => {
    const value = romanValue(token, single && token === token.toUpperCase());
    return value === undefined ? [] : [{ value, decimals: 0, computed: true as const }];
  });
}

/**
 * Every numeric value `text` states, in any of the forms above. Values may
 * repeat; the same digits can yield more than one reading ("4,2").
 */
export function numbersIn(text: string): NumberMention[] {
  const normal = normaliseText(text);
  const words = wordNumbers(normal);
  const spoken = words.spans.length > 0 ? digitMentions(spokenAsDigits(normal, words.spans)) : [];
  return [...digitMentions(normal), ...romanMentions(normal), ...words.mentions, ...spoken];
}

export { expressionValues, MAX_WINDOW_OPERANDS } from "./expression-values.js";
