import { spokenAsDigits, wordNumbers } from "./number-words.js";
import { normaliseText } from "./text-normalise.js";

/**
 * Every number a text states, in the forms people (and models) write them:
 * digits with thousands separators, decimals, fractions and mixed numbers,
 * percentages, scientific notation, hex and binary, Roman numerals, and
 * number words ("forty-two", "three quarters", "two point five"). The guard
 * compares these values with the reference answer's, so "1,000", "1000.0",
 * "one thousand" and "M" are the same leak.
 */

export interface NumberMention {
  readonly value: number;
  /** Decimal places as written (0 for integers and words): lets "3.14" match π rounded. */
  readonly decimals: number;
}

function decimalsOf(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

const plain = (text: string) => Number(text.replace(/[,_' ]/g, ""));

// ─── digits ──────────────────────────────────────────────────────────────────

const NUMBER = String.raw`-?(?:\d{1,3}(?:[,_' ]\d{3}(?!\d))+|\d+)(?:\.\d+)?|-?\.\d+`;

function digitMentions(text: string): NumberMention[] {
  const out: NumberMention[] = [];
  const add = (value: number, decimals = 0) => {
    if (Number.isFinite(value)) out.push({ value, decimals });
  };
  for (const m of text.matchAll(
    new RegExp(`(${NUMBER})(\\s*(?:%|percent\\b|per cent\\b))?`, "gi"),
  )) {
    const raw = m[1] ?? "";
    const value = plain(raw);
    add(value, decimalsOf(raw));
    // "75%" states both 75 and 0.75; "0.75" and "3/4" then meet it either way.
    if (m[2]) add(value / 100, decimalsOf(raw) + 2);
  }
  const fraction = new RegExp(
    `(${NUMBER})\\s*(?:/|\\bover\\b|\\bdivided by\\b)\\s*(${NUMBER})`,
    "gi",
  );
  for (const m of text.matchAll(fraction)) {
    const denominator = plain(m[2] ?? "");
    if (denominator !== 0) add(plain(m[1] ?? "") / denominator, 0);
  }
  for (const m of text.matchAll(/(-?\d+)\s+(\d+)\s*\/\s*(\d+)/g)) {
    const whole = Number(m[1]);
    const part = Number(m[2]) / Number(m[3]);
    if (Number(m[3]) !== 0) add(whole < 0 ? whole - part : whole + part, 0);
  }
  const scientific = new RegExp(
    `(${NUMBER})\\s*(?:e([+-]?\\d+)|(?:×|\\*|x)\\s*10\\s*(?:\\^|\\*\\*)\\s*\\(?([+-]?\\d+)\\)?)`,
    "gi",
  );
  for (const m of text.matchAll(scientific)) {
    add(plain(m[1] ?? "") * 10 ** Number(m[2] ?? m[3]), 0);
  }
  for (const m of text.matchAll(/\b(\d+(?:\.\d+)?)\s?k\b/gi)) add(Number(m[1]) * 1000);
  for (const m of text.matchAll(/\b0x([0-9a-f]+)\b/gi)) add(Number.parseInt(m[1] ?? "", 16));
  for (const m of text.matchAll(/\b0b([01]+)\b|\b([01]{4,})\b/gi)) {
    add(Number.parseInt(m[1] ?? m[2] ?? "", 2));
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
  if ((token.length < 2 && !single) || !ROMAN.test(token)) return undefined;
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
    return value === undefined ? [] : [{ value, decimals: 0 }];
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

/** Arithmetic in the text that evaluates to a value: "6 × 7", "40 + 2", "84/2 - 0". */
export function expressionValues(text: string): number[] {
  const plainText = normaliseText(text);
  const normal = spokenAsDigits(plainText, wordNumbers(plainText).spans).replace(/\*\*/g, "^");
  const token = new RegExp(`(${NUMBER.replace(/-\?/g, "")})|([+\\-*/×x^])`, "gi");
  const values: number[] = [];
  // Runs of number (op number)+, read left to right.
  const runs = normal.match(new RegExp(`(?:${NUMBER})(?:\\s*[+\\-*/×x^]\\s*(?:${NUMBER}))+`, "gi"));
  for (const run of runs ?? []) {
    const parts = [...run.matchAll(token)].map((m) => m[1] ?? m[2] ?? "");
    const nums: number[] = [];
    const ops: string[] = [];
    for (const p of parts) {
      if (/^[+\-*/×x^]$/i.test(p) && nums.length > ops.length) ops.push(p.toLowerCase());
      else if (!/^[+\-*/×x^]$/i.test(p)) nums.push(plain(p));
    }
    // Every contiguous sub-expression, so "87 - 3 = 84 / 2" exposes both steps.
    for (let from = 0; from < nums.length; from++) {
      for (let to = from + 1; to < nums.length; to++) {
        const value = evaluate(nums.slice(from, to + 1), ops.slice(from, to));
        if (value !== undefined) values.push(value);
      }
    }
  }
  return values;
}

/** Standard precedence: ^, then × and /, then + and -. */
function evaluate(nums: number[], ops: string[]): number | undefined {
  if (ops.length !== nums.length - 1) return undefined;
  const vals = [...nums];
  const os = [...ops];
  const apply = (levels: string[], fn: (a: number, b: number, op: string) => number) => {
    for (let i = 0; i < os.length; ) {
      const op = os[i] ?? "";
      if (levels.includes(op)) {
        vals.splice(i, 2, fn(vals[i] ?? 0, vals[i + 1] ?? 0, op));
        os.splice(i, 1);
      } else i++;
    }
  };
  apply(["^"], (a, b) => a ** b);
  apply(["*", "×", "x", "/"], (a, b, op) => (op === "/" ? a / b : a * b));
  apply(["+", "-"], (a, b, op) => (op === "+" ? a + b : a - b));
  const [value] = vals;
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}
