import { position, type SourceRow } from "../rows.js";
import type { SourceLine } from "../text-source.js";
import { DEFAULTS, type FormatDefaults, promptId } from "./gift.js";

const OPTION = /^([A-Z])[.)]\s+(.*)$/;
const ANSWER = /^ANSWER\s*:\s*(.*)$/i;

interface Pending {
  readonly line: number;
  prompt: string[];
  options: { id: string; text: string; line: number }[];
}

/**
 * Aiken: a question's text (one or more lines), its options `A) …` or
 * `A. …`, then `ANSWER: B`. Multiple choice only; the topic and difficulty
 * come from the defaults, and the externalId is a hash of the prompt (so an
 * edited prompt is a new question). A question that reaches the next
 * question's text, or the end of the file, without an ANSWER line is rejected
 * alone.
 */
export async function* parseAikenQuestions(
  lines: AsyncIterable<SourceLine>,
  options: { readonly defaults?: Partial<FormatDefaults> } = {},
): AsyncGenerator<SourceRow, void, undefined> {
  const defaults = { ...DEFAULTS, ...options.defaults };
  let index = 0;
  let current: Pending | undefined;

  const missingAnswer = (q: Pending): SourceRow => {
    const prompt = q.prompt.join("\n").trim();
    return {
      ...position(index++, q.line, promptId("aiken", prompt)),
      ok: false,
      errors: [
        {
          path: "answer",
          message:
            q.options.length === 0
              ? "No options (A) … B) …) and no ANSWER line."
              : "No ANSWER: line after the options.",
        },
      ],
    };
  };

  for await (const { text, line } of lines) {
    const trimmed = text.trim();
    if (trimmed.length === 0) continue;
    const answer = ANSWER.exec(trimmed);
    if (answer) {
      if (current && current.options.length > 0)
        yield finish(current, (answer[1] ?? "").trim(), index++, defaults);
      else
        yield {
          ...position(index++, current?.line ?? line),
          ok: false,
          errors: [
            { path: "options", message: "An ANSWER line with no options (A) … B) …) before it." },
          ],
        };
      current = undefined;
      continue;
    }
    const option = OPTION.exec(trimmed);
    if (option && current) {
      current.options.push({ id: option[1] ?? "", text: (option[2] ?? "").trim(), line });
      continue;
    }
    if (current && current.options.length > 0) {
      // Question text after options: the previous question never got its ANSWER line.
      yield missingAnswer(current);
      current = undefined;
    }
    if (current) current.prompt.push(trimmed);
    else current = { line, prompt: [trimmed], options: [] };
  }
  if (current) yield missingAnswer(current);
}

function finish(q: Pending, answer: string, index: number, defaults: FormatDefaults): SourceRow {
  const prompt = q.prompt.join("\n").trim();
  const at = position(index, q.line, promptId("aiken", prompt));
  const expected = "ABCDEFGHIJKLMNOPQRSTUVWXYZ".slice(0, q.options.length);
  const letters = q.options.map((o) => o.id).join("");
  if (letters !== expected) {
    return {
      ...at,
      ok: false,
      errors: [
        {
          path: "options",
          message: `Options must be lettered A, B, C… in order; found ${letters.split("").join(", ")}.`,
        },
      ],
    };
  }
  return {
    ...at,
    ok: true,
    value: {
      externalId: at.externalId,
      type: "multiple_choice",
      prompt,
      topic: defaults.topic,
      difficulty: defaults.difficulty,
      options: q.options.map(({ id, text }) => ({ id, text })),
      answer,
    },
  };
}
