import type { AnswerKey } from "./answer-key.js";
import { expressionValues } from "./expression-values.js";
import { numbersIn } from "./number-forms.js";
import type { NumberMention } from "./number-mention.js";
import { optionLettersIn } from "./option-letters.js";
import { reverse, rot13, STOPWORDS, stem, wordTokens } from "./text-normalise.js";

/**
 * The deterministic half of the output guard: every way `text` states the
 * reference answer. It trusts nothing about the writer; a model that tries
 * to slip the answer past it has to find a form not listed here (docs/ai.md
 * names the limits).
 */
export interface Leak {
  readonly kind:
    | "number"
    | "expression"
    | "digits"
    | "option-letter"
    | "option-text"
    | "phrase"
    | "spelled"
    | "elimination";
  readonly detail: string;
}

// ─── numbers ─────────────────────────────────────────────────────────────────

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/** Same magnitude (a sign flip still gives the answer away), or the answer rounded as written. */
function sameNumber(said: NumberMention, answer: NumberMention): boolean {
  const a = Math.abs(said.value);
  const b = Math.abs(answer.value);
  if (close(a, b)) return true;
  const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
  if (said.decimals >= 1 && !Number.isInteger(b) && close(a, round(b, said.decimals))) return true;
  return answer.decimals >= 1 && close(round(a, answer.decimals), b);
}

/** Significant digits of a magnitude: 4187 -> "4187", 0.0750 -> "75", 1000 -> "1". */
function significant(value: number): string {
  return String(Math.abs(value))
    .replace(/e[+-]?\d+$/, "")
    .replace(".", "")
    .replace(/^0+/, "")
    .replace(/0+$/, "");
}

/**
 * The answer in another unit of ten: 4.187 (km for 4187 m), 418,700 (cents),
 * 41.87 (hundreds). Only for answers of two or more significant digits, and
 * not for a number the assignment itself states (120 items, for an answer of 12).
 */
function shiftedAnswer(said: NumberMention, answer: NumberMention, key: AnswerKey): boolean {
  const digits = significant(answer.value);
  if (digits.length < 2 || said.value === 0 || significant(said.value) !== digits) return false;
  const ratio = Math.abs(said.value) / Math.abs(answer.value);
  const power = Math.round(Math.log10(ratio));
  if (power === 0 || Math.abs(power) > 9 || !close(ratio, 10 ** power)) return false;
  return !key.problemValues.some((v) => close(Math.abs(v), Math.abs(said.value)));
}

function numberLeaks(text: string, key: AnswerKey): Leak[] {
  if (key.numbers.length === 0) return [];
  const leaks: Leak[] = [];
  for (const said of numbersIn(text)) {
    if (key.numbers.some((answer) => sameNumber(said, answer))) {
      leaks.push({ kind: "number", detail: `states ${said.value}` });
    } else if (key.numbers.some((answer) => shiftedAnswer(said, answer, key))) {
      leaks.push({ kind: "number", detail: `states ${said.value}, the answer in other units` });
    }
  }
  for (const value of expressionValues(text)) {
    if (key.numbers.some((answer) => sameNumber({ value, decimals: 0 }, answer))) {
      leaks.push({ kind: "expression", detail: `arithmetic that makes ${value}` });
    }
  }
  return leaks;
}

const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: "0",
  one: "1",
  two: "2",
  three: "3",
  four: "4",
  five: "5",
  six: "6",
  seven: "7",
  eight: "8",
  nine: "9",
};
const REVERSAL_CUE = /\b(revers\w*|backwards?|mirror\w*|flip\w*|right[- ]to[- ]left|other way)\b/i;

/** Digits given one at a time: "4 2", "4-2", "four two", "(4)(2)"; reversed ones when the text says so. */
function digitLeaks(text: string, key: AnswerKey): Leak[] {
  if (key.digitStrings.length === 0) return [];
  const tokens = wordTokens(text);
  const reversed = REVERSAL_CUE.test(text);
  const leaks: Leak[] = [];
  let run = "";
  const flush = () => {
    for (const digits of key.digitStrings) {
      if (run.length >= 2 && run.includes(digits))
        leaks.push({ kind: "digits", detail: "digits one by one" });
      else if (reversed && run.includes(reverse(digits)))
        leaks.push({ kind: "digits", detail: "digits reversed" });
    }
    run = "";
  };
  for (const token of tokens) {
    const digit = /^\d$/.test(token) ? token : DIGIT_WORDS[token];
    if (digit === undefined) {
      // A whole reversed number ("24" for 42) counts only when the text says it is reversed.
      if (reversed && key.digitStrings.some((d) => token === reverse(d) && token !== d)) {
        leaks.push({ kind: "digits", detail: "number reversed" });
      }
      flush();
    } else run += digit;
  }
  flush();
  return leaks;
}

// ─── words ───────────────────────────────────────────────────────────────────

function contentOf(text: string): string[] {
  return wordTokens(text)
    .filter((t) => !STOPWORDS.has(t))
    .map(stem);
}

/** The answer's words in order, a gap of at most two words between them; long answers by any six in a row. */
export function phraseLeak(text: string, phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  const tokens = contentOf(text);
  if (phrase.length > 6) {
    const joined = ` ${tokens.join(" ")} `;
    for (let i = 0; i + 6 <= phrase.length; i++) {
      if (joined.includes(` ${phrase.slice(i, i + 6).join(" ")} `)) return true;
    }
    return false;
  }
  for (let start = 0; start < tokens.length; start++) {
    if (tokens[start] !== phrase[0]) continue;
    let at = start;
    let matched = 1;
    for (let p = 1; p < phrase.length; p++) {
      const next = tokens.slice(at + 1, at + 4).indexOf(phrase[p] ?? "");
      if (next < 0) break;
      at += next + 1;
      matched++;
    }
    if (matched === phrase.length) return true;
  }
  return false;
}

/**
 * The answer written with its letters split, joined, reversed or ROT13-shifted:
 * "p-h-o-t-o", "photo synthesis", "sisehtnysotohp", "s o w t y t r o f".
 */
export function spelledLeak(
  text: string,
  compact: string,
  forms: "all" | "forward" = "all",
): string | undefined {
  const tokens = wordTokens(text);
  const all: [string, string][] = [
    [compact, "spelled out"],
    [reverse(compact), "reversed"],
    [rot13(compact), "ROT13"],
    [reverse(rot13(compact)), "reversed ROT13"],
  ];
  const wanted = forms === "all" ? all : all.slice(0, 1);
  for (const [target, how] of wanted) {
    for (let i = 0; i < tokens.length; i++) {
      let joined = "";
      for (let j = i; j < tokens.length && joined.length < target.length; j++) {
        joined += tokens[j];
        if (joined === target) return how;
        if (!target.startsWith(joined)) break;
      }
      const token = tokens[i] ?? "";
      if (target.length >= 6 && token.length > target.length && token.includes(target)) return how;
    }
  }
  return undefined;
}

// ─── all together ────────────────────────────────────────────────────────────

/**
 * Every way `text` gives away the answer `key` describes; empty when it does not.
 *
 * @example
 * findLeaks("Backwards it is 24.", answerKey("42")); // [{ kind: "digits", detail: "number reversed" }]
 */
export function findLeaks(text: string, key: AnswerKey): Leak[] {
  const leaks = [...numberLeaks(text, key), ...digitLeaks(text, key)];
  const letters = key.choice ? optionLettersIn(text) : new Set<string>();
  if (key.choice && letters.has(key.choice.letter)) {
    leaks.push({ kind: "option-letter", detail: `names option ${key.choice.letter}` });
  }
  // "Not A, not C, not D": every other option ruled out leaves only the answer.
  if (
    key.otherOptions.length >= 2 &&
    key.otherOptions.every((o) => letters.has(o.letter) || phraseLeak(text, o.phrase))
  ) {
    leaks.push({ kind: "elimination", detail: "names every other option" });
  }
  if (phraseLeak(text, key.phrase)) {
    leaks.push({
      kind: key.choice ? "option-text" : "phrase",
      detail: "states the answer's words",
    });
  }
  for (const compact of key.compacts) {
    const how = spelledLeak(text, compact);
    if (how) leaks.push({ kind: "spelled", detail: `answer ${how}` });
  }
  return leaks;
}
