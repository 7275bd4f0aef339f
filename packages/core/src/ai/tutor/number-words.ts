import type { NumberMention } from "./number-mention.js";

/**
 * Numbers written as words: "forty-two", "one hundred and five", "three
 * quarters", "two and a half", "two point five", "minus seven". Also the way
 * back (`integerWords`) and a rewrite of spoken numbers and operators as digits
 * and symbols, so "three over four" and "six times seven" reach the digit and
 * arithmetic readers.
 */

const UNITS: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fourty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Readonly<Record<string, number>> = {
  hundred: 100,
  thousand: 1_000,
  million: 1_000_000,
  billion: 1_000_000_000,
  trillion: 1_000_000_000_000,
};
/** Denominators: "three quarters", "two thirds", "a half". */
const FRACTION_WORDS: Readonly<Record<string, number>> = {
  half: 2,
  halves: 2,
  third: 3,
  thirds: 3,
  quarter: 4,
  quarters: 4,
  fourth: 4,
  fourths: 4,
  fifth: 5,
  fifths: 5,
  sixth: 6,
  sixths: 6,
  seventh: 7,
  sevenths: 7,
  eighth: 8,
  eighths: 8,
  ninth: 9,
  ninths: 9,
  tenth: 10,
  tenths: 10,
  hundredth: 100,
  hundredths: 100,
};

const isNumberWord = (w: string) => w in UNITS || w in TENS || w in SCALES;

/** Greatest common divisor of two non-negative integers (1 for anything else). */
export function gcd(a: number, b: number): number {
  if (!Number.isInteger(a) || !Number.isInteger(b)) return 1;
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

export interface WordNumbers {
  readonly mentions: NumberMention[];
  /** Where each run of number words stood, and its value: to rewrite "three over four" as "3 over 4". */
  readonly spans: { readonly from: number; readonly to: number; readonly value: number }[];
}

/** Parses runs of number words; a unit right after a unit ("four two") starts a new number. */
export function wordNumbers(text: string): WordNumbers {
  const matches = [...text.toLowerCase().matchAll(/[a-z]+/g)];
  const words = matches.map((m) => m[0]);
  const mentions: NumberMention[] = [];
  const spans: WordNumbers["spans"] = [];
  let i = 0;
  while (i < words.length) {
    const word = words[i] ?? "";
    const negative = (word === "minus" || word === "negative") && isNumberWord(words[i + 1] ?? "");
    const start = negative ? i + 1 : i;
    if (
      !isNumberWord(words[start] ?? "") &&
      !(words[start] === "a" && FRACTION_WORDS[words[start + 1] ?? ""])
    ) {
      i++;
      continue;
    }
    let total = 0;
    let current = 0;
    let lastKind: "unit" | "tens" | "scale" | undefined;
    let j = start;
    for (; j < words.length; j++) {
      const w = words[j] ?? "";
      if (w === "and" && isNumberWord(words[j + 1] ?? "") && lastKind !== undefined) continue;
      if (w in UNITS) {
        const unit = UNITS[w] ?? 0;
        if (lastKind === "unit" || (lastKind === "tens" && unit >= 10)) break;
        current += unit;
        lastKind = "unit";
      } else if (w in TENS) {
        if (lastKind === "unit" || lastKind === "tens") break;
        current += TENS[w] ?? 0;
        lastKind = "tens";
      } else if (w in SCALES) {
        const scale = SCALES[w] ?? 1;
        if (scale === 100) current = (current || 1) * 100;
        else {
          total += (current || 1) * scale;
          current = 0;
        }
        lastKind = "scale";
      } else break;
    }
    let value = total + current;
    let decimals = 0;
    // "two point five", "zero point seven five"
    if (words[j] === "point" && (words[j + 1] ?? "") in UNITS) {
      let digits = "";
      let k = j + 1;
      while ((UNITS[words[k] ?? ""] ?? 10) < 10) digits += String(UNITS[words[k++] ?? ""]);
      if (digits) {
        value = Number(`${value}.${digits}`);
        decimals = digits.length;
        j = k;
      }
    }
    // "three quarters", "a half", "two and a half"
    const isA = words[start] === "a";
    const numerator = isA ? 1 : value;
    const afterNumber = isA ? start + 1 : j;
    const denominatorWord = words[afterNumber] ?? "";
    if (FRACTION_WORDS[denominatorWord]) {
      const denominator = FRACTION_WORDS[denominatorWord] ?? 1;
      // "six eighths" is arithmetic on the way to three quarters, not a way of writing it.
      const reduced = gcd(numerator, denominator) === 1;
      mentions.push({
        value: numerator / denominator,
        decimals: 0,
        ...(reduced ? {} : { computed: true as const }),
      });
    } else if (words[j] === "and" && words[j + 1] === "a" && FRACTION_WORDS[words[j + 2] ?? ""]) {
      mentions.push({ value: value + 1 / (FRACTION_WORDS[words[j + 2] ?? ""] ?? 1), decimals: 0 });
    }
    if (!isA) {
      const signed = negative ? -value : value;
      mentions.push({ value: signed, decimals });
      const first = matches[i];
      const last = matches[j - 1];
      if (first && last && j > start) {
        spans.push({
          from: first.index ?? 0,
          to: (last.index ?? 0) + last[0].length,
          value: signed,
        });
      }
    }
    i = Math.max(j, start + 1);
  }
  return { mentions, spans };
}

/** The text with number words written as digits and spoken operators as symbols. */
export function spokenAsDigits(text: string, spans: WordNumbers["spans"]): string {
  let out = "";
  let at = 0;
  for (const span of spans) {
    out += `${text.slice(at, span.from)}${span.value}`;
    at = span.to;
  }
  out += text.slice(at);
  return out
    .replace(/\b(?:times|multiplied by)\b/gi, " × ")
    .replace(/\bplus\b/gi, " + ")
    .replace(/\b(?:minus|take away)\b/gi, " - ")
    .replace(/\b(?:out of)\b/gi, " / ");
}

/** The words for an integer, for spelled-out and reversed checks ("forty-two" -> ["forty", "two"]). */
export function integerWords(value: number): string[] {
  const n = Math.abs(Math.trunc(value));
  if (n >= 1e12) return [];
  const unitNames = Object.keys(UNITS);
  const tensNames = [
    "",
    "",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
  ];
  const below1000 = (k: number): string[] => {
    const words: string[] = [];
    if (k >= 100) {
      words.push(unitNames[Math.floor(k / 100)] ?? "", "hundred");
      k %= 100;
    }
    if (k >= 20) {
      words.push(tensNames[Math.floor(k / 10)] ?? "");
      if (k % 10) words.push(unitNames[k % 10] ?? "");
    } else if (k > 0) words.push(unitNames[k] ?? "");
    return words;
  };
  if (n === 0) return ["zero"];
  const words: string[] = [];
  let rest = n;
  for (const [scale, name] of [
    [1e9, "billion"],
    [1e6, "million"],
    [1e3, "thousand"],
  ] as const) {
    if (rest >= scale) {
      words.push(...below1000(Math.floor(rest / scale)), name);
      rest %= scale;
    }
  }
  words.push(...below1000(rest));
  return words;
}
