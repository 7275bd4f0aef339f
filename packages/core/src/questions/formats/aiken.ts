import type { FieldProblem } from "../../errors.js";
import { position, type SourceRow } from "../rows.js";
import type { SourceLine } from "../text-source.js";
import { DEFAULTS, type FormatDefaults } from "./gift.js";

/** `A) text`, `A. text`, `A)text`, `a) text`: Moodle takes all of them. */
const OPTION = /^([A-Za-z])[.)]\s*(.*)$/;
const ANSWER = /^ANSWER\s*:\s*(.*)$/i;
/** `B`, `b`, `B) Paris`, `B. Paris`: the letter, then optionally the option's text again. */
const ANSWER_VALUE = /^([A-Za-z])(?:\s*[.)]\s*(.*)|\s+(.*)|)$/;
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

interface Pending {
  readonly line: number;
  prompt: string[];
  options: { id: string; text: string; line: number }[];
  /** Why the question cannot be trusted even if it ends well (see `parseAikenQuestions`). */
  suspect?: string;
}

/**
 * Aiken, as Moodle's `qformat_aiken` reads it: the question (one or more
 * lines), options `A) text`, `A. text`, `A)text` or `a) text`, then
 * `ANSWER: B` (or `ANSWER: B) text`, whose text must be option B's).
 * Multiple choice only; the topic and difficulty come from the defaults,
 * and the id from the whole content (see `validateQuestion`).
 *
 * Options start at A: before them, a lettered line that is not `A`
 * (`I. x > 0`, `II. y > 0`, `V.`) is part of the question's text. A question
 * that reaches the next question's text without an ANSWER line is rejected
 * alone; when that next text follows the options with no blank line between,
 * the two are probably one question whose text has lettered lines, so the
 * second is rejected too (with that reason) instead of being imported with
 * half a stem.
 */
export async function* parseAikenQuestions(
  lines: AsyncIterable<SourceLine>,
  options: { readonly defaults?: Partial<FormatDefaults> } = {},
): AsyncGenerator<SourceRow, void, undefined> {
  const defaults = { ...DEFAULTS, ...options.defaults };
  let index = 0;
  let current: Pending | undefined;
  let blankSinceOption = true;

  const rejected = (q: Pending, errors: FieldProblem[]): SourceRow => ({
    ...position(index++, q.line),
    ok: false,
    errors,
  });
  const missingAnswer = (q: Pending): SourceRow =>
    rejected(q, [
      {
        path: "answer",
        message:
          q.options.length === 0
            ? "No options (A) … B) …) and no ANSWER line."
            : "No ANSWER: line after the options.",
      },
    ]);

  for await (const { text, line } of lines) {
    const trimmed = text.trim();
    if (trimmed.length === 0) {
      blankSinceOption = true;
      continue;
    }
    const answer = ANSWER.exec(trimmed);
    if (answer) {
      if (current && current.options.length > 0) {
        const q = current;
        yield q.suspect
          ? rejected(q, [{ path: "prompt", message: q.suspect }])
          : finish(q, (answer[1] ?? "").trim(), index++, defaults);
      } else
        yield rejected(current ?? { line, prompt: [], options: [] }, [
          { path: "options", message: "An ANSWER line with no options (A) … B) …) before it." },
        ]);
      current = undefined;
      continue;
    }
    const option = OPTION.exec(trimmed);
    const letter = (option?.[1] ?? "").toUpperCase();
    if (option && current && (current.options.length > 0 || letter === "A")) {
      current.options.push({ id: letter, text: (option[2] ?? "").trim(), line });
      blankSinceOption = false;
      continue;
    }
    if (current && current.options.length > 0) {
      // Question text after options: the previous question never got its ANSWER line.
      const last = current.options.at(-1)?.line ?? current.line;
      yield missingAnswer(current);
      current = {
        line,
        prompt: [trimmed],
        options: [],
        ...(blankSinceOption
          ? {}
          : {
              suspect: `This text follows the options of the question on line ${current.line} (last option on line ${last}) with no ANSWER line or blank line between: it is probably part of that question's text (lettered lines such as "I." or "B." in a question are read as options). Separate questions with a blank line, or reword the lettered lines.`,
            }),
      };
      continue;
    }
    if (current) current.prompt.push(trimmed);
    else current = { line, prompt: [trimmed], options: [] };
  }
  if (current) yield missingAnswer(current);
}

function finish(q: Pending, answer: string, index: number, defaults: FormatDefaults): SourceRow {
  const prompt = q.prompt.join("\n").trim();
  const at = position(index, q.line);
  const fail = (path: string, message: string): SourceRow => ({
    ...at,
    ok: false,
    errors: [{ path, message }],
  });
  const expected = LETTERS.slice(0, q.options.length);
  const letters = q.options.map((o) => o.id).join("");
  if (letters !== expected)
    return fail(
      "options",
      `Options must be lettered A, B, C… in order; found ${letters.split("").join(", ")}.`,
    );
  const value = ANSWER_VALUE.exec(answer);
  if (!value) return fail("answer", `ANSWER: takes an option letter (ANSWER: B); got "${answer}".`);
  const id = (value[1] ?? "").toUpperCase();
  const restated = (value[2] ?? value[3] ?? "").trim();
  const chosen = q.options.find((o) => o.id === id);
  if (chosen && restated.length > 0 && restated.toLowerCase() !== chosen.text.toLowerCase())
    return fail(
      "answer",
      `ANSWER: ${id} names "${restated}", but option ${id} is "${chosen.text}": they must agree.`,
    );
  return {
    ...at,
    ok: true,
    format: "plain",
    value: {
      type: "multiple_choice",
      prompt,
      topic: defaults.topic,
      difficulty: defaults.difficulty,
      options: q.options.map(({ id, text }) => ({ id, text })),
      answer: id,
    },
  };
}
