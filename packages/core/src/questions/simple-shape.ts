import type { FieldProblem } from "../errors.js";

/**
 * The shape people write by hand (and spreadsheets export), turned into the
 * model's before validation, so a content team needs no converter:
 *
 * - `choices: ["2", "3", "4"]` (or `options` as plain strings) become
 *   options lettered A, B, C…; without a `type`, a question with choices is
 *   multiple choice (multi-select when `answer` is a list);
 * - `answer` may be a 0-based index (`1`), a letter in any case (`"b"`,
 *   `"(B)"`) or the text of one choice (`"3"`), for multiple choice and
 *   multi-select;
 * - option prefixes written into the texts (`"(A) 2"`, `"A) 2"`, `"A. 2"`)
 *   are taken off when every option carries its own letter, in order;
 * - options written inside a plain-text prompt, as its last lines
 *   (`"2 + 2 = ?\nA) 3\nB) 4\nC) 5"`), become the options when the row gives
 *   none: at least two lines, lettered from A in order, each on its own line;
 * - `difficulty` may be a word: `very easy` 1, `easy` 2, `medium` 3,
 *   `hard` 4, `very hard` 5 (or a number written as text).
 *
 * Anything it cannot read unambiguously is left for validation to name, or
 * refused here with the reason; it never guesses.
 */

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export const DIFFICULTY_WORDS: Readonly<Record<string, number>> = {
  "very easy": 1,
  easy: 2,
  medium: 3,
  hard: 4,
  "very hard": 5,
};

/** A difficulty as written (`4`, `"4"`, `"Hard"`) as the model's 1-5, or the input unchanged. */
export function difficultyValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");
  if (/^\d+$/.test(text)) return Number(text);
  return DIFFICULTY_WORDS[text] ?? value;
}

const PREFIX = /^(?:\(([A-Za-z])\)|([A-Za-z])[.)])\s*(\S[\s\S]*)$/;

/** `(A) 2`, `A) 2`, `A. 2` → `2`, only when every text is prefixed by its own letter in order. */
function withoutPrefixes(texts: readonly string[]): string[] {
  const stripped = texts.map((text, i) => {
    const match = PREFIX.exec(text.trim());
    const letter = (match?.[1] ?? match?.[2] ?? "").toUpperCase();
    return match && letter === LETTERS.charAt(i) ? match[3] : undefined;
  });
  return stripped.every((s) => s !== undefined) ? (stripped as string[]) : [...texts];
}

/**
 * One lettered line: `A) 3`, `(B) 4`, `c. 5`. Its text is taken greedily and
 * trimmed afterwards: a lazy `(.*?)\s*$` retries the trailing-space match at
 * every character, quadratic in a line with a long run of spaces inside.
 */
const OPTION_LINE = /^\s*(?:\(([A-Za-z])\)|([A-Za-z])[.)])[ \t]*(\S.*)$/;

/**
 * The options written as a prompt's last lines, from A in order (at least
 * two), and the stem before them; undefined when the prompt does not end so
 * or nothing is left of the stem. Lines are read from the end until A, so
 * `I. x > 0` lines of the stem (roman numerals) stay in it.
 */
export function optionsInStem(prompt: string): { stem: string; texts: string[] } | undefined {
  const lines = prompt.split(/\r?\n/);
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? "").trim() === "") end--;
  const texts: string[] = [];
  let expected: number | undefined;
  let at = end - 1;
  for (; at >= 0; at--) {
    const match = OPTION_LINE.exec(lines[at] ?? "");
    if (!match) return undefined;
    const index = LETTERS.indexOf((match[1] ?? match[2] ?? "").toUpperCase());
    if (expected === undefined) expected = index;
    if (index !== expected) return undefined;
    texts.unshift((match[3] ?? "").trimEnd());
    if (index === 0) break;
    expected--;
  }
  if (at < 0 || texts.length < 2) return undefined;
  const stem = lines.slice(0, at).join("\n").trim();
  return stem === "" ? undefined : { stem, texts };
}

type Shaped =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly errors: FieldProblem[] };

/** One option id for an answer written as an index, a letter or a choice's text. */
function answerId(
  written: unknown,
  options: readonly { id: string; text: string }[],
  path: string,
): { id: unknown } | { error: FieldProblem } {
  const ids = options.map((o) => o.id);
  if (typeof written === "number") {
    if (!Number.isInteger(written) || written < 0 || written >= options.length)
      return {
        error: {
          path,
          message: `${written} is not a choice's index: the ${options.length} choices are numbered 0-${options.length - 1}.`,
        },
      };
    return { id: ids[written] };
  }
  if (typeof written !== "string") return { id: written };
  const text = written.trim();
  // An exact option id is the model's own form: it wins, whatever the texts say.
  if (ids.includes(text)) return { id: text };
  const letter = /^\(?([A-Za-z])\)?$/.exec(text)?.[1]?.toUpperCase();
  const byText = options.filter((o) => o.text === text);
  if (letter !== undefined && ids.includes(letter)) {
    if (byText.some((o) => o.id !== letter))
      return {
        error: {
          path,
          message: `"${text}" could be option ${letter} or the option whose text is "${text}" (${byText[0]?.id}): write the letter in capitals, or give the index.`,
        },
      };
    return { id: letter };
  }
  // Digits written as text (a CSV cell): an index, unless a choice reads the same.
  if (/^\d+$/.test(text)) {
    const index = Number(text);
    const byIndex = index < options.length ? ids[index] : undefined;
    if (byIndex !== undefined && byText.some((o) => o.id !== byIndex))
      return {
        error: {
          path,
          message: `"${text}" could be choice ${byIndex} (index ${text}) or the choice whose text is "${text}" (${byText[0]?.id}): write the letter instead.`,
        },
      };
    if (byText.length === 0 && byIndex !== undefined) return { id: byIndex };
  }
  if (byText.length === 1) return { id: byText[0]?.id };
  return { id: written };
}

/** The hand-made shape as the model's; see the module comment. */
export function simpleShape(value: unknown): Shaped {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return { ok: true, value };
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  if ("difficulty" in out) out.difficulty = difficultyValue(out.difficulty);
  if ("choices" in out) {
    if ("options" in out)
      return {
        ok: false,
        errors: [{ path: "choices", message: "Give choices or options, not both." }],
      };
    out.options = out.choices;
    delete out.choices;
  }
  if (
    out.options === undefined &&
    typeof out.prompt === "string" &&
    (out.format === undefined || out.format === "plain") &&
    (out.type === undefined || out.type === "multiple_choice" || out.type === "multi_select")
  ) {
    const inStem = optionsInStem(out.prompt);
    if (inStem) {
      out.prompt = inStem.stem;
      out.options = inStem.texts;
    }
  }
  const written = out.options;
  if (Array.isArray(written)) {
    if (written.length > LETTERS.length)
      return {
        ok: false,
        errors: [
          { path: "options", message: `At most ${LETTERS.length} choices can be lettered.` },
        ],
      };
    const plain = written.every((o) => typeof o === "string" || typeof o === "number");
    const objects = written.every(
      (o) =>
        o !== null && typeof o === "object" && typeof (o as { text?: unknown }).text === "string",
    );
    if (plain) {
      const texts = withoutPrefixes(written.map(String));
      out.options = texts.map((text, i) => ({ id: LETTERS.charAt(i), text }));
    } else if (objects) {
      const list = written as { id?: unknown; text: string }[];
      const inOrder = list.every((o, i) => o.id === LETTERS.charAt(i));
      if (inOrder) {
        const texts = withoutPrefixes(list.map((o) => o.text));
        out.options = list.map((o, i) => ({ ...o, text: texts[i] }));
      }
    }
    if (out.type === undefined && out.options !== undefined)
      out.type = Array.isArray(out.answer) ? "multi_select" : "multiple_choice";
  }
  const options = out.options;
  if (
    (out.type === "multiple_choice" || out.type === "multi_select") &&
    Array.isArray(options) &&
    options.every(
      (o) =>
        o !== null &&
        typeof o === "object" &&
        typeof (o as { id?: unknown }).id === "string" &&
        typeof (o as { text?: unknown }).text === "string",
    )
  ) {
    const typed = options as { id: string; text: string }[];
    if (Array.isArray(out.answer)) {
      const ids: unknown[] = [];
      for (const [i, item] of out.answer.entries()) {
        const read = answerId(item, typed, `answer.${i}`);
        if ("error" in read) return { ok: false, errors: [read.error] };
        ids.push(read.id);
      }
      out.answer = ids;
    } else if (out.answer !== undefined) {
      const read = answerId(out.answer, typed, "answer");
      if ("error" in read) return { ok: false, errors: [read.error] };
      out.answer = read.id;
    }
  }
  return { ok: true, value: out };
}
