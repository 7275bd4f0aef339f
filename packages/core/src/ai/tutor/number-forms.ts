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

// ─── number words ────────────────────────────────────────────────────────────

interface WordNumbers {
  readonly mentions: NumberMention[];
  /** Where each run of number words stood, and its value: to rewrite "three over four" as "3 over 4". */
  readonly spans: { readonly from: number; readonly to: number; readonly value: number }[];
}

/** Parses runs of number words; a unit right after a unit ("four two") starts a new number. */
function wordNumbers(text: string): WordNumbers {
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
      mentions.push({ value: numerator / (FRACTION_WORDS[denominatorWord] ?? 1), decimals: 0 });
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
function spokenAsDigits(text: string, spans: WordNumbers["spans"]): string {
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
