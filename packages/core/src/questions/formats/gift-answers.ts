import { type Decimal, decimalText, readDecimal, toleranceNumber } from "../gift-numbers.js";
import type { TextFormat } from "../rows.js";

/**
 * The inside of a GIFT answer block `{...}`, classified the way Moodle's
 * `qformat_gift` classifies it. Pure text work; the mapping to SkillBridge
 * types (which depends on the bank) is in `gift.ts`.
 */
export type GiftAnswers =
  | {
      readonly kind: "choice";
      readonly options: readonly FormattedText[];
      readonly correct: readonly number[];
      readonly multiple: boolean;
    }
  | { readonly kind: "true_false"; readonly value: boolean }
  | { readonly kind: "short"; readonly answers: readonly string[] }
  | { readonly kind: "numerical"; readonly answers: readonly NumericalAnswer[] }
  | { readonly kind: "error"; readonly message: string };

/** One right answer of a numerical question: its value as stored text and its exact tolerance. */
export interface NumericalAnswer {
  readonly value: string;
  /** 0 for an exact answer; the model's JSON number, exact (see `toleranceNumber`). */
  readonly tolerance: number;
  readonly range: boolean;
}

/** A text with the format its `[html]`-style marker named (undefined: no marker). */
export interface FormattedText {
  readonly text: string;
  readonly format: TextFormat | undefined;
}

interface Item {
  readonly mark: "=" | "~";
  readonly weight: number | undefined;
  readonly text: FormattedText;
}

const fail = (message: string): GiftAnswers => ({ kind: "error", message });

/** Moodle's format names; `moodle` (its own auto-format) reads as plain text here. */
const FORMATS: Readonly<Record<string, TextFormat>> = {
  plain: "plain",
  moodle: "plain",
  markdown: "markdown",
  html: "html",
};

/**
 * A leading `[plain]`, `[html]`, `[markdown]` or `[moodle]` taken off the
 * text and recorded as its format, as Moodle's `parse_text_with_format`
 * does (names in lower case; any other bracket is text).
 */
export function readFormat(raw: string): FormattedText {
  const text = raw.trim();
  const marker = /^\[([a-z]+)\]/.exec(text);
  const format = marker ? FORMATS[marker[1] ?? ""] : undefined;
  if (!marker || !format) return { text, format: undefined };
  return { text: text.slice(marker[0].length), format };
}

/** Index of the first unescaped `needle` at or after `from`, or -1. */
export function findUnescaped(text: string, needle: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    if (text.charAt(i) === "\\") {
      i++;
      continue;
    }
    if (text.startsWith(needle, i)) return i;
  }
  return -1;
}

/** GIFT's escapes: `\~ \= \# \{ \} \: \\` stand for the character, `\n` for a line break. */
export function unescapeGift(text: string): string {
  return text.replace(/\\(.)/g, (whole, c: string) =>
    c === "n" ? "\n" : "~=#{}:\\".includes(c) ? c : whole,
  );
}

/** Drops per-answer feedback (`#...`), reads a `%50%` weight, then a format marker. */
function item(mark: "=" | "~", raw: string): Item {
  let body = raw;
  const feedback = findUnescaped(body, "#");
  if (feedback !== -1) body = body.slice(0, feedback);
  const weighted = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(body);
  const weight = weighted ? Number(weighted[1]) : undefined;
  if (weighted) body = body.slice(weighted[0].length);
  const formatted = readFormat(body);
  return { mark, weight, text: { ...formatted, text: unescapeGift(formatted.text).trim() } };
}

/** Splits `=a ~b ~%50%c` at each unescaped `=` or `~` that starts an answer. */
function items(inner: string): Item[] | string {
  const found: Item[] = [];
  let mark: "=" | "~" | undefined;
  let start = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner.charAt(i);
    if (c === "\\") {
      i++;
      continue;
    }
    if (i === inner.length || c === "=" || c === "~") {
      const raw = inner.slice(start, i);
      if (mark) found.push(item(mark, raw));
      else if (raw.trim().length > 0) return "Each answer starts with = (right) or ~ (wrong).";
      mark = c === "=" ? "=" : "~";
      start = i + 1;
    }
  }
  return found;
}

/** Splits a numerical block at each unescaped `=`; the text before the first `=` is an answer too. */
function numericalItems(inner: string): Item[] {
  const found: Item[] = [];
  let start = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner.charAt(i);
    if (c === "\\") {
      i++;
      continue;
    }
    if (i === inner.length || c === "=") {
      const raw = inner.slice(start, i);
      if (found.length > 0 || raw.trim().length > 0) found.push(item("=", raw));
      start = i + 1;
    }
  }
  return found;
}

/**
 * `{#...}` as Moodle reads it: everything from the first `~` on is the
 * wrong-answer feedback (`{#3:2 ~#Completely wrong}`, `{#=1822 ~1821}`) and
 * is dropped; the rest are `=`-separated answers, each `value`,
 * `value:tolerance` or `low..high`, with an optional `%weight%`.
 */
function numerical(inner: string): GiftAnswers {
  const wrong = findUnescaped(inner, "~");
  const entries = numericalItems(wrong === -1 ? inner : inner.slice(0, wrong));
  const partial = entries.find((e) => e.weight !== undefined && e.weight > 0 && e.weight < 100);
  if (partial)
    return fail(
      `Partial credit (%${partial.weight}%) is not supported: SkillBridge scores all or nothing.`,
    );
  const full = entries.filter((e) => e.weight === undefined || e.weight >= 100);
  if (full.length === 0) return fail("A numerical question needs a right answer: {#3.14:0.01}.");
  const answers: NumericalAnswer[] = [];
  for (const entry of full) {
    const read = numericalValue(entry.text.text);
    if (typeof read === "string") return fail(read);
    if (!answers.some((a) => a.value === read.value && a.tolerance === read.tolerance))
      answers.push(read);
  }
  return { kind: "numerical", answers };
}

/** `3.14`, `3.14:0.01`, `1e3` or a range `1..5` (its midpoint, give or take half its width). */
function numericalValue(text: string): NumericalAnswer | string {
  const dots = text.indexOf("..");
  if (dots > 0) {
    const low = readDecimal(text.slice(0, dots));
    const high = readDecimal(text.slice(dots + 2));
    if (!low || !high) return `"${text}" is not a range of numbers (write 1.5..2.5).`;
    if (high.lt(low)) return `The range "${text}" runs backwards: write the lower end first.`;
    return stored(text, low.plus(high).div(2), high.minus(low).div(2), true);
  }
  const colon = text.indexOf(":");
  const value = readDecimal(colon > 0 ? text.slice(0, colon) : text);
  if (!value) return `"${text}" is not a number (write 3.14 or 3.14:0.01).`;
  if (colon <= 0) return stored(text, value, undefined, false);
  const margin = readDecimal(text.slice(colon + 1));
  if (!margin || margin.isNegative())
    return `"${text.slice(colon + 1).trim()}" is not a tolerance (a number of at least 0).`;
  return stored(text, value, margin, false);
}

function stored(
  text: string,
  value: Decimal,
  margin: Decimal | undefined,
  range: boolean,
): NumericalAnswer | string {
  const valueText = decimalText(value);
  if (valueText === undefined) return `"${text}" is too long a number to store.`;
  if (!margin || margin.isZero()) return { value: valueText, tolerance: 0, range };
  const tolerance = toleranceNumber(margin);
  if (tolerance === undefined)
    return `"${text}": the tolerance ${decimalText(margin) ?? ""} has more digits than SkillBridge keeps (about 15).`;
  return { value: valueText, tolerance, range };
}

/** Classifies the inside of `{...}` (general feedback `####` already removed), as Moodle does. */
export function readGiftAnswers(inner: string): GiftAnswers {
  const body = inner.trim();
  if (body.length === 0) return fail("Essay questions ({}) are not supported.");
  if (body.startsWith("#")) return numerical(body.slice(1));
  const hasWrong = findUnescaped(body, "~") !== -1;
  // Moodle reads a block as matching only when it has no ~: `{=f\: A -> B ~f\: B -> A}` is a choice.
  if (!hasWrong && findUnescaped(body, "=") !== -1 && findUnescaped(body, "->") !== -1)
    return fail("Matching questions (=a -> b) are not supported.");
  if (!hasWrong) {
    const truth = /^(T|TRUE|F|FALSE)\s*(#.*)?$/is.exec(body);
    if (truth) return { kind: "true_false", value: (truth[1] ?? "").toUpperCase().startsWith("T") };
  }

  const parsed = items(body);
  if (typeof parsed === "string") return fail(parsed);
  if (parsed.some((a) => a.text.text.length === 0)) return fail("An answer is empty.");
  if (!hasWrong) {
    if (parsed.some((a) => a.weight !== undefined && a.weight < 100))
      return fail(
        "Partial credit in short answers is not supported: SkillBridge scores all or nothing.",
      );
    return { kind: "short", answers: parsed.map((a) => a.text.text) };
  }
  if (parsed.filter((a) => a.mark === "=").length > 1)
    return fail("More than one = answer: for several right answers write ~%50%A ~%50%B.");
  const partial = parsed.find(
    (a) =>
      a.weight !== undefined &&
      a.weight > 0 &&
      a.weight < 100 &&
      parsed.some((b) => b.mark === "="),
  );
  if (partial)
    return fail(
      `Partial credit (%${partial.weight}%) is not supported: SkillBridge scores all or nothing.`,
    );
  const positive = parsed.flatMap((a, i) =>
    (a.mark === "=" && (a.weight ?? 100) > 0) || (a.mark === "~" && (a.weight ?? 0) > 0) ? [i] : [],
  );
  if (positive.length === 0)
    return fail("No right answer: mark it with = (or a positive ~%50% weight).");
  const options = parsed.map((a) => a.text);
  if (positive.length === 1) {
    const only = parsed[positive[0] ?? 0];
    if (only?.weight !== undefined && only.weight < 100)
      return fail(
        `Partial credit (%${only.weight}%) is not supported: SkillBridge scores all or nothing.`,
      );
    return { kind: "choice", options, correct: positive, multiple: false };
  }
  const total = positive.reduce((sum, i) => sum + (parsed[i]?.weight ?? 100), 0);
  if (Math.abs(total - 100) > 0.5)
    return fail(`The positive weights add up to ${total}%, not 100%.`);
  return { kind: "choice", options, correct: positive, multiple: true };
}
