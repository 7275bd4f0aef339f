import { spokenAsDigits, wordNumbers } from "./number-words.js";
import { normaliseText } from "./text-normalise.js";

/**
 * Arithmetic in a text, read the way the guard needs it: what values could a
 * reader get from it? "87 - 3 = 84 / 2" exposes 84 and 42; "so 6 × 7 + 0 + 0"
 * exposes 42 inside a longer chain.
 *
 * Bounded work: a chain of m numbers has m² contiguous sub-expressions, and
 * trying them all made one 1,600-character student message cost 29 s. So a
 * chain is read in one pass, giving
 * - every sub-expression of at most {@link MAX_WINDOW_OPERANDS} numbers
 *   (a constant amount of work per number), and
 * - every prefix and every suffix of the chain, whatever their length
 *   (each kept up to date as the scan moves by one number).
 * The whole chain is a prefix, so "1 + 1 + … + 1" (forty-two ones) is still
 * found. What is not read: a stretch of more than eight numbers in the middle
 * of a longer chain. Total work is linear in the text.
 */
export const MAX_WINDOW_OPERANDS = 8;

type Op = "+" | "-" | "*" | "/" | "^";

const OPERATOR: Readonly<Record<string, Op>> = {
  "+": "+",
  "-": "-",
  "*": "*",
  "×": "*",
  x: "*",
  X: "*",
  "/": "/",
  "^": "^",
};

/** A number where the scanner stands (sticky: it never searches ahead). */
const NUMBER_AT = /(?:\d{1,3}(?:[,_' ]\d{3}(?!\d))+|\d+)(?:\.\d+)?|\.\d+/y;

interface Chain {
  readonly nums: number[];
  readonly ops: Op[];
}

const isSpace = (c: string) => c === " " || c === "\t" || c === "\n" || c === "\r";

/** Chains of `number (operator number)+`, left to right, in one pass. */
function chainsIn(text: string): Chain[] {
  const chains: Chain[] = [];
  let nums: number[] = [];
  let ops: Op[] = [];
  let pending: Op | undefined;
  let negative = false;
  const end = () => {
    if (nums.length >= 2) chains.push({ nums, ops });
    nums = [];
    ops = [];
    pending = undefined;
    negative = false;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? "";
    if (isSpace(c)) {
      i++;
      continue;
    }
    NUMBER_AT.lastIndex = i;
    const number = /[\d.]/.test(c) ? NUMBER_AT.exec(text) : null;
    if (number) {
      const value = Number(number[0].replace(/[,_' ]/g, "")) * (negative ? -1 : 1);
      if (nums.length > 0 && pending === undefined) end(); // two numbers with no operator
      if (pending !== undefined) ops.push(pending);
      nums.push(value);
      pending = undefined;
      negative = false;
      i += number[0].length;
      continue;
    }
    const op = OPERATOR[c];
    if (op !== undefined && nums.length > 0 && pending === undefined) {
      // "x" is an operator between numbers, not the end of a word ("2x", "box").
      if ((c === "x" || c === "X") && /[a-z]/i.test(text[i + 1] ?? "")) end();
      else pending = op;
    } else if (c === "-" && pending !== undefined && !negative) {
      negative = true; // "6 × -7": a sign, not a second operator
    } else end(); // anything else ("=", a word, a second operator) ends the chain
    i++;
  }
  end();
  return chains;
}

function combine(a: number, op: Op, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "^":
      return a ** b;
  }
}

/**
 * The chain's value with standard precedence (^, then × and /, then + and -,
 * each level left to right), folded in one pass; `each` is told the value of
 * every prefix that ends after an operator, as the pass reaches it.
 */
function fold(
  nums: readonly number[],
  ops: readonly Op[],
  each?: (prefixValue: number) => void,
): number {
  let sum = 0;
  let sign = 1;
  let product = 1;
  let productOp: Op = "*";
  let power = nums[0] ?? 0;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k] ?? "+";
    const next = nums[k + 1] ?? 0;
    if (op === "^") power = power ** next;
    else if (op === "*" || op === "/") {
      product = combine(product, productOp, power);
      productOp = op;
      power = next;
    } else {
      sum += sign * combine(product, productOp, power);
      sign = op === "+" ? 1 : -1;
      product = 1;
      productOp = "*";
      power = next;
    }
    each?.(sum + sign * combine(product, productOp, power));
  }
  return sum + sign * combine(product, productOp, power);
}

/** Standard precedence (^, then × and /, then + and -), each level left to right. */
export function evaluate(nums: readonly number[], ops: readonly Op[]): number | undefined {
  if (ops.length !== nums.length - 1 || nums.length === 0) return undefined;
  const value = fold(nums, ops);
  return Number.isFinite(value) ? value : undefined;
}

/** Every prefix of the chain, each kept up to date as the scan adds one number. */
function prefixValues(chain: Chain, out: number[]): void {
  fold(chain.nums, chain.ops, (value) => {
    if (Number.isFinite(value)) out.push(value);
  });
}

/**
 * Every suffix, built from the right: the suffix is `base^exp * mul + rest`
 * (its first power chain, the rest of its first term, the later terms), and
 * putting `n op` in front of it changes only those four numbers.
 */
function suffixValues(chain: Chain, out: number[]): void {
  const { nums, ops } = chain;
  const last = nums.length - 1;
  let base = nums[last] ?? 0;
  let exp = 1;
  let mul = 1;
  let rest = 0;
  for (let k = last - 1; k >= 0; k--) {
    const n = nums[k] ?? 0;
    const op = ops[k] ?? "+";
    const first = base ** exp;
    if (op === "^") exp *= base;
    else if (op === "*") mul *= first;
    else if (op === "/") mul /= first;
    else {
      rest += (op === "+" ? 1 : -1) * first * mul;
      mul = 1;
    }
    if (op !== "^") exp = 1;
    base = n;
    const value = base ** exp * mul + rest;
    if (Number.isFinite(value)) out.push(value);
  }
}

/**
 * Arithmetic in the text and the values it reaches: "6 × 7", "40 + 2",
 * "84/2 - 0", "six times seven". Work and output are linear in the text.
 */
export function expressionValues(text: string): number[] {
  const plainText = normaliseText(text);
  const normal = spokenAsDigits(plainText, wordNumbers(plainText).spans).replace(/\*\*/g, "^");
  const values: number[] = [];
  for (const chain of chainsIn(normal)) {
    const m = chain.nums.length;
    for (let from = 0; from < m; from++) {
      const longest = Math.min(m, from + MAX_WINDOW_OPERANDS);
      for (let to = from + 2; to <= longest; to++) {
        const value = evaluate(chain.nums.slice(from, to), chain.ops.slice(from, to - 1));
        if (value !== undefined) values.push(value);
      }
    }
    if (m > MAX_WINDOW_OPERANDS) {
      prefixValues(chain, values);
      suffixValues(chain, values);
    }
  }
  return values;
}
