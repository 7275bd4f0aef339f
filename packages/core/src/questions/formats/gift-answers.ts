import { parseNumber, rational } from "../numbers.js";

/**
 * The inside of a GIFT answer block `{...}`, classified. Pure text work; the
 * mapping to SkillBridge types (which depends on the bank) is in `gift.ts`.
 */
export type GiftAnswers =
  | {
      readonly kind: "choice";
      readonly options: readonly string[];
      readonly correct: readonly number[];
      readonly multiple: boolean;
    }
  | { readonly kind: "true_false"; readonly value: boolean }
  | { readonly kind: "short"; readonly answers: readonly string[] }
  | {
      readonly kind: "numerical";
      readonly value: string;
      readonly tolerance: number;
      readonly range: boolean;
    }
  | { readonly kind: "error"; readonly message: string };

interface Item {
  readonly mark: "=" | "~";
  readonly weight: number | undefined;
  readonly text: string;
}

const fail = (message: string): GiftAnswers => ({ kind: "error", message });

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

/** Drops per-answer feedback (`#...`) and reads a `%50%` weight. */
function item(mark: "=" | "~", raw: string): Item {
  let body = raw;
  const feedback = findUnescaped(body, "#");
  if (feedback !== -1) body = body.slice(0, feedback);
  const weighted = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(body);
  const weight = weighted ? Number(weighted[1]) : undefined;
  if (weighted) body = body.slice(weighted[0].length);
  return { mark, weight, text: unescapeGift(body).trim() };
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

function numerical(inner: string): GiftAnswers {
  const body = inner.trim();
  const entries = body.startsWith("=") ? items(body) : [item("=", body)];
  if (typeof entries === "string") return fail(entries);
  const partial = entries.find((e) => e.weight !== undefined && e.weight > 0 && e.weight < 100);
  if (partial)
    return fail(
      `Partial credit (%${partial.weight}%) is not supported: SkillBridge scores all or nothing.`,
    );
  const full = entries.filter((e) => e.weight === undefined || e.weight >= 100);
  const read = full.map((e) => numericalValue(e.text));
  const first = read[0];
  if (!first) return fail("A numerical question needs a right answer: {#3.14:0.01}.");
  for (const r of read) if (r.kind === "error") return r;
  if (first.kind !== "numerical") return first;
  const same = read.every(
    (r) => r.kind === "numerical" && r.value === first.value && r.tolerance === first.tolerance,
  );
  return same
    ? first
    : fail("A numerical question with several different right answers is not supported.");
}

/** `3.14`, `3.14:0.01` or a range `1..5` (its midpoint, give or take half its width). */
function numericalValue(text: string): GiftAnswers {
  const range = /^(.+?)\.\.(.+)$/.exec(text);
  if (range) {
    const low = parseNumber(range[1] ?? "", { exponent: true });
    const high = parseNumber(range[2] ?? "", { exponent: true });
    if (!low || !high) return fail(`"${text}" is not a range of numbers.`);
    const mid = rational(
      low.value.num * high.value.den + high.value.num * low.value.den,
      2n * low.value.den * high.value.den,
    );
    const value = mid.den === 1n ? `${mid.num}` : `${mid.num}/${mid.den}`;
    const tolerance = Math.abs(Number(high.text) - Number(low.text)) / 2;
    return { kind: "numerical", value, tolerance, range: true };
  }
  const [value = "", tolerance, extra] = text.split(":");
  if (extra !== undefined || !parseNumber(value, { exponent: true }))
    return fail(`"${text}" is not a number (write 3.14 or 3.14:0.01).`);
  const margin = tolerance === undefined ? 0 : Number(tolerance.trim());
  if (!Number.isFinite(margin) || margin < 0) return fail(`"${tolerance}" is not a tolerance.`);
  return { kind: "numerical", value: value.trim(), tolerance: margin, range: false };
}

/** Classifies the inside of `{...}` (general feedback `####` already removed). */
export function readGiftAnswers(inner: string): GiftAnswers {
  const body = inner.trim();
  if (body.length === 0) return fail("Essay questions ({}) are not supported.");
  if (body.startsWith("#")) return numerical(body.slice(1));
  const truth = /^(T|TRUE|F|FALSE)\s*(#.*)?$/is.exec(body);
  if (truth) return { kind: "true_false", value: (truth[1] ?? "").toUpperCase().startsWith("T") };

  const parsed = items(body);
  if (typeof parsed === "string") return fail(parsed);
  if (parsed.some((a) => a.mark === "=" && a.text.includes("->")))
    return fail("Matching questions (a -> b) are not supported.");
  if (parsed.some((a) => a.text.length === 0)) return fail("An answer is empty.");
  if (parsed.every((a) => a.mark === "=")) {
    if (parsed.some((a) => a.weight !== undefined && a.weight < 100))
      return fail(
        "Partial credit in short answers is not supported: SkillBridge scores all or nothing.",
      );
    return { kind: "short", answers: parsed.map((a) => a.text) };
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
