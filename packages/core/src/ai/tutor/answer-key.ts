import { numbersIn } from "./number-forms.js";
import type { NumberMention } from "./number-mention.js";
import { integerWords } from "./number-words.js";
import { normaliseText, STOPWORDS, stem, wordTokens } from "./text-normalise.js";

/**
 * What the guard protects, read once from an assignment's `referenceAnswer`
 * (and its instructions, for the options of a choice question):
 * - `numbers`: the answer's numbers ("x = 42" -> 42; "75%" -> 75 and 0.75)
 * - `choice`: the option letter and its text, for "B" or "(B) photosynthesis"
 * - `phrase`: the answer's content words in order (stemmed, stopwords out)
 * - `compacts`: letters-and-digits forms for spelled, hyphenated, reversed
 *   or ROT13 spellings ("photosynthesis", "fortytwo", "42")
 */
export interface AnswerKey {
  readonly raw: string;
  /** The answer's numbers, with the decimal places they were written with. */
  readonly numbers: readonly NumberMention[];
  readonly choice: { readonly letter: string; readonly text: string | null } | null;
  readonly phrase: readonly string[];
  readonly compacts: readonly string[];
  /** Digit strings of the answer's numbers, for digits spelled one by one ("4 2", "four two"). */
  readonly digitStrings: readonly string[];
  /** The other options of a choice question: naming all of them points at the answer by elimination. */
  readonly otherOptions: readonly { readonly letter: string; readonly phrase: readonly string[] }[];
  /** The numbers the assignment itself states: never read as the answer in other units. */
  readonly problemValues: readonly number[];
}

/** Longer answers are guarded by their words in order; spelling checks stay cheap. */
const MAX_COMPACT = 64;

const LETTERS = "ABCDEFGHIJ";

/** "B", "(B)", "B)", "b.", "Option B", "Answer: B — photosynthesis" */
const CHOICE =
  /^(?:(?:the\s+)?(?:correct\s+)?(?:answer|option|choice)\s*(?:is)?\s*[:-]?\s*)?\(?([A-Ja-j])\)?(?:\s*[.):\-—](?:\s+(.+?))?|)\s*$/i;

/**
 * The options a problem lists: "A) 12  B) 24", "(A) cell (B) leaf", one per line
 * or inline. Keys are upper-case letters.
 */
export function optionsIn(problem: string): Map<string, string> {
  const text = normaliseText(problem);
  const options = new Map<string, string>();
  const marker = /(?:^|[\s(])\(?([A-J])[).:]\s+/g;
  const found = [...text.matchAll(marker)];
  // Options come in order A, B, C…; anything else is prose ("I. Introduction").
  let expected = 0;
  for (let i = 0; i < found.length; i++) {
    const m = found[i];
    if (!m || m[1] !== LETTERS[expected]) continue;
    const start = (m.index ?? 0) + m[0].length;
    const next = found.slice(i + 1).find((n) => n[1] === LETTERS[expected + 1]);
    const end = next?.index ?? text.indexOf("\n", start);
    const body = text.slice(start, end < 0 ? undefined : end).trim();
    if (body) options.set(m[1] ?? "", body.replace(/[;,.]$/, ""));
    expected++;
  }
  return options.size >= 2 ? options : new Map();
}

function contentTokens(text: string): string[] {
  const tokens = wordTokens(text).filter((t) => !/^\d+$/.test(t));
  const content = tokens.filter((t) => !STOPWORDS.has(t));
  return (content.length > 0 ? content : tokens).map(stem);
}

function digitsOf(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const digits = String(Math.abs(value)).replace(".", "");
  return /^\d{2,}$/.test(digits) ? digits : undefined;
}

function uniqueNumbers(mentions: readonly NumberMention[]): NumberMention[] {
  const seen = new Map<number, NumberMention>();
  for (const m of mentions) {
    const known = seen.get(m.value);
    if (!known || m.decimals > known.decimals) seen.set(m.value, m);
  }
  return [...seen.values()];
}

/**
 * Reads a reference answer.
 *
 * @example
 * answerKey("x = 42", "Solve 2x + 3 = 87").numbers; // [{ value: 42, decimals: 0 }]
 * answerKey("B", "Which is a plant process? A) digestion B) photosynthesis").choice;
 * // { letter: "B", text: "photosynthesis" }
 */
export function answerKey(referenceAnswer: string, problem = ""): AnswerKey {
  const raw = normaliseText(referenceAnswer).trim();
  const options = optionsIn(problem);
  const match = CHOICE.exec(raw);
  let choice: AnswerKey["choice"] = null;
  let answerText = raw;
  if (match?.[1] && (options.size > 0 || /^\(?[A-J]\)?$/.test(raw) || match[2])) {
    const letter = match[1].toUpperCase();
    const text = match[2]?.trim() || options.get(letter) || null;
    choice = { letter, text };
    answerText = text ?? "";
  } else {
    // The reference may be an option's text rather than its letter.
    const same = (a: string) => wordTokens(a).join(" ") === wordTokens(raw).join(" ");
    const letter = [...options].find(([, text]) => same(text))?.[0];
    if (letter) choice = { letter, text: raw };
  }
  const numbers = uniqueNumbers(numbersIn(answerText));
  const values = numbers.map((n) => n.value);
  let phrase = contentTokens(answerText);
  // "42 cm": the number is the answer; a lone unit word is not worth guarding.
  if (values.length > 0 && phrase.length <= 1) phrase = [];
  const compacts = new Set<string>();
  const answerCompact = wordTokens(answerText).join("");
  if (phrase.length > 0 && answerCompact.length >= 4 && answerCompact.length <= MAX_COMPACT) {
    compacts.add(answerCompact);
  }
  for (const value of values) {
    if (Number.isInteger(value)) {
      const words = integerWords(value).join("");
      if (words.length >= 4) compacts.add(words);
    }
  }
  const digitStrings = [
    ...new Set(values.map(digitsOf).filter((d): d is string => d !== undefined)),
  ];
  const otherOptions = choice
    ? [...options]
        .filter(([letter]) => letter !== choice?.letter)
        .map(([letter, text]) => ({ letter, phrase: contentTokens(text) }))
    : [];
  const problemValues = [...new Set(numbersIn(problem).map((m) => m.value))];
  return {
    raw,
    numbers,
    choice,
    phrase,
    compacts: [...compacts],
    digitStrings,
    otherOptions,
    problemValues,
  };
}
